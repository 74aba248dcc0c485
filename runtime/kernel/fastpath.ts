/**
 * The IPC fastpath (seL4's fastpath.c): Call and ReplyRecv with a message of at most four words and at
 * most one capability (seL4's takes none; ukvm32's takes one, because capability transfer is what most
 * often pushes an otherwise short message off the fastpath — docs/ABI.md), when the other side is already
 * waiting and may run at once. It copies the registers and switches straight to the receiver — no queue
 * operations, no scheduler pass. Anything unusual returns false before changing state, and the general
 * path (syscalls.ts, ipc.ts) handles the call from the start, reporting any error; the two must give the
 * same result apart from the cycles charged (tests compare them).
 *
 * Like seL4's, it is one function written straight through, from the decoding of the registers to the
 * switch, for both directions. That is a choice made for V8: its optimising compiler inlines a callee of
 * at most 460 bytes of bytecode, and at most 920 in all into one function, so a fastpath split into a
 * decoder, two directions and a switch was compiled differently with every small edit (one part or
 * another became a call: 7-10% more host instructions per round trip than this form, counted with
 * `npm run bench:ipc -- --instructions`). One function larger than that is never inlined into the CPU's
 * loop and inlines all its own helpers, which are small; rare work (events, capabilities, a sorted queue
 * insert) lives in functions that the common path never calls, so it takes none of the budget.
 */
import {
    FAST_MESSAGE_REGISTERS, INFO_CAP_BITS, INFO_EXTRA_CAPS_BITS, INFO_LENGTH_BITS, INFO_ONE_EXTRA_CAP, REG_BADGE,
    REG_CPTR, REG_INFO, REG_MR0, REG_STATUS, REG_SYSCALL, Right, Syscall, infoExtraCaps, infoLabel, infoLength,
    messageInfo, KernelError
} from '../contract/index.js';
import { CapType } from './capability.js';
import { CycleCost } from './cycle-costs.js';
import { messageWords, transferCaps, validateOutgoing } from './ipc.js';
import type { Kernel } from './kernel.js';
import { EndpointState, type Endpoint } from './objects/endpoint.js';
import { issueReply } from './objects/reply.js';
import { ThreadState, type Thread } from './objects/tcb.js';

/**
 * The fastpath at system-call entry, before the general decoder (seL4's `fastpath_call` and
 * `fastpath_reply_recv` are called from the trap entry in the same way). Returns true when it handled the
 * call (the receiver is now current), false having changed nothing.
 *
 * Flags are compared with `=== true`: V8 then compiles a pointer comparison instead of a generic truth
 * test. The message registers are copied in four written-out lines: a loop carries an interrupt check.
 */
