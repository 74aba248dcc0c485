/**
 * Register-packed IPC code from message layouts: client stubs (pack the arguments into the registers and
 * IPC-buffer words the layout names, Call, check the reply, unpack the results) and the server's dispatch
 * loop (ReplyRecv, switch on the label, unpack, call the handler, pack the reply). Packing uses exactly the
 * bits the layout engine chose (src/layout), the same layout `ukc layout` prints and the trace decodes.
 * The pieces live beside it: packing.ts (words and registers), capability-transfer.ts, bulk-data.ts.
 *
 * Conventions (ir.ts, `message`): a stub takes the method's scalar arguments in a2..a7 and the overflow
 * words (declaration order) and returns a0 = the reply's error label (0 on success) and the results the
 * same way; a handler takes and returns its values the same way. A value that travels in the register it
 * is passed in costs nothing.
 */
import type { MessageLayout, MethodLayout } from '../../layout/index.js';
import {
    IPC_CAPS_OR_BADGES, IPC_RECEIVE_INDEX, Invocation, SERVER_FAILED_LABEL, Syscall, messageInfo, RECEIVED_SIGNAL, CLIENT_LEASE_SLOT,
    EVENTS_SLOT, EVENT_LANE_BITS, FIRST_INTERRUPT_SIGNAL_SLOT, IPC_BUFFER, LEASE_SLOT, OWN_ENDPOINT_SLOT,
    OWN_TCB_SLOT, UNKNOWN_METHOD_LABEL, valueCaps
} from '../../../runtime/contract/index.js';
import { argumentIndex, emitMoves, packMessage, prepareMemoryWords, unpackMoves, valueAt, wordScalars } from './packing.js';
import { errorWords, packErrorReply, unpackErrorReply } from './error-replies.js';
import { GATHER_CAPS, gatherCapsRoutine, leaseCapMask, receiveIndexSetup, storeReplyCaps, storeRequestCaps, takeCaps } from './capability-transfer.js';
import { drainEventQueues, type SubscribedPort } from './event-code.js';
import {
    LEASE_RELEASE_ALL, checkBulkBounds, findRegion, leaseMapSymbol, leaseReleaseSymbol, leaseRoutines, loadInlineRegisters, messageLeases, replyInlineBytes,
    saveInlineBytes, storeInlineReplyRegisters, usesRegion, type InlineBuffer
} from './bulk-data.js';

/**
 * Whether the values a stub or handler passes (`order`, declaration order) are exactly the message's:
 * its scalar words and the capabilities it carries as values. They are not for a byte buffer inside a
 * struct or array, which the layout sends as bulk data of its own.
 */
export function valuesMatch(layout: MessageLayout, order: readonly string[]): boolean {
    const message = new Set([...wordScalars(layout).map(scalar => scalar.path), ...valueCaps(layout).map(cap => cap.path)]);
    return order.length === message.size && order.every(path => message.has(path));
}

/**
 * A client stub for one method, in the message convention: arguments in a2..a7 (declaration order),
 * results back in a2.. with the error label in a0. Through a port, `cptr` is the port's capability slot;
 * through an endpoint value (`'a1'`), the caller passes the capability pointer in a1. Capabilities among
 * the arguments or results are their slots. In a component that accepts capabilities (`acceptsCaps`),
 * every reply's capabilities are accounted for (`__ukc_received_caps`), whether this method expects any.
 */
