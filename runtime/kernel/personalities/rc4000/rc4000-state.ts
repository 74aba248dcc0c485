/**
 * What the RC 4000 personality remembers beyond the shared kernel objects: its pool of message buffers,
 * the message queue of each endpoint (RC 4000 queues messages, not senders: a sender goes on, or waits
 * for its answer, while its message waits in a buffer), the buffer each held call is answered in, and
 * the figures it counts.
 */
import type { Endpoint } from '../../objects/endpoint.js';
import type { Reply } from '../../objects/reply.js';
import type { SendState, Thread } from '../../objects/tcb.js';

/** Buffers one thread may hold at once (RC 4000's buffer claim), whatever the pool's size. */
export const BUFFER_CLAIM = 8;

/** How the sender of a message waits: for the answer (a Call), for the receipt (a one-way message with capabilities), or not. */
export const enum SenderWaits {
    /** A Call: send message then wait answer; the receiver answers in this buffer. */
    Answer,
    /** A one-way message carrying capabilities: the nucleus answers when the receiver takes it (see docs/ABI.md). */
    Receipt,
    /** A one-way message of words alone: the sender went on; the buffer returns to the pool when it is taken. */
    Nothing
}

/** One kernel message buffer in use: the message (then the answer) and who waits for what. */
export interface MessageBuffer {
    readonly sender: Thread;
    readonly endpoint: Endpoint;
    readonly send: SendState;
    readonly waits: SenderWaits;
    /** The words as they were copied in (the message, then the answer): RC 4000's buffer held eight, ukc's the whole message (docs/ABI.md). */
    words: number[];
    label: number;
    /** Capabilities named with the message (moved from the sender when the receiver takes it). */
    readonly caps: number;
    /** The sender's reply object and the epoch of this call, when the sender waits (Answer, Receipt). */
    readonly reply?: Reply;
    readonly epoch: number;
    /** The cycle of the send message. */
    readonly sentAt: number;
}

export class Rc4000State {
    /** Buffers in use, in the order they were taken. */
    readonly inUse = new Set<MessageBuffer>();
    /** Each endpoint's queue of messages, first in first out. */
    readonly queues = new Map<Endpoint, MessageBuffer[]>();
    /** The buffer a received call is to be answered in, by its reply object. */
    readonly answering = new Map<Reply, MessageBuffer>();
    messages = 0;
    bytesCopied = 0;
    peakBuffers = 0;
    /** Sends refused because every buffer of the pool was in use. */
    refusedPoolEmpty = 0;
    /** Sends refused because their sender held its claim (BUFFER_CLAIM) while the pool had buffers left. */
    refusedClaim = 0;

    constructor(readonly poolSize: number) {}

    /** The message queue of an endpoint (made on first use). */
    queue(endpoint: Endpoint): MessageBuffer[] {
        let queue = this.queues.get(endpoint);
        if (!queue) this.queues.set(endpoint, queue = []);
        return queue;
    }
}
