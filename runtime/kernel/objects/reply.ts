/**
 * Reply capabilities: the one-shot right to answer one Call. The receiver of a Call holds it in its reply
 * slot (with the epoch it was issued in); using it (Reply, ReplyRecv) wakes the caller and spends it. Each
 * thread has one Reply object that every Call it makes reuses — a Call costs no allocation — and the
 * epoch tells a holder of an older call from the holder of the current one: a reply is live while its
 * caller waits on it and the epochs agree.
 */
import { ThreadState, type Thread } from './tcb.js';

export class Reply {
    /** Counts the calls made with this object; a holder remembers the one it was given. */
    epoch = 0;
    /** The caller is a faulting thread waiting to be resumed, not a Call waiting for results. */
    forFault = false;
    /** The caller's endpoint capability had the grant right: the reply may carry capabilities. */
    canGrant = false;

    constructor(readonly caller: Thread) {}

    /** Starts a new call: older holders' replies go stale. */
    issue(forFault: boolean, canGrant: boolean): number {
        this.forFault = forFault;
        this.canGrant = canGrant;
        return ++this.epoch;
    }

    isLiveFor(epoch: number): boolean {
        return this.epoch === epoch && this.caller.state === ThreadState.BlockedOnReply && this.caller.blockedOn === this;
    }
}

/** Gives `receiver` the reply capability for `caller`'s new call. */
export function issueReply(caller: Thread, receiver: Thread, forFault: boolean, canGrant: boolean): Reply {
    const reply = caller.replyObject ?? (caller.replyObject = new Reply(caller));
    receiver.replyEpoch = reply.issue(forFault, canGrant);
    receiver.reply = reply;
    return reply;
}

/** The reply capability a thread holds, if it is still live. */
export function liveReply(holder: Thread): Reply | undefined {
    const reply = holder.reply;
    return reply && reply.isLiveFor(holder.replyEpoch) ? reply : undefined;
}
