/**
 * Notifications: a word of signal bits. Signal ORs the badge of the capability used into the word and
 * wakes one waiter (which takes the whole word and clears it); Poll takes the word without blocking. A
 * notification bound to a thread also wakes that thread when it is blocked receiving on an endpoint.
 */
import type { Thread } from './tcb.js';

export class Notification {
    word = 0;
    readonly waiters: Thread[] = [];
    boundThread: Thread | undefined;

    constructor(readonly id: number, readonly name: string) {}

    /** Queues a waiter by priority, FIFO within a priority (as endpoints do). */
    enqueue(thread: Thread): void {
        let index = this.waiters.length;
        while (index > 0 && this.waiters[index - 1].priority < thread.priority) index--;
        this.waiters.splice(index, 0, thread);
    }

    remove(thread: Thread): void {
        const index = this.waiters.indexOf(thread);
        if (index >= 0) this.waiters.splice(index, 1);
    }
}
