/**
 * Events in compiled code (docs/ABI.md, "Events"): a server's emit stub packs an event's values into the
 * message words its layout names and makes the EventEmit system call; a client program's event loop, which
 * runs once `main` has returned, waits on its events notification, then drains the queue of every port it
 * handles events of, unpacking each record as the dispatch loop unpacks a request and calling the handler.
 * A server that handles events of its own `uses` ports drains them the same way from its dispatch loop.
 * Values travel in the message convention (ir.ts): a2..a7, then the overflow words.
 */
import type { EventLayout } from '../../layout/index.js';
import { CLIENT_EVENTS_SLOT, OWN_ENDPOINT_SLOT, Syscall, messageInfo } from '../../../runtime/contract/index.js';
import { argumentIndex, emitMoves, packMessage, prepareMemoryWords, unpackMoves, valueAt } from './packing.js';

/** `emit e(...)`: the values in the message convention; a0 out = how many client queues took the record. */
export function emitStub(symbol: string, event: EventLayout, paramOrder: readonly string[]): string[] {
    const lines = [`${symbol}:`];
    const out = (line: string) => lines.push(`    ${line}`);
    out(`li a0, ${OWN_ENDPOINT_SLOT}`);
    packMessage(event.payload, scalar => valueAt(argumentIndex(scalar, paramOrder)), out);
    out(`li a1, ${messageInfo(event.ordinal, event.payload.words)}`);
    out(`li a7, ${Syscall.EventEmit}`);
    out('ecall');
    out('bnez a6, __ukc_ipc_failed');
    out('ret');
    return lines;
}

export interface HandledEvent {
    readonly layout: EventLayout;
    readonly handlerSymbol: string;
    /** The order of its values as the handler takes them (declaration order, aggregates as their leaves). */
    readonly paramOrder: readonly string[];
}

/** A `uses` port whose events the component (a program or a server) handles, and its capability slot. */
export interface SubscribedPort {
    readonly slot: number;
    readonly events: readonly HandledEvent[];
}

/** The symbol a program jumps to when `main` returns and it handles events. */
export const EVENT_LOOP_ENTRY = '__ukc_event_loop';

/**
 * The client's event loop: wait, then take every record of every subscribed port, oldest first, port by
 * port in declaration order. A record of an event the program has no handler for is skipped (an interface
 * may have gained events the program was not compiled with: docs/LANGUAGE.md, "Events").
 */
export function clientEventLoop(ports: readonly SubscribedPort[]): string[] {
    const lines = [`${EVENT_LOOP_ENTRY}:`];
    const out = (line: string) => lines.push(`    ${line}`);
    out(`li a0, ${CLIENT_EVENTS_SLOT}`);
    out(`li a7, ${Syscall.EventWait}`);
    out('ecall');
    out('bnez a6, __ukc_ipc_failed');
    lines.push(...drainEventQueues(ports));
    out(`j ${EVENT_LOOP_ENTRY}`);
    return lines;
}

/**
 * Take every record of every subscribed port's queue until each is empty, port by port, running the
 * handler of each record's event (skipping events without one), then fall through. The program's event
 * loop runs it when its events notification is signalled; a server's dispatch loop when a receive ends
 * with a signal in its events lane (message-code.ts), so that handlers run between requests.
 */
export function drainEventQueues(ports: readonly SubscribedPort[]): string[] {
    const lines: string[] = [];
    const out = (line: string) => lines.push(`    ${line}`);
    ports.forEach((port, p) => {
        const take = `__ukc_event_take_${p}`;
        lines.push(`${take}:`);
        out(`li a0, ${port.slot}`);
        out(`li a7, ${Syscall.EventReceive}`);
        out('ecall');
        out('bnez a6, __ukc_ipc_failed');
        out('srli t0, a1, 12');
        out(`beqz t0, __ukc_event_drained_${p}`);
        for (const event of port.events) {
            out(`li t1, ${event.layout.ordinal}`);
            out(`beq t0, t1, __ukc_event_${p}_${event.layout.ordinal}`);
        }
        out(`j ${take}`);
        for (const event of port.events) {
            lines.push(`__ukc_event_${p}_${event.layout.ordinal}:`);
            prepareMemoryWords(event.layout.payload, out);
            emitMoves(unpackMoves(event.layout.payload, scalar => valueAt(argumentIndex(scalar, event.paramOrder))), out);
            out(`call ${event.handlerSymbol}`);
            out(`j ${take}`);
        }
        lines.push(`__ukc_event_drained_${p}:`);
    });
    return lines;
}
