/**
 * Threads (seL4's TCB): a register file, a priority and the most it may give (its MCP), a scheduling
 * state, the capability and address spaces the thread runs in, its IPC buffer, its fault handler, a bound
 * notification, and the reply capability it holds after receiving a Call. While blocked, `blockedOn`
 * names what it waits for.
 */
import { DOUBLE } from '../../machine/index.js';
import { Slot } from '../capability.js';
import type { CNode } from './cnode.js';
import type { Endpoint } from './endpoint.js';
import type { Notification } from './notification.js';
import type { Reply } from './reply.js';
import type { VSpace } from './vspace.js';

export const enum ThreadState {
    /** Not started, suspended, or stopped after a fault nobody handles. */
    Inactive = 0,
    /** Running or ready to run. */
    Runnable = 1,
    BlockedOnSend = 2,
    BlockedOnReceive = 3,
    BlockedOnReply = 4,
    BlockedOnNotification = 5
}

export const THREAD_STATE_NAMES: Readonly<Record<number, string>> = {
    0: 'inactive', 1: 'runnable', 2: 'blocked-on-send', 3: 'blocked-on-receive', 4: 'blocked-on-reply',
    5: 'blocked-on-notification'
};

/** A fault message waiting to be sent on the thread's behalf (it is sent like a Call). */
export interface PendingFault {
    readonly label: number;
    readonly words: readonly number[];
}

/** What a thread blocked in send will deliver when a receiver arrives. */
export interface SendState {
    readonly badge: number;
    readonly isCall: boolean;
    readonly canGrant: boolean;
    readonly fault?: PendingFault;
}

export class Thread {
    /** x0..x31; the CPU runs on this array directly while the thread is current. */
    readonly regs = new Int32Array(32);
    pc = 0;
    state = ThreadState.Inactive;
    blockedOn: Endpoint | Notification | Reply | undefined;
    /** Set while blocked on send. */
    send: SendState | undefined;
    /** Set while blocked on receive: whether the thread also accepts a bound notification's signal. */
    receiveBlocking = true;
    /** The IPC buffer's virtual address, 0 for none. */
    ipcBuffer = 0;
    /** The endpoint faults are sent to, held by the kernel as a derived capability. */
    readonly faultHandler: Slot;
    boundNotification: Notification | undefined;
    /** The one-shot reply capability received with the last Call (seL4's reply slot), and its epoch. */
    reply: Reply | undefined;
    replyEpoch = 0;
    /** The Reply object this thread's own Calls use (reused, see reply.ts). */
    replyObject: Reply | undefined;
    /**
     * The maximum controlled priority (seL4's MCP): the highest priority, or MCP, this thread may give any
     * thread, itself included. It does not limit the thread's own priority, which another may set.
     */
    maxControlledPriority: number;
    /** Cycles left in the current time slice. */
    sliceRemaining = 0;
    /** In a ready queue (never while current: seL4's "Benno" scheduling). */
    queued = false;
    /** Set while a debugger holds the thread stopped; the scheduler skips it. */
    debugStopped = false;

    constructor(
        readonly id: number,
        /** "component.thread", as events and reports name it. */
        readonly name: string,
        public priority: number,
        public cspace: CNode,
        public vspace: VSpace,
        maxControlledPriority: number
    ) {
        this.maxControlledPriority = maxControlledPriority;
        this.faultHandler = new Slot({ thread: this, role: 'fault-handler' });
        // The IPC buffer's address may pass 2^31 (it is kept unsigned): a double from the start (see Cpu).
        // The pc is kept as the CPU keeps it, a signed 32-bit value, which V8 holds as a small integer:
        // every store to it is `| 0`, so that the field never changes representation (that discards
        // compiled code, and the CPU's dispatch runs faster on small integers).
        this.ipcBuffer = DOUBLE;
        this.ipcBuffer = 0;
        // The slice is counted down by differences of the CPU's counters, which are doubles.
        this.sliceRemaining = DOUBLE;
        this.sliceRemaining = 0;
    }

    get isRunnable(): boolean {
        return this.state === ThreadState.Runnable && !this.debugStopped;
    }
}
