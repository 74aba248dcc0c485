/**
 * The general IPC path (seL4's endpoint.c and the transfer half of tcb.c): rendezvous on endpoints,
 * message and capability transfer, replies, and notifications. fastpath.ts handles the common short cases
 * first; everything it declines comes here. Requests are validated before they reach these functions
 * (syscalls.ts), so these only change state.
 */
import {
    ALL_RIGHTS, CAP_GRANT_FLAG, FAST_MESSAGE_REGISTERS, IPC_BUFFER_SIZE, IPC_CAPS_OR_BADGES, IPC_MSG,
    IPC_RECEIVE_INDEX, MAX_MESSAGE_LENGTH, REG_BADGE, REG_INFO, REG_MR0, SERVER_FAILED_LABEL, infoExtraCaps, infoLabel,
    infoLength, messageInfo, KernelError, RECEIVED_SIGNAL, WOULD_BLOCK
} from '../contract/index.js';
import {
    CAP_TYPE_NAMES, CapType, deriveCapability, insertCapability, moveCapability, removeCapability, type Capability,
    type FrameCapability, type ReplyCapability, type Slot
} from './capability.js';
import { CycleCost } from './cycle-costs.js';
import type { IpcOperation } from './events.js';
import type { Kernel } from './kernel.js';
import { Endpoint, EndpointState } from './objects/endpoint.js';
import { Notification } from './objects/notification.js';
import { Reply, issueReply, liveReply } from './objects/reply.js';
import { ThreadState, type SendState, type Thread } from './objects/tcb.js';
import { unmapFrame } from './objects/vspace.js';

/** Whether the thread's IPC buffer is mapped for the kernel to read (or write) up to `endOffset`. */
export function ipcBufferUsable(thread: Thread, endOffset: number, forWrite: boolean): boolean {
    if (thread.ipcBuffer === 0) return false;
    // The buffer is aligned so that it lies in one page: checking its first word checks the page.
    return thread.vspace.wordAddress(thread.ipcBuffer, forWrite) >= 0 && endOffset <= IPC_BUFFER_SIZE;
}

/**
 * Checks an outgoing message before anything happens: its length, that its words beyond the registers
 * and its capability pointers can be read, and that each capability exists.
 */
export function validateOutgoing(thread: Thread, info: number): KernelError {
    const length = infoLength(info);
    if (length > MAX_MESSAGE_LENGTH) return KernelError.RangeError;
    const caps = infoExtraCaps(info);
    if (length > FAST_MESSAGE_REGISTERS && !ipcBufferUsable(thread, IPC_MSG + 4 * length, false)) return KernelError.TruncatedMessage;
    if (caps === 0) return KernelError.NoError;
    if (!ipcBufferUsable(thread, IPC_CAPS_OR_BADGES + 4 * caps, false)) return KernelError.TruncatedMessage;
    for (let i = 0; i < caps; i++) {
        const raw = thread.vspace.readWord(thread.ipcBuffer + IPC_CAPS_OR_BADGES + 4 * i) ?? 0;
        if (!thread.cspace.slotAt((raw & ~CAP_GRANT_FLAG) >>> 0)?.cap) return KernelError.FailedLookup;
    }
    return KernelError.NoError;
}

// ------------------------------------------------------------ endpoints

/** Sends on an endpoint: delivers to a waiting receiver, or queues the sender (unless non-blocking). */
export function sendIpc(k: Kernel, sender: Thread, endpoint: Endpoint, send: SendState, blocking: boolean): void {
    if (endpoint.state === EndpointState.Receiving) {
        const receiver = endpoint.dequeue() as Thread;
        transfer(k, sender, receiver, endpoint, send, send.fault ? 'fault' : send.isCall ? 'call' : 'send');
        if (send.isCall) {
            awaitReply(k, sender, receiver, send);
            if (!k.switchDirectly(receiver)) k.makeRunnable(receiver);
        } else {
            k.complete(sender, KernelError.NoError, 'Send');
            k.makeRunnable(receiver);
        }
        return;
    }
    sendWithoutReceiver(k, sender, endpoint, send, blocking, 'NBSend');
}

/**
 * A send that found no receiver waiting, under every model: without blocking it ends with WOULD_BLOCK
 * (`operation` names it in the trace), else the sender waits in the endpoint's queue with its message.
 * Returns whether the sender waits.
 */
