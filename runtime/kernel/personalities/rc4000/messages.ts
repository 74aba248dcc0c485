/**
 * The nucleus's four message primitives (Brinch Hansen 1970, "Process communication") behind the neutral
 * calls: send message copies a message into a buffer from the pool and links it into the receiver's
 * queue (waking the receiver if it waits) and the sender goes on; wait message takes the first buffer of
 * the queue, first in first out, and copies the message out; send answer copies the answer into the
 * buffer the message came in and wakes its sender; wait answer copies the answer out of that buffer and
 * returns the buffer to the pool. A Call is send message then wait answer, so the answer is matched to
 * its own buffer whatever else is outstanding. Requests are checked before they get here
 * (rc4000-personality.ts), so these only change state, apart from the pool's refusal.
 */
import {
    FAST_MESSAGE_REGISTERS, IPC_MSG, MAX_MESSAGE_LENGTH, REG_BADGE, REG_INFO, REG_MR0, infoExtraCaps, infoLabel, infoLength,
    messageInfo, KernelError, RECEIVED_SIGNAL
} from '../../../contract/index.js';
import type { IpcOperation } from '../../events.js';
import { answerHeldReply, ipcBufferUsable, messageWords, receiveIpc, receiveNothing, transferCaps } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import { EndpointState, type Endpoint } from '../../objects/endpoint.js';
import { Reply } from '../../objects/reply.js';
import { ThreadState, type SendState, type Thread } from '../../objects/tcb.js';
import { releaseBuffer, stillWanted, takeBuffer } from './buffer-pool.js';
import { Rc4000CycleCost } from './costs.js';
import { SenderWaits, type MessageBuffer, type Rc4000State } from './rc4000-state.js';

/**
 * send message, and for a Call wait answer: the message copied into a buffer (NotEnoughMemory, with
 * nothing changed, when the pool or the sender's claim has none), delivered to a waiting receiver or
 * queued. A one-way message of words alone lets its sender go on at once; one that carries capabilities
 * holds its sender until it is taken (the capabilities move then, from the sender's space).
 */
export function sendMessage(k: Kernel, rc: Rc4000State, sender: Thread, endpoint: Endpoint, send: SendState): void {
    k.charge(Rc4000CycleCost.sendMessage);
    const info = sender.regs[REG_INFO];
    const caps = send.canGrant ? infoExtraCaps(info) : 0;
    const waits = send.isCall ? SenderWaits.Answer : caps > 0 ? SenderWaits.Receipt : SenderWaits.Nothing;
    let reply: Reply | undefined;
    let epoch = 0;
    if (waits !== SenderWaits.Nothing) {
        // The sender's own reply object (one per thread, as for every Call); the call it starts below gets the next epoch.
        reply = sender.replyObject ?? (sender.replyObject = new Reply(sender));
        epoch = reply.epoch + 1;
    }
    const taken = takeBuffer(rc, { sender, endpoint, send, waits, words: [], label: infoLabel(info), caps, reply, epoch, sentAt: k.cycle });
    if (taken === KernelError.NotEnoughMemory) {
        k.complete(sender, KernelError.NotEnoughMemory, 'send message', { endpoint: endpoint.name, label: infoLabel(info) });
        return;
    }
    reply?.issue(false, send.canGrant);
    taken.words = copyIn(k, rc, sender, infoLength(info));
    if (waits === SenderWaits.Nothing) {
        k.complete(sender, KernelError.NoError, 'send message');
    } else {
        // wait answer: blocked on the buffer until its answer (or the receipt) comes.
        k.charge(Rc4000CycleCost.waitAnswer);
        sender.state = ThreadState.BlockedOnReply;
        sender.blockedOn = reply;
        k.unschedule(sender);
    }
    if (endpoint.state !== EndpointState.Receiving) {
        rc.queue(endpoint).push(taken);
        return;
    }
    const receiver = endpoint.dequeue() as Thread;
    receiver.blockedOn = undefined;
    deliver(k, rc, taken, receiver, false);
    if (waits === SenderWaits.Nothing || !k.switchDirectly(receiver)) k.makeRunnable(receiver);
}

