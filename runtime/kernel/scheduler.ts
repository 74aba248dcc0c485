/**
 * Ready queues: 256 fixed priorities, round-robin inside a priority, and a bitmap that finds the highest
 * non-empty priority in two count-leading-zeros. The running thread is never in a queue (seL4's "Benno"
 * scheduling): a thread switched to directly by IPC costs no queue operation, and a thread that blocks is
 * never left behind in one to be skipped later.
 */
import type { Thread } from './objects/tcb.js';

export const PRIORITY_LEVELS = 256;

export class Scheduler {
    private readonly queues: Thread[][] = Array.from({ length: PRIORITY_LEVELS }, () => []);
    /** Bit p of word p>>5 is set when queue p is non-empty; `summary` bit w when word w is non-zero. */
    private readonly bitmap = new Uint32Array(PRIORITY_LEVELS / 32);
    private summary = 0;

    /** Adds at the back of its priority (a thread whose time slice ended, or that just became ready). */
    append(thread: Thread): void {
        if (thread.queued) return;
        this.queues[thread.priority].push(thread);
        this.mark(thread.priority);
        thread.queued = true;
    }

    /** Adds at the front of its priority (a thread preempted by a higher priority keeps its turn). */
    prepend(thread: Thread): void {
        if (thread.queued) return;
        this.queues[thread.priority].unshift(thread);
        this.mark(thread.priority);
        thread.queued = true;
    }

    remove(thread: Thread): void {
        if (!thread.queued) return;
        const queue = this.queues[thread.priority];
        const index = queue.indexOf(thread);
        if (index >= 0) queue.splice(index, 1);
        if (queue.length === 0) this.unmark(thread.priority);
        thread.queued = false;
    }

    /** The highest priority with a ready thread, or -1. */
    highestPriority(): number {
        if (this.summary === 0) return -1;
        const word = 31 - Math.clz32(this.summary);
        return word * 32 + 31 - Math.clz32(this.bitmap[word]);
    }

    /** Whether a ready thread has a higher priority than `priority` (cheap when nothing is ready, as on IPC). */
    outranks(priority: number): boolean {
        return this.summary !== 0 && this.highestPriority() > priority;
    }

    /** Takes the first thread of the highest non-empty priority. */
    takeHighest(): Thread | undefined {
        const priority = this.highestPriority();
        if (priority < 0) return undefined;
        const queue = this.queues[priority];
        const thread = queue.shift() as Thread;
        if (queue.length === 0) this.unmark(priority);
        thread.queued = false;
        return thread;
    }

    /** Every queued thread, highest priority first (for reports and invariant checks). */
    *queuedThreads(): IterableIterator<Thread> {
        for (let priority = PRIORITY_LEVELS - 1; priority >= 0; priority--) yield* this.queues[priority];
    }

    private mark(priority: number): void {
        this.bitmap[priority >>> 5] |= 1 << (priority & 31);
        this.summary |= 1 << (priority >>> 5);
    }

    private unmark(priority: number): void {
        const word = priority >>> 5;
        this.bitmap[word] &= ~(1 << (priority & 31));
        if (this.bitmap[word] === 0) this.summary &= ~(1 << word);
    }
}
