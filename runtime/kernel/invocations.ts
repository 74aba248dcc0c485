/**
 * Invocations of kernel objects: a Call on a TCB, CNode, frame or IRQ-handler capability, with the
 * operation in the label and the arguments in MR0..MR3 (seL4's decode*Invocation functions). The kernel
 * answers at once: a6 and the reply label hold the error code (0 on success) and MR0.. the results.
 * Every argument is checked before anything changes.
 */
import {
    ALL_RIGHTS, IPC_BUFFER_ALIGN, Invocation, MapPermission, REG_INFO, REG_MR0, REG_SP, Right, ThreadStateCode, infoLabel,
    messageInfo, KernelError
} from '../contract/index.js';
import {
    CapType, deriveCapability, insertCapability, moveCapability, removeCapability, revokeCapability,
    type Capability, type FrameCapability, type Slot
} from './capability.js';
import { CycleCost } from './cycle-costs.js';
import { abandonReply, cancelIpc, dropSavedReply, rewindToRestart } from './ipc.js';
import { liveReply } from './objects/reply.js';
import type { Kernel } from './kernel.js';
import type { CNode } from './objects/cnode.js';
import { Endpoint, EndpointState } from './objects/endpoint.js';
import { Notification } from './objects/notification.js';
import type { IrqHandler } from './objects/irq.js';
import { ThreadState, type Thread } from './objects/tcb.js';
import { mapFrame, unmapFrame, type VSpace } from './objects/vspace.js';
import { PRIORITY_LEVELS } from './scheduler.js';

/** The largest badge a capability can carry (seL4's 28 bits on 32-bit machines). */
export const MAX_BADGE = 0x0fff_ffff;

type Outcome = KernelError | readonly number[];

export function invokeObject(k: Kernel, invoker: Thread, cap: Capability): void {
    const label = infoLabel(invoker.regs[REG_INFO]);
    const args = [0, 1, 2, 3].map(i => invoker.regs[REG_MR0 + i] >>> 0);
    k.charge(CycleCost.invocation);
    let outcome: Outcome;
    switch (cap.type) {
        case CapType.Tcb: outcome = invokeTcb(k, invoker, cap.object, label, args); break;
        case CapType.CNode: outcome = invokeCNode(k, invoker, cap.object, label, args); break;
        case CapType.Frame: outcome = invokeFrame(invoker, cap, label, args); break;
        case CapType.IrqHandler: outcome = invokeIrq(k, invoker, cap.object, label, args); break;
        default: outcome = KernelError.InvalidCapability;
    }
    const error = typeof outcome === 'number' ? outcome : KernelError.NoError;
    const results = typeof outcome === 'number' ? [] : outcome;
    results.forEach((value, i) => { invoker.regs[REG_MR0 + i] = value; });
    invoker.regs[REG_INFO] = messageInfo(error, results.length);
    k.complete(invoker, error, `invoke ${label}`);
}

/** A capability in the invoker's space of the wanted type, or the error. */
function argumentCap<T extends CapType>(invoker: Thread, cptr: number, type: T): Extract<Capability, { type: T }> | KernelError {
    const cap = invoker.cspace.slotAt(cptr)?.cap;
    if (!cap) return KernelError.FailedLookup;
    if (cap.type !== type) return KernelError.InvalidCapability;
    return cap as Extract<Capability, { type: T }>;
}

// ------------------------------------------------------------ TCB

function invokeTcb(k: Kernel, invoker: Thread, target: Thread, label: number, args: number[]): Outcome {
    switch (label) {
        case Invocation.TcbConfigure: return configure(invoker, target, args[0], args[1]);
        case Invocation.TcbSetPriority: {
            const refusal = priorityRefusal(invoker, args[0]);
            if (refusal !== KernelError.NoError) return refusal;
            setPriority(k, target, args[0]);
            return [];
        }
        case Invocation.TcbSetMCPriority: {
            const refusal = priorityRefusal(invoker, args[0]);
            if (refusal !== KernelError.NoError) return refusal;
            target.maxControlledPriority = args[0];
            return [];
        }
        case Invocation.TcbResume:
            if (target.state === ThreadState.Inactive) k.makeRunnable(target);
            return [];
        case Invocation.TcbSuspend:
            suspend(k, target);
            return [];
        case Invocation.TcbWriteRegisters: {
            if (args[2] > 1) return KernelError.InvalidArgument;
            if ((args[0] & 3) !== 0) return KernelError.AlignmentError;
            // Restarting a thread that waits in IPC takes it out of the wait first (seL4 does the same), and a
            // call it was serving is answered with ServerFailed (abandonReply).
            if (target.state !== ThreadState.Runnable && target.state !== ThreadState.Inactive) {
                cancelIpc(target);
                target.state = ThreadState.Inactive;
                k.unschedule(target);
            }
            abandonReply(k, target);
            k.setThreadPc(target, args[0]);
            target.regs[REG_SP] = args[1];
            if (args[2] === 1 && target.state === ThreadState.Inactive) k.makeRunnable(target);
            return [];
        }
        case Invocation.TcbReadRegisters: {
            if (target === k.current) k.syncCurrent();
            return [target.pc >>> 0, target.regs[REG_SP] >>> 0, stateCode(target)];
        }
        case Invocation.TcbBindNotification: {
            const cap = argumentCap(invoker, args[0], CapType.Notification);
            if (typeof cap === 'number') return cap;
            // Binding lets the thread receive the signals: it needs the right to receive them (seL4 checks
            // CanReceive here too), or a signaller could take the word from under the notification's owner.
            if ((cap.rights & Right.Read) === 0) return KernelError.InvalidCapability;
            if (target.boundNotification || cap.object.boundThread) return KernelError.IllegalOperation;
            target.boundNotification = cap.object;
            cap.object.boundThread = target;
            return [];
        }
        case Invocation.TcbUnbindNotification: {
            const bound = target.boundNotification;
            if (!bound) return KernelError.IllegalOperation;
            bound.boundThread = undefined;
            target.boundNotification = undefined;
            return [];
        }
        default: return KernelError.InvalidArgument;
    }
}

