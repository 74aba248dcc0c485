/**
 * Kernel messages (Mach's ipc_kmsg): copyin at send — the words out of the sender's registers and IPC
 * buffer, its port rights (capabilities) out of its CNode, out-of-line pages as copy-on-write copies — and
 * copyout at receive into the receiver's registers, IPC buffer and CNode. Between the two the message
 * belongs to the kernel, so a one-way sender goes on at once (GNU Mach manual, "Message Send": "the
 * message carries a copy of the caller's data"). Requests are checked before they get here
 * (mach-personality.ts), so these only change state.
 */
import {
    ALL_RIGHTS, CAP_GRANT_FLAG, FAST_MESSAGE_REGISTERS, IPC_CAPS_OR_BADGES, IPC_MSG, IPC_RECEIVE_INDEX, MAX_MESSAGE_LENGTH,
    REG_BADGE, REG_INFO, REG_MR0, infoExtraCaps, infoLabel, infoLength, messageInfo, KernelError
} from '../../../contract/index.js';
import {
    CAP_TYPE_NAMES, CapType, Slot, deriveCapability, insertCapability, moveCapability, removeCapability, type Capability
} from '../../capability.js';
import type { IpcOperation } from '../../events.js';
import { ipcBufferUsable, messageWords } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import type { Endpoint } from '../../objects/endpoint.js';
import type { Reply } from '../../objects/reply.js';
import type { SendState, Thread } from '../../objects/tcb.js';
import { unmapFrame } from '../../objects/vspace.js';
import { MachCycleCost } from './costs.js';
import type { KernelMessage, MachState, RightInTransit, UnwrappedRight } from './mach-state.js';
import { copyOnWrite } from './out-of-line.js';

/** Copies the sender's message into a kernel message; `reply` is an RPC's send-once reply right. */
export function copyIn(k: Kernel, sender: Thread, port: Endpoint | undefined, send: SendState, reply: Reply | undefined, replyEpoch: number): KernelMessage {
    const info = sender.regs[REG_INFO];
    const length = Math.min(infoLength(info), MAX_MESSAGE_LENGTH);
    const words: number[] = [];
    for (let i = 0; i < length; i++) {
        words.push(i < FAST_MESSAGE_REGISTERS ? sender.regs[REG_MR0 + i] : sender.vspace.readWord(sender.ipcBuffer + IPC_MSG + 4 * i) ?? 0);
    }
    let rights: (RightInTransit | UnwrappedRight)[] = [];
    let outOfLinePages = 0;
    if (infoExtraCaps(info) > 0 && send.canGrant) ({ rights, outOfLinePages } = copyInRights(k, sender, port, infoExtraCaps(info), !send.isCall));
    k.charge(MachCycleCost.copyPerWord * length + MachCycleCost.perRight * rights.length + MachCycleCost.outOfLinePage * outOfLinePages);
    return { sender, badge: send.badge, label: infoLabel(info), words, rights, outOfLinePages, reply, replyEpoch, sentAt: k.cycle };
}

/**
 * The rights named in the sender's IPC buffer, taken out of its CNode now into slots of the message: copies
 * (derived from the sender's, so that revoking the sender's takes them back, in the queue or after), moved
 * ones (CAP_GRANT_FLAG: they leave the sender at the send, as MACH_MSG_TYPE_MOVE_SEND does, and keep the
 * place in the tree the sender's had), a right to the port itself as its badge. In a one-way message a page
 * is sent copy-on-write. Copyin stops at the first right that cannot travel (a reply capability, or a page
 * that cannot be copied).
 */
function copyInRights(k: Kernel, sender: Thread, port: Endpoint | undefined, requested: number, oneWay: boolean): { rights: (RightInTransit | UnwrappedRight)[]; outOfLinePages: number } {
    const rights: (RightInTransit | UnwrappedRight)[] = [];
    let outOfLinePages = 0;
    for (let i = 0; i < requested; i++) {
        const raw = sender.vspace.readWord(sender.ipcBuffer + IPC_CAPS_OR_BADGES + 4 * i);
        if (raw === undefined) break;
        const source = sender.cspace.slotAt((raw & ~CAP_GRANT_FLAG) >>> 0);
        const cap = source?.cap;
        if (!source || !cap || cap.type === CapType.Reply) break;
        if (cap.type === CapType.Endpoint && port !== undefined && cap.object === port) {
            rights.push({ badge: cap.badge });
            continue;
        }
        if ((raw & CAP_GRANT_FLAG) !== 0) {
            const parent = source.parent;
            removeCapability(source, moved => { if (moved.type === CapType.Frame) unmapFrame(moved); });
            rights.push(inTransit(sender, cap, parent));
            continue;
        }
        if (cap.type === CapType.Frame && oneWay) {
            const copy = copyOnWrite(k, cap);
            if (copy === undefined) break;
            outOfLinePages++;
            rights.push(inTransit(sender, copy, source));
            continue;
        }
        rights.push(inTransit(sender, deriveCapability(cap, ALL_RIGHTS), source));
    }
    return { rights, outOfLinePages };
}

