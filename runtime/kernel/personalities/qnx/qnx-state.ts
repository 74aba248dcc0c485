/**
 * What the QNX personality remembers beyond the shared kernel objects: pulses waiting on each
 * notification (QNX queues pulses one by one, where seL4 ORs signal bits into a word), the priorities
 * threads inherited, which thread serves each channel, the size of each REPLY-blocked client's reply
 * buffer, and the figures it counts.
 */
import type { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import type { Thread } from '../../objects/tcb.js';

/** A pulse: QNX's fixed-size non-blocking message (8-bit code, 32-bit value); ukc's carries the signal bits. */
export interface Pulse {
    readonly value: number;
    /** The sender's priority (MsgSendPulse with priority -1), or the highest for an interrupt. */
    readonly priority: number;
}

/** The most pulses one notification holds; QNX's pool is finite too (MsgSendPulse fails with EAGAIN). */
export const MAX_QUEUED_PULSES = 64;

export interface Inheritance {
    /** The thread's own priority, to go back to. */
    base: number;
    /** The priority inheritance gave it (a different priority later means someone set it: the new base). */
    effective: number;
}

export class QnxState {
    readonly pulses = new Map<Notification, Pulse[]>();
    readonly inherited = new Map<Thread, Inheritance>();
    /** The thread that last received on each channel: the one a SEND-blocked client's priority boosts. */
    readonly channelServers = new Map<Endpoint, Thread>();
    /** Per REPLY-blocked client, its reply buffer in words, fixed when it sent (MsgSend's rmsg and rbytes). */
    readonly replyBuffers = new Map<Thread, number>();
    messages = 0;
    bytesCopied = 0;
    pulsesSent = 0;
    priorityChanges = 0;

    /** The queued pulses of a notification (made on first use). */
    pulseQueue(notification: Notification): Pulse[] {
        let queue = this.pulses.get(notification);
        if (!queue) this.pulses.set(notification, queue = []);
        return queue;
    }
}
