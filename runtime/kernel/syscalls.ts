/**
 * System-call decoding, in one place (seL4's api/syscall.c). Every check — the capability exists, has the
 * right type and rights, the message is well formed — happens here before any state changes, so a call
 * either happens completely or returns an error code in a6 and changes nothing. To find what happens on
 * Call: fastpath.ts first (called from the trap entry in kernel.ts), then `call` below and ipc.ts.
 */
import { REG_CPTR, REG_INFO, REG_SYSCALL, Right, SYSCALL_NAMES, Syscall, KernelError } from '../contract/index.js';
import { CapType, lookupCap, type ReplyCapability, type Slot } from './capability.js';
import { CycleCost } from './cycle-costs.js';
import { emitEvent, receiveEvent, waitEvents } from './event-delivery.js';
import { invokeObject } from './invocations.js';
import { doReply, receiveIpc, replyThroughSaved, sendIpc, signalNotification, validateOutgoing, waitNotification } from './ipc.js';
import type { Kernel } from './kernel.js';
import type { Thread } from './objects/tcb.js';

/** The most bytes one DebugWrite may print. */
export const DEBUG_WRITE_LIMIT = 4096;

export { lookupCap } from './capability.js';

export function handleSyscall(k: Kernel, thread: Thread): void {
    const number = thread.regs[REG_SYSCALL];
    switch (number) {
        case Syscall.Call: return call(k, thread);
        case Syscall.ReplyRecv: return replyRecv(k, thread);
        case Syscall.Send: return send(k, thread, true);
        case Syscall.NBSend: return send(k, thread, false);
        case Syscall.Recv: return receive(k, thread, true);
        case Syscall.NBRecv: return receive(k, thread, false);
        case Syscall.Reply: return reply(k, thread);
        case Syscall.Yield:
            k.charge(CycleCost.trivialSyscall);
            k.complete(thread, KernelError.NoError, 'Yield');
            k.yieldCurrent();
            return;
        case Syscall.Signal: return signal(k, thread);
        case Syscall.Wait: return wait(k, thread, true);
        case Syscall.Poll: return wait(k, thread, false);
        case Syscall.DebugPutChar:
            k.charge(CycleCost.trivialSyscall);
            k.writeConsole(thread, new Uint8Array([thread.regs[REG_CPTR] & 0xff]));
            k.complete(thread, KernelError.NoError, 'DebugPutChar');
            return;
        case Syscall.DebugWrite: return debugWrite(k, thread);
        case Syscall.EventEmit: return emitEvent(k, thread);
        case Syscall.EventReceive: return receiveEvent(k, thread);
        case Syscall.EventWait: return waitEvents(k, thread);
        default:
            k.charge(CycleCost.trivialSyscall);
            k.complete(thread, KernelError.IllegalOperation, `syscall ${number}`);
    }
}

function fail(k: Kernel, thread: Thread, error: KernelError, syscall: Syscall): void {
    k.charge(CycleCost.trivialSyscall);
    k.complete(thread, error, SYSCALL_NAMES[syscall]);
}

/** Call: a message to an endpoint that waits for the answer, or an invocation of a kernel object. */
function call(k: Kernel, thread: Thread): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, Syscall.Call);
    if (cap.type === CapType.Notification) return fail(k, thread, KernelError.InvalidCapability, Syscall.Call);
    if (cap.type !== CapType.Endpoint) {
        invokeObject(k, thread, cap);
        return;
    }
    if ((cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, Syscall.Call);
    const error = validateOutgoing(thread, thread.regs[REG_INFO]);
    if (error !== KernelError.NoError) return fail(k, thread, error, Syscall.Call);
    const canGrant = (cap.rights & Right.Grant) !== 0;
    sendIpc(k, thread, cap.object, { badge: cap.badge, isCall: true, canGrant }, true);
}

