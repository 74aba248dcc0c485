/**
 * QNX Neutrino's synchronous message passing (System Architecture, "Synchronous message passing" and
 * "Message copying"), behind the neutral calls: a Call is MsgSend, a Recv MsgReceive, a Reply MsgReply, and
 * a ReplyRecv both of the last (QNX has no combined call, so it pays two kernel entries). The kernel copies
 * every word of a message — QNX has no register-only path — from the sender's buffer into the receiver's,
 * and counts the bytes. A client's reply buffer is fixed when it sends, and a reply longer than it is cut
 * ("the number of bytes transferred is the minimum of that specified by both the replier and the sender",
 * MsgReply()); a message longer than the receiver's buffer is cut the same way (QNX's server would
 * MsgRead the rest, which the neutral ABI has no call for). Requests are checked before they get here
 * (qnx-personality.ts), so these only change state.
 */
import {
    FAST_MESSAGE_REGISTERS, IPC_MSG, MAX_MESSAGE_LENGTH, REG_BADGE, REG_INFO, REG_MR0, infoExtraCaps, infoLabel, infoLength,
    messageInfo, KernelError, RECEIVED_SIGNAL
} from '../../../contract/index.js';
import type { IpcOperation } from '../../events.js';
import { answerHeldReply, ipcBufferUsable, messageWords, receiveIpc, receiveNothing, sendWithoutReceiver, transferCaps } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import { EndpointState, type Endpoint } from '../../objects/endpoint.js';
import { issueReply, type Reply } from '../../objects/reply.js';
import { ThreadState, type SendState, type Thread } from '../../objects/tcb.js';
import { QnxCycleCost } from './costs.js';
import { boostForWaitingSender, inheritPriority, restorePriority } from './priority-inheritance.js';
import { takePulse } from './pulses.js';
import type { QnxState } from './qnx-state.js';

/** MsgSend (a Call) or a one-way message (a Send): to a RECEIVE-blocked server at once, else SEND-blocked. */
export function msgSend(k: Kernel, qnx: QnxState, client: Thread, channel: Endpoint, send: SendState, blocking: boolean): void {
    k.charge(QnxCycleCost.msgSend);
    if (channel.state === EndpointState.Receiving) {
        const server = channel.dequeue() as Thread;
        // Out of the channel's queue: a priority change must not put it back (setPriority requeues waiters).
        server.blockedOn = undefined;
        deliver(k, qnx, client, server, channel, send);
        inheritPriority(k, qnx, server, client.priority, client.name);
        if (send.isCall) {
            awaitReply(k, qnx, client, server, send);
            if (!k.switchDirectly(server)) k.makeRunnable(server);
        } else {
            k.complete(client, KernelError.NoError, 'MsgSend');
            k.makeRunnable(server);
        }
        return;
    }
    if (!sendWithoutReceiver(k, client, channel, send, blocking, 'MsgSend')) return;
    const server = qnx.channelServers.get(channel);
    if (server !== undefined) boostForWaitingSender(k, qnx, server, client);
}

/**
 * MsgReceive: the highest-priority of the waiting messages and pulses (a pulse first among equals), else
 * RECEIVE-blocked (or WOULD_BLOCK when not blocking). The server runs at the priority of what it took.
 */
export function msgReceive(k: Kernel, qnx: QnxState, server: Thread, channel: Endpoint, blocking: boolean): void {
    k.charge(QnxCycleCost.msgReceive);
    restorePriority(k, qnx, server);
    qnx.channelServers.set(channel, server);
    const sender = channel.state === EndpointState.Sending ? channel.queue[0] : undefined;
    const bound = server.boundNotification;
    const pulse = bound === undefined ? undefined : takePulse(qnx, bound, sender?.priority ?? -1);
    if (pulse !== undefined) {
        server.regs[REG_BADGE] = pulse.value;
        k.complete(server, RECEIVED_SIGNAL, 'MsgReceive');
        inheritPriority(k, qnx, server, pulse.priority, `pulse:${bound?.name ?? ''}`);
        return;
    }
    if (bound !== undefined && bound.word !== 0) {
        // The shared kernel's signals (an event queue's: docs/ABI.md, "Events") are no pulses: they OR
        // into the word as under seL4, and a pending word ends MsgReceive before a waiting message.
        server.regs[REG_BADGE] = bound.word;
        bound.word = 0;
        k.complete(server, RECEIVED_SIGNAL, 'MsgReceive');
        return;
    }
    if (sender !== undefined) {
        const send = sender.send as SendState;
        if (send.fault !== undefined) {
            // A fault is the shared kernel's message (faults.ts): delivered and answered as the shared path does.
            receiveIpc(k, server, channel, blocking);
            return;
        }
        channel.dequeue();
        sender.send = undefined;
        deliver(k, qnx, sender, server, channel, send);
        inheritPriority(k, qnx, server, sender.priority, sender.name);
        if (send.isCall) {
            awaitReply(k, qnx, sender, server, send);
        } else {
            k.complete(sender, KernelError.NoError, 'MsgSend');
            k.makeRunnable(sender);
        }
        return;
    }
    receiveNothing(k, server, channel, blocking, 'MsgReceive');
}

