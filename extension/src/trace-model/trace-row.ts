/**
 * One row of the trace view: a typed trace event reduced to what the view draws and shows when it is
 * selected. Rows are plain data, so that they cross from the extension host to the webview as JSON.
 */
import { formatOutcome, formatValues, type TypedEvent } from '../../../runtime/trace/index.js';

export type RowKind = 'call' | 'send' | 'reply' | 'fault' | 'signal' | 'interrupt' | 'restart';

export interface TraceRow {
    /** Position in the whole trace (0-based), stable under filtering. */
    readonly index: number;
    readonly cycle: number;
    readonly kind: RowKind;
    /** The lane the event starts in: the caller, the replier, the faulting or signalling instance. */
    readonly from: string;
    /** The lane an arrow ends in (calls, sends, replies, signals that wake someone). */
    readonly to?: string;
    readonly interface?: string;
    readonly method?: string;
    /** What the row says: `Calculator.div(a=1, b=0)`, `Calculator.div = error CalcError.DivideByZero`, ... */
    readonly label: string;
    readonly fastpath?: boolean;
    /** A reply that is an error. */
    readonly error?: boolean;
    /** Cycles from the call to its reply. */
    readonly elapsed?: number;
    /** Decoded values and facts, one `name = value` per line, for the details panel. */
    readonly details: readonly string[];
    /** `file:line:column` of the call site (calls, sends) or of the statement that faulted. */
    readonly site?: string;
    /** `file:line:column` of the handler that serves a call or send. */
    readonly handler?: string;
}

/** Finds the source statement a thread was at when it faulted (`file:line:column`), when known. */
export type FaultLocator = (thread: string, pc: number) => string | undefined;

/** The row of a typed event, or undefined for kernel events the view does not show. */
export function rowOf(event: TypedEvent, index: number, faultSite: FaultLocator = () => undefined): TraceRow | undefined {
    switch (event.kind) {
        case 'call': case 'send':
            return {
                index, cycle: event.cycle, kind: event.kind, from: event.from, to: event.to, interface: event.interface, method: event.method,
                label: `${event.interface}.${event.method}(${formatValues(event.args)})`, fastpath: event.fastpath,
                details: [...event.args.map(value => `${value.name} = ${value.text}`), `badge = ${event.badge}`],
                site: event.site, handler: event.handler
            };
        case 'reply': {
            const outcome = event.error !== undefined ? `error ${event.error}` : formatOutcome(event.results);
            return {
                index, cycle: event.cycle, kind: 'reply', from: event.from, to: event.to, interface: event.interface, method: event.method,
                label: `${event.interface}.${event.method} = ${outcome}`, fastpath: event.fastpath, error: event.error !== undefined,
                elapsed: event.elapsed,
                details: event.error !== undefined ? [`error = ${event.error}`] : event.results.map(value => `${value.name} = ${value.text}`)
            };
        }
        case 'fault':
            return {
                index, cycle: event.cycle, kind: 'fault', from: event.thread, label: `fault: ${event.panic ?? event.fault}${event.handled ? ' (handled)' : ', no handler'}`,
                details: [`pc = 0x${event.pc.toString(16)}`, ...(event.fault === 'page-fault' ? [`address = 0x${event.address.toString(16)}`] : []), `handled = ${event.handled}`],
                site: faultSite(event.thread, event.pc)
            };
        case 'other': {
            const kernel = event.event;
            switch (kernel.kind) {
                case 'signal':
                    return {
                        index, cycle: kernel.cycle, kind: 'signal', from: kernel.from, to: kernel.woke, label: `signal ${kernel.notification}`,
                        details: [`bits = 0x${kernel.bits.toString(16)}`, `woke = ${kernel.woke ?? 'nobody'}`]
                    };
                case 'interrupt':
                    return {
                        index, cycle: kernel.cycle, kind: 'interrupt', from: `irq:${kernel.line}`, label: `interrupt ${kernel.line} (${kernel.device})`,
                        details: [`notification = ${kernel.notification ?? 'unclaimed'}`]
                    };
                case 'resume':
                    return {
                        index, cycle: kernel.cycle, kind: 'restart', from: kernel.by, to: kernel.thread, label: `restart ${kernel.thread}`,
                        details: [`pc = 0x${kernel.pc.toString(16)}`]
                    };
                default:
                    return undefined;
            }
        }
    }
}
