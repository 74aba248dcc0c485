/**
 * The IPC fastpath (seL4's fastpath.c): Call and ReplyRecv with a message of at most four words and at
 * most one capability (seL4's takes none; ukvm32's takes one, because capability transfer is what most
 * often pushes an otherwise short message off the fastpath — docs/ABI.md), when the other side is already
 * waiting and may run at once. It copies the registers and switches straight to the receiver — no queue
 * operations, no scheduler pass. Anything unusual returns
 * false before changing state, and the general path in ipc.ts handles it; the two must give the same
 * result apart from the cycles charged (tests compare them).
 */
import {
    FAST_MESSAGE_REGISTERS, INFO_CAP_BITS, INFO_EXTRA_CAPS_BITS, INFO_LENGTH_BITS, INFO_ONE_EXTRA_CAP, REG_BADGE, REG_CPTR,
    REG_INFO, REG_MR0, REG_STATUS, REG_SYSCALL, Right, Syscall,
    infoExtraCaps, infoLabel, infoLength, messageInfo
} from './abi.js';
import { CapType } from './capability.js';
import { CycleCost } from './cycle-costs.js';
import { messageWords, transferCaps } from './ipc.js';
import type { Kernel } from './kernel.js';
import { EndpointState, type Endpoint } from './objects/endpoint.js';
import { issueReply } from './objects/reply.js';
import { ThreadState, type Thread } from './objects/tcb.js';

/*
 * The fastpath functions are kept small and self-contained: whatever V8 decides to inline into its
 * callers, the common path should not depend on further calls. Events and capabilities, which are rare,
 * are handled in functions of their own. Flags are compared with `=== true`: V8 then compiles a pointer
 * comparison instead of a generic truth test. The message registers are copied in four written-out lines
 * in each function: a helper was not inlined, and a loop carries an interrupt check (4% more host
 * instructions per round trip either way). Together, bench:ipc counted with cachegrind: about 8% fewer.
 */

/**
 * The fastpath at system-call entry, before the general decoder (seL4's `fastpath_call` and
 * `fastpath_reply_recv` are called from the trap entry in the same way): a Call or ReplyRecv carrying no
 * capability, through an endpoint capability with the right it needs. Such a message needs no further
 * checks (at most four words travel in registers; validateOutgoing accepts it), so this goes straight to
 * the fastpath. Anything else, or a fastpath that declines, returns false having changed nothing, and the
 * general decoder (syscalls.ts) handles the call from the start, reporting any error. Messages with a
 * capability reach the fastpath from there, after the capability has been looked up.
 */
export function fastpathEntry(k: Kernel, thread: Thread): boolean {
    const regs = thread.regs;
    const number = regs[REG_SYSCALL];
    if ((number !== Syscall.Call && number !== Syscall.ReplyRecv) || (regs[REG_INFO] & INFO_EXTRA_CAPS_BITS) !== 0 || k.fastpathEnabled !== true) return false;
    // CNode.slotAt, without its checks for non-integers (a register holds an integer; a negative one
    // is no slot, as it is none for slotAt once made unsigned).
    const slots = thread.cspace.slots;
    const cptr = regs[REG_CPTR];
    if (cptr <= 0 || cptr >= slots.length) return false;
    const cap = slots[cptr].cap;
    if (cap === undefined || cap.type !== CapType.Endpoint) return false;
    if (number === Syscall.Call) {
        return (cap.rights & Right.Write) !== 0 && fastpathCall(k, thread, cap.object, cap.badge, (cap.rights & Right.Grant) !== 0);
    }
    return (cap.rights & Right.Read) !== 0 && fastpathReplyRecv(k, thread, cap.object);
}

/** Moves the message's one capability if allowed; returns the message info the receiver sees. */
function deliverCap(k: Kernel, sender: Thread, receiver: Thread, endpoint: Endpoint | undefined, info: number, canGrant: boolean,
    described: string[] | undefined): number {
    if (!canGrant) return info & ~INFO_CAP_BITS;
    const { caps, unwrapped } = transferCaps(sender, receiver, endpoint, 1, described);
    k.charge(CycleCost.perCap * caps);
    return messageInfo(infoLabel(info), infoLength(info), caps, unwrapped);
}

