/**
 * Events from servers to clients (docs/ABI.md, "Events"): EventEmit puts a record in the queue of every
 * client connection of the emitting server's endpoint that subscribed (EventQueue), EventReceive takes the
 * oldest record of one connection, EventWait waits for the client's events notification. The three are the
 * same under every personality: the queues and the notification are the shared kernel's objects, not a
 * personality's messages, so that a system's events behave alike whichever IPC model it runs under.
 */
import {
    EVENT_RECORD_WORDS, FAST_MESSAGE_REGISTERS, IPC_MSG, KernelError, REG_CPTR, REG_INFO, REG_MR0, Right, messageInfo, infoExtraCaps, infoLabel, infoLength
} from '../contract/index.js';
import { CapType, lookupCap } from './capability.js';
import { CycleCost } from './cycle-costs.js';
import { ipcBufferUsable, signalNotification, waitNotification } from './ipc.js';
import type { Kernel } from './kernel.js';
import type { EventQueue } from './objects/event-queue.js';
import type { Thread } from './objects/tcb.js';

function fail(k: Kernel, thread: Thread, error: KernelError, syscall: string): void {
    k.charge(CycleCost.trivialSyscall);
    k.complete(thread, error, syscall);
}

/** EventEmit: a0 = the server's own endpoint (read right), a1 = info, payload in MR0..; a0 out = queues that took it. */
export function emitEvent(k: Kernel, thread: Thread): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, 'EventEmit');
    // Only the server behind the endpoint (it holds the read right) speaks for it.
    if (cap.type !== CapType.Endpoint || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, 'EventEmit');
    const info = thread.regs[REG_INFO];
    const length = infoLength(info);
    if (infoExtraCaps(info) !== 0 || length > EVENT_RECORD_WORDS) return fail(k, thread, KernelError.InvalidArgument, 'EventEmit');
    if (length > FAST_MESSAGE_REGISTERS && !ipcBufferUsable(thread, IPC_MSG + 4 * length, false)) return fail(k, thread, KernelError.TruncatedMessage, 'EventEmit');
    const words: number[] = [];
    for (let i = 0; i < length; i++) {
        words.push(i < FAST_MESSAGE_REGISTERS ? thread.regs[REG_MR0 + i] >>> 0 : (thread.vspace.readWord(thread.ipcBuffer + IPC_MSG + 4 * i) ?? 0) >>> 0);
    }
    const label = infoLabel(info);
    k.charge(CycleCost.trivialSyscall);
    let taken = 0;
    for (const queue of k.eventQueues) {
        if (queue.endpoint !== cap.object) continue;
        k.charge(CycleCost.perWord * length);
        if (queue.records.length >= queue.capacity) {
            queue.dropped++;
            traceRecord(k, 'drop', queue, label, words);
            continue;
        }
        queue.records.push({ label, words });
        taken++;
        traceRecord(k, 'queue', queue, label, words);
        signalNotification(k, queue.notification, queue.bit, thread.name);
    }
    thread.regs[REG_CPTR] = taken;
    k.complete(thread, KernelError.NoError, 'EventEmit');
}

/** EventReceive: a0 = the client's capability to the server; a1 out = the record's info (0: none), its words in MR0... */
export function receiveEvent(k: Kernel, thread: Thread): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, 'EventReceive');
    if (cap.type !== CapType.Endpoint) return fail(k, thread, KernelError.InvalidCapability, 'EventReceive');
    const queue = k.eventQueues.find(candidate => candidate.endpoint === cap.object && candidate.badge === cap.badge);
    if (!queue) return fail(k, thread, KernelError.InvalidCapability, 'EventReceive');
    const record = queue.records[0];
    if (record === undefined) {
        thread.regs[REG_INFO] = 0;
        k.charge(CycleCost.trivialSyscall);
        k.complete(thread, KernelError.NoError, 'EventReceive');
        return;
    }
    const length = record.words.length;
    if (length > FAST_MESSAGE_REGISTERS && !ipcBufferUsable(thread, IPC_MSG + 4 * length, true)) return fail(k, thread, KernelError.TruncatedMessage, 'EventReceive');
    queue.records.shift();
    for (let i = 0; i < length; i++) {
        if (i < FAST_MESSAGE_REGISTERS) thread.regs[REG_MR0 + i] = record.words[i] | 0;
        else thread.vspace.writeWord(thread.ipcBuffer + IPC_MSG + 4 * i, record.words[i]);
    }
    thread.regs[REG_INFO] = messageInfo(record.label, length);
    k.charge(CycleCost.trivialSyscall + CycleCost.perWord * length);
    traceRecord(k, 'take', queue, record.label, record.words);
    k.complete(thread, KernelError.NoError, 'EventReceive');
}

/** EventWait: a0 = the client's events notification (read right); waits for it as Wait does. */
export function waitEvents(k: Kernel, thread: Thread): void {
    const cap = lookupCap(thread, thread.regs[REG_CPTR]);
    if (typeof cap === 'number') return fail(k, thread, cap, 'EventWait');
    if (cap.type !== CapType.Notification || (cap.rights & Right.Read) === 0) return fail(k, thread, KernelError.InvalidCapability, 'EventWait');
    waitNotification(k, thread, cap.object, true);
}

function traceRecord(k: Kernel, operation: 'queue' | 'drop' | 'take', queue: EventQueue, label: number, words: readonly number[]): void {
    if (!k.events.active) return;
    k.events.emit({
        kind: 'event', cycle: k.cycle, operation, client: queue.client, endpoint: queue.endpoint.name, badge: queue.badge, label, words,
        queued: queue.records.length, capacity: queue.capacity, ...(operation === 'drop' ? { dropped: queue.dropped } : {})
    });
}
