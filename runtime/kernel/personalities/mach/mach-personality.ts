/**
 * The Mach personality (docs/ABI.md, "The Mach personality"): the neutral system calls decoded and checked
 * as for every personality (neutral-calls.ts), then carried out as mach_msg — Call as an RPC (send to the port, receive
 * on a reply port made for the call), Send as a one-way send queued at the port, Recv as a receive on the
 * port set of the port and the thread's bound notification, Reply as a send on the send-once right the
 * server received, ReplyRecv as both, Signal as a notification message, Wait and Poll as receiving it. An
 * endpoint plays a port (a capability with the write right is a send right, with the read right the
 * receive right); a notification plays a notification port. What is not IPC (Yield, console output,
 * invocations of kernel objects, faults) is the shared kernel's.
 */
import { KernelError } from '../../../contract/index.js';
import type { ReplyCapability } from '../../capability.js';
import type { Kernel } from '../../kernel.js';
import type { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import type { SendState, Thread } from '../../objects/tcb.js';
import type { KernelPersonality, NotableEvents, PersonalityFigures } from '../../personality.js';
import { decodeNeutralCall, refuse, type MessageModel } from '../neutral-calls.js';
import { answer, receiveMessage, replyMessage, sendMessage } from './mach-msg.js';
import { MachState } from './mach-state.js';
import { receiveNotification, sendNotification } from './notifications.js';

export class MachPersonality implements KernelPersonality, MessageModel {
    readonly name = 'mach';
    readonly usesFastpath = false;
    readonly state = new MachState();
    /** Every operation is a mach_msg (its options say which halves it does). */
    readonly operations = { send: 'mach_msg', receive: 'mach_msg', reply: 'mach_msg', signal: 'mach_msg', wait: 'mach_msg' };
    readonly notifications = {
        /** A notification message (header only) to the notification port, its badge as the bits. */
        signal: (k: Kernel, thread: Thread, notification: Notification, badge: number): void => {
            sendNotification(k, this.state, notification, badge, thread.name);
            k.complete(thread, KernelError.NoError, 'mach_msg');
        },
        wait: (k: Kernel, thread: Thread, notification: Notification, blocking: boolean): void => receiveNotification(k, thread, notification, blocking)
    };

    handleSyscall(k: Kernel, thread: Thread): void {
        decodeNeutralCall(k, thread, this);
    }

    signalInterrupt(k: Kernel, notification: Notification, badge: number, line: number): void {
        sendNotification(k, this.state, notification, badge, `irq:${line}`);
    }

    figures(): PersonalityFigures {
        const { messages, bytesCopied, notifications } = this.state;
        // Mach moves no priorities; its notifications are its own small messages (the figure QNX fills with pulses).
        return { messages, bytesCopied, pulses: notifications, priorityChanges: 0 };
    }

    /** Sends that met a full port queue, and pages sent copy-on-write (docs/ARCHITECTURE.md, "Notable events"). */
    notableEvents(): readonly NotableEvents[] {
        const { queueFullSends, outOfLinePages } = this.state;
        return [
            { kind: 'queue-full', count: queueFullSends, what: queueFullSends === 1 ? 'send found its port queue full (waited, or refused without blocking)' : 'sends found their port queue full (waited, or refused without blocking)' },
            { kind: 'out-of-line', count: outOfLinePages, what: outOfLinePages === 1 ? 'page sent out of line (copy-on-write)' : 'pages sent out of line (copy-on-write)' }
        ].filter(events => events.count > 0);
    }

    queuedCallAt(caller: Thread): Endpoint | undefined {
        const reply = caller.replyObject;
        if (reply === undefined) return undefined;
        for (const [port, queue] of this.state.queues) {
            if (queue.some(message => message.reply === reply && reply.isLiveFor(message.replyEpoch))) return port;
        }
        return undefined;
    }

    /** An RPC on a send right. */
    call(k: Kernel, thread: Thread, port: Endpoint, send: SendState): void {
        sendMessage(k, this.state, thread, port, send, true);
    }

    /** mach_msg with MACH_SEND_MSG | MACH_RCV_MSG: the reply on the send-once right held (if any), then a receive. */
    replyReceive(k: Kernel, thread: Thread, port: Endpoint): void {
        // With no right held (after a one-way message, or a deferred call) the dispatch loop only receives.
        replyMessage(k, this.state, thread);
        receiveMessage(k, this.state, thread, port, true);
    }

    /** A one-way send on a send right. */
    send(k: Kernel, thread: Thread, port: Endpoint, send: SendState, blocking: boolean): void {
        sendMessage(k, this.state, thread, port, send, blocking);
    }

    /** A receive on the receive right (with the bound notification: on the port set). */
    receive(k: Kernel, thread: Thread, port: Endpoint, blocking: boolean): void {
        receiveMessage(k, this.state, thread, port, blocking);
    }

    /** A send on the send-once right held: InvalidCapability (MACH_SEND_INVALID_DEST) when it is spent or dead. */
    reply(k: Kernel, thread: Thread): void {
        if (!replyMessage(k, this.state, thread)) return refuse(k, thread, KernelError.InvalidCapability, 'mach_msg');
        k.complete(thread, KernelError.NoError, 'mach_msg');
    }

    /** A send on a send-once right the server saved (CNodeSaveCaller): refused when its caller is gone. */
    replySaved(k: Kernel, thread: Thread, saved: ReplyCapability): void {
        if (!saved.object.isLiveFor(saved.epoch)) return refuse(k, thread, KernelError.InvalidCapability, 'mach_msg');
        answer(k, this.state, thread, saved.object);
        k.complete(thread, KernelError.NoError, 'mach_msg');
    }
}