/** Call on an endpoint with a receiver waiting. */
export function fastpathCall(k: Kernel, caller: Thread, endpoint: Endpoint, badge: number, canGrant: boolean): boolean {
    const from = caller.regs;
    const info = from[REG_INFO];
    if ((info & INFO_LENGTH_BITS) > FAST_MESSAGE_REGISTERS || (info & INFO_EXTRA_CAPS_BITS) > INFO_ONE_EXTRA_CAP || endpoint.state !== EndpointState.Receiving) return false;
    const receiver = endpoint.queue[0];
    if (receiver.debugStopped === true || k.scheduler.outranks(receiver.priority)) return false;
    endpoint.dequeue();
    const length = info & INFO_LENGTH_BITS;
    const to = receiver.regs;
    if (length > 0) to[REG_MR0] = from[REG_MR0];
    if (length > 1) to[REG_MR0 + 1] = from[REG_MR0 + 1];
    if (length > 2) to[REG_MR0 + 2] = from[REG_MR0 + 2];
    if (length > 3) to[REG_MR0 + 3] = from[REG_MR0 + 3];
    // What the transferred capability names, for events (only built when someone listens).
    const described = k.events.active === true && infoExtraCaps(info) > 0 ? [] : undefined;
    const delivered = (info & INFO_EXTRA_CAPS_BITS) === 0 ? info & ~INFO_CAP_BITS : deliverCap(k, caller, receiver, endpoint, info, canGrant, described);
    to[REG_BADGE] = badge;
    to[REG_INFO] = delivered;
    to[REG_STATUS] = 0;
    const reply = issueReply(caller, receiver, false, canGrant);
    caller.state = ThreadState.BlockedOnReply;
    caller.blockedOn = reply;
    k.charge(CycleCost.fastpathCall);
    k.switchTo(receiver);
    if (k.events.active === true) reportFastpath(k, 'call', caller, receiver, endpoint.name, badge, info, length, delivered, described);
    return true;
}

/** ReplyRecv answering a waiting caller, when no other sender is queued on the endpoint. */
export function fastpathReplyRecv(k: Kernel, server: Thread, endpoint: Endpoint): boolean {
    const from = server.regs;
    const info = from[REG_INFO];
    const reply = server.reply;
    if ((info & INFO_LENGTH_BITS) > FAST_MESSAGE_REGISTERS || (info & INFO_EXTRA_CAPS_BITS) > INFO_ONE_EXTRA_CAP || reply === undefined || !reply.isLiveFor(server.replyEpoch) || reply.forFault === true) return false;
    if (endpoint.state === EndpointState.Sending || (server.boundNotification !== undefined && server.boundNotification.word !== 0)) return false;
    const caller = reply.caller;
    if (caller.debugStopped === true || k.scheduler.outranks(caller.priority)) return false;
    server.reply = undefined;
    const length = info & INFO_LENGTH_BITS;
    const to = caller.regs;
    if (length > 0) to[REG_MR0] = from[REG_MR0];
    if (length > 1) to[REG_MR0 + 1] = from[REG_MR0 + 1];
    if (length > 2) to[REG_MR0 + 2] = from[REG_MR0 + 2];
    if (length > 3) to[REG_MR0 + 3] = from[REG_MR0 + 3];
    const described = k.events.active === true && infoExtraCaps(info) > 0 ? [] : undefined;
    const delivered = (info & INFO_EXTRA_CAPS_BITS) === 0 ? info & ~INFO_CAP_BITS : deliverCap(k, server, caller, undefined, info, reply.canGrant, described);
    to[REG_BADGE] = 0;
    to[REG_INFO] = delivered;
    to[REG_STATUS] = 0;
    server.state = ThreadState.BlockedOnReceive;
    server.blockedOn = endpoint;
    endpoint.enqueue(server, EndpointState.Receiving);
    k.charge(CycleCost.fastpathReplyRecv);
    k.switchTo(caller);
    if (k.events.active === true) reportFastpath(k, 'reply', server, caller, '', 0, info, length, delivered, described);
    return true;
}

/** The event for a message the fastpath delivered (replies travel on no endpoint: ''). */
function reportFastpath(k: Kernel, operation: 'call' | 'reply', sender: Thread, receiver: Thread, endpoint: string, badge: number, info: number, length: number,
    delivered: number, described: string[] | undefined): void {
    k.events.emit({
        kind: 'ipc', cycle: k.cycle, operation, from: sender.name, to: receiver.name, endpoint,
        badge: badge >>> 0, label: infoLabel(info), words: messageWords(receiver, length), caps: infoExtraCaps(delivered),
        capObjects: described && described.length > 0 ? described : undefined, fastpath: true
    });
}
