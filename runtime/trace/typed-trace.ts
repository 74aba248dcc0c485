/**
 * The typed trace: kernel IPC events turned back into interface calls, `Interface.method(arg=value, ...)`
 * and their replies, matched call to reply per caller, with the cycles in between. Reads the layouts of
 * the system's endpoints (the trace map the compiler writes); events on endpoints it does not know are
 * shown with their raw words.
 */
import { ERROR_CODE_FIELD, SERVER_FAILED_LABEL, WIDE_ERROR_LABEL, type EventLayout, type MethodLayout, type TraceMap } from '../contract/index.js';
import type { EventRecordEvent, IpcEvent, KernelEvent } from '../kernel/index.js';
import { decodeCaps, decodeInline, decodeMessage, formatPlacedScalar, type DecodedValue } from './message-decoder.js';

/**
 * An error reply as the source would write it: a member of the method's error enum (from the label, or
 * from the 32-bit code a WIDE_ERROR_LABEL reply carries) with its payload, `IoError.Short{code=5, offset=4096}`;
 * ServerFailed (from the kernel); or its label.
 */
export function errorName(method: MethodLayout, label: number, words: readonly number[] = [], order: readonly string[] = []): string {
    const layout = method.errors[0];
    const wide = layout !== undefined && layout.label === WIDE_ERROR_LABEL && label === WIDE_ERROR_LABEL;
    const index = wide ? 0 : method.errors.findIndex(error => error.label === label);
    if (!layout || index < 0) return label === SERVER_FAILED_LABEL ? 'ServerFailed' : `label ${label}`;
    const code = wide ? layout.scalars.find(scalar => scalar.path === ERROR_CODE_FIELD) : undefined;
    const name = code ? formatPlacedScalar(code, words) : method.errorNames[index];
    // In declaration order where the trace map gives it (layouts list fields by placement).
    const rank = (path: string) => order.indexOf(path);
    const payload = layout.scalars.filter(scalar => scalar !== code).sort((a, b) => rank(a.path) - rank(b.path));
    return payload.length === 0 ? name : `${name}{${payload.map(scalar => `${scalar.path}=${formatPlacedScalar(scalar, words)}`).join(', ')}}`;
}

/** Finds where a thread is in the source right now (its call site), for call events. */
export type SiteLocator = (thread: string) => string | undefined;

export type TypedEvent =
    | {
        readonly kind: 'call' | 'send';
        readonly cycle: number;
        readonly from: string;
        readonly to: string;
        readonly interface: string;
        readonly method: string;
        readonly args: readonly DecodedValue[];
        readonly fastpath: boolean;
        readonly badge: number;
        /** Where in the source the call was made (`file:line:column`), when known. */
        readonly site?: string;
        /** Where the handler that serves it is. */
        readonly handler?: string;
        /** The kernel personality's name for the operation and the bytes it copied (not under seL4). */
        readonly primitive?: string;
        readonly bytesCopied?: number;
    }
    | {
        readonly kind: 'reply';
        readonly cycle: number;
        readonly from: string;
        readonly to: string;
        readonly interface: string;
        readonly method: string;
        /** The error's name when the reply is an error. */
        readonly error?: string;
        readonly results: readonly DecodedValue[];
        readonly fastpath: boolean;
        /** Cycles from the call to this reply. */
        readonly elapsed?: number;
        readonly primitive?: string;
        readonly bytesCopied?: number;
    }
    | {
        /** An event record (docs/ABI.md, "Events"): queued for a client by an emit, dropped (queue full), or taken by the client. */
        readonly kind: 'event';
        readonly cycle: number;
        readonly operation: 'queue' | 'drop' | 'take';
        /** The server that emitted it and the client it is for. */
        readonly from: string;
        readonly to: string;
        readonly interface: string;
        /** The event's name (`method`, so that `--trace-only method=` finds events too). */
        readonly method: string;
        readonly args: readonly DecodedValue[];
        readonly queued: number;
        readonly capacity: number;
        readonly dropped?: number;
    }
    | { readonly kind: 'fault'; readonly cycle: number; readonly thread: string; readonly fault: string; readonly pc: number; readonly address: number; readonly panic?: string; readonly handled: boolean }
    | { readonly kind: 'other'; readonly cycle: number; readonly event: KernelEvent };