function configure(invoker: Thread, target: Thread, faultCptr: number, ipcBuffer: number): Outcome {
    let faultSource: Slot | undefined;
    if (faultCptr !== 0) {
        faultSource = invoker.cspace.slotAt(faultCptr);
        const cap = faultSource?.cap;
        if (!faultSource || !cap) return KernelError.FailedLookup;
        if (cap.type !== CapType.Endpoint) return KernelError.InvalidCapability;
    }
    if (ipcBuffer !== 0) {
        if (ipcBuffer % IPC_BUFFER_ALIGN !== 0) return KernelError.AlignmentError;
        if (target.vspace.wordAddress(ipcBuffer, true) < 0) return KernelError.InvalidArgument;
    }
    removeCapability(target.faultHandler, () => {});
    if (faultSource?.cap) insertCapability(target.faultHandler, deriveCapability(faultSource.cap, faultSource.cap.rights), faultSource);
    target.ipcBuffer = ipcBuffer;
    return [];
}

/**
 * Whether `invoker` may give a thread this priority or MCP: a priority that exists (InvalidArgument
 * otherwise), and no more than its own MCP (seL4's checkPrio: RangeError), so that holding a TCB
 * capability, even one's own, is no licence to outrank everyone.
 */
function priorityRefusal(invoker: Thread, priority: number): KernelError {
    if (priority >= PRIORITY_LEVELS) return KernelError.InvalidArgument;
    return priority > invoker.maxControlledPriority ? KernelError.RangeError : KernelError.NoError;
}

export function setPriority(k: Kernel, target: Thread, priority: number): void {
    const queued = target.queued;
    k.scheduler.remove(target);
    target.priority = priority;
    // Endpoint and notification queues are ordered by priority: requeue the thread at its new place.
    const waitingOn = target.blockedOn;
    if (waitingOn instanceof Endpoint) {
        waitingOn.remove(target);
        waitingOn.enqueue(target, target.state === ThreadState.BlockedOnSend ? EndpointState.Sending : EndpointState.Receiving);
    } else if (waitingOn instanceof Notification) {
        waitingOn.remove(target);
        waitingOn.enqueue(target);
    }
    if (queued) k.scheduler.append(target);
    k.requestReschedule();
}

/**
 * Stops a thread. One blocked in a system call is set to make the call again when resumed (seL4's
 * restart): the call never completed, so returning from it later would hand the thread a stale `a6` and
 * its own registers as a message.
 */
function suspend(k: Kernel, target: Thread): void {
    rewindToRestart(k, target);
    cancelIpc(target);
    target.state = ThreadState.Inactive;
    k.unschedule(target);
    abandonReply(k, target);
}

function stateCode(thread: Thread): ThreadStateCode {
    switch (thread.state) {
        case ThreadState.Inactive: return ThreadStateCode.Inactive;
        case ThreadState.Runnable: return ThreadStateCode.Running;
        case ThreadState.BlockedOnSend: return ThreadStateCode.BlockedOnSend;
        case ThreadState.BlockedOnReceive: return ThreadStateCode.BlockedOnReceive;
        case ThreadState.BlockedOnReply: return ThreadStateCode.BlockedOnReply;
        default: return ThreadStateCode.BlockedOnNotification;
    }
}

// ------------------------------------------------------------ CNode

/**
 * What deleting a capability must undo: a frame capability's mapping; a saved reply capability's caller,
 * still waiting, gets ServerFailed (`by` deleted it).
 */
export function cleanupCapability(k: Kernel, by: Thread): (cap: Capability) => void {
    return cap => {
        if (cap.type === CapType.Frame) unmapFrame(cap);
        else if (cap.type === CapType.Reply) dropSavedReply(k, by, cap);
    };
}

