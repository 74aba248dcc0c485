/**
 * Pulses (System Architecture, "Pulses"; MsgSendPulse()): QNX's small non-blocking messages, which carry
 * notifications and interrupts. A Signal is MsgSendPulse with the capability's badge as the value and the
 * sender's priority; an interrupt is a pulse from the kernel. A pulse goes to a thread waiting on the
 * notification, or to the thread it is bound to when that thread is RECEIVE-blocked on its channel (the
 * pulse ends its MsgReceive); otherwise it is queued, in priority order, FIFO within a priority. Each
 * pulse is received on its own: QNX does not merge pulses, where seL4 ORs signals into one word.
 */
import { REG_BADGE, KernelError, RECEIVED_SIGNAL } from '../../../contract/index.js';
import { cancelIpc } from '../../ipc.js';
import type { Kernel } from '../../kernel.js';
import { Endpoint } from '../../objects/endpoint.js';
import type { Notification } from '../../objects/notification.js';
import { ThreadState, type Thread } from '../../objects/tcb.js';
import { QnxCycleCost } from './costs.js';
import { inheritPriority } from './priority-inheritance.js';
import { MAX_QUEUED_PULSES, type Pulse, type QnxState } from './qnx-state.js';

/** MsgSendPulse: NotEnoughMemory when the notification already holds MAX_QUEUED_PULSES (QNX: EAGAIN). */
export function sendPulse(k: Kernel, qnx: QnxState, notification: Notification, pulse: Pulse, from: string): KernelError {
    k.charge(QnxCycleCost.pulse);
    let woke: Thread | undefined;
    const bound = notification.boundThread;
    if (notification.waiters.length > 0) {
        woke = notification.waiters.shift() as Thread;
        woke.regs[REG_BADGE] = pulse.value;
        k.complete(woke, KernelError.NoError, 'MsgReceivePulse');
        k.makeRunnable(woke);
    } else if (bound !== undefined && bound.state === ThreadState.BlockedOnReceive && bound.blockedOn instanceof Endpoint) {
        woke = bound;
        cancelIpc(bound);
        bound.regs[REG_BADGE] = pulse.value;
        k.complete(bound, RECEIVED_SIGNAL, 'MsgReceive');
        inheritPriority(k, qnx, bound, pulse.priority, from);
        k.makeRunnable(bound);
    } else {
        const queue = qnx.pulseQueue(notification);
        if (queue.length >= MAX_QUEUED_PULSES) return KernelError.NotEnoughMemory;
        let index = queue.length;
        while (index > 0 && queue[index - 1].priority < pulse.priority) index--;
        queue.splice(index, 0, pulse);
    }
    qnx.pulsesSent++;
    if (k.events.active) {
        k.events.emit({ kind: 'signal', cycle: k.cycle, from, notification: notification.name, bits: pulse.value >>> 0, woke: woke?.name, primitive: 'MsgSendPulse' });
    }
    return KernelError.NoError;
}

/** The first queued pulse of a notification if its priority is at least `atLeast` (taken off the queue). */
export function takePulse(qnx: QnxState, notification: Notification, atLeast: number): Pulse | undefined {
    const queue = qnx.pulses.get(notification);
    if (queue === undefined || queue.length === 0 || queue[0].priority < atLeast) return undefined;
    return queue.shift();
}

/** Wait (blocking) or Poll on a notification: one pulse's value, or block, or 0 for Poll with none queued. */
export function receivePulse(k: Kernel, qnx: QnxState, thread: Thread, notification: Notification, blocking: boolean): void {
    k.charge(QnxCycleCost.msgReceive);
    const pulse = takePulse(qnx, notification, -1);
    if (pulse !== undefined || !blocking) {
        thread.regs[REG_BADGE] = pulse?.value ?? 0;
        k.complete(thread, KernelError.NoError, 'MsgReceivePulse');
        return;
    }
    thread.state = ThreadState.BlockedOnNotification;
    thread.blockedOn = notification;
    notification.enqueue(thread);
    k.unschedule(thread);
}
