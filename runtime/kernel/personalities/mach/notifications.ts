/**
 * Notifications as Mach messages: a Signal is a header-only message (no body, the capability's badge as
 * its bits) to the notification's port; Wait and Poll receive on that port. Mach has no word of signal
 * bits, and a port of header-only messages would fill at its queue limit and block or fail a signaller —
 * an interrupt cannot wait — so the port holds at most one pending notification message and a Signal while
 * one is pending merges its bits into it: the receiver learns every bit that was signalled, once, as a
 * seL4 notification word gives it. A bound notification is a member of its thread's port set (mach-msg.ts,
 * receiveMessage).
 */
import { REG_BADGE, KernelError } from '../../../contract/index.js';
import { signalNotification, type SignalModel } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import type { Notification } from '../../objects/notification.js';
import { ThreadState, type Thread } from '../../objects/tcb.js';
import { MachCycleCost } from './costs.js';
import type { MachState } from './mach-state.js';

/** A notification message: priced and named as Mach's, delivered as seL4's Signal (ipc.ts). */
const MACH_NOTIFY: SignalModel = { cost: MachCycleCost.notification, waitOperation: 'mach_msg', receiveOperation: 'mach_msg', primitive: 'mach_msg notify' };

/** Sends a notification message: to a waiter on its port, or ending its thread's port-set receive, or pending (merged). */
export function sendNotification(k: Kernel, mach: MachState, notification: Notification, bits: number, from: string): void {
    mach.notifications++;
    signalNotification(k, notification, bits, from, MACH_NOTIFY);
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
