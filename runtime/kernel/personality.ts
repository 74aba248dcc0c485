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
import type { KernelPersonalityName } from '../contract/index.js';

/** The names are the contract's: the compiler checks a system's `kernel:` line against the same list. */
export { KERNEL_PERSONALITIES, DEFAULT_PERSONALITY, isKernelPersonality, type KernelPersonalityName } from '../contract/index.js';

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

/**
 * Something a model did that another model would not have done with the same system — a message lost to a
 * full queue, a buffer pool run dry, a priority changed or inverted — counted over a run. `ukc run --stats`
 * lists them and `ukc compare` shows them as where the personalities' behaviour differed
 * (docs/ARCHITECTURE.md, "Notable events").
 */
export interface NotableEvents {
    /** Stable, kebab-case: `priority-change`, `message-lost`, `pool-exhausted`, `priority-inversion`. */
    readonly kind: string;
    readonly count: number;
    /** What they are, to follow the count: `priority changes (priority inheritance)`. */
    readonly what: string;
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
    /** The model's notable events of the run so far, only those that happened, in a fixed order (optional: none). */
    notableEvents?(): readonly NotableEvents[];
    /**
     * For a model that queues messages rather than senders: the endpoint whose queue holds the call
     * `caller` waits on, while no receiver has taken it (the wait-for graph names who could receive it).
     */
    queuedCallAt?(caller: Thread): Endpoint | undefined;
}