export function clientStub(symbol: string, cptr: number | 'a1', method: MethodLayout, paramOrder: readonly string[], resultOrder: readonly string[],
    acceptsCaps = false, errorOrder: readonly string[] = []): string[] {
    const lines = [`${symbol}:`];
    const out = (line: string) => lines.push(`    ${line}`);
    const request = method.request;
    // Through an endpoint value the capability pointer comes in a1; packing touches neither a0 nor a1.
    out(cptr === 'a1' ? 'mv a0, a1' : `li a0, ${cptr}`);
    storeRequestCaps(request, path => valueAt(paramOrder.indexOf(path)), symbol, out, lines);
    // Leases: the caller copied lease k's bytes into its staging page k; a copy of that page's frame goes
    // along as the lease's capability.
    const leases = messageLeases(request);
    if (leases.length > 0) out(`li t6, ${IPC_BUFFER}`);
    leases.forEach((lease, k) => {
        out(`li t0, ${CLIENT_LEASE_SLOT + k}`);
        out(`sw t0, ${IPC_CAPS_OR_BADGES + 4 * (lease.capIndex ?? 0)}(t6)`);
    });
    packMessage(request, scalar => valueAt(argumentIndex(scalar, paramOrder)), out);
    loadInlineRegisters(request, out);
    out(`li a1, ${messageInfo(request.label, request.words, valueCaps(request).length + leases.length)}`);
    out(`li a7, ${method.oneway ? Syscall.Send : Syscall.Call}`);
    out('ecall');
    out('bnez a6, __ukc_ipc_failed');
    if (method.oneway) {
        out('li a0, 0');
        out('ret');
        return lines;
    }
    if (acceptsCaps) out('jal t5, __ukc_received_caps');
    out('srli a0, a1, 12');
    // An error label the method raises, and ServerFailed (which every method may get), go back to the
    // caller's catch or try as they are; another label is a reply this method cannot get.
    out(`bnez a0, ${symbol}.error`);
    const reply = method.reply;
    if (reply) {
        storeInlineReplyRegisters(reply, out);
        prepareMemoryWords(reply, out);
        emitMoves(unpackMoves(reply, scalar => valueAt(argumentIndex(scalar, resultOrder))), out);
        takeCaps(reply, path => valueAt(resultOrder.indexOf(path)), symbol, out, lines);
    }
    out('ret');
    lines.push(`${symbol}.error:`);
    const errorLayout = errorWords(method);
    if (errorLayout) {
        unpackErrorReply(symbol, errorLayout, errorOrder, out, lines);
        return lines;
    }
    if (method.errors.length === 0) {
        out(`li t0, ${SERVER_FAILED_LABEL}`);
        out('bne a0, t0, __ukc_unexpected_reply');
    }
    out('ret');
    return lines;
}

export interface DispatchedMethod {
    readonly layout: MethodLayout;
    /** Bytes of the interface's shared region, when this method has shared bulk data (0: none). */
    readonly sharedRegionBytes: number;
    readonly handlerSymbol: string;
    readonly paramOrder: readonly string[];
    readonly resultOrder: readonly string[];
    /** Its inline byte-buffer parameters. */
    readonly inline: readonly InlineBuffer[];
    /** The order of its error payload's values (error-replies.ts). */
    readonly errorOrder: readonly string[];
}

/**
 * A server's entry point and dispatch loop: receive on its endpoint, switch on the label, unpack the
 * arguments, call the handler, and answer with ReplyRecv (oneway methods get no answer; an unknown label
 * gets an error reply with UNKNOWN_METHOD_LABEL and no words).
 */
export interface InterruptHandler {
    /** Its bit in the component's events notification. */
    readonly bit: number;
    /** The IRQ handler capability's slot (the interrupt port's). */
    readonly slot: number;
    readonly symbol: string;
}

/**
 * A server's `on notification` handler. Without a lane, its port's notification is bound to the server's
 * thread (the word is the handler's argument); with one, the port shares the events notification and the
 * handler gets the lane's bits (system-layout.ts, notificationLanes).
 */
export interface NotificationHandler {
    readonly slot: number;
    readonly symbol: string;
    readonly lane: number | undefined;
}

/** The `uses` ports a server handles events of, and the lane of its events notification their queues signal. */
export interface ServerEventPorts {
    readonly lane: number;
    readonly ports: readonly SubscribedPort[];
}

