/**
 * Reply objects: the one-shot right to answer one Call. The receiver of a Call holds it in its reply slot;
 * using it (Reply, ReplyRecv) wakes the caller and spends it. It is stale once the caller stops waiting for
 * it (suspended, restarted, or already answered).
 */
import { ThreadState, type Thread } from './tcb.js';

export class Reply {
    constructor(
        readonly caller: Thread,
        /** The caller is a faulting thread waiting to be resumed, not a Call waiting for results. */
        readonly forFault: boolean,
        /** The caller's endpoint capability had the grant right: the reply may carry capabilities. */
        readonly canGrant: boolean
    ) {}

    get isLive(): boolean {
        return this.caller.state === ThreadState.BlockedOnReply && this.caller.blockedOn === this;
    }
}
