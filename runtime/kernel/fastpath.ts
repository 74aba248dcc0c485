/**
 * The IPC fastpath (seL4's fastpath.c): Call and ReplyRecv with a message of at most four words and at
 * most one capability (seL4's takes none; ukvm32's takes one, because capability transfer is what most
 * often pushes an otherwise short message off the fastpath — docs/ABI.md), when the other side is already
 * waiting and may run at once. It copies the registers and switches straight to the receiver — no queue
 * operations, no scheduler pass. Anything unusual returns
 * false before changing state, and the general path in ipc.ts handles it; the two must give the same
 * result apart from the cycles charged (tests compare them).
 */
import { FAST_MESSAGE_REGISTERS, REG_BADGE, REG_INFO, REG_MR0, REG_STATUS, infoExtraCaps, infoLabel, infoLength, messageInfo } from './abi.js';
import { CycleCost } from './cycle-costs.js';
import { messageWords, transferCaps } from './ipc.js';
import type { Kernel } from './kernel.js';
import { EndpointState, type Endpoint } from './objects/endpoint.js';
import { issueReply, liveReply } from './objects/reply.js';
import { ThreadState, type Thread } from './objects/tcb.js';

function isFastMessage(info: number): boolean {
    return infoLength(info) <= FAST_MESSAGE_REGISTERS && infoExtraCaps(info) <= 1;
}

/** Moves the message's capability, if any and allowed; returns the message info the receiver sees. */
function deliverCap(k: Kernel, sender: Thread, receiver: Thread, endpoint: Endpoint | undefined, info: number, canGrant: boolean,
    described: string[] | undefined): number {
    if (infoExtraCaps(info) === 0 || !canGrant) return info & ~0xf80;
    const { caps, unwrapped } = transferCaps(sender, receiver, endpoint, 1, described);
    k.charge(CycleCost.perCap * caps);
    return messageInfo(infoLabel(info), infoLength(info), caps, unwrapped);
}

function copyFastRegisters(from: Thread, to: Thread, length: number): void {
    const source = from.regs, target = to.regs;
    for (let i = 0; i < length; i++) target[REG_MR0 + i] = source[REG_MR0 + i];
}

/** Call on an endpoint with a receiver waiting. */
export function fastpathCall(k: Kernel, caller: Thread, endpoint: Endpoint, badge: number, canGrant: boolean): boolean {
    const info = caller.regs[REG_INFO];
    if (!isFastMessage(info) || endpoint.state !== EndpointState.Receiving) return false;
    const receiver = endpoint.queue[0];
    if (receiver.debugStopped || receiver.priority < k.scheduler.highestPriority()) return false;
    endpoint.dequeue();
    const length = infoLength(info);
    copyFastRegisters(caller, receiver, length);
    // What the transferred capability names, for events (only built when someone listens).
    const described = k.events.active && infoExtraCaps(info) > 0 ? [] : undefined;
    const delivered = deliverCap(k, caller, receiver, endpoint, info, canGrant, described);
    receiver.regs[REG_BADGE] = badge;
    receiver.regs[REG_INFO] = delivered;
    receiver.regs[REG_STATUS] = 0;
    const reply = issueReply(caller, receiver, false, canGrant);
    caller.state = ThreadState.BlockedOnReply;
    caller.blockedOn = reply;
    k.charge(CycleCost.fastpathCall);
    k.switchTo(receiver);
    if (k.events.active) {
        k.events.emit({
            kind: 'ipc', cycle: k.cycle, operation: 'call', from: caller.name, to: receiver.name, endpoint: endpoint.name,
            badge: badge >>> 0, label: infoLabel(info), words: messageWords(receiver, length), caps: infoExtraCaps(delivered),
            capObjects: described && described.length > 0 ? described : undefined, fastpath: true
        });
    }
    return true;
}

/** ReplyRecv answering a waiting caller, when no other sender is queued on the endpoint. */
export function fastpathReplyRecv(k: Kernel, server: Thread, endpoint: Endpoint): boolean {
    const info = server.regs[REG_INFO];
    const reply = liveReply(server);
    if (!isFastMessage(info) || !reply || reply.forFault) return false;
    if (endpoint.state === EndpointState.Sending || (server.boundNotification?.word ?? 0) !== 0) return false;
    const caller = reply.caller;
    if (caller.debugStopped || caller.priority < k.scheduler.highestPriority()) return false;
    server.reply = undefined;
    const length = infoLength(info);
    copyFastRegisters(server, caller, length);
    const described = k.events.active && infoExtraCaps(info) > 0 ? [] : undefined;
    const delivered = deliverCap(k, server, caller, undefined, info, reply.canGrant, described);
    caller.regs[REG_BADGE] = 0;
    caller.regs[REG_INFO] = delivered;
    caller.regs[REG_STATUS] = 0;
    server.state = ThreadState.BlockedOnReceive;
    server.blockedOn = endpoint;
    endpoint.enqueue(server, EndpointState.Receiving);
    k.charge(CycleCost.fastpathReplyRecv);
    k.switchTo(caller);
    if (k.events.active) {
        k.events.emit({
            kind: 'ipc', cycle: k.cycle, operation: 'reply', from: server.name, to: caller.name, endpoint: '',
            badge: 0, label: infoLabel(info), words: messageWords(caller, length), caps: infoExtraCaps(delivered),
            capObjects: described && described.length > 0 ? described : undefined, fastpath: true
        });
    }
    return true;
}
