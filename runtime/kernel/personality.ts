/**
 * Kernel personalities: the IPC model a run's kernel follows (docs/ARCHITECTURE.md, "Kernel
 * personalities"). Compiled programs speak one personality-neutral system-call ABI (runtime/contract:
 * Call, ReplyRecv, Send, Recv, Reply, Signal, Wait, ...); a personality decides what those calls mean —
 * which rendezvous, what is copied and what it costs, how priorities move, how notifications travel — and
 * names its own operations in the trace. Kernel objects (threads, endpoints, notifications, reply objects,
 * capabilities, address spaces) are shared; each personality keeps its own state in its own module.
 */
import type { Kernel } from './kernel.js';
import type { Endpoint } from './objects/endpoint.js';
import type { Notification } from './objects/notification.js';
import type { Thread } from './objects/tcb.js';

/** The personalities that exist, the default first. */
export const KERNEL_PERSONALITIES = ['sel4', 'qnx', 'rc4000', 'mach'] as const;
export type KernelPersonalityName = (typeof KERNEL_PERSONALITIES)[number];
export const DEFAULT_PERSONALITY: KernelPersonalityName = 'sel4';

export function isKernelPersonality(name: string): name is KernelPersonalityName {
    return (KERNEL_PERSONALITIES as readonly string[]).includes(name);
}

/** What a personality counted over a run (all zero for seL4, which counts nothing on its fastpath). */
export interface PersonalityFigures {
    /** Messages the kernel delivered (calls, one-way messages and replies). */
    readonly messages: number;
    /** Bytes of message data the kernel copied between address spaces. */
    readonly bytesCopied: number;
    /** Notifications sent as the model's own small messages (QNX pulses, Mach notification messages). */
    readonly pulses: number;
    /** Times a thread's priority changed by the model's own rules (QNX priority inheritance). */
    readonly priorityChanges: number;
    /** For a model with a fixed pool of kernel message buffers (RC 4000): its size, and the most in use at once. */
    readonly messageBuffers?: { readonly peak: number; readonly pool: number };
}

/** What a run may set about its personality (each applies to the personalities that have the thing). */
export interface PersonalitySettings {
    /** The number of kernel message buffers (RC 4000's pool); the personality's default unless given. */
    readonly messageBuffers?: number;
}

export interface KernelPersonality {
    readonly name: KernelPersonalityName;
    /** Whether seL4's IPC fastpath is tried at system-call entry (it is seL4's, and only seL4's). */
    readonly usesFastpath: boolean;
    /** A system call the fastpath did not take: decode it and carry it out under this model's rules. */
    handleSyscall(k: Kernel, thread: Thread): void;
    /** A device interrupt for the driver behind `notification` (the line is masked until acknowledged). */
    signalInterrupt(k: Kernel, notification: Notification, badge: number, line: number): void;
    figures(): PersonalityFigures;
    /**
     * For a model that queues messages rather than senders: the endpoint whose queue holds the call
     * `caller` waits on, while no receiver has taken it (the wait-for graph names who could receive it).
     */
    queuedCallAt?(caller: Thread): Endpoint | undefined;
}