export function fastpath(k: Kernel, sender: Thread): boolean {
    const from = sender.regs;
    const number = from[REG_SYSCALL];
    const info = from[REG_INFO];
    if ((number !== Syscall.Call && number !== Syscall.ReplyRecv) || (info & INFO_LENGTH_BITS) > FAST_MESSAGE_REGISTERS
        || (info & INFO_EXTRA_CAPS_BITS) > INFO_ONE_EXTRA_CAP || k.fastpathEnabled !== true) return false;
    // CNode.slotAt, without its checks for non-integers (a register holds an integer; a negative one
    // is no slot, as it is none for slotAt once made unsigned).
    const slots = sender.cspace.slots;
    const cptr = from[REG_CPTR];
    if (cptr <= 0 || cptr >= slots.length) return false;
    const cap = slots[cptr].cap;
    if (cap === undefined || cap.type !== CapType.Endpoint) return false;
    // A capability to transfer must be readable where the message says (the general path reports why not).
    if ((info & INFO_EXTRA_CAPS_BITS) !== 0 && validateOutgoing(sender, info) !== KernelError.NoError) return false;
    const endpoint = cap.object;
    const isCall = number === Syscall.Call;
    let receiver: Thread;
    let badge = 0;
    let canGrant: boolean;
    if (isCall) {
        // Call: a receiver waits on the endpoint; it takes the message and a reply capability for the caller.
        if ((cap.rights & Right.Write) === 0 || endpoint.state !== EndpointState.Receiving) return false;
        receiver = endpoint.queue[0];
        if (receiver.debugStopped === true || k.scheduler.outranks(receiver.priority)) return false;
        endpoint.dequeue();
        badge = cap.badge;
        canGrant = (cap.rights & Right.Grant) !== 0;
        sender.state = ThreadState.BlockedOnReply;
        sender.blockedOn = issueReply(sender, receiver, false, canGrant);
    } else {
        // ReplyRecv: the caller waits for this reply, and no sender (nor a bound notification's signal)
        // is pending for the receive that follows.
        const reply = sender.reply;
        if ((cap.rights & Right.Read) === 0 || reply === undefined || !reply.isLiveFor(sender.replyEpoch) || reply.forFault === true
            || endpoint.state === EndpointState.Sending || (sender.boundNotification !== undefined && sender.boundNotification.word !== 0)) return false;
        receiver = reply.caller;
        if (receiver.debugStopped === true || k.scheduler.outranks(receiver.priority)) return false;
        canGrant = reply.canGrant;
        sender.reply = undefined;
        sender.state = ThreadState.BlockedOnReceive;
        sender.blockedOn = endpoint;
        endpoint.enqueue(sender, EndpointState.Receiving);
    }
    const length = info & INFO_LENGTH_BITS;
    const to = receiver.regs;
    if (length > 0) to[REG_MR0] = from[REG_MR0];
    if (length > 1) to[REG_MR0 + 1] = from[REG_MR0 + 1];
    if (length > 2) to[REG_MR0 + 2] = from[REG_MR0 + 2];
    if (length > 3) to[REG_MR0 + 3] = from[REG_MR0 + 3];
    // What the transferred capability names, for events (only built when someone listens).
    const described = k.events.active === true && (info & INFO_EXTRA_CAPS_BITS) !== 0 ? [] : undefined;
    const delivered = (info & INFO_EXTRA_CAPS_BITS) === 0 ? info & ~INFO_CAP_BITS
        : deliverCap(k, sender, receiver, isCall ? endpoint : undefined, info, canGrant, described);
    to[REG_BADGE] = badge;
    to[REG_INFO] = delivered;
    to[REG_STATUS] = 0;
    k.charge(isCall ? CycleCost.fastpathCall : CycleCost.fastpathReplyRecv);
    k.switchTo(receiver);
    if (k.events.active === true) reportFastpath(k, isCall, sender, receiver, endpoint.name, badge, info, length, delivered, described);
    return true;
}

/** Moves the message's one capability if allowed; returns the message info the receiver sees. */
function deliverCap(k: Kernel, sender: Thread, receiver: Thread, endpoint: Endpoint | undefined, info: number, canGrant: boolean,
    described: string[] | undefined): number {
    if (!canGrant) return info & ~INFO_CAP_BITS;
    const { caps, unwrapped } = transferCaps(sender, receiver, endpoint, 1, described);
    k.charge(CycleCost.perCap * caps);
    return messageInfo(infoLabel(info), infoLength(info), caps, unwrapped);
}

/** The event for a message the fastpath delivered (a reply travels on no endpoint: ''). */
function reportFastpath(k: Kernel, isCall: boolean, sender: Thread, receiver: Thread, endpoint: string, badge: number, info: number,
    length: number, delivered: number, described: string[] | undefined): void {
    k.events.emit({
        kind: 'ipc', cycle: k.cycle, operation: isCall ? 'call' : 'reply', from: sender.name, to: receiver.name,
        endpoint: isCall ? endpoint : '', badge: badge >>> 0, label: infoLabel(info), words: messageWords(receiver, length),
        caps: infoExtraCaps(delivered), capObjects: described && described.length > 0 ? described : undefined, fastpath: true
    });
}