interface PendingCall {
    readonly interface: string;
    readonly method: MethodLayout;
    readonly cycle: number;
}

const UNKNOWN = '?';

export class TypedTrace {
    private readonly pending = new Map<string, PendingCall>();
    /** Per endpoint: its interface's short name and methods by ordinal. */
    private readonly endpoints = new Map<string, {
        readonly name: string; readonly server: string; readonly methods: ReadonlyMap<number, MethodLayout>; readonly handlers: Readonly<Record<string, string>>;
        readonly events: ReadonlyMap<number, EventLayout>; readonly eventOrders: Readonly<Record<string, readonly string[]>>;
    }>();
    private readonly serverOf = (endpoint: string) => this.endpoints.get(endpoint)?.server;
    /** Per method layout, the declaration order of its request and reply values. */
    private readonly orders = new Map<MethodLayout, { readonly params: readonly string[]; readonly results: readonly string[]; readonly errors?: readonly string[] }>();

    constructor(map: TraceMap, private readonly site: SiteLocator = () => undefined) {
        for (const [endpoint, entry] of Object.entries(map.endpoints)) {
            this.endpoints.set(endpoint, {
                name: shortName(entry.interface.name),
                server: entry.server,
                methods: new Map(entry.interface.methods.map(method => [method.ordinal, method])),
                handlers: entry.handlers ?? {},
                events: new Map(entry.interface.events.map(event => [event.ordinal, event])),
                eventOrders: entry.events ?? {}
            });
            for (const method of entry.interface.methods) {
                const order = entry.order?.[method.name];
                if (order) this.orders.set(method, order);
            }
        }
    }

    /** A message's values: its scalars, its inline bytes, then the capabilities it carried. */
    private decode(layout: MethodLayout['request'], event: IpcEvent): DecodedValue[] {
        const values = decodeMessage(layout, event.words);
        if (layout.bulk.length > 0) values.push(...decodeInline(layout, event.words));
        return layout.caps.length === 0 ? values : [...values, ...decodeCaps(layout, event.capObjects, this.serverOf)];
    }

    /** The typed form of one kernel event (undefined for events the trace does not show). */
    translate(event: KernelEvent): TypedEvent | undefined {
        switch (event.kind) {
            case 'ipc': return this.ipc(event);
            case 'event': return this.eventRecord(event);
            case 'fault':
                return { kind: 'fault', cycle: event.cycle, thread: event.thread, fault: event.fault, pc: event.pc, address: event.address, panic: event.panic, handled: event.handler !== undefined };
            case 'schedule': case 'syscall': case 'syscall-error': case 'console':
                return undefined;
            default:
                return { kind: 'other', cycle: event.cycle, event };
        }
    }

    private eventRecord(event: EventRecordEvent): TypedEvent {
        const endpoint = this.endpoints.get(event.endpoint);
        const layout = endpoint?.events.get(event.label);
        const args = layout ? arrangeValues(decodeMessage(layout.payload, event.words), endpoint?.eventOrders[layout.name]) : raw(event.words);
        return {
            kind: 'event', cycle: event.cycle, operation: event.operation, from: endpoint?.server ?? event.endpoint, to: event.client,
            interface: endpoint?.name ?? UNKNOWN, method: layout?.name ?? `event ${event.label}`, args, queued: event.queued, capacity: event.capacity,
            ...(event.dropped !== undefined ? { dropped: event.dropped } : {})
        };
    }