export function sendWithoutReceiver(k: Kernel, sender: Thread, endpoint: Endpoint, send: SendState, blocking: boolean, operation: string): boolean {
    if (!blocking) {
        k.complete(sender, WOULD_BLOCK, operation);
        return false;
    }
    sender.state = ThreadState.BlockedOnSend;
    sender.blockedOn = endpoint;
    sender.send = send;
    endpoint.enqueue(sender, EndpointState.Sending);
    k.unschedule(sender);
    return true;
}

/** Receives on an endpoint: a pending bound signal first, then a waiting sender, else blocks (or not). */
export function receiveIpc(k: Kernel, receiver: Thread, endpoint: Endpoint, blocking: boolean): void {
    const bound = receiver.boundNotification;
    if (bound && bound.word !== 0) {
        receiver.regs[REG_BADGE] = bound.word;
        bound.word = 0;
        k.charge(CycleCost.notification);
        k.complete(receiver, RECEIVED_SIGNAL, 'Recv');
        return;
    }
    if (endpoint.state === EndpointState.Sending) {
        const sender = endpoint.dequeue() as Thread;
        const send = sender.send as SendState;
        sender.send = undefined;
        transfer(k, sender, receiver, endpoint, send, send.fault ? 'fault' : send.isCall ? 'call' : 'send');
        if (send.isCall) {
            awaitReply(k, sender, receiver, send);
        } else {
            k.complete(sender, KernelError.NoError, 'Send');
            k.makeRunnable(sender);
        }
        return;
    }
    receiveNothing(k, receiver, endpoint, blocking, 'NBRecv');
}

/**
 * A receive that found nothing to take, under every model: without blocking it ends with WOULD_BLOCK (badge
 * and message info cleared; `operation` names it in the trace), else the receiver waits on the endpoint.
 */
export function receiveNothing(k: Kernel, receiver: Thread, endpoint: Endpoint, blocking: boolean, operation: string): void {
    if (!blocking) {
        receiver.regs[REG_BADGE] = 0;
        receiver.regs[REG_INFO] = 0;
        k.complete(receiver, WOULD_BLOCK, operation);
        return;
    }
    receiver.state = ThreadState.BlockedOnReceive;
    receiver.blockedOn = endpoint;
    endpoint.enqueue(receiver, EndpointState.Receiving);
    k.unschedule(receiver);
}

/**
 * A model's reply to what `replier` holds, the part every model shares: the live reply is taken (a reply
 * is one-shot); a fault's is answered as under every model (resumeAfterFault), a Call's by the model's
 * `answerCall`. Returns false, with nothing changed, when there is nothing to answer (no reply held, or
 * its caller stopped waiting).
 */
export function answerHeldReply<Model>(k: Kernel, replier: Thread, model: Model, answerCall: (k: Kernel, model: Model, replier: Thread, reply: Reply) => void): boolean {
    const reply = liveReply(replier);
    replier.reply = undefined;
    if (reply === undefined) return false;
    if (reply.forFault) resumeAfterFault(k, replier, reply.caller);
    else answerCall(k, model, replier, reply);
    return true;
}

/** After a Call's message went through: the caller waits on a fresh reply capability held by the receiver. */
function awaitReply(k: Kernel, caller: Thread, receiver: Thread, send: SendState): void {
    const reply = issueReply(caller, receiver, send.fault !== undefined, send.canGrant);
    caller.state = ThreadState.BlockedOnReply;
    caller.blockedOn = reply;
    k.unschedule(caller);
}

/**
 * Answers the Call whose reply capability `replier` holds, and spends it. Returns false when there is
 * none, or the caller no longer waits (seL4 ignores such a reply too).
 */
export function doReply(k: Kernel, replier: Thread): boolean {
    const reply = liveReply(replier);
    replier.reply = undefined;
    if (!reply) return false;
    answerCall(k, replier, reply);
    return true;
}

/** Sends `replier`'s message as the answer to the live `reply` and wakes its caller. */
function answerCall(k: Kernel, replier: Thread, reply: Reply): void {
    const caller = reply.caller;
    if (reply.forFault) {
        resumeAfterFault(k, replier, caller);
        return;
    }
    transfer(k, replier, caller, undefined, { badge: 0, isCall: false, canGrant: reply.canGrant }, 'reply');
    k.makeRunnable(caller);
}

/**
 * Send on a saved reply capability (seL4's performInvocation_Reply): answers the Call it names, if its
 * caller still waits for it, and spends the capability either way — a reply capability is one-shot.
 */
