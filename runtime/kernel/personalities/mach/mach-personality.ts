/**
 * The Mach personality (docs/ABI.md, "The Mach personality"): the neutral system calls decoded and checked
 * as the shared kernel checks them, then carried out as mach_msg — Call as an RPC (send to the port, receive
 * on a reply port made for the call), Send as a one-way send queued at the port, Recv as a receive on the
 * port set of the port and the thread's bound notification, Reply as a send on the send-once right the
 * server received, ReplyRecv as both, Signal as a notification message, Wait and Poll as receiving it. An
 * endpoint plays a port (a capability with the write right is a send right, with the read right the
 * receive right); a notification plays a notification port. What is not IPC (Yield, console output,
 * invocations of kernel objects, faults) is the shared kernel's.
 */
import { REG_CPTR, REG_INFO, REG_SYSCALL, Right, Syscall, KernelError } from '../../../contract/index.js';
import { CapType, removeCapability, type ReplyCapability, type Slot } from '../../capability.js';
import { CycleCost } from '../../cycle-costs.js';
import { invokeObject } from '../../invocations.js';
import { validateOutgoing } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import type { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import type { Thread } from '../../objects/tcb.js';
import type { KernelPersonality, NotableEvents, PersonalityFigures } from '../../personality.js';
import { handleSyscall, lookupCap } from '../../syscalls.js';
import { answer, receiveMessage, replyMessage, sendMessage } from './mach-msg.js';
import { MachState } from './mach-state.js';
import { receiveNotification, sendNotification } from './notifications.js';

export class MachPersonality implements KernelPersonality {
    readonly name = 'mach';
    readonly usesFastpath = false;
    readonly state = new MachState();

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

    /** An RPC on a send right, or an invocation of a kernel object. */
    private call(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap);
        if (cap.type !== CapType.Endpoint && cap.type !== CapType.Notification) return invokeObject(k, thread, cap);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability);
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error);
        sendMessage(k, this.state, thread, cap.object, { badge: cap.badge, isCall: true, canGrant: (cap.rights & Right.Grant) !== 0 }, true);
    }

    /** mach_msg with MACH_SEND_MSG | MACH_RCV_MSG: the reply on the send-once right held (if any), then a receive. */
    private replyReceive(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability);
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error);
        // With no right held (after a one-way message, or a deferred call) the dispatch loop only receives.
        replyMessage(k, this.state, thread);
        receiveMessage(k, this.state, thread, cap.object, true);
    }

    /** A one-way send on a send right, a notification message, or a reply on a saved send-once right. */
    private send(k: Kernel, thread: Thread, blocking: boolean): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap);
        if (cap.type === CapType.Notification) return this.signal(k, thread);
        if (cap.type === CapType.Reply) return this.replySaved(k, thread, cap);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability);
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error);
        sendMessage(k, this.state, thread, cap.object, { badge: cap.badge, isCall: false, canGrant: (cap.rights & Right.Grant) !== 0 }, blocking);
    }

    /** A receive on the receive right (with the bound notification: on the port set); on a notification, Wait. */
    private receive(k: Kernel, thread: Thread, blocking: boolean): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap);
        if (cap.type === CapType.Notification) return this.wait(k, thread, blocking);
        if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability);
        receiveMessage(k, this.state, thread, cap.object, blocking);
    }

    /** A send on the send-once right held: InvalidCapability (MACH_SEND_INVALID_DEST) when it is spent or dead. */
    private reply(k: Kernel, thread: Thread): void {
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error);
        if (!replyMessage(k, this.state, thread)) return fail(k, thread, KernelError.InvalidCapability);
        k.complete(thread, KernelError.NoError, 'mach_msg');
    }

    /** A send on a send-once right the server saved (CNodeSaveCaller): spent either way, refused when its caller is gone. */
    private replySaved(k: Kernel, thread: Thread, cap: ReplyCapability): void {
        const error = validateOutgoing(thread, thread.regs[REG_INFO]);
        if (error !== KernelError.NoError) return fail(k, thread, error);
        removeCapability(thread.cspace.slotAt(thread.regs[REG_CPTR] >>> 0) as Slot, () => {});
        if (!cap.object.isLiveFor(cap.epoch)) return fail(k, thread, KernelError.InvalidCapability);
        answer(k, this.state, thread, cap.object);
        k.complete(thread, KernelError.NoError, 'mach_msg');
    }

    private signal(k: Kernel, thread: Thread): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap);
        if (cap.type !== CapType.Notification || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability);
        sendNotification(k, this.state, cap.object, cap.badge, thread.name);
        k.complete(thread, KernelError.NoError, 'mach_msg');
    }

    private wait(k: Kernel, thread: Thread, blocking: boolean): void {
        const cap = lookupCap(thread, thread.regs[REG_CPTR]);
        if (typeof cap === 'number') return fail(k, thread, cap);
        if (cap.type !== CapType.Notification || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability);
        receiveNotification(k, thread, cap.object, blocking);
    }
}

function fail(k: Kernel, thread: Thread, error: KernelError): void {
    k.charge(CycleCost.trivialSyscall);
    k.complete(thread, error, 'mach_msg');
}
