/**
 * Port queues (Mach's ipc_mqueue; GNU Mach manual, "Message Send"): a port holds up to its queue limit of
 * kernel messages, oldest first. A sender that finds the queue full waits in the port's thread queue, and
 * is let in — its message copied in then — when a receive makes room ("the caller blocks until there is
 * room in the queue"). An RPC's message whose caller stopped waiting (suspended or restarted: it will send
 * again when it runs) is discarded when it reaches the head, as Mach destroys a message whose reply port
 * died.
 */
import type { Kernel } from '../../kernel.js';
import { EndpointState, type Endpoint } from '../../objects/endpoint.js';
import { Reply } from '../../objects/reply.js';
import { ThreadState, type SendState, type Thread } from '../../objects/tcb.js';
import { KernelError } from '../../../contract/index.js';
import { copyIn, destroyRights } from './kernel-messages.js';
import type { KernelMessage, MachState } from './mach-state.js';

/** The send-once right an RPC's reply comes back on: the caller's Reply object, issued anew for this call. */
export function makeReplyPort(caller: Thread, canGrant: boolean): { reply: Reply; epoch: number } {
    const reply = caller.replyObject ?? (caller.replyObject = new Reply(caller));
    return { reply, epoch: reply.issue(false, canGrant) };
}

/** The caller of an RPC receives on its reply port until the send-once right is used (or dies with its server). */
export function awaitReply(k: Kernel, caller: Thread, reply: Reply): void {
    caller.state = ThreadState.BlockedOnReply;
    caller.blockedOn = reply;
    k.unschedule(caller);
}

/** Copies a message in and queues it at the port (which has room); an RPC's caller then waits for its reply. */
export function enqueueMessage(k: Kernel, mach: MachState, sender: Thread, port: Endpoint, send: SendState): void {
    if (send.isCall) {
        const { reply, epoch } = makeReplyPort(sender, send.canGrant);
        mach.queue(port).push(copyIn(k, sender, port, send, reply, epoch));
        awaitReply(k, sender, reply);
        return;
    }
    mach.queue(port).push(copyIn(k, sender, port, send, undefined, 0));
    k.complete(sender, KernelError.NoError, 'mach_msg');
}

/** The oldest message at the port whose RPC caller (if any) still waits; stale ones are discarded, with their rights. */
export function takeMessage(mach: MachState, port: Endpoint): KernelMessage | undefined {
    const queue = mach.queues.get(port);
    if (queue === undefined) return undefined;
    let message: KernelMessage | undefined;
    while ((message = queue.shift()) !== undefined) {
        if (message.reply === undefined || message.reply.isLiveFor(message.replyEpoch)) return message;
        destroyRights(message);
    }
    return undefined;
}

/**
 * Lets senders blocked on a full queue in while there is room, in the port's queue order; a one-way sender
 * goes on, an RPC's caller now waits for its reply. Stops at a fault message (the shared kernel's, which a
 * receive delivers from the thread queue itself).
 */
export function admitWaitingSenders(k: Kernel, mach: MachState, port: Endpoint): void {
    while (port.state === EndpointState.Sending && !mach.isFull(port)) {
        const sender = port.queue[0];
        const send = sender.send;
        if (send === undefined || send.fault !== undefined) return;
        port.dequeue();
        sender.send = undefined;
        sender.blockedOn = undefined;
        enqueueMessage(k, mach, sender, port, send);
        if (!send.isCall) k.makeRunnable(sender);
    }
}