/**
 * wait message: a pending bound notification first (as under every personality), then a fault waiting on
 * the endpoint (the shared kernel's message), then the first message of the queue; else block, or
 * WOULD_BLOCK when not blocking.
 */
export function waitMessage(k: Kernel, rc: Rc4000State, receiver: Thread, endpoint: Endpoint, blocking: boolean): void {
    k.charge(Rc4000CycleCost.waitMessage);
    if (endpoint.state === EndpointState.Sending) {
        receiveIpc(k, receiver, endpoint, blocking);
        return;
    }
    const bound = receiver.boundNotification;
    if (bound !== undefined && bound.word !== 0) {
        receiver.regs[REG_BADGE] = bound.word;
        bound.word = 0;
        k.complete(receiver, RECEIVED_SIGNAL, 'wait message');
        return;
    }
    const queue = rc.queues.get(endpoint);
    while (queue !== undefined && queue.length > 0) {
        const buffer = queue.shift() as MessageBuffer;
        // A message whose sender stopped waiting for it was regretted: its buffer goes back to the pool.
        if (!stillWanted(buffer)) {
            releaseBuffer(rc, buffer);
            continue;
        }
        deliver(k, rc, buffer, receiver, true);
        return;
    }
    receiveNothing(k, receiver, endpoint, blocking, 'wait message');
}

/**
 * send answer to the message `server` holds, into the buffer it came in; its sender's wait answer ends
 * with the answer copied out and the buffer back in the pool. Returns false when there is nothing to
 * answer (no message held, or its sender stopped waiting), which changes nothing.
 */
export function sendAnswer(k: Kernel, rc: Rc4000State, server: Thread): boolean {
    k.charge(Rc4000CycleCost.sendAnswer);
    return answerHeldReply(k, server, rc, answerInBuffer);
}

/** send answer to a Call: into the buffer the message came in, copied out to its sender, the buffer back in the pool. */
function answerInBuffer(k: Kernel, rc: Rc4000State, server: Thread, reply: Reply): void {
    const client = reply.caller;
    const buffer = rc.answering.get(reply);
    const info = server.regs[REG_INFO];
    const words = copyIn(k, rc, server, infoLength(info));
    if (buffer !== undefined) {
        buffer.words = words;
        buffer.label = infoLabel(info);
    }
    const length = copyOut(k, rc, words, client);
    let caps = 0;
    let unwrapped = 0;
    const described: string[] | undefined = k.events.active ? [] : undefined;
    if (infoExtraCaps(info) > 0 && reply.canGrant) ({ caps, unwrapped } = transferCaps(server, client, undefined, infoExtraCaps(info), described));
    k.charge(Rc4000CycleCost.perCap * caps);
    client.regs[REG_BADGE] = 0;
    client.regs[REG_INFO] = messageInfo(infoLabel(info), length, caps, unwrapped);
    k.complete(client, KernelError.NoError, 'wait answer');
    if (buffer !== undefined) releaseBuffer(rc, buffer);
    rc.messages++;
    if (k.events.active) report(k, 'reply', 'send answer', server, client, undefined, 0, infoLabel(info), length, caps, described, 4 * (words.length + length));
    k.makeRunnable(client);
}