function invokeCNode(k: Kernel, invoker: Thread, cnode: CNode, label: number, args: number[]): Outcome {
    switch (label) {
        case Invocation.CNodeSaveCaller: {
            const destination = cnode.slotAt(args[0]);
            if (!destination) return KernelError.FailedLookup;
            if (!destination.isEmpty) return KernelError.DeleteFirst;
            const reply = liveReply(invoker);
            // No Call to answer: the slot stays empty (as in seL4).
            if (reply) insertCapability(destination, { type: CapType.Reply, object: reply, rights: ALL_RIGHTS, badge: 0, epoch: invoker.replyEpoch }, null);
            invoker.reply = undefined;
            return [];
        }
        case Invocation.CNodeCopy:
        case Invocation.CNodeMint: {
            const destination = cnode.slotAt(args[0]);
            const source = invoker.cspace.slotAt(args[1]);
            if (!destination || !source?.cap) return KernelError.FailedLookup;
            if (!destination.isEmpty) return KernelError.DeleteFirst;
            if (args[2] & ~7) return KernelError.InvalidArgument;
            // A reply capability is one-shot: it has no copies (seL4 derives a null capability from it).
            if (source.cap.type === CapType.Reply) return KernelError.IllegalOperation;
            let badge: number | undefined;
            if (label === Invocation.CNodeMint) {
                const cap = source.cap;
                if (cap.type !== CapType.Endpoint && cap.type !== CapType.Notification) return KernelError.InvalidCapability;
                if (args[3] > MAX_BADGE) return KernelError.InvalidArgument;
                if (cap.badge !== 0 && cap.badge !== args[3]) return KernelError.IllegalOperation;
                badge = args[3];
            }
            insertCapability(destination, deriveCapability(source.cap, args[2], badge), source);
            return [];
        }
        case Invocation.CNodeMove: {
            const destination = cnode.slotAt(args[0]);
            const source = invoker.cspace.slotAt(args[1]);
            if (!destination || !source?.cap) return KernelError.FailedLookup;
            if (destination === source) return [];
            if (!destination.isEmpty) return KernelError.DeleteFirst;
            moveCapability(source, destination);
            return [];
        }
        case Invocation.CNodeDelete: {
            const slot = cnode.slotAt(args[0]);
            if (!slot) return KernelError.FailedLookup;
            removeCapability(slot, cleanupCapability(k, invoker));
            return [];
        }
        case Invocation.CNodeRevoke: {
            const slot = cnode.slotAt(args[0]);
            if (!slot?.cap) return KernelError.FailedLookup;
            return [revokeCapability(slot, cleanupCapability(k, invoker))];
        }
        default: return KernelError.InvalidArgument;
    }
}

// ------------------------------------------------------------ frames

function invokeFrame(invoker: Thread, cap: FrameCapability, label: number, args: number[]): Outcome {
    switch (label) {
        case Invocation.FrameMap: {
            const vspaceCap = argumentCap(invoker, args[0], CapType.VSpace);
            if (typeof vspaceCap === 'number') return vspaceCap;
            const permissions = args[2];
            if (permissions === 0 || permissions > 7) return KernelError.InvalidArgument;
            const read = (permissions & MapPermission.Read) !== 0;
            const write = (permissions & MapPermission.Write) !== 0;
            const execute = (permissions & MapPermission.Execute) !== 0;
            if ((write && (cap.rights & Right.Write) === 0) || ((read || execute) && (cap.rights & Right.Read) === 0)) return KernelError.InvalidCapability;
            return mapRefusal(vspaceCap.object, cap, args[1], read, write, execute);
        }
        case Invocation.FrameUnmap:
            unmapFrame(cap);
            return [];
        case Invocation.FrameGetAddress:
            return [cap.object.device ? 0xffff_ffff : (cap.object.frame * 4096) >>> 0];
        default: return KernelError.InvalidArgument;
    }
}

function mapRefusal(vspace: VSpace, cap: FrameCapability, vaddr: number, read: boolean, write: boolean, execute: boolean): Outcome {
    switch (mapFrame(vspace, cap, vaddr, read, write, execute)) {
        case 'already-mapped': return KernelError.IllegalOperation;
        case 'not-aligned': return KernelError.AlignmentError;
        case 'address-taken': return KernelError.DeleteFirst;
        case 'bad-permissions': return KernelError.InvalidArgument;
        default: return [];
    }
}

// ------------------------------------------------------------ IRQ handlers

function invokeIrq(k: Kernel, invoker: Thread, handler: IrqHandler, label: number, args: number[]): Outcome {
    switch (label) {
        case Invocation.IrqSetNotification: {
            const cap = argumentCap(invoker, args[0], CapType.Notification);
            if (typeof cap === 'number') return cap;
            if ((cap.rights & Right.Write) === 0) return KernelError.InvalidCapability;
            handler.notification = cap.object;
            handler.badge = cap.badge;
            return [];
        }
        case Invocation.IrqAck:
            handler.awaitingAck = false;
            k.interrupts.acknowledge(handler.line);
            return [];
        case Invocation.IrqClear:
            handler.notification = undefined;
            handler.badge = 0;
            return [];
        default: return KernelError.InvalidArgument;
    }
}
