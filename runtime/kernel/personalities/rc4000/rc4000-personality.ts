/**
 * The RC 4000 Nucleus personality (docs/ABI.md, "The RC 4000 Nucleus personality"): the neutral system
 * calls decoded and checked as the shared kernel checks them, then carried out with the nucleus's message
 * primitives — Call as send message then wait answer, Send as send message, Recv as wait message, Reply as
 * send answer, ReplyRecv as send answer then wait message. Endpoints play the receiving processes (each
 * has its message queue), notifications stay the shared kernel's (RC 4000 has none; docs/ABI.md says how
 * they map), and what is not IPC (Yield, console output, invocations of kernel objects, faults) is the
 * shared kernel's too.
 */
import { DEFAULT_MESSAGE_BUFFERS, REG_CPTR, REG_INFO, REG_SYSCALL, Right, Syscall, KernelError } from '../../../contract/index.js';
import { CapType, removeCapability, type ReplyCapability, type Slot } from '../../capability.js';
import { CycleCost } from '../../cycle-costs.js';
import { invokeObject } from '../../invocations.js';
import { signalNotification, validateOutgoing } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import type { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import type { Thread } from '../../objects/tcb.js';
import type { KernelPersonality, NotableEvents, PersonalityFigures } from '../../personality.js';
import { handleSyscall, lookupCap } from '../../syscalls.js';
import { sendAnswer, sendMessage, waitMessage } from './messages.js';
import { stillWanted } from './buffer-pool.js';
import { BUFFER_CLAIM, Rc4000State, SenderWaits } from './rc4000-state.js';

export class Rc4000Personality implements KernelPersonality {
    readonly name = 'rc4000';
    readonly usesFastpath = false;
    readonly state: Rc4000State;

    /** `messageBuffers`: the size of the pool (a positive whole number; the default unless given). */
    constructor(messageBuffers = DEFAULT_MESSAGE_BUFFERS) {
        this.state = new Rc4000State(Math.max(1, Math.floor(messageBuffers)));
    }

    handleSyscall(k: Kernel, thread: Thread): void {
        switch (thread.regs[REG_SYSCALL]) {
            case Syscall.Call: return this.call(k, thread);
            case Syscall.ReplyRecv: return this.answerThenWait(k, thread);
            case Syscall.Send:
            case Syscall.NBSend: return this.send(k, thread);
            case Syscall.Recv: return this.receive(k, thread, true);
            case Syscall.NBRecv: return this.receive(k, thread, false);
            case Syscall.Reply: return this.answer(k, thread);
            // Signal, Wait, Poll, Yield, console output and unknown numbers: the shared kernel's.
            default: return handleSyscall(k, thread);
        }
    }

    signalInterrupt(k: Kernel, notification: Notification, badge: number, line: number): void {
        signalNotification(k, notification, badge, `irq:${line}`);
    }

    figures(): PersonalityFigures {
        const { messages, bytesCopied, peakBuffers, poolSize } = this.state;
        return { messages, bytesCopied, pulses: 0, priorityChanges: 0, messageBuffers: { peak: peakBuffers, pool: poolSize } };
    }

    /** The pool's high-water mark, and the sends refused for want of a buffer, by cause (docs/ARCHITECTURE.md, "Notable events"). */
    notableEvents(): readonly NotableEvents[] {
        const { peakBuffers, poolSize, refusedPoolEmpty, refusedClaim } = this.state;
        return [
            { kind: 'message-buffers', count: peakBuffers, what: `of ${poolSize} message buffers in use at peak` },
            { kind: 'pool-exhausted', count: refusedPoolEmpty, what: refusedPoolEmpty === 1 ? 'send refused (every message buffer in use)' : 'sends refused (every message buffer in use)' },
            {
                kind: 'buffer-claim', count: refusedClaim,
                what: refusedClaim === 1 ? `send refused (its sender held its claim of ${BUFFER_CLAIM} buffers)` : `sends refused (their senders held their claim of ${BUFFER_CLAIM} buffers)`
            }
        ].filter(event => event.count > 0);
    }

    queuedCallAt(caller: Thread): Endpoint | undefined {
        for (const buffer of this.state.inUse) {
            if (buffer.sender === caller && buffer.waits !== SenderWaits.Nothing && stillWanted(buffer) && this.state.queues.get(buffer.endpoint)?.includes(buffer)) return buffer.endpoint;
        }
        return undefined;
    }

    /** send message and wait answer on an endpoint, or an invocation of a kernel object. */
    private call(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'send message');
        if (cap.type !== CapType.Endpoint && cap.type !== CapType.Notification) return invokeObject(k, thread, cap);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, 'send message');
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'send message');
        sendMessage(k, this.state, thread, cap.object, { badge: cap.badge, isCall: true, canGrant: (cap.rights & Right.Grant) !== 0 });
    }

    /** send answer to the message held, then wait message: two monitor calls in RC 4000, one system call here. */
    private answerThenWait(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'wait message');
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, 'wait message');
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'send answer');
        sendAnswer(k, this.state, thread);
        waitMessage(k, this.state, thread, cap.object, true);
    }

    /**
     * send message without waiting for an answer on an endpoint (NBSend alike: a buffered send never
     * blocks for a receiver), a signal on a notification, or send answer through a saved reply.
     */
    private send(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'send message');
        if (cap.type === CapType.Notification) return handleSyscall(k, thread);
        if (cap.type === CapType.Reply) return this.answerSaved(k, thread, cap);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, 'send message');
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'send message');
        sendMessage(k, this.state, thread, cap.object, { badge: cap.badge, isCall: false, canGrant: (cap.rights & Right.Grant) !== 0 });
    }

    /** wait message on an endpoint; on a notification, the shared kernel's Wait or Poll. */
    private receive(k: Kernel, thread: Thread, blocking: boolean): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'wait message');
        if (cap.type === CapType.Notification) return handleSyscall(k, thread);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, 'wait message');
        waitMessage(k, this.state, thread, cap.object, blocking);
    }

    /** send answer alone. Answering with nothing held does nothing (as the neutral ABI says of Reply). */
    private answer(k: Kernel, thread: Thread): void {
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'send answer');
        sendAnswer(k, this.state, thread);
        k.complete(thread, KernelError.NoError, 'send answer');
    }

    /** send answer through a reply capability the server saved (CNodeSaveCaller), which is spent either way. */
    private answerSaved(k: Kernel, thread: Thread, cap: ReplyCapability): void {
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'send answer');
        removeCapability(thread.cspace.slotAt(thread.regs[REG_CPTR] >>> 0) as Slot, () => {});
        if (cap.object.isLiveFor(cap.epoch)) {
            // send answer answers the message its server holds; hand it this one for the length of the answer.
            const held = thread.reply;
            const epoch = thread.replyEpoch;
            thread.reply = cap.object;
            thread.replyEpoch = cap.epoch;
            sendAnswer(k, this.state, thread);
            thread.reply = held;
            thread.replyEpoch = epoch;
        }
        k.complete(thread, KernelError.NoError, 'send answer');
    }
}

function fail(k: Kernel, thread: Thread, error: KernelError, primitive: string): void {
    k.charge(CycleCost.trivialSyscall);
    k.complete(thread, error, primitive);
}