export function replyThroughSaved(k: Kernel, replier: Thread, slot: Slot, cap: ReplyCapability): void {
    removeCapability(slot, () => {});
    if (cap.object.isLiveFor(cap.epoch)) answerCall(k, replier, cap.object);
    else k.charge(CycleCost.trivialSyscall);
}

/**
 * A saved reply capability was deleted unused: its caller gets ServerFailed, as when a server stops
 * serving (ukc's addition; seL4 leaves the caller blocked). `by` is the thread whose action deleted it.
 */
export function dropSavedReply(k: Kernel, by: Thread, cap: ReplyCapability): void {
    if (!cap.object.isLiveFor(cap.epoch)) return;
    dropReply(k, by, cap.object);
}

/** Ends a live reply that will never be answered: ServerFailed for a Call, a retry for a fault. */
function dropReply(k: Kernel, server: Thread, reply: Reply): void {
    if (!reply.forFault) {
        failCall(k, server, reply.caller);
        return;
    }
    // Its pc is the faulting instruction already (restartPc): it runs again and faults anew.
    k.makeRunnable(reply.caller);
}

/**
 * The fault handler answered: label 0 resumes the thread (at MR0 when the reply has a word, else retrying
 * the faulting instruction); any other label leaves it suspended.
 */
export function resumeAfterFault(k: Kernel, handler: Thread, faulted: Thread): void {
    const info = handler.regs[REG_INFO];
    k.charge(CycleCost.slowpathBase);
    if (infoLabel(info) !== 0) {
        faulted.state = ThreadState.Inactive;
        faulted.blockedOn = undefined;
        abandonReply(k, faulted);
        return;
    }
    if (infoLength(info) >= 1) faulted.pc = handler.regs[REG_MR0];
    if (k.events.active) k.events.emit({ kind: 'resume', cycle: k.cycle, thread: faulted.name, by: handler.name, pc: faulted.pc >>> 0 });
    k.makeRunnable(faulted);
}

/**
 * A thread that stops serving (faulted, suspended, restarted, or left stopped after a fault) gives up the
 * reply capability it holds. A caller waiting in a Call gets the error reply SERVER_FAILED_LABEL (the
 * promise of MINIX 3 and QNX: a client learns that its server failed instead of waiting for a reply that
 * can never come, and the request is not run again unasked). A faulted thread waiting for its handler's
 * answer retries its faulting instruction instead.
 */
export function abandonReply(k: Kernel, server: Thread): void {
    const reply = liveReply(server);
    server.reply = undefined;
    if (reply) dropReply(k, server, reply);
}

/** Ends `caller`'s Call with the error reply SERVER_FAILED_LABEL (no words), as if `server` had sent it. */
function failCall(k: Kernel, server: Thread, caller: Thread): void {
    caller.regs[REG_BADGE] = 0;
    caller.regs[REG_INFO] = messageInfo(SERVER_FAILED_LABEL, 0);
    k.complete(caller, KernelError.NoError, 'Call');
    k.charge(CycleCost.slowpathBase);
    if (k.events.active) {
        k.events.emit({
            kind: 'ipc', cycle: k.cycle, operation: 'reply', from: server.name, to: caller.name, endpoint: '', badge: 0,
            label: SERVER_FAILED_LABEL, words: [], caps: 0, fastpath: false
        });
    }
    k.makeRunnable(caller);
}

/**
 * Where a thread starts again when its wait is cut short (seL4's restart pc): a thread blocked in a
 * system call at its `ecall` (its pc is past it), to make the call again; a thread blocked by a fault at
 * the faulting instruction (its pc already), which runs again and faults anew. A running or inactive
 * thread is in no call: its pc. Ask before cancelIpc, which forgets what the thread waited for.
 */
export function restartPc(thread: Thread): number {
    switch (thread.state) {
        case ThreadState.Runnable:
        case ThreadState.Inactive:
            return thread.pc;
        case ThreadState.BlockedOnSend:
            return thread.send?.fault !== undefined ? thread.pc : (thread.pc - 4) | 0;
        case ThreadState.BlockedOnReply:
            return thread.blockedOn instanceof Reply && thread.blockedOn.forFault ? thread.pc : (thread.pc - 4) | 0;
        default:
            return (thread.pc - 4) | 0;
    }
}

/** Sets a blocked thread to start again where restartPc says. */
export function rewindToRestart(k: Kernel, thread: Thread): void {
    k.setThreadPc(thread, restartPc(thread));
}

