/**
 * The QNX Neutrino personality (docs/ABI.md, "The QNX Neutrino personality"): the neutral system calls
 * decoded and checked as the shared kernel checks them, then carried out as QNX's kernel calls — Call as
 * MsgSend, Recv as MsgReceive, Reply as MsgReply, ReplyRecv as MsgReply then MsgReceive, Send as a
 * one-way MsgSend, Signal as MsgSendPulse, Wait and Poll as receiving a pulse. Endpoints play channels
 * (a capability to one is a connection), notifications play the channels pulses arrive on. What is not
 * IPC (Yield, console output, invocations of kernel objects, faults) is the shared kernel's.
 */
import { REG_CPTR, REG_INFO, REG_SYSCALL, Right, Syscall, KernelError } from '../../../contract/index.js';
import { CapType, removeCapability, type ReplyCapability, type Slot } from '../../capability.js';
import { CycleCost } from '../../cycle-costs.js';
import { invokeObject } from '../../invocations.js';
import { validateOutgoing } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import type { Notification } from '../../objects/notification.js';
import type { Thread } from '../../objects/tcb.js';
import type { KernelPersonality, NotableEvents, PersonalityFigures } from '../../personality.js';
import { handleSyscall, lookupCap } from '../../syscalls.js';
import { msgReceive, msgReply, msgSend } from './message-passing.js';
import { receivePulse, sendPulse } from './pulses.js';
import { QnxState } from './qnx-state.js';

export class QnxPersonality implements KernelPersonality {
    readonly name = 'qnx';
    readonly usesFastpath = false;
    readonly state = new QnxState();

    handleSyscall(k: Kernel, thread: Thread): void {
        const number = thread.regs[REG_SYSCALL];
        switch (number) {
            case Syscall.Call: return this.call(k, thread);
            case Syscall.ReplyRecv: return this.replyReceive(k, thread);
            case Syscall.Send: return this.send(k, thread, true);
            case Syscall.NBSend: return this.send(k, thread, false);
            case Syscall.Recv: return this.receive(k, thread, true);
            case Syscall.NBRecv: return this.receive(k, thread, false);
            case Syscall.Reply: return this.reply(k, thread);
            case Syscall.Signal: return this.signal(k, thread);
            case Syscall.Wait: return this.wait(k, thread, true);
            case Syscall.Poll: return this.wait(k, thread, false);
            // Yield, console output and unknown numbers: the shared kernel's, IPC-free.
            default: return handleSyscall(k, thread);
        }
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

    /** MsgSend on a connection, or an invocation of a kernel object. */
    private call(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'MsgSend');
        if (cap.type !== CapType.Endpoint && cap.type !== CapType.Notification) return invokeObject(k, thread, cap);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, 'MsgSend');
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'MsgSend');
        msgSend(k, this.state, thread, cap.object, { badge: cap.badge, isCall: true, canGrant: (cap.rights & Right.Grant) !== 0 }, true);
    }

    /** MsgReply to the message held, then MsgReceive: two kernel calls in QNX, one system call here. */
    private replyReceive(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'MsgReceive');
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, 'MsgReceive');
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'MsgReply');
        msgReply(k, this.state, thread);
        msgReceive(k, this.state, thread, cap.object, true);
    }

    /** A one-way MsgSend on a connection, MsgSendPulse on a notification, or MsgReply through a saved reply. */
    private send(k: Kernel, thread: Thread, blocking: boolean): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'MsgSend');
        if (cap.type === CapType.Notification) return this.signal(k, thread);
        if (cap.type === CapType.Reply) return this.replySaved(k, thread, cap);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, 'MsgSend');
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'MsgSend');
        msgSend(k, this.state, thread, cap.object, { badge: cap.badge, isCall: false, canGrant: (cap.rights & Right.Grant) !== 0 }, blocking);
    }

    /** MsgReceive on a channel; on a notification, receiving a pulse. */
    private receive(k: Kernel, thread: Thread, blocking: boolean): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'MsgReceive');
        if (cap.type === CapType.Notification) return this.wait(k, thread, blocking);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, 'MsgReceive');
        msgReceive(k, this.state, thread, cap.object, blocking);
    }

    /** MsgReply alone. Replying with nothing to answer does nothing (as the neutral ABI says of Reply). */
    private reply(k: Kernel, thread: Thread): void {
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'MsgReply');
        msgReply(k, this.state, thread);
        k.complete(thread, KernelError.NoError, 'MsgReply');
    }

    /** MsgReply through a reply capability the server saved (CNodeSaveCaller), which is spent either way. */
    private replySaved(k: Kernel, thread: Thread, cap: ReplyCapability): void {
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error, 'MsgReply');
        removeCapability(thread.cspace.slotAt(thread.regs[REG_CPTR] >>> 0) as Slot, () => {});
        if (cap.object.isLiveFor(cap.epoch)) {
            // MsgReply answers the message its server holds; hand it this one for the length of the reply.
            const held = thread.reply;
            const epoch = thread.replyEpoch;
            thread.reply = cap.object;
            thread.replyEpoch = cap.epoch;
            msgReply(k, this.state, thread);
            thread.reply = held;
            thread.replyEpoch = epoch;
        }
        k.complete(thread, KernelError.NoError, 'MsgReply');
    }

    /** MsgSendPulse: the capability's badge as the pulse's value, at the sender's priority. */
    private signal(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'MsgSendPulse');
        if (cap.type !== CapType.Notification || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, 'MsgSendPulse');
        const status = sendPulse(k, this.state, cap.object, { value: cap.badge, priority: thread.priority }, thread.name);
        k.complete(thread, status, 'MsgSendPulse');
    }

    private wait(k: Kernel, thread: Thread, blocking: boolean): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap, 'MsgReceivePulse');
        if (cap.type !== CapType.Notification || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, 'MsgReceivePulse');
        receivePulse(k, this.state, thread, cap.object, blocking);
    }
}

function fail(k: Kernel, thread: Thread, error: KernelError, primitive: string): void {
    k.charge(CycleCost.trivialSyscall);
    k.complete(thread, error, primitive);
}
