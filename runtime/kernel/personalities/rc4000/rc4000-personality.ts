/**
 * The RC 4000 Nucleus personality (docs/ABI.md, "The RC 4000 Nucleus personality"): the neutral system
 * calls decoded and checked as for every personality (neutral-calls.ts), then carried out with the nucleus's message
 * primitives — Call as send message then wait answer, Send as send message, Recv as wait message, Reply as
 * send answer, ReplyRecv as send answer then wait message. Endpoints play the receiving processes (each
 * has its message queue), notifications stay the shared kernel's (RC 4000 has none; docs/ABI.md says how
 * they map), and what is not IPC (Yield, console output, invocations of kernel objects, faults) is the
 * shared kernel's too.
 */
import { KernelError } from '../../../contract/index.js';
import type { ReplyCapability } from '../../capability.js';
import { signalNotification } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import type { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import type { SendState, Thread } from '../../objects/tcb.js';
import type { KernelPersonality, NotableEvents, PersonalityFigures } from '../../personality.js';
import { answerThrough, decodeNeutralCall, type MessageModel } from '../neutral-calls.js';
import { sendAnswer, sendMessage, waitMessage } from './messages.js';
import { stillWanted } from './buffer-pool.js';
import { DEFAULT_MESSAGE_BUFFERS, Rc4000State, SenderWaits } from './rc4000-state.js';

export class Rc4000Personality implements KernelPersonality, MessageModel {
    readonly name = 'rc4000';
    readonly usesFastpath = false;
    readonly state: Rc4000State;
    // Signal, Wait and Poll stay the shared kernel's (no `notifications`): RC 4000 has no notifications.
    readonly operations = { send: 'send message', receive: 'wait message', reply: 'send answer', signal: 'Signal', wait: 'Wait' };

    /** `messageBuffers`: the size of the pool (a positive whole number; the default unless given). */
    constructor(messageBuffers = DEFAULT_MESSAGE_BUFFERS) {
        this.state = new Rc4000State(Math.max(1, Math.floor(messageBuffers)));
    }

    handleSyscall(k: Kernel, thread: Thread): void {
        decodeNeutralCall(k, thread, this);
    }

    signalInterrupt(k: Kernel, notification: Notification, badge: number, line: number): void {
        signalNotification(k, notification, badge, `irq:${line}`);
    }

    figures(): PersonalityFigures {
        const { messages, bytesCopied, peakBuffers, poolSize } = this.state;
        return { messages, bytesCopied, pulses: 0, priorityChanges: 0, messageBuffers: { peak: peakBuffers, pool: poolSize } };
    }

    /** The pool's high-water mark (an exhausted pool, once counted, belongs here too: docs/ARCHITECTURE.md, "Notable events"). */
    notableEvents(): readonly NotableEvents[] {
        const { peakBuffers, poolSize } = this.state;
        return peakBuffers === 0 ? [] : [{ kind: 'message-buffers', count: peakBuffers, what: `of ${poolSize} message buffers in use at peak` }];
    }

    queuedCallAt(caller: Thread): Endpoint | undefined {
        for (const buffer of this.state.inUse) {
            if (buffer.sender === caller && buffer.waits !== SenderWaits.Nothing && stillWanted(buffer) && this.state.queues.get(buffer.endpoint)?.includes(buffer)) return buffer.endpoint;
        }
        return undefined;
    }

    /** send message, then wait answer. */
    call(k: Kernel, thread: Thread, endpoint: Endpoint, send: SendState): void {
        sendMessage(k, this.state, thread, endpoint, send);
    }

    /** send answer to the message held, then wait message: two monitor calls in RC 4000, one system call here. */
    replyReceive(k: Kernel, thread: Thread, endpoint: Endpoint): void {
        sendAnswer(k, this.state, thread);
        waitMessage(k, this.state, thread, endpoint, true);
    }

    /** send message without waiting for an answer (NBSend alike: a buffered send never blocks for a receiver). */
    send(k: Kernel, thread: Thread, endpoint: Endpoint, send: SendState): void {
        sendMessage(k, this.state, thread, endpoint, send);
    }

    /** wait message on an endpoint. */
    receive(k: Kernel, thread: Thread, endpoint: Endpoint, blocking: boolean): void {
        waitMessage(k, this.state, thread, endpoint, blocking);
    }

    /** send answer alone. Answering with nothing held does nothing (as the neutral ABI says of Reply). */
    reply(k: Kernel, thread: Thread): void {
        sendAnswer(k, this.state, thread);
        k.complete(thread, KernelError.NoError, 'send answer');
    }

    /** send answer through a reply capability the server saved (CNodeSaveCaller); to a caller gone, nothing. */
    replySaved(k: Kernel, thread: Thread, saved: ReplyCapability): void {
        if (saved.object.isLiveFor(saved.epoch)) answerThrough(thread, saved, () => sendAnswer(k, this.state, thread));
        k.complete(thread, KernelError.NoError, 'send answer');
    }
}