    private ipc(event: IpcEvent): TypedEvent | undefined {
        if (event.operation === 'reply') {
            const call = this.pending.get(event.to);
            this.pending.delete(event.to);
            if (!call) {
                return { kind: 'reply', cycle: event.cycle, from: event.from, to: event.to, interface: UNKNOWN, method: UNKNOWN, results: raw(event.words), fastpath: event.fastpath, ...model(event) };
            }
            const method = call.method;
            return {
                kind: 'reply', cycle: event.cycle, from: event.from, to: event.to, interface: call.interface, method: method.name,
                error: event.label === 0 ? undefined : errorName(method, event.label, event.words, this.orders.get(method)?.errors),
                results: event.label === 0 && method.reply ? arrangeValues(this.decode(method.reply, event), this.orders.get(method)?.results) : [],
                fastpath: event.fastpath, elapsed: event.cycle - call.cycle, ...model(event)
            };
        }
        if (event.operation === 'fault') return undefined;
        const endpoint = this.endpoints.get(event.endpoint);
        const method = endpoint?.methods.get(event.label);
        if (!endpoint || !method) {
            return {
                kind: event.operation, cycle: event.cycle, from: event.from, to: event.to, interface: event.endpoint || UNKNOWN,
                method: `label ${event.label}`, args: raw(event.words), fastpath: event.fastpath, badge: event.badge, ...model(event)
            };
        }
        const interfaceName = endpoint.name;
        if (event.operation === 'call') this.pending.set(event.from, { interface: interfaceName, method, cycle: event.cycle });
        return {
            kind: event.operation, cycle: event.cycle, from: event.from, to: event.to, interface: interfaceName, method: method.name,
            args: arrangeValues(this.decode(method.request, event), this.orders.get(method)?.params), fastpath: event.fastpath, badge: event.badge,
            site: this.site(event.from), handler: endpoint.handlers[method.name], ...model(event)
        };
    }
}

/** A kernel personality's operation name and bytes copied, present only when the event has them (not seL4's). */
function model(event: IpcEvent): { primitive?: string; bytesCopied?: number } {
    return event.primitive === undefined ? {} : { primitive: event.primitive, bytesCopied: event.bytesCopied ?? 0 };
}

/** Values in declaration order, the leaves of one struct or array argument grouped: `key={hi=1, lo=2}`. */
export function arrangeValues(values: DecodedValue[], order: readonly string[] | undefined): DecodedValue[] {
    if (!order || (values.length < 2 && !/[.[]/.test(values[0]?.name ?? ''))) return values;
    // A string, vec or buffer shown as one value goes where its first leaf (`.length`, `#0`) is; a value
    // the order does not name at all (the offset and length of bulk data) where its root does.
    const rank = (name: string) => {
        const exact = order.indexOf(name);
        if (exact >= 0) return exact;
        const leaf = order.findIndex(entry => entry.length > name.length && entry.startsWith(name) && '.#['.includes(entry.charAt(name.length)));
        const split = name.search(/[.[]/);
        return leaf >= 0 || split < 0 ? leaf : order.indexOf(name.slice(0, split));
    };
    const sorted = [...values].sort((a, b) => rank(a.name) - rank(b.name));
    const grouped: DecodedValue[] = [];
    for (const value of sorted) {
        const split = value.name.search(/[.[]/);
        if (split < 0) {
            grouped.push(value);
            continue;
        }
        const root = value.name.slice(0, split);
        const rest = value.name.slice(split).replace(/^\./, '');
        const last = grouped[grouped.length - 1];
        const member = `${rest}=${value.text}`;
        if (last && last.name === root && last.text.startsWith('{')) {
            grouped[grouped.length - 1] = { name: root, text: `${last.text.slice(0, -1)}, ${member}}` };
        } else {
            grouped.push({ name: root, text: `{${member}}` });
        }
    }
    return grouped;
}

function raw(words: readonly number[]): DecodedValue[] {
    return words.map((word, i) => ({ name: `mr${i}`, text: `0x${word.toString(16)}` }));
}

/** `calc.Calculator` -> `Calculator`: traces read like the source, which names interfaces unqualified. */
export function shortName(name: string): string {
    return name.slice(name.lastIndexOf('.') + 1);
}
