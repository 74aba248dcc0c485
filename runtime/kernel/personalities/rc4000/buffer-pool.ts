/**
 * The nucleus's pool of message buffers (Brinch Hansen 1970: "the nucleus administers a common pool of
 * message buffers"): a fixed number per system, taken at send message and returned at wait answer (or,
 * for a message nobody answers, when it is taken). A thread may hold at most BUFFER_CLAIM buffers at once,
 * RC 4000's buffer claim, so that one sender cannot empty the pool for everyone. A buffer whose sender
 * stopped waiting for it — suspended or restarted in its Call, or answered by the shared kernel's
 * ServerFailed when its server stopped — is reclaimed (RC 4000 "regrets" such a message) before the next
 * buffer is taken, so the count and the peak are exact.
 */
import { KernelError } from '../../../contract/index.js';
import { BUFFER_CLAIM, SenderWaits, type MessageBuffer, type Rc4000State } from './rc4000-state.js';

/** A buffer for `fields`, or NotEnoughMemory (counted by its cause) when the pool is empty or the sender holds its claim. */
export function takeBuffer(rc: Rc4000State, fields: MessageBuffer): MessageBuffer | KernelError.NotEnoughMemory {
    // First the buffers of messages regretted since (few: a pool is small), so that the count and the peak are exact.
    reclaimAbandoned(rc);
    if (rc.inUse.size >= rc.poolSize) {
        rc.refusedPoolEmpty++;
        return KernelError.NotEnoughMemory;
    }
    if (held(rc, fields.sender) >= BUFFER_CLAIM) {
        rc.refusedClaim++;
        return KernelError.NotEnoughMemory;
    }
    rc.inUse.add(fields);
    if (rc.inUse.size > rc.peakBuffers) rc.peakBuffers = rc.inUse.size;
    return fields;
}

/** Back to the pool: out of the queue and the answer table too, wherever it still is. */
export function releaseBuffer(rc: Rc4000State, buffer: MessageBuffer): void {
    if (!rc.inUse.delete(buffer)) return;
    const queue = rc.queues.get(buffer.endpoint);
    const index = queue?.indexOf(buffer) ?? -1;
    if (queue !== undefined && index >= 0) queue.splice(index, 1);
    if (buffer.reply !== undefined && rc.answering.get(buffer.reply) === buffer) rc.answering.delete(buffer.reply);
}

/** Whether the buffer's sender still waits for it (a one-way message of words alone waits for no one). */
export function stillWanted(buffer: MessageBuffer): boolean {
    return buffer.waits === SenderWaits.Nothing || (buffer.reply !== undefined && buffer.reply.isLiveFor(buffer.epoch));
}

/** Returns every buffer whose sender no longer waits for it. */
export function reclaimAbandoned(rc: Rc4000State): void {
    for (const buffer of [...rc.inUse]) if (!stillWanted(buffer)) releaseBuffer(rc, buffer);
}

function held(rc: Rc4000State, sender: MessageBuffer['sender']): number {
    let count = 0;
    for (const buffer of rc.inUse) if (buffer.sender === sender) count++;
    return count;
}
