/**
 * The QNX Neutrino personality (docs/ABI.md, "The QNX Neutrino personality"): the neutral system calls
 * decoded and checked as for every personality (neutral-calls.ts), then carried out as QNX's kernel calls — Call as
 * MsgSend, Recv as MsgReceive, Reply as MsgReply, ReplyRecv as MsgReply then MsgReceive, Send as a
 * one-way MsgSend, Signal as MsgSendPulse, Wait and Poll as receiving a pulse. Endpoints play channels
 * (a capability to one is a connection), notifications play the channels pulses arrive on. What is not
 * IPC (Yield, console output, invocations of kernel objects, faults) is the shared kernel's.
 */
import { KernelError } from '../../../contract/index.js';
import type { ReplyCapability } from '../../capability.js';
import type { Kernel } from '../../kernel.js';
import type { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import type { SendState, Thread } from '../../objects/tcb.js';
import type { KernelPersonality, NotableEvents, PersonalityFigures } from '../../personality.js';
import { answerThrough, decodeNeutralCall, type MessageModel } from '../neutral-calls.js';
import { msgReceive, msgReply, msgSend } from './message-passing.js';
import { receivePulse, sendPulse } from './pulses.js';
import { QnxState } from './qnx-state.js';

export class QnxPersonality implements KernelPersonality, MessageModel {
    readonly name = 'qnx';
    readonly usesFastpath = false;
    readonly state = new QnxState();
    readonly operations = { send: 'MsgSend', receive: 'MsgReceive', reply: 'MsgReply', signal: 'MsgSendPulse', wait: 'MsgReceivePulse' };
    readonly notifications = {
        /** MsgSendPulse: the capability's badge as the pulse's value, at the sender's priority. */
        signal: (k: Kernel, thread: Thread, notification: Notification, badge: number): void => {
            const status = sendPulse(k, this.state, notification, { value: badge, priority: thread.priority }, thread.name);
            k.complete(thread, status, 'MsgSendPulse');
        },
        wait: (k: Kernel, thread: Thread, notification: Notification, blocking: boolean): void => receivePulse(k, this.state, thread, notification, blocking)
    };

    handleSyscall(k: Kernel, thread: Thread): void {
        decodeNeutralCall(k, thread, this);
    }

    signalInterrupt(k: Kernel, notification: Notification, badge: number, line: number): void {
        // A driver's interrupt event carries its own priority (SIGEV_PULSE_INIT); ukc's drivers give none: theirs.
        const priority = notification.boundThread?.priority ?? notification.waiters[0]?.priority ?? 0;
        sendPulse(k, this.state, notification, { value: badge, priority }, `irq:${line}`);
    }

    figures(): PersonalityFigures {
        const { messages, bytesCopied, pulsesSent, priorityChanges } = this.state;
        return { messages, bytesCopied, pulses: pulsesSent, priorityChanges };
    }

    notableEvents(): readonly NotableEvents[] {
        const { priorityChanges, pulsesSent } = this.state;
        return [
            { kind: 'priority-change', count: priorityChanges, what: priorityChanges === 1 ? 'priority change (priority inheritance)' : 'priority changes (priority inheritance)' },
            { kind: 'pulse', count: pulsesSent, what: pulsesSent === 1 ? 'pulse (queued one by one, not merged)' : 'pulses (queued one by one, not merged)' }
        ].filter(events => events.count > 0);
    }

    /** MsgSend on a connection. */
    call(k: Kernel, thread: Thread, channel: Endpoint, send: SendState): void {
        msgSend(k, this.state, thread, channel, send, true);
    }

    /** MsgReply to the message held, then MsgReceive: two kernel calls in QNX, one system call here. */
    replyReceive(k: Kernel, thread: Thread, channel: Endpoint): void {
        msgReply(k, this.state, thread);
        msgReceive(k, this.state, thread, channel, true);
    }

    /** A one-way MsgSend on a connection. */
    send(k: Kernel, thread: Thread, channel: Endpoint, send: SendState, blocking: boolean): void {
        msgSend(k, this.state, thread, channel, send, blocking);
    }

    /** MsgReceive on a channel. */
    receive(k: Kernel, thread: Thread, channel: Endpoint, blocking: boolean): void {
        msgReceive(k, this.state, thread, channel, blocking);
    }

    /** MsgReply alone. Replying with nothing to answer does nothing (as the neutral ABI says of Reply). */
    reply(k: Kernel, thread: Thread): void {
        msgReply(k, this.state, thread);
        k.complete(thread, KernelError.NoError, 'MsgReply');
    }

    /** MsgReply through a reply capability the server saved (CNodeSaveCaller); to a caller gone, nothing. */
    replySaved(k: Kernel, thread: Thread, saved: ReplyCapability): void {
        if (saved.object.isLiveFor(saved.epoch)) answerThrough(thread, saved, () => msgReply(k, this.state, thread));
        k.complete(thread, KernelError.NoError, 'MsgReply');
    }
}
