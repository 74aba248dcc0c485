/**
 * QNX's message-driven priority inheritance (System Architecture, "Priority inheritance and messages"):
 * a server thread that receives a message runs at its sender's priority, higher or lower, until it
 * replies; and a sender of higher priority than the server that will receive its message raises the
 * server at the moment it sends, so that a thread of a priority in between cannot delay it. (QNX's
 * _NTO_CHF_FIXED_PRIORITY channel flag, which turns this off, has no counterpart here.)
 */
import { QnxCycleCost } from './costs.js';
import type { QnxState } from './qnx-state.js';
import { setPriority } from '../../invocations.js';
import type { Kernel } from '../../kernel.js';
import type { Thread } from '../../objects/tcb.js';

/** `server` now works for a sender (a thread, or a pulse's sender) of `priority`: it runs at that priority. */
export function inheritPriority(k: Kernel, qnx: QnxState, server: Thread, priority: number, from: string): void {
    let inheritance = qnx.inherited.get(server);
    if (inheritance === undefined) {
        if (server.priority === priority) return;
        qnx.inherited.set(server, inheritance = { base: server.priority, effective: priority });
    } else if (server.priority !== inheritance.effective) {
        // Someone set its priority while it was inheriting (TcbSetPriority): that is its own priority now.
        inheritance.base = server.priority;
    }
    inheritance.effective = priority;
    if (server.priority === priority) return;
    change(k, qnx, server, priority);
    if (k.events.active) k.events.emit({ kind: 'priority', cycle: k.cycle, thread: server.name, priority, reason: 'inherit', from });
}

/** A sender blocks on a channel whose server is busy: raise the server if the sender outranks it. */
export function boostForWaitingSender(k: Kernel, qnx: QnxState, server: Thread, sender: Thread): void {
    if (sender.priority > server.priority) inheritPriority(k, qnx, server, sender.priority, sender.name);
}

/** The server is done with the message it inherited for (it replied, or waits for the next one). */
export function restorePriority(k: Kernel, qnx: QnxState, server: Thread): void {
    const inheritance = qnx.inherited.get(server);
    if (inheritance === undefined) return;
    qnx.inherited.delete(server);
    const own = server.priority === inheritance.effective ? inheritance.base : server.priority;
    if (own === server.priority) return;
    change(k, qnx, server, own);
    if (k.events.active) k.events.emit({ kind: 'priority', cycle: k.cycle, thread: server.name, priority: own, reason: 'restore' });
}

function change(k: Kernel, qnx: QnxState, thread: Thread, priority: number): void {
    // The shared requeue (ready queue, endpoint and notification queues, a reschedule).
    setPriority(k, thread, priority);
    qnx.priorityChanges++;
    k.charge(QnxCycleCost.priorityChange);
}
