/**
 * The neutral system calls decoded and checked once for every personality that is not seL4 (docs/ABI.md,
 * "Kernel personalities"): the capability looked up, its type and rights checked, an outgoing message
 * validated as the shared kernel validates it, a saved reply capability spent — and then handed, checked, to
 * the model's own primitives. A personality says what Call, Send, Recv, Reply and ReplyRecv mean; the checks
 * that come before, and their error codes, are the same under every model. What is not IPC (Yield, console
 * output, invocations of kernel objects, faults) stays the shared kernel's.
 */
import { REG_CPTR, REG_INFO, REG_SYSCALL, Right, Syscall, KernelError } from '../../contract/index.js';
import { CapType, removeCapability, type ReplyCapability, type Slot } from '../capability.js';
import { CycleCost } from '../cycle-costs.js';
import { invokeObject } from '../invocations.js';
import { validateOutgoing } from '../ipc.js';
import type { Kernel } from '../kernel.js';
import type { Endpoint } from '../objects/endpoint.js';
import type { Notification } from '../objects/notification.js';
import type { SendState, Thread } from '../objects/tcb.js';
import { handleSyscall, lookupCap } from '../syscalls.js';

/** A personality's message primitives, called with checked operands. Each completes the thread's call (or blocks it). */
export interface MessageModel {
    /** The model's name for what a failing call was, in the trace: the operation each neutral call starts with. */
    readonly operations: { readonly send: string; readonly receive: string; readonly reply: string; readonly signal: string; readonly wait: string };
    /** A Call on an endpoint the caller may write to; the message is valid. */
    call(k: Kernel, thread: Thread, endpoint: Endpoint, send: SendState): void;
    /** ReplyRecv: the reply is valid and the thread may read from `endpoint`. */
    replyReceive(k: Kernel, thread: Thread, endpoint: Endpoint): void;
    /** A one-way Send (or NBSend) on an endpoint the sender may write to; the message is valid. */
    send(k: Kernel, thread: Thread, endpoint: Endpoint, send: SendState, blocking: boolean): void;
    /** Recv or NBRecv on an endpoint the thread may read from. */
    receive(k: Kernel, thread: Thread, endpoint: Endpoint, blocking: boolean): void;
    /** Reply to the message the thread holds; the reply is valid. */
    reply(k: Kernel, thread: Thread): void;
    /** A Send through a reply capability the server saved: valid, and already spent from its slot. */
    replySaved(k: Kernel, thread: Thread, saved: ReplyCapability): void;
    /** Notifications by the model's own rules; without them, Signal, Wait and Poll are the shared kernel's. */
    readonly notifications?: {
        /** Signal on a notification the thread may write to, with the capability's badge. */
        signal(k: Kernel, thread: Thread, notification: Notification, badge: number): void;
        /** Wait or Poll on a notification the thread may read from. */
        wait(k: Kernel, thread: Thread, notification: Notification, blocking: boolean): void;
    };
}

/** Decodes the system call `thread` made and carries it out under `model`. */
export function decodeNeutralCall(k: Kernel, thread: Thread, model: MessageModel): void {
    switch (thread.regs[REG_SYSCALL]) {
        case Syscall.Call: return call(k, thread, model);
        case Syscall.ReplyRecv: return replyReceive(k, thread, model);
        case Syscall.Send: return send(k, thread, model, true);
        case Syscall.NBSend: return send(k, thread, model, false);
        case Syscall.Recv: return receive(k, thread, model, true);
        case Syscall.NBRecv: return receive(k, thread, model, false);
        case Syscall.Reply: return reply(k, thread, model);
        case Syscall.Signal: return model.notifications ? signal(k, thread, model) : handleSyscall(k, thread);
        case Syscall.Wait: return model.notifications ? wait(k, thread, model, true) : handleSyscall(k, thread);
        case Syscall.Poll: return model.notifications ? wait(k, thread, model, false) : handleSyscall(k, thread);
        // Yield, console output and unknown numbers: the shared kernel's, IPC-free.
        default: return handleSyscall(k, thread);
    }
}

/**
 * Answers through a reply object the server saved, by lending it to the thread for the length of `answer`
 * (a model's reply answers the message its server holds).
 */