/** ReplyRecv: answer the last Call and wait for the next message, in one system call. */
function replyRecv(k: Kernel, thread: Thread): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, Syscall.ReplyRecv);
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, Syscall.ReplyRecv);
    const error = validateOutgoing(thread, thread.regs[REG_INFO]);
    if (error !== KernelError.NoError) return fail(k, thread, error, Syscall.ReplyRecv);
    doReply(k, thread);
    receiveIpc(k, thread, cap.object, true);
}

/** Send / NBSend: a message with no answer; on a notification capability, a Signal. */
function send(k: Kernel, thread: Thread, blocking: boolean): void {
    const syscall = blocking ? Syscall.Send : Syscall.NBSend;
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, syscall);
    if (cap.type === CapType.Notification) return signal(k, thread);
    if (cap.type === CapType.Reply) return replySaved(k, thread, cap, syscall);
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, syscall);
    const error = validateOutgoing(thread, thread.regs[REG_INFO]);
    if (error !== KernelError.NoError) return fail(k, thread, error, syscall);
    sendIpc(k, thread, cap.object, { badge: cap.badge, isCall: false, canGrant: (cap.rights & Right.Grant) !== 0 }, blocking);
}

/** Recv / NBRecv: wait for a message; on a notification capability, a Wait / Poll. */
function receive(k: Kernel, thread: Thread, blocking: boolean): void {
    const syscall = blocking ? Syscall.Recv : Syscall.NBRecv;
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, syscall);
    if (cap.type === CapType.Notification) return wait(k, thread, blocking);
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, syscall);
    receiveIpc(k, thread, cap.object, blocking);
}

/** Reply: answer the last Call. Replying with no live reply capability does nothing (as in seL4). */
function reply(k: Kernel, thread: Thread): void {
    const error = validateOutgoing(thread, thread.regs[REG_INFO]);
    if (error !== KernelError.NoError) return fail(k, thread, error, Syscall.Reply);
    doReply(k, thread);
    k.complete(thread, KernelError.NoError, 'Reply');
}

/** Send / NBSend on a saved reply capability: answer the Call it names, and spend it. */
function replySaved(k: Kernel, thread: Thread, cap: ReplyCapability, syscall: Syscall): void {
    const error = validateOutgoing(thread, thread.regs[REG_INFO]);
    if (error !== KernelError.NoError) return fail(k, thread, error, syscall);
    replyThroughSaved(k, thread, thread.cspace.slotAt(thread.regs[REG_CPTR] >>> 0) as Slot, cap);
    k.complete(thread, KernelError.NoError, SYSCALL_NAMES[syscall]);
}

function signal(k: Kernel, thread: Thread): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, Syscall.Signal);
    if (cap.type !== CapType.Notification || (cap.rights & Right.Write) === 0) return fail(k, thread, KernelError.InvalidCapability, Syscall.Signal);
    signalNotification(k, cap.object, cap.badge, thread.name);
    k.complete(thread, KernelError.NoError, 'Signal');
}

function wait(k: Kernel, thread: Thread, blocking: boolean): void {
    const syscall = blocking ? Syscall.Wait : Syscall.Poll;
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, syscall);
    if (cap.type !== CapType.Notification || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, syscall);
    waitNotification(k, thread, cap.object, blocking);
}

/** DebugWrite: a0 = address, a1 = length; the bytes must be readable by the thread. */
function debugWrite(k: Kernel, thread: Thread): void {
    const address = thread.regs[REG_CPTR] >>> 0;
    const length = thread.regs[REG_INFO] >>> 0;
    if (length > DEBUG_WRITE_LIMIT) return fail(k, thread, KernelError.RangeError, Syscall.DebugWrite);
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
        const byte = thread.vspace.readByte((address + i) >>> 0);
        if (byte === undefined) return fail(k, thread, KernelError.InvalidArgument, Syscall.DebugWrite);
        bytes[i] = byte;
    }
    k.charge(CycleCost.trivialSyscall);
    k.writeConsole(thread, bytes);
    k.complete(thread, KernelError.NoError, 'DebugWrite');
}
