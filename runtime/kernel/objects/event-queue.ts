/**
 * An event queue: the records a server's events leave for one client connection (docs/ABI.md, "Events").
 * The kernel holds it, so that the server never writes into a client's memory and a slow client cannot
 * stall its server: an emit to a full queue drops the record for this client and counts the drop. When a
 * record arrives the queue signals the client's events notification with its bit.
 */
import type { Endpoint } from './endpoint.js';
import type { Notification } from './notification.js';

export interface EventRecord {
    /** The event's number (its label). */
    readonly label: number;
    readonly words: readonly number[];
}

export class EventQueue {
    readonly records: EventRecord[] = [];
    /** Records an emit could not leave here because the queue was full. */
    dropped = 0;

    constructor(
        /** The server's endpoint: an emit there reaches this queue. */
        readonly endpoint: Endpoint,
        /** The badge of the client's capability to it: the connection. */
        readonly badge: number,
        /** The client thread's name, for the trace. */
        readonly client: string,
        readonly notification: Notification,
        /** The bit signalled in the notification (one per port of the client). */
        readonly bit: number,
        readonly capacity: number
    ) {}
}
