/**
 * The kernel's event interface: everything tracing and debugging tools see goes through `KernelEvents`.
 * Events are plain data, stamped with the emulated cycle count, and name threads and objects by their
 * manifest names, so that the same manifest gives the same stream byte for byte. With no subscriber the
 * kernel checks one boolean and builds nothing.
 */

export type IpcOperation = 'call' | 'send' | 'reply' | 'fault';

export interface IpcEvent {
    readonly kind: 'ipc';
    readonly cycle: number;
    /** call: a Call delivered; send: a Send delivered; reply: an answer to a Call; fault: a fault message. */
    readonly operation: IpcOperation;
    readonly from: string;
    readonly to: string;
    /** The endpoint's name (empty for replies, which travel on a reply capability). */
    readonly endpoint: string;
    readonly badge: number;
    readonly label: number;
    /** The message registers delivered, MR0 first. */
    readonly words: readonly number[];
    readonly caps: number;
    /**
     * With capabilities: what each one the receiver got names, in order — `endpoint:<name>`,
     * `notification:<name>`, the kind alone for other objects, `badge:<n>` for one that arrived unwrapped.
     */
    readonly capObjects?: readonly string[] | undefined;
    readonly fastpath: boolean;
    /** The kernel personality's own name for the operation (`MsgSend`, `MsgReply`), when it is not seL4's. */
    readonly primitive?: string;
    /**
     * Bytes of message data the kernel copied from sender to receiver (absent: none). seL4 copies only the
     * words beyond the four message registers, IPC buffer to IPC buffer; QNX copies every word.
     */
    readonly bytesCopied?: number;
    /**
     * For a message that waited in a kernel queue (RC 4000's buffers, Mach's port queues): the cycle its
     * sender sent it; absent when it was delivered as it was sent. A debugger stepping into a call tells
     * the message that statement sent from older ones of the same sender by it.
     */
    readonly sentAt?: number;
}

export interface SignalEvent {
    readonly kind: 'signal';
    readonly cycle: number;
    /** The signalling thread, or `irq:<line>` for an interrupt. */
    readonly from: string;
    readonly notification: string;
    readonly bits: number;
    /** The thread woken with the word, if one was waiting. */
    readonly woke?: string;
    /** The kernel personality's own name for it (`MsgSendPulse`), when it is not seL4's. */
    readonly primitive?: string;
}

/** A personality changed a thread's priority by its own rules (QNX's priority inheritance). */
export interface PriorityEvent {
    readonly kind: 'priority';
    readonly cycle: number;
    readonly thread: string;
    readonly priority: number;
    /** inherit: the thread now serves (or will serve) a sender of this priority; restore: back to its own. */
    readonly reason: 'inherit' | 'restore';
    /** For inherit: the thread whose priority it took. */
    readonly from?: string;
}

export interface FaultEvent {
    readonly kind: 'fault';
    readonly cycle: number;
    readonly thread: string;
    readonly fault: string;
    readonly pc: number;
    readonly address: number;
    /** For an illegal instruction that is a compiled component's panic: its reason (abi.ts, PANIC_NAMES). */
    readonly panic?: string;
    /** The fault endpoint's name, or undefined when the thread has none and was suspended. */
    readonly handler?: string;
}

export interface ResumeEvent {
    readonly kind: 'resume';
    readonly cycle: number;
    /** The thread a fault handler answered. */
    readonly thread: string;
    readonly by: string;
    readonly pc: number;
}

export interface ScheduleEvent {
    readonly kind: 'schedule';
    readonly cycle: number;
    readonly from?: string;
    readonly to?: string;
    /** direct: IPC switched to the receiver; preempt: a higher priority became ready; slice: time slice ended; block: the thread blocked; yield; idle. */
    readonly reason: 'direct' | 'preempt' | 'slice' | 'block' | 'yield' | 'idle' | 'start';
}

