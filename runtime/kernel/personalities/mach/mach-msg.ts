/**
 * mach_msg (GNU Mach manual, "Messaging Interface"; Draves, "A Revised IPC Interface", 1990) behind the
 * neutral calls: a one-way Send is mach_msg with MACH_SEND_MSG — the message is queued at the port and the
 * sender goes on; a Call is an RPC, mach_msg with MACH_SEND_MSG | MACH_RCV_MSG — the request goes to the
 * server's port carrying a send-once right to a reply port made for the call, and the caller receives on
 * that reply port; a Recv is MACH_RCV_MSG on the port, or on the port set of the port and the thread's
 * bound notification; a Reply sends on the send-once right the server received, which spends it. Requests
 * are checked before they get here (mach-personality.ts), so these only change state.
 */
import { REG_BADGE, KernelError, RECEIVED_SIGNAL } from '../../../contract/index.js';
import { receiveIpc, receiveNothing, resumeAfterFault, sendWithoutReceiver } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import { EndpointState, type Endpoint } from '../../objects/endpoint.js';
import { liveReply, type Reply } from '../../objects/reply.js';
import type { SendState, Thread } from '../../objects/tcb.js';
import { MachCycleCost } from './costs.js';
import { copyIn, copyOut } from './kernel-messages.js';
import type { KernelMessage, MachState } from './mach-state.js';
import { takeNotification } from './notifications.js';
import { admitWaitingSenders, awaitReply, enqueueMessage, makeReplyPort, takeMessage } from './ports.js';

/**
 * The send half: to a receiver waiting at the port at once, else into the port's queue, else — the queue
 * full — the sender waits for room, or under NBSend (MACH_SEND_TIMEOUT with a zero timeout) gets
 * WOULD_BLOCK, Mach's MACH_SEND_TIMED_OUT. An RPC also pays its receive half on the reply port.
 */
export function sendMessage(k: Kernel, mach: MachState, sender: Thread, port: Endpoint, send: SendState, blocking: boolean): void {
    k.charge(send.isCall ? MachCycleCost.send + MachCycleCost.receive : MachCycleCost.send);
    if (port.state === EndpointState.Receiving) {
        const receiver = port.dequeue() as Thread;
        if (send.isCall) {
            const { reply, epoch } = makeReplyPort(sender, send.canGrant);
            deliver(k, mach, copyIn(k, sender, port, send, reply, epoch), receiver, port, false);
            awaitReply(k, sender, reply);
            if (!k.switchDirectly(receiver)) k.makeRunnable(receiver);
        } else {
            deliver(k, mach, copyIn(k, sender, port, send, undefined, 0), receiver, port, false);
            k.complete(sender, KernelError.NoError, 'mach_msg');
            k.makeRunnable(receiver);
        }
        return;
    }
    if (!mach.isFull(port)) {
        enqueueMessage(k, mach, sender, port, send);
        return;
    }
    mach.queueFullSends++;
    sendWithoutReceiver(k, sender, port, send, blocking, 'mach_msg');
}

/**
 * The receive half, on the port set of the port and the thread's bound notification: a pending
 * notification first (Mach lets a port set deliver from any member with messages), then the oldest
 * message, then a fault message waiting in the port's thread queue (the shared kernel's), else block — or,
 * under NBRecv, WOULD_BLOCK (Mach's MACH_RCV_TIMED_OUT).
 */
export function receiveMessage(k: Kernel, mach: MachState, receiver: Thread, port: Endpoint, blocking: boolean): void {
    k.charge(MachCycleCost.receive);
    const bound = receiver.boundNotification;
    if (bound !== undefined && bound.word !== 0) {
        receiver.regs[REG_BADGE] = takeNotification(bound);
        k.complete(receiver, RECEIVED_SIGNAL, 'mach_msg');
        return;
    }
    admitWaitingSenders(k, mach, port);
    let message = takeMessage(mach, port);
    if (message === undefined) {
        // Every queued message was stale (its caller stopped waiting): the room they left is the waiting senders'.
        admitWaitingSenders(k, mach, port);
        message = takeMessage(mach, port);
    }
    if (message !== undefined) {
        deliver(k, mach, message, receiver, port, true);
        admitWaitingSenders(k, mach, port);
        return;
    }
    if (port.state === EndpointState.Sending) {
        receiveIpc(k, receiver, port, blocking);
        return;
    }
    receiveNothing(k, receiver, port, blocking, 'mach_msg');
}

/**
 * Sends `server`'s message on the send-once right it holds, spending it. Returns false when it holds none
 * that is live — never given, spent already, or dead because its caller stopped waiting — which changes
 * nothing (Mach: MACH_SEND_INVALID_DEST).
 */
export function replyMessage(k: Kernel, mach: MachState, server: Thread): boolean {
    const reply = liveReply(server);
    server.reply = undefined;
    if (reply === undefined) return false;
    answer(k, mach, server, reply);
    return true;
}

/** Sends `server`'s message to the live send-once right `reply` and readies its caller (or resumes a faulted thread). */
export function answer(k: Kernel, mach: MachState, server: Thread, reply: Reply): void {
    k.charge(MachCycleCost.send);
    const client = reply.caller;
    if (reply.forFault) {
        resumeAfterFault(k, server, client);
        return;
    }
    copyOut(k, mach, copyIn(k, server, undefined, { badge: 0, isCall: false, canGrant: reply.canGrant }, undefined, 0), client, undefined, 'reply', 'mach_msg reply');
    k.makeRunnable(client);
}

/** A message reaches its receiver (`queued`: from the port's queue); an RPC's receiver now holds the send-once right to answer it. */
function deliver(k: Kernel, mach: MachState, message: KernelMessage, receiver: Thread, port: Endpoint, queued: boolean): void {
    const rpc = message.reply !== undefined;
    copyOut(k, mach, message, receiver, port, rpc ? 'call' : 'send', rpc ? 'mach_msg RPC' : 'mach_msg send', queued);
    if (message.reply !== undefined) {
        receiver.reply = message.reply;
        receiver.replyEpoch = message.replyEpoch;
    }
}
