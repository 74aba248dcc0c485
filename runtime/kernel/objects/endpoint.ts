/**
 * Endpoints: rendezvous points for synchronous IPC. An endpoint holds either senders waiting for a receiver
 * or receivers waiting for a sender, never both. The queue is ordered by priority, FIFO within a priority,
 * so that the most important client is served first and equals take turns.
 */
import type { Thread } from './tcb.js';

export const enum EndpointState {
    Idle = 0,
    Sending = 1,
    Receiving = 2
}

export class Endpoint {
    readonly queue: Thread[] = [];
    state = EndpointState.Idle;

    constructor(readonly id: number, readonly name: string) {}

    /** Queues a thread behind every waiter of at least its priority. */
    enqueue(thread: Thread, state: EndpointState.Sending | EndpointState.Receiving): void {
        this.state = state;
        const queue = this.queue;
        if (queue.length === 0 || queue[queue.length - 1].priority >= thread.priority) {
            queue.push(thread);
        } else {
            this.insertByPriority(thread);
        }
    }

    /** Behind the threads of its priority and above, ahead of lower ones (enqueue's rare case, kept apart for the fastpath). */
    private insertByPriority(thread: Thread): void {
        let index = this.queue.length;
        while (index > 0 && this.queue[index - 1].priority < thread.priority) index--;
        this.queue.splice(index, 0, thread);
    }

    dequeue(): Thread | undefined {
        const queue = this.queue;
        // A lone waiter (the usual server) leaves by pop, which V8 does without moving anything.
        const thread = queue.length === 1 ? queue.pop() : queue.shift();
        if (queue.length === 0) this.state = EndpointState.Idle;
        return thread;
    }

    remove(thread: Thread): void {
        const index = this.queue.indexOf(thread);
        if (index >= 0) this.queue.splice(index, 1);
        if (this.queue.length === 0) this.state = EndpointState.Idle;
    }
}