export interface InterruptEvent {
    readonly kind: 'interrupt';
    readonly cycle: number;
    readonly line: number;
    readonly device: string;
    /** The notification signalled, or undefined when no driver has claimed the line. */
    readonly notification?: string;
}

export interface ConsoleEvent {
    readonly kind: 'console';
    readonly cycle: number;
    readonly thread: string;
    readonly text: string;
}

/**
 * The kernel was entered for a system call that seL4's fastpath did not take: the personality's decoder
 * runs next. With the fastpath's own entries (its IPC events, `fastpath: true`), interrupts and faults, it
 * counts kernel entries (runtime/trace/run-figures.ts); the fastpath itself reports nothing more, so that
 * it stays as short as it is. Built only for a listener that asked for this kind.
 */
export interface SyscallEvent {
    readonly kind: 'syscall';
    readonly cycle: number;
    readonly thread: string;
    /** The call number (runtime/contract's Syscall). */
    readonly number: number;
}

export interface SyscallErrorEvent {
    readonly kind: 'syscall-error';
    readonly cycle: number;
    readonly thread: string;
    readonly syscall: string;
    readonly error: string;
    /** For a message the kernel refused to take (RC 4000's buffers ran out): its endpoint, so that figures charge the refusal to its method. */
    readonly endpoint?: string;
    /** That message's label. */
    readonly label?: number;
}

/** A message a system call's error refused, as a `syscall-error` event names it. */
export interface RefusedMessage {
    readonly endpoint: string;
    readonly label: number;
}

/**
 * A server's event record (docs/ABI.md, "Events"): queued for a client connection by an emit, dropped
 * because that queue was full, or taken by the client.
 */
export interface EventRecordEvent {
    readonly kind: 'event';
    readonly cycle: number;
    readonly operation: 'queue' | 'drop' | 'take';
    /** The client thread the record is for. */
    readonly client: string;
    /** The server's endpoint and the connection's badge. */
    readonly endpoint: string;
    readonly badge: number;
    /** The event's number. */
    readonly label: number;
    readonly words: readonly number[];
    /** Records in the queue after the operation, and how many it holds. */
    readonly queued: number;
    readonly capacity: number;
    /** For a drop: the records this connection has lost so far. */
    readonly dropped?: number;
}

export type KernelEvent = IpcEvent | SignalEvent | EventRecordEvent | FaultEvent | ResumeEvent | ScheduleEvent | InterruptEvent | ConsoleEvent | SyscallErrorEvent | PriorityEvent | SyscallEvent;

export type KernelEventListener = (event: KernelEvent) => void;

export class KernelEvents {
    private readonly listeners: { readonly listener: KernelEventListener; readonly kinds?: ReadonlySet<KernelEvent['kind']> }[] = [];
    /** True when someone listens: the kernel builds events only then. */
    active = false;
    /** Whether anyone listens to scheduling decisions, the most frequent events (checked separately). */
    schedulingWanted = false;
    /** Whether anyone listens to system calls off the fastpath (as frequent, checked separately too). */
    syscallsWanted = false;

    /** Listens to every event, or only to `kinds`; returns the function that stops listening. */
    subscribe(listener: KernelEventListener, kinds?: readonly KernelEvent['kind'][]): () => void {
        const entry = { listener, kinds: kinds ? new Set(kinds) : undefined };
        this.listeners.push(entry);
        this.update();
        return () => {
            const index = this.listeners.indexOf(entry);
            if (index >= 0) this.listeners.splice(index, 1);
            this.update();
        };
    }

    emit(event: KernelEvent): void {
        for (const { listener, kinds } of this.listeners) if (!kinds || kinds.has(event.kind)) listener(event);
    }

    private update(): void {
        this.active = this.listeners.length > 0;
        this.schedulingWanted = this.listeners.some(({ kinds }) => !kinds || kinds.has('schedule'));
        this.syscallsWanted = this.listeners.some(({ kinds }) => !kinds || kinds.has('syscall'));
    }
}