/** Takes a thread out of whatever IPC it is blocked in (before suspending or restarting it). */
export function cancelIpc(thread: Thread): void {
    const waitingOn = thread.blockedOn;
    if (waitingOn instanceof Endpoint || waitingOn instanceof Notification) waitingOn.remove(thread);
    thread.blockedOn = undefined;
    thread.send = undefined;
}

// ------------------------------------------------------------ transfer

/** Copies a message (words and capabilities) from sender to receiver and sets the receiver's registers. */
function transfer(k: Kernel, sender: Thread, receiver: Thread, endpoint: Endpoint | undefined, send: SendState, operation: IpcOperation): void {
    let label: number;
    let length: number;
    let caps = 0;
    let unwrapped = 0;
    const described: string[] | undefined = k.events.active ? [] : undefined;
    const receiverBuffer = receiver.ipcBuffer;
    const fault = send.fault;
    if (fault) {
        label = fault.label;
        length = fault.words.length;
        for (let i = 0; i < length; i++) {
            if (i < FAST_MESSAGE_REGISTERS) receiver.regs[REG_MR0 + i] = fault.words[i];
            else receiver.vspace.writeWord(receiverBuffer + IPC_MSG + 4 * i, fault.words[i]);
        }
    } else {
        const info = sender.regs[REG_INFO];
        label = infoLabel(info);
        length = Math.min(infoLength(info), MAX_MESSAGE_LENGTH);
        for (let i = 0; i < length && i < FAST_MESSAGE_REGISTERS; i++) receiver.regs[REG_MR0 + i] = sender.regs[REG_MR0 + i];
        if (length > FAST_MESSAGE_REGISTERS) {
            const end = IPC_MSG + 4 * length;
            if (!ipcBufferUsable(sender, end, false) || !ipcBufferUsable(receiver, end, true)) {
                length = FAST_MESSAGE_REGISTERS;
            } else {
                for (let i = FAST_MESSAGE_REGISTERS; i < length; i++) {
                    const offset = IPC_MSG + 4 * i;
                    receiver.vspace.writeWord(receiverBuffer + offset, sender.vspace.readWord(sender.ipcBuffer + offset) ?? 0);
                }
            }
        }
        const requested = infoExtraCaps(info);
        if (requested > 0 && send.canGrant) ({ caps, unwrapped } = transferCaps(sender, receiver, endpoint, requested, described));
    }
    receiver.regs[REG_BADGE] = send.badge;
    receiver.regs[REG_INFO] = messageInfo(label, length, caps, unwrapped);
    k.complete(receiver, KernelError.NoError, 'Recv');
    k.charge(CycleCost.slowpathBase + CycleCost.perWord * Math.max(0, length - FAST_MESSAGE_REGISTERS) + CycleCost.perCap * caps);
    if (k.events.active) {
        k.events.emit({
            kind: 'ipc', cycle: k.cycle, operation, from: sender.name, to: receiver.name, endpoint: endpoint?.name ?? '',
            badge: send.badge >>> 0, label, words: messageWords(receiver, length), caps,
            capObjects: described && described.length > 0 ? described : undefined, fastpath: false,
            // What travels in registers is not copied through memory; the rest goes IPC buffer to IPC buffer.
            bytesCopied: length > FAST_MESSAGE_REGISTERS ? 4 * (length - FAST_MESSAGE_REGISTERS) : undefined
        });
    }
}

/** The words a receiver got, MR0 first (for events). */
export function messageWords(receiver: Thread, length: number): number[] {
    const words: number[] = [];
    for (let i = 0; i < length; i++) {
        words.push(i < FAST_MESSAGE_REGISTERS ? receiver.regs[REG_MR0 + i] >>> 0 : (receiver.vspace.readWord(receiver.ipcBuffer + IPC_MSG + 4 * i) ?? 0) >>> 0);
    }
    return words;
}

/** A transferred capability in events: its kind, and the object's name where objects have one that tools know. */
function describeCap(cap: Capability | FrameCapability): string {
    const kind = CAP_TYPE_NAMES[cap.type];
    return cap.type === CapType.Endpoint || cap.type === CapType.Notification ? `${kind}:${cap.object.name}` : kind;
}

/**
 * Transfers up to three capabilities named in the sender's IPC buffer. A capability to the very endpoint
 * the message travels on is unwrapped: the receiver gets its badge (in its buffer) instead of a copy, as
 * in seL4. Others go into consecutive slots from the receiver's receive index, as derived copies, or moved
 * when the sender marked them with CAP_GRANT_FLAG (a frame moved this way leaves the sender's address
 * space: an L4 grant). Transfer stops at the first capability that cannot be placed.
 */