/** wait message's half of a delivery: the buffer's message copied out to `receiver`, its capabilities moved; `queued` when it waited in the queue. */
function deliver(k: Kernel, rc: Rc4000State, buffer: MessageBuffer, receiver: Thread, queued: boolean): void {
    const { sender, send, endpoint } = buffer;
    const length = copyOut(k, rc, buffer.words, receiver);
    let caps = 0;
    let unwrapped = 0;
    const described: string[] | undefined = k.events.active ? [] : undefined;
    if (buffer.caps > 0) ({ caps, unwrapped } = transferCaps(sender, receiver, endpoint, buffer.caps, described));
    k.charge(Rc4000CycleCost.perCap * caps);
    receiver.regs[REG_BADGE] = send.badge;
    receiver.regs[REG_INFO] = messageInfo(buffer.label, length, caps, unwrapped);
    k.complete(receiver, KernelError.NoError, 'wait message');
    rc.messages++;
    if (k.events.active) {
        report(k, send.isCall ? 'call' : 'send', 'send message', sender, receiver, endpoint, send.badge, buffer.label, length, caps, described,
            4 * (buffer.words.length + length), queued ? buffer.sentAt : undefined);
    }
    switch (buffer.waits) {
        case SenderWaits.Answer:
            // The receiver holds the right to answer in this buffer (the shared reply slot, so that a
            // receiver that stops serving answers with ServerFailed, the nucleus's dummy answer).
            receiver.reply = buffer.reply;
            receiver.replyEpoch = buffer.epoch;
            rc.answering.set(buffer.reply as Reply, buffer);
            return;
        case SenderWaits.Receipt:
            // The nucleus answers a one-way message with capabilities once they have moved.
            k.complete(sender, KernelError.NoError, 'wait answer');
            releaseBuffer(rc, buffer);
            k.makeRunnable(sender);
            return;
        default:
            releaseBuffer(rc, buffer);
    }
}

/** Copies `length` words of `from`'s message (registers, then its IPC buffer) into a buffer's words. */
function copyIn(k: Kernel, rc: Rc4000State, from: Thread, length: number): number[] {
    const count = Math.min(length, MAX_MESSAGE_LENGTH);
    const words = new Array<number>(count);
    for (let i = 0; i < count && i < FAST_MESSAGE_REGISTERS; i++) words[i] = from.regs[REG_MR0 + i];
    for (let i = FAST_MESSAGE_REGISTERS; i < count; i++) words[i] = from.vspace.readWord(from.ipcBuffer + IPC_MSG + 4 * i) ?? 0;
    countCopied(k, rc, count);
    return words;
}

/**
 * Copies a buffer's words out to `to`: beyond the registers only into a usable IPC buffer (else the first
 * four words, the shared rule for a receiver without one). Returns how many words `to` got.
 */
function copyOut(k: Kernel, rc: Rc4000State, words: readonly number[], to: Thread): number {
    const length = words.length <= FAST_MESSAGE_REGISTERS || ipcBufferUsable(to, IPC_MSG + 4 * words.length, true) ? words.length : FAST_MESSAGE_REGISTERS;
    for (let i = 0; i < length && i < FAST_MESSAGE_REGISTERS; i++) to.regs[REG_MR0 + i] = words[i];
    for (let i = FAST_MESSAGE_REGISTERS; i < length; i++) to.vspace.writeWord(to.ipcBuffer + IPC_MSG + 4 * i, words[i]);
    countCopied(k, rc, length);
    return length;
}

/** Counts and charges `words` words copied into or out of a buffer. */
function countCopied(k: Kernel, rc: Rc4000State, words: number): void {
    rc.bytesCopied += 4 * words;
    k.charge(Rc4000CycleCost.copyPerWord * words);
}

function report(k: Kernel, operation: IpcOperation, primitive: string, from: Thread, to: Thread, endpoint: Endpoint | undefined, badge: number,
    label: number, length: number, caps: number, described: string[] | undefined, bytesCopied: number, sentAt?: number): void {
    k.events.emit({
        kind: 'ipc', cycle: k.cycle, operation, from: from.name, to: to.name, endpoint: endpoint?.name ?? '', badge: badge >>> 0, label,
        words: messageWords(to, length), caps, capObjects: described && described.length > 0 ? described : undefined, fastpath: false,
        primitive, bytesCopied, ...(sentAt === undefined ? {} : { sentAt })
    });
}
