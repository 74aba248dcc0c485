/**
 * The IPC fastpath (seL4's fastpath.c): Call and ReplyRecv with a message of at most four words and at
 * most one capability (seL4's takes none; ukvm32's takes one, because capability transfer is what most
 * often pushes an otherwise short message off the fastpath — docs/ABI.md), when the other side is already
 * waiting and may run at once. It copies the registers and switches straight to the receiver — no queue
 * operations, no scheduler pass. Anything unusual returns
 * false before changing state, and the general path in ipc.ts handles it; the two must give the same
 * result apart from the cycles charged (tests compare them).
 */
import {
    FAST_MESSAGE_REGISTERS, REG_BADGE, REG_CPTR, REG_INFO, REG_MR0, REG_STATUS, REG_SYSCALL, Right, Syscall,
    infoExtraCaps, infoLabel, infoLength, messageInfo
} from './abi.js';
import { CapType } from './capability.js';
import { CycleCost } from './cycle-costs.js';
import { messageWords, transferCaps } from './ipc.js';
import type { Kernel } from './kernel.js';
import { EndpointState, type Endpoint } from './objects/endpoint.js';
import { issueReply } from './objects/reply.js';
import { ThreadState, type Thread } from './objects/tcb.js';

/*
 * The two fastpath functions are kept small and self-contained: whatever V8 decides to inline into its
 * callers, the common path should not depend on further calls (bench:ipc measured processes settling in a
 * mode about 1.5x slower when small helpers here stayed separate calls). Events, which are rare, are
 * reported from functions of their own.
 */

/** Message info fields the fastpath reads in place (abi.ts: label:20 | capsUnwrapped:3 | extraCaps:2 | length:7). */
const LENGTH_BITS = 0x7f;
const EXTRA_CAPS_BITS = 0x180;
const ONE_EXTRA_CAP = 0x80;

/**
 * The fastpath at system-call entry, before the general decoder (seL4's `fastpath_call` and
 * `fastpath_reply_recv` are called from the trap entry in the same way): a Call or ReplyRecv carrying no
 * capability, through an endpoint capability with the right it needs. Such a message needs no further
 * checks (at most four words travel in registers; validateOutgoing accepts it), so this goes straight to
 * the fastpath. Anything else, or a fastpath that declines, returns false having changed nothing, and the
 * general decoder (syscalls.ts) handles the call from the start, reporting any error. Messages with a
 * capability reach the fastpath from there, after the capability has been looked up.
 */
export function fastpathEntry(k: Kernel, thread: Thread): boolean {
    const regs = thread.regs;
    const number = regs[REG_SYSCALL];
    if ((number !== Syscall.Call && number !== Syscall.ReplyRecv) || (regs[REG_INFO] & EXTRA_CAPS_BITS) !== 0 || !k.fastpathEnabled) return false;
    const cap = thread.cspace.slotAt(regs[REG_CPTR] >>> 0)?.cap;
    if (cap === undefined || cap.type !== CapType.Endpoint) return false;
    if (number === Syscall.Call) {
        return (cap.rights & Right.Write) !== 0 && fastpathCall(k, thread, cap.object, cap.badge, (cap.rights & Right.Grant) !== 0);
    }
    return (cap.rights & Right.Read) !== 0 && fastpathReplyRecv(k, thread, cap.object);
}

/** Moves the message's capability, if any and allowed; returns the message info the receiver sees. */
function deliverCap(k: Kernel, sender: Thread, receiver: Thread, endpoint: Endpoint | undefined, info: number, canGrant: boolean,
    described: string[] | undefined): number {
    if (infoExtraCaps(info) === 0 || !canGrant) return info & ~0xf80;
    const { caps, unwrapped } = transferCaps(sender, receiver, endpoint, 1, described);
    k.charge(CycleCost.perCap * caps);
    return messageInfo(infoLabel(info), infoLength(info), caps, unwrapped);
}