export function answerThrough(thread: Thread, saved: ReplyCapability, answer: () => void): void {
    const held = thread.reply;
    const epoch = thread.replyEpoch;
    thread.reply = saved.object;
    thread.replyEpoch = saved.epoch;
    answer();
    thread.reply = held;
    thread.replyEpoch = epoch;
}

/** A call refused before it did anything: the cost of a trivial system call and the error, named as the model names it. */
export function refuse(k: Kernel, thread: Thread, error: KernelError, operation: string): void {
    k.charge(CycleCost.trivialSyscall);
    k.complete(thread, error, operation);
}

/** The send state of a message sent through `cap`. */
function sendState(cap: { readonly rights: number; readonly badge: number }, isCall: boolean): SendState {
    return { badge: cap.badge, isCall, canGrant: (cap.rights & Right.Grant) !== 0 };
}

/** The outgoing message is valid (its length, extra capabilities and IPC buffer), else refused as `operation`. */
function validMessage(k: Kernel, thread: Thread, operation: string): boolean {
    const error = validateOutgoing(thread, thread.regs[REG_INFO]);
    if (error === KernelError.NoError) return true;
    refuse(k, thread, error, operation);
    return false;
}

/** A Call on an endpoint, or an invocation of a kernel object. */
function call(k: Kernel, thread: Thread, model: MessageModel): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return refuse(k, thread, cap, model.operations.send);
    if (cap.type !== CapType.Endpoint && cap.type !== CapType.Notification) return invokeObject(k, thread, cap);
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return refuse(k, thread, KernelError.InvalidCapability, model.operations.send);
    if (validMessage(k, thread, model.operations.send)) model.call(k, thread, cap.object, sendState(cap, true));
}

function replyReceive(k: Kernel, thread: Thread, model: MessageModel): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return refuse(k, thread, cap, model.operations.receive);
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return refuse(k, thread, KernelError.InvalidCapability, model.operations.receive);
    if (validMessage(k, thread, model.operations.reply)) model.replyReceive(k, thread, cap.object);
}

/** A one-way message on an endpoint, a Signal on a notification, or a reply through a saved reply capability. */
function send(k: Kernel, thread: Thread, model: MessageModel, blocking: boolean): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return refuse(k, thread, cap, model.operations.send);
    if (cap.type === CapType.Notification) return model.notifications ? signal(k, thread, model) : handleSyscall(k, thread);
    if (cap.type === CapType.Reply) {
        if (!validMessage(k, thread, model.operations.reply)) return;
        // Spent either way, as a saved reply capability is under seL4.
        removeCapability(thread.cspace.slotAt(thread.regs[REG_CPTR] >>> 0) as Slot, () => {});
        return model.replySaved(k, thread, cap);
    }
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return refuse(k, thread, KernelError.InvalidCapability, model.operations.send);
    if (validMessage(k, thread, model.operations.send)) model.send(k, thread, cap.object, sendState(cap, false), blocking);
}

/** Recv on an endpoint; on a notification, Wait (or Poll). */
function receive(k: Kernel, thread: Thread, model: MessageModel, blocking: boolean): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return refuse(k, thread, cap, model.operations.receive);
    if (cap.type === CapType.Notification) return model.notifications ? wait(k, thread, model, blocking) : handleSyscall(k, thread);
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return refuse(k, thread, KernelError.InvalidCapability, model.operations.receive);
    model.receive(k, thread, cap.object, blocking);
}

function reply(k: Kernel, thread: Thread, model: MessageModel): void {
    if (validMessage(k, thread, model.operations.reply)) model.reply(k, thread);
}

function signal(k: Kernel, thread: Thread, model: MessageModel): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return refuse(k, thread, cap, model.operations.signal);
    if (cap.type !== CapType.Notification || (cap.rights & Right.Write) === 0) return refuse(k, thread, KernelError.InvalidCapability, model.operations.signal);
    model.notifications?.signal(k, thread, cap.object, cap.badge);
}

function wait(k: Kernel, thread: Thread, model: MessageModel, blocking: boolean): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return refuse(k, thread, cap, model.operations.wait);
    if (cap.type !== CapType.Notification || (cap.rights & Right.Read) === 0) return refuse(k, thread, KernelError.InvalidCapability, model.operations.wait);
    model.notifications?.wait(k, thread, cap.object, blocking);
}
