/**
 * What the Mach personality remembers beyond the shared kernel objects: the message queue of each port
 * (an endpoint plays a port; its queue of kernel messages is Mach's ipc_mqueue), each port's queue limit,
 * and the figures it counts. Threads blocked on a full queue, and receivers waiting for a message, wait in
 * the endpoint's own thread queue as they do under seL4.
 */
import type { Slot } from '../../capability.js';
import type { Endpoint } from '../../objects/endpoint.js';
import type { Reply } from '../../objects/reply.js';
import type { Thread } from '../../objects/tcb.js';

/** Mach's default queue limit (mach/port.h, MACH_PORT_QLIMIT_DEFAULT): messages a port holds before senders wait. */
export const MACH_PORT_QLIMIT_DEFAULT = 5;

/**
 * A port right (capability) a queued message carries: copied in at send into a slot the kernel keeps for
 * the message, which hangs in the derivation tree where the right came from — so revoking what it was
 * derived from reaches it in the queue as it reaches any copy — and moved, with its place in the tree, into
 * the receiver's CNode at receive. A slot found empty then was revoked in transit.
 */
export interface RightInTransit {
    readonly slot: Slot;
}

/** A right in a message to the port it travels on: the receiver gets its badge (seL4's unwrapping). */
export interface UnwrappedRight {
    readonly badge: number;
}

/** A kernel message (Mach's ipc_kmsg): everything copied out of the sender at send. */
export interface KernelMessage {
    readonly sender: Thread;
    readonly badge: number;
    readonly label: number;
    readonly words: readonly number[];
    readonly rights: readonly (RightInTransit | UnwrappedRight)[];
    /** Pages of out-of-line memory among the rights (copy-on-write copies), for the cost and the figures. */
    readonly outOfLinePages: number;
    /**
     * An RPC's reply port: a send-once right made for this call (the caller's Reply object and its epoch).
     * The receiver holds it once the message is received; using it spends it.
     */
    readonly reply: Reply | undefined;
    readonly replyEpoch: number;
    /** The cycle of the copyin (the send, or the admission of a sender that waited for room). */
    readonly sentAt: number;
}

export class MachState {
    /** The kernel messages queued at each port, oldest first. */
    readonly queues = new Map<Endpoint, KernelMessage[]>();
    /** Per port, its queue limit (mach_port_set_attributes' MACH_PORT_LIMITS_INFO); MACH_PORT_QLIMIT_DEFAULT unless set. */
    readonly queueLimits = new Map<Endpoint, number>();
    messages = 0;
    bytesCopied = 0;
    notifications = 0;
    /** Sends that found their port's queue full (blocked, or refused under NBSend). */
    queueFullSends = 0;
    /** Pages of out-of-line memory sent copy-on-write. */
    outOfLinePages = 0;

    /** The queue of a port (made on first use). */
    queue(port: Endpoint): KernelMessage[] {
        let queue = this.queues.get(port);
        if (!queue) this.queues.set(port, queue = []);
        return queue;
    }

    queueLimit(port: Endpoint): number {
        return this.queueLimits.get(port) ?? MACH_PORT_QLIMIT_DEFAULT;
    }

    isFull(port: Endpoint): boolean {
        return (this.queues.get(port)?.length ?? 0) >= this.queueLimit(port);
    }
}