/**
 * MsgReply to the message `server` holds: the reply copied into the client's reply buffer (cut to it),
 * the client readied, the server back at its own priority. Returns false when there is nothing to answer
 * (no message held, or its client stopped waiting), which changes nothing.
 */
export function msgReply(k: Kernel, qnx: QnxState, server: Thread): boolean {
    k.charge(QnxCycleCost.msgReply);
    return answerHeldReply(k, server, qnx, replyToClient);
}

/** MsgReply's answer to a client's MsgSend: copied into its reply buffer, the client readied, the server back at its own priority. */
function replyToClient(k: Kernel, qnx: QnxState, server: Thread, reply: Reply): void {
    const client = reply.caller;
    const info = server.regs[REG_INFO];
    const buffer = qnx.replyBuffers.get(client) ?? FAST_MESSAGE_REGISTERS;
    qnx.replyBuffers.delete(client);
    const length = fit(server, client, Math.min(infoLength(info), buffer));
    copyWords(server, client, length);
    let caps = 0;
    let unwrapped = 0;
    const described: string[] | undefined = k.events.active ? [] : undefined;
    if (infoExtraCaps(info) > 0 && reply.canGrant) ({ caps, unwrapped } = transferCaps(server, client, undefined, infoExtraCaps(info), described));
    client.regs[REG_BADGE] = 0;
    client.regs[REG_INFO] = messageInfo(infoLabel(info), length, caps, unwrapped);
    k.complete(client, KernelError.NoError, 'MsgSend');
    count(k, qnx, length, caps);
    if (k.events.active) report(k, 'reply', 'MsgReply', server, client, undefined, 0, infoLabel(info), length, caps, described);
    restorePriority(k, qnx, server);
    k.makeRunnable(client);
}

/** The client waits for its reply, with its reply buffer fixed now: its registers, and its IPC buffer if usable. */
function awaitReply(k: Kernel, qnx: QnxState, client: Thread, server: Thread, send: SendState): void {
    const reply = issueReply(client, server, false, send.canGrant);
    qnx.replyBuffers.set(client, ipcBufferUsable(client, IPC_MSG + 4 * MAX_MESSAGE_LENGTH, true) ? MAX_MESSAGE_LENGTH : FAST_MESSAGE_REGISTERS);
    client.state = ThreadState.BlockedOnReply;
    client.blockedOn = reply;
    k.unschedule(client);
}

/** Copies a message from sender to receiver (cut to the receiver's buffer) and sets the receiver's registers. */
function deliver(k: Kernel, qnx: QnxState, sender: Thread, receiver: Thread, channel: Endpoint, send: SendState): void {
    const info = sender.regs[REG_INFO];
    const length = fit(sender, receiver, Math.min(infoLength(info), MAX_MESSAGE_LENGTH));
    copyWords(sender, receiver, length);
    let caps = 0;
    let unwrapped = 0;
    const described: string[] | undefined = k.events.active ? [] : undefined;
    if (infoExtraCaps(info) > 0 && send.canGrant) ({ caps, unwrapped } = transferCaps(sender, receiver, channel, infoExtraCaps(info), described));
    receiver.regs[REG_BADGE] = send.badge;
    receiver.regs[REG_INFO] = messageInfo(infoLabel(info), length, caps, unwrapped);
    k.complete(receiver, KernelError.NoError, 'MsgReceive');
    count(k, qnx, length, caps);
    if (k.events.active) report(k, send.isCall ? 'call' : 'send', 'MsgSend', sender, receiver, channel, send.badge, infoLabel(info), length, caps, described);
}

/** How many of `length` words go from `from` to `to`: beyond the registers, both IPC buffers must be usable. */
function fit(from: Thread, to: Thread, length: number): number {
    if (length <= FAST_MESSAGE_REGISTERS) return length;
    const end = IPC_MSG + 4 * length;
    return ipcBufferUsable(from, end, false) && ipcBufferUsable(to, end, true) ? length : FAST_MESSAGE_REGISTERS;
}

function copyWords(from: Thread, to: Thread, length: number): void {
    for (let i = 0; i < length && i < FAST_MESSAGE_REGISTERS; i++) to.regs[REG_MR0 + i] = from.regs[REG_MR0 + i];
    for (let i = FAST_MESSAGE_REGISTERS; i < length; i++) {
        const offset = IPC_MSG + 4 * i;
        to.vspace.writeWord(to.ipcBuffer + offset, from.vspace.readWord(from.ipcBuffer + offset) ?? 0);
    }
}

function count(k: Kernel, qnx: QnxState, length: number, caps: number): void {
    qnx.messages++;
    qnx.bytesCopied += 4 * length;
    k.charge(QnxCycleCost.copyPerWord * length + QnxCycleCost.perCap * caps);
}

function report(k: Kernel, operation: IpcOperation, primitive: string, from: Thread, to: Thread, channel: Endpoint | undefined, badge: number,
    label: number, length: number, caps: number, described: string[] | undefined): void {
    k.events.emit({
        kind: 'ipc', cycle: k.cycle, operation, from: from.name, to: to.name, endpoint: channel?.name ?? '', badge: badge >>> 0, label,
        words: messageWords(to, length), caps, capObjects: described && described.length > 0 ? described : undefined, fastpath: false,
        primitive, bytesCopied: 4 * length
    });
}
