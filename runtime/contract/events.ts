/**
 * Events (docs/ABI.md, "Events"): what the compiler and the kernel agree on about the queues that carry
 * a server's events to its clients. Each connection of a client that handles an interface's events has a
 * queue of its own, held by the kernel; a record is the event's number (the label) and its payload words.
 */

/** Records a connection's queue holds; an emit to a full queue drops the record for that client and counts it. */
export const EVENT_QUEUE_CAPACITY = 8;

/** The most payload words a record carries. */
export const EVENT_RECORD_WORDS = 16;

/**
 * The client's events notification, in the client's CNode: every queue of the client signals it (with the
 * bit of its port) when a record arrives, and the client's event loop waits on it (Syscall.EventWait).
 */
export const CLIENT_EVENTS_SLOT = 250;
