/**
 * Notifications as Mach messages: a Signal is a header-only message (no body, the capability's badge as
 * its bits) to the notification's port; Wait and Poll receive on that port. Mach has no word of signal
 * bits, and a port of header-only messages would fill at its queue limit and block or fail a signaller —
 * an interrupt cannot wait — so the port holds at most one pending notification message and a Signal while
 * one is pending merges its bits into it: the receiver learns every bit that was signalled, once, as a
 * seL4 notification word gives it. A bound notification is a member of its thread's port set (mach-msg.ts,
 * receiveMessage).
 */
import { REG_BADGE, KernelError, RECEIVED_SIGNAL } from '../../../contract/index.js';
import { cancelIpc } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import { ThreadState, type Thread } from '../../objects/tcb.js';
import { MachCycleCost } from './costs.js';
import type { MachState } from './mach-state.js';

/** Sends a notification message: to a waiter on its port, or ending its thread's port-set receive, or pending (merged). */
export function sendNotification(k: Kernel, mach: MachState, notification: Notification, bits: number, from: string): void {
    k.charge(MachCycleCost.notification);
    mach.notifications++;
    let woke: Thread | undefined;
    const bound = notification.boundThread;
    if (notification.waiters.length > 0) {
        woke = notification.waiters.shift() as Thread;
        woke.regs[REG_BADGE] = notification.word | bits;
        notification.word = 0;
        k.complete(woke, KernelError.NoError, 'mach_msg');
        k.makeRunnable(woke);
    } else if (bound !== undefined && bound.state === ThreadState.BlockedOnReceive && bound.blockedOn instanceof Endpoint) {
        woke = bound;
        cancelIpc(bound);
        bound.regs[REG_BADGE] = notification.word | bits;
        notification.word = 0;
        k.complete(bound, RECEIVED_SIGNAL, 'mach_msg');
        k.makeRunnable(bound);
    } else {
        notification.word = (notification.word | bits) >>> 0;
    }
    if (k.events.active) {
        k.events.emit({ kind: 'signal', cycle: k.cycle, from, notification: notification.name, bits: bits >>> 0, woke: woke?.name, primitive: 'mach_msg notify' });
    }
}

/** The pending notification message's bits, taken off its port. */
export function takeNotification(notification: Notification): number {
    const bits = notification.word;
    notification.word = 0;
    return bits;
}

/** Wait (blocking) or Poll: receive the pending notification message's bits, or block, or 0 for Poll with none. */
export function receiveNotification(k: Kernel, thread: Thread, notification: Notification, blocking: boolean): void {
    k.charge(MachCycleCost.receive);
    if (notification.word !== 0 || !blocking) {
        thread.regs[REG_BADGE] = takeNotification(notification);
        k.complete(thread, KernelError.NoError, 'mach_msg');
        return;
    }
    thread.state = ThreadState.BlockedOnNotification;
    thread.blockedOn = notification;
    notification.enqueue(thread);
    k.unschedule(thread);
}
