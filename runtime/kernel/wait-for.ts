/**
 * The wait-for graph: for every blocked thread, what it waits on and which threads could end the wait.
 * A thread blocked in Call waits for whoever holds its reply capability (under a personality that queues
 * messages, RC 4000's, for the receivers of the endpoint while its message still waits there); a sender waits for the threads
 * that can receive on the endpoint, a receiver for those that can send; a notification waiter for those
 * that can signal (and for the interrupt lines routed to it, and the servers whose events it announces). When every thread is blocked this is the
 * deadlock report; `pc` is the address of the system call the thread is blocked in (of the faulting
 * instruction, for a thread blocked by a fault).
 */
import { Right } from '../contract/index.js';
import { CapType } from './capability.js';
import { restartPc } from './ipc.js';
import type { Kernel } from './kernel.js';
import { Endpoint } from './objects/endpoint.js';
import { Notification } from './objects/notification.js';
import { Reply, liveReply } from './objects/reply.js';
import { THREAD_STATE_NAMES, ThreadState, type Thread } from './objects/tcb.js';

export interface WaitForEdge {
    readonly thread: string;
    readonly state: string;
    /** The endpoint or notification, or `reply` for a Call waiting for its answer. */
    readonly on: string;
    /** The address of the `ecall` the thread waits in, or of the instruction whose fault it waits on. */
    readonly pc: number;
    /** Threads that could end the wait (empty: nobody can — a certain deadlock for this thread). */
    readonly waitsFor: readonly string[];
    /** Interrupt lines that could end the wait. */
    readonly interrupts: readonly number[];
}

export interface WaitForGraph {
    readonly edges: readonly WaitForEdge[];
    /** True when some thread is blocked (as opposed to every thread having finished). */
    readonly deadlock: boolean;
}

export function waitForGraph(k: Kernel): WaitForGraph {
    const edges: WaitForEdge[] = [];
    for (const thread of k.threads) {
        if (thread.state === ThreadState.Runnable || thread.state === ThreadState.Inactive) continue;
        const on = thread.blockedOn;
        let waitsFor: string[] = [];
        let interrupts: number[] = [];
        let name = '';
        let state = thread.state;
        // A personality that queues messages rather than senders (RC 4000) knows where a call still waits to be received.
        const queuedAt = on instanceof Reply ? k.personality.queuedCallAt?.(thread) : undefined;
        if (queuedAt !== undefined) {
            name = queuedAt.name;
            state = ThreadState.BlockedOnSend;
            waitsFor = holders(k, thread, candidate => candidate.type === CapType.Endpoint && candidate.object === queuedAt && (candidate.rights & Right.Read) !== 0);
        } else if (on instanceof Reply) {
            name = 'reply';
            // Whoever holds the reply: in its reply slot, or saved in its capability space (CNodeSaveCaller).
            const saved = holders(k, thread, candidate => candidate.type === CapType.Reply && candidate.object === on && on.isLiveFor(candidate.epoch));
            waitsFor = unique([...k.threads.filter(holder => liveReply(holder) === on).map(holder => holder.name), ...saved]);
        } else if (on instanceof Endpoint) {
            name = on.name;
            const wanted = thread.state === ThreadState.BlockedOnSend ? Right.Read : Right.Write;
            waitsFor = holders(k, thread, candidate => candidate.type === CapType.Endpoint && candidate.object === on && (candidate.rights & wanted) !== 0);
            if (thread.boundNotification) {
                const bound = thread.boundNotification;
                // A server that handles events is bound to the notification its event queues signal.
                waitsFor = unique([...waitsFor, ...signallers(k, thread, bound), ...emitters(k, thread, bound)]);
                interrupts = linesTo(k, bound);
            }
        } else if (on instanceof Notification) {
            name = on.name;
            waitsFor = unique([...signallers(k, thread, on), ...emitters(k, thread, on)]);
            interrupts = linesTo(k, on);
        }
        edges.push({ thread: thread.name, state: THREAD_STATE_NAMES[state], on: name, pc: restartPc(thread) >>> 0, waitsFor, interrupts });
    }
    return { edges, deadlock: edges.length > 0 };
}

type CapPredicate = (cap: NonNullable<Thread['faultHandler']['cap']>) => boolean;

/** Other threads, not inactive, whose capability space holds a matching capability. */
function holders(k: Kernel, self: Thread, matches: CapPredicate): string[] {
    return k.threads
        .filter(other => other !== self && other.state !== ThreadState.Inactive && other.cspace.slots.some(slot => slot.cap !== undefined && matches(slot.cap)))
        .map(other => other.name);
}

function signallers(k: Kernel, self: Thread, notification: Notification): string[] {
    return holders(k, self, cap => cap.type === CapType.Notification && cap.object === notification && (cap.rights & Right.Write) !== 0);
}

/** The servers whose events reach `notification` (event-delivery.ts): those that receive on a queue's endpoint. */
function emitters(k: Kernel, self: Thread, notification: Notification): string[] {
    const endpoints = new Set(k.eventQueues.filter(queue => queue.notification === notification).map(queue => queue.endpoint));
    return endpoints.size === 0 ? [] : holders(k, self, cap => cap.type === CapType.Endpoint && endpoints.has(cap.object) && (cap.rights & Right.Read) !== 0);
}

function linesTo(k: Kernel, notification: Notification): number[] {
    return [...k.irqHandlers.values()].filter(handler => handler.notification === notification).map(handler => handler.line);
}

function unique(names: string[]): string[] {
    return [...new Set(names)];
}