export function transferCaps(sender: Thread, receiver: Thread, endpoint: Endpoint | undefined, requested: number,
    described?: string[]): { caps: number; unwrapped: number } {
    let caps = 0;
    let unwrapped = 0;
    let nextIndex = receiver.ipcBuffer === 0 ? 0 : (receiver.vspace.readWord(receiver.ipcBuffer + IPC_RECEIVE_INDEX) ?? 0) >>> 0;
    for (let i = 0; i < requested; i++) {
        const raw = sender.vspace.readWord(sender.ipcBuffer + IPC_CAPS_OR_BADGES + 4 * i);
        if (raw === undefined) break;
        const source = sender.cspace.slotAt((raw & ~CAP_GRANT_FLAG) >>> 0);
        const cap = source?.cap;
        if (!source || !cap) break;
        if (cap.type === CapType.Endpoint && endpoint !== undefined && cap.object === endpoint) {
            if (!receiver.vspace.writeWord(receiver.ipcBuffer + IPC_CAPS_OR_BADGES + 4 * i, cap.badge)) break;
            unwrapped |= 1 << i;
            caps++;
            described?.push(`badge:${cap.badge >>> 0}`);
            continue;
        }
        // A reply capability cannot be copied (seL4 derives a null capability from it): transfer stops.
        if (cap.type === CapType.Reply) break;
        const destination: Slot | undefined = receiver.cspace.slotAt(nextIndex);
        if (!destination || !destination.isEmpty) break;
        if ((raw & CAP_GRANT_FLAG) !== 0) {
            if (cap.type === CapType.Frame) unmapFrame(cap);
            moveCapability(source, destination);
        } else {
            insertCapability(destination, deriveCapability(cap, ALL_RIGHTS), source);
        }
        nextIndex++;
        caps++;
        described?.push(describeCap(cap));
    }
    return { caps, unwrapped };
}

// ------------------------------------------------------------ notifications

/**
 * How a kernel model names and prices a signal: its cost, the operations that end a waiter's wait and a
 * bound thread's receive, and the primitive the trace names (seL4's Signal has none; Mach's notification
 * message is `mach_msg notify`).
 */
export interface SignalModel {
    readonly cost: number;
    readonly waitOperation: string;
    readonly receiveOperation: string;
    readonly primitive?: string;
}

/** seL4's Signal, which RC 4000's interrupts and the kernel's own event delivery use as well. */
const SEL4_SIGNAL: SignalModel = { cost: CycleCost.notification, waitOperation: 'Wait', receiveOperation: 'Recv' };

/** Signal: wake a waiter with the word, or a bound thread blocked in receive, or OR the bits in. */
export function signalNotification(k: Kernel, notification: Notification, badge: number, from: string, model: SignalModel = SEL4_SIGNAL): void {
    k.charge(model.cost);
    let woke: Thread | undefined;
    const bound = notification.boundThread;
    if (notification.waiters.length > 0) {
        woke = notification.waiters.shift() as Thread;
        woke.regs[REG_BADGE] = notification.word | badge;
        notification.word = 0;
        k.complete(woke, KernelError.NoError, model.waitOperation);
        k.makeRunnable(woke);
    } else if (bound && bound.state === ThreadState.BlockedOnReceive && bound.blockedOn instanceof Endpoint) {
        woke = bound;
        cancelIpc(bound);
        bound.regs[REG_BADGE] = notification.word | badge;
        notification.word = 0;
        k.complete(bound, RECEIVED_SIGNAL, model.receiveOperation);
        k.makeRunnable(bound);
    } else {
        notification.word = (notification.word | badge) >>> 0;
    }
    if (k.events.active) {
        k.events.emit({ kind: 'signal', cycle: k.cycle, from, notification: notification.name, bits: badge >>> 0, woke: woke?.name, primitive: model.primitive });
    }
}

/** Wait (blocking) or Poll: take the word and clear it. Poll of an empty word returns 0. */
export function waitNotification(k: Kernel, thread: Thread, notification: Notification, blocking: boolean): void {
    k.charge(CycleCost.notification);
    if (notification.word !== 0 || !blocking) {
        thread.regs[REG_BADGE] = notification.word;
        notification.word = 0;
        k.complete(thread, KernelError.NoError, blocking ? 'Wait' : 'Poll');
        return;
    }
    thread.state = ThreadState.BlockedOnNotification;
    thread.blockedOn = notification;
    notification.enqueue(thread);
    k.unschedule(thread);
}