/** Call on an endpoint with a receiver waiting. */
export function fastpathCall(k: Kernel, caller: Thread, endpoint: Endpoint, badge: number, canGrant: boolean): boolean {
    const from = caller.regs;
    const info = from[REG_INFO];
    if ((info & LENGTH_BITS) > FAST_MESSAGE_REGISTERS || (info & EXTRA_CAPS_BITS) > ONE_EXTRA_CAP || endpoint.state !== EndpointState.Receiving) return false;
    const receiver = endpoint.queue[0];
    if (receiver.debugStopped || receiver.priority < k.scheduler.highestPriority()) return false;
    endpoint.dequeue();
    const length = info & LENGTH_BITS;
    const to = receiver.regs;
    for (let i = 0; i < length; i++) to[REG_MR0 + i] = from[REG_MR0 + i];
    // What the transferred capability names, for events (only built when someone listens).
    const described = k.events.active && infoExtraCaps(info) > 0 ? [] : undefined;
    const delivered = (info & EXTRA_CAPS_BITS) === 0 ? info & ~0xf80 : deliverCap(k, caller, receiver, endpoint, info, canGrant, described);
    to[REG_BADGE] = badge;
    to[REG_INFO] = delivered;
    to[REG_STATUS] = 0;
    const reply = issueReply(caller, receiver, false, canGrant);
    caller.state = ThreadState.BlockedOnReply;
    caller.blockedOn = reply;
    k.charge(CycleCost.fastpathCall);
    k.switchTo(receiver);
    if (k.events.active) reportFastpath(k, 'call', caller, receiver, endpoint.name, badge, info, length, delivered, described);
    return true;
}

/** ReplyRecv answering a waiting caller, when no other sender is queued on the endpoint. */
export function fastpathReplyRecv(k: Kernel, server: Thread, endpoint: Endpoint): boolean {
    const from = server.regs;
    const info = from[REG_INFO];
    const reply = server.reply;
    if ((info & LENGTH_BITS) > FAST_MESSAGE_REGISTERS || (info & EXTRA_CAPS_BITS) > ONE_EXTRA_CAP || !reply || !reply.isLiveFor(server.replyEpoch) || reply.forFault) return false;
    if (endpoint.state === EndpointState.Sending || (server.boundNotification?.word ?? 0) !== 0) return false;
    const caller = reply.caller;
    if (caller.debugStopped || caller.priority < k.scheduler.highestPriority()) return false;
    server.reply = undefined;
    const length = info & LENGTH_BITS;
    const to = caller.regs;
    for (let i = 0; i < length; i++) to[REG_MR0 + i] = from[REG_MR0 + i];
    const described = k.events.active && infoExtraCaps(info) > 0 ? [] : undefined;
    const delivered = (info & EXTRA_CAPS_BITS) === 0 ? info & ~0xf80 : deliverCap(k, server, caller, undefined, info, reply.canGrant, described);
    to[REG_BADGE] = 0;
    to[REG_INFO] = delivered;
    to[REG_STATUS] = 0;
    server.state = ThreadState.BlockedOnReceive;
    server.blockedOn = endpoint;
    endpoint.enqueue(server, EndpointState.Receiving);
    k.charge(CycleCost.fastpathReplyRecv);
    k.switchTo(caller);
    if (k.events.active) reportFastpath(k, 'reply', server, caller, '', 0, info, length, delivered, described);
    return true;
}

/** The event for a message the fastpath delivered (replies travel on no endpoint: ''). */
function reportFastpath(k: Kernel, operation: 'call' | 'reply', sender: Thread, receiver: Thread, endpoint: string, badge: number, info: number, length: number,
    delivered: number, described: string[] | undefined): void {
    k.events.emit({
        kind: 'ipc', cycle: k.cycle, operation, from: sender.name, to: receiver.name, endpoint,
        badge: badge >>> 0, label: infoLabel(info), words: messageWords(receiver, length), caps: infoExtraCaps(delivered),
        capObjects: described && described.length > 0 ? described : undefined, fastpath: true
    });
}