export function serverDispatch(methods: readonly DispatchedMethod[], initSymbol: string | undefined, interrupts: readonly InterruptHandler[] = [],
    notifications: readonly NotificationHandler[] = [], acceptsCaps = false, eventPorts: ServerEventPorts | undefined = undefined): string[] {
    const bound = notifications.find(handler => handler.lane === undefined);
    const laned = notifications.filter(handler => handler.lane !== undefined);
    const events = interrupts.length > 0 || laned.length > 0 || eventPorts !== undefined;
    const lines = ['_start:'];
    if (acceptsCaps) lines.push(...receiveIndexSetup());
    const out = (line: string) => lines.push(`    ${line}`);
    const invoke = (slot: number, operation: number, args: readonly number[]) => {
        out(`li a0, ${slot}`);
        out(`li a1, ${messageInfo(operation, args.length)}`);
        args.forEach((arg, i) => out(`li a${2 + i}, ${arg}`));
        out(`li a7, ${Syscall.Call}`);
        out('ecall');
    };
    if (bound) invoke(OWN_TCB_SLOT, Invocation.TcbBindNotification, [bound.slot]);
    if (events) {
        // Interrupts, shared notifications and event records arrive as signals on the events notification
        // bound to this thread: they end a Recv.
        invoke(OWN_TCB_SLOT, Invocation.TcbBindNotification, [EVENTS_SLOT]);
        for (const interrupt of interrupts) {
            invoke(interrupt.slot, Invocation.IrqSetNotification, [FIRST_INTERRUPT_SIGNAL_SLOT + interrupt.bit]);
            invoke(interrupt.slot, Invocation.IrqAck, []);
        }
    }
    const leaseCounts = methods.map(method => messageLeases(method.layout.request).length).filter(count => count > 0);
    const mostLeases = Math.max(0, ...leaseCounts);
    const leases = mostLeases > 0;
    // A server that also receives capabilities keeps its receive index where they go, and sorts each
    // request's leases out of what arrived (GATHER_CAPS); otherwise leases arrive in the lease slots.
    const gathers = leases && acceptsCaps;
    if (leases) {
        // Leases that a failed incarnation held (it faulted inside a handler) are let go before anything.
        out(`call ${LEASE_RELEASE_ALL}`);
        if (!gathers) {
            out(`li t0, ${IPC_BUFFER}`);
            out(`li t1, ${LEASE_SLOT}`);
            out(`sw t1, ${IPC_RECEIVE_INDEX}(t0)`);
        }
    }
    if (initSymbol) out(`call ${initSymbol}`);
    const receive = () => {
        out(`li a0, ${OWN_ENDPOINT_SLOT}`);
        out(`li a7, ${Syscall.Recv}`);
        out('ecall');
        out('j __ukc_dispatch');
    };
    receive();
    lines.push('__ukc_dispatch:');
    out(`bnez a6, ${events || bound ? '__ukc_dispatch_status' : '__ukc_dispatch_receive'}`);
    if (acceptsCaps) out('jal t5, __ukc_received_caps');
    out('la t6, __ukc_badge');
    out('sw a0, 0(t6)');
    out('srli t0, a1, 12');
    for (const method of methods) {
        out(`li t1, ${method.layout.ordinal}`);
        out(`beq t0, t1, __ukc_method_${method.layout.ordinal}`);
    }
    out(`li a1, ${messageInfo(UNKNOWN_METHOD_LABEL, 0)}`);
    lines.push('__ukc_reply:');
    out(`li a0, ${OWN_ENDPOINT_SLOT}`);
    out(`li a7, ${Syscall.ReplyRecv}`);
    out('ecall');
    out('j __ukc_dispatch');
    lines.push('__ukc_reply_error:');
    out('slli a1, a0, 12');
    out('j __ukc_reply');
    lines.push('__ukc_dispatch_receive:');
    receive();
    if (events) {
        // A signal instead of a message: run the handler of every interrupt whose bit is set (then ack the
        // line), of every notification lane with bits set (with those bits), and, when the events lane has
        // bits set, of every record in the event queues. The last request was answered before this receive,
        // so handlers run between requests, never inside one.
        lines.push('__ukc_dispatch_status:');
        out(`li t0, ${RECEIVED_SIGNAL}`);
        out('bne a6, t0, __ukc_dispatch_receive');
        out('la t6, __ukc_signals');
        out('sw a0, 0(t6)');
        for (const interrupt of interrupts) {
            out('la t6, __ukc_signals');
            out('lw t0, 0(t6)');
            out(`andi t0, t0, ${1 << interrupt.bit}`);
            out(`beqz t0, __ukc_interrupt_done_${interrupt.bit}`);
            out(`call ${interrupt.symbol}`);
            invoke(interrupt.slot, Invocation.IrqAck, []);
            lines.push(`__ukc_interrupt_done_${interrupt.bit}:`);
        }
        for (const handler of laned) {
            const lane = handler.lane as number;
            out('la t6, __ukc_signals');
            out('lw a2, 0(t6)');
            out(`srli a2, a2, ${EVENT_LANE_BITS * lane}`);
            out(`andi a2, a2, ${(1 << EVENT_LANE_BITS) - 1}`);
            out(`beqz a2, __ukc_lane_done_${lane}`);
            out(`call ${handler.symbol}`);
            lines.push(`__ukc_lane_done_${lane}:`);
        }
        if (eventPorts) {
            out('la t6, __ukc_signals');
            out('lw t0, 0(t6)');
            out(`srli t0, t0, ${EVENT_LANE_BITS * eventPorts.lane}`);
            out(`andi t0, t0, ${(1 << EVENT_LANE_BITS) - 1}`);
            out('beqz t0, __ukc_events_done');
            lines.push(...drainEventQueues(eventPorts.ports));
            lines.push('__ukc_events_done:');
        }
        receive();
    }
    if (bound) {
        // A signal instead of a message: the handler gets the notification word (a0) as its argument.
        lines.push('__ukc_dispatch_status:');
        out(`li t0, ${RECEIVED_SIGNAL}`);
        out('bne a6, t0, __ukc_dispatch_receive');
        out('mv a2, a0');
        out(`call ${bound.symbol}`);
        receive();
    }
    for (const method of methods) {
        lines.push(`__ukc_method_${method.layout.ordinal}:`);
        const leaseCount = messageLeases(method.layout.request).length;
        if (gathers && leaseCount > 0) {
            out(`li t4, ${leaseCapMask(method.layout.request)}`);
            out(`call ${GATHER_CAPS}`);
        }
        if (method.sharedRegionBytes > 0 && usesRegion(method.layout)) {
            out(`li t5, ${method.sharedRegionBytes}`);
            out('call __ukc_find_region');
        }
        saveInlineBytes(method.inline, out);
        prepareMemoryWords(method.layout.request, out);
        emitMoves(unpackMoves(method.layout.request, scalar => valueAt(argumentIndex(scalar, method.paramOrder))), out);
        takeCaps(method.layout.request, path => valueAt(method.paramOrder.indexOf(path)), `__ukc_method_${method.layout.ordinal}`, out, lines);
        if (leaseCount > 0) out(`call ${leaseMapSymbol(leaseCount)}`);
        checkBulkBounds(method, out, lines, leaseCount > 0);
        out(`call ${method.handlerSymbol}`);
        if (leaseCount > 0) out(`call ${leaseReleaseSymbol(leaseCount, mostLeases)}`);
        if (method.layout.oneway || !method.layout.reply) {
            out(`li a0, ${OWN_ENDPOINT_SLOT}`);
            out(`li a7, ${Syscall.Recv}`);
            out('ecall');
            out('j __ukc_dispatch');
            continue;
        }
        const errorLayout = errorWords(method.layout);
        out(`bnez a0, ${errorLayout ? `__ukc_method_${method.layout.ordinal}.error` : '__ukc_reply_error'}`);
        const reply = method.layout.reply;
        storeReplyCaps(reply, path => valueAt(method.resultOrder.indexOf(path)), `__ukc_method_${method.layout.ordinal}`, out, lines);
        packMessage(reply, scalar => valueAt(argumentIndex(scalar, method.resultOrder)), out);
        replyInlineBytes(method.inline, out);
        out(`li a1, ${messageInfo(0, reply.words)}`);
        if (valueCaps(reply).length > 0) out('or a1, a1, t3');
        out('j __ukc_reply');
        if (errorLayout) packErrorReply(`__ukc_method_${method.layout.ordinal}.error`, errorLayout, method.errorOrder, out, lines);
    }
    if (methods.some(method => method.sharedRegionBytes > 0)) lines.push(...findRegion());
    if (leases) lines.push(...leaseRoutines(leaseCounts));
    if (gathers) lines.push(...gatherCapsRoutine());
    lines.push(...failedServerLoop(leases));
    return lines;
}

/** The symbol of a server's failed-server loop (failedServerLoop). */
export const FAILED_SERVER_ENTRY = '__ukc_failed';

/**
 * `__ukc_failed`: where a supervisor restarts a server that has used up its restarts. It answers every
 * call with SERVER_FAILED_LABEL at once, so that clients get the error instead of waiting forever, and
 * lets go of any lease (the one the last incarnation held, and each new one).
 */
function failedServerLoop(leases: boolean): string[] {
    const lines = [FAILED_SERVER_ENTRY + ':'];
    const out = (line: string) => lines.push(`    ${line}`);
    out(`li a0, ${OWN_ENDPOINT_SLOT}`);
    out(`li a7, ${Syscall.Recv}`);
    out('ecall');
    lines.push('__ukc_failed_answer:');
    if (leases) out(`call ${LEASE_RELEASE_ALL}`);
    out(`li a0, ${OWN_ENDPOINT_SLOT}`);
    out(`li a1, ${messageInfo(SERVER_FAILED_LABEL, 0)}`);
    out(`li a7, ${Syscall.ReplyRecv}`);
    out('ecall');
    out('j __ukc_failed_answer');
    return lines;
}