/** `cap` held by a message of `sender`'s, in the derivation tree under `parent` (none: an original). */
function inTransit(sender: Thread, cap: Capability, parent: Slot | undefined): RightInTransit {
    const slot = new Slot({ sender, role: 'in-transit' });
    insertCapability(slot, cap, parent ?? null);
    return { slot };
}

/** The message's rights that did not reach a receiver leave the derivation tree with it (none of them is mapped). */
export function destroyRights(message: KernelMessage): void {
    for (const right of message.rights) if ('slot' in right) removeCapability(right.slot, () => {});
}

/**
 * Copies a kernel message out into its receiver: words (cut to four when the receiver has no usable IPC
 * buffer), rights from the receive index on up to the first that was revoked in transit or finds no empty
 * slot (the rest are destroyed with the message, as Mach destroys what a receive cannot take), the badge
 * and message info. Counts the message.
 * `queued` when it waited in the port's queue (the event then says when it was sent).
 */
export function copyOut(k: Kernel, mach: MachState, message: KernelMessage, receiver: Thread, port: Endpoint | undefined, operation: IpcOperation, primitive: string, queued = false): void {
    let length = message.words.length;
    if (length > FAST_MESSAGE_REGISTERS && !ipcBufferUsable(receiver, IPC_MSG + 4 * length, true)) length = FAST_MESSAGE_REGISTERS;
    for (let i = 0; i < length; i++) {
        if (i < FAST_MESSAGE_REGISTERS) receiver.regs[REG_MR0 + i] = message.words[i];
        else receiver.vspace.writeWord(receiver.ipcBuffer + IPC_MSG + 4 * i, message.words[i]);
    }
    const described: string[] | undefined = k.events.active ? [] : undefined;
    const { caps, unwrapped } = copyOutRights(receiver, message.rights, described);
    destroyRights(message);
    receiver.regs[REG_BADGE] = message.badge;
    receiver.regs[REG_INFO] = messageInfo(message.label, length, caps, unwrapped);
    k.complete(receiver, KernelError.NoError, 'mach_msg');
    k.charge(MachCycleCost.copyPerWord * length);
    // Each word was copied twice: into the kernel message at the send, out of it now.
    const bytesCopied = 4 * (message.words.length + length);
    mach.messages++;
    mach.outOfLinePages += message.outOfLinePages;
    mach.bytesCopied += bytesCopied;
    if (k.events.active) {
        k.events.emit({
            kind: 'ipc', cycle: k.cycle, operation, from: message.sender.name, to: receiver.name, endpoint: port?.name ?? '',
            badge: message.badge >>> 0, label: message.label, words: messageWords(receiver, length), caps,
            capObjects: described && described.length > 0 ? described : undefined, fastpath: false, primitive, bytesCopied,
            ...(queued ? { sentAt: message.sentAt } : {})
        });
    }
}

function copyOutRights(receiver: Thread, rights: readonly (RightInTransit | UnwrappedRight)[], described: string[] | undefined): { caps: number; unwrapped: number } {
    let caps = 0;
    let unwrapped = 0;
    if (rights.length === 0) return { caps, unwrapped };
    let nextIndex = receiver.ipcBuffer === 0 ? 0 : (receiver.vspace.readWord(receiver.ipcBuffer + IPC_RECEIVE_INDEX) ?? 0) >>> 0;
    for (let i = 0; i < rights.length; i++) {
        const right = rights[i];
        if (!('slot' in right)) {
            if (!receiver.vspace.writeWord(receiver.ipcBuffer + IPC_CAPS_OR_BADGES + 4 * i, right.badge)) break;
            unwrapped |= 1 << i;
            caps++;
            described?.push(`badge:${right.badge >>> 0}`);
            continue;
        }
        // Revoked in transit: Mach would copy out a dead name; here the transfer stops, as at a right that finds no slot.
        const cap = right.slot.cap;
        if (cap === undefined) break;
        const destination: Slot | undefined = receiver.cspace.slotAt(nextIndex);
        if (!destination || !destination.isEmpty) break;
        moveCapability(right.slot, destination);
        nextIndex++;
        caps++;
        described?.push(describe(cap));
    }
    return { caps, unwrapped };
}

function describe(cap: Capability): string {
    const kind = CAP_TYPE_NAMES[cap.type];
    return cap.type === CapType.Endpoint || cap.type === CapType.Notification ? `${kind}:${cap.object.name}` : kind;
}
