/**
 * Trace filters: `instance=NAME` (either side of a message, or the faulting thread), `interface=NAME`,
 * `method=NAME` (or `Interface.method`), `kind=call|send|reply|event|fault|signal|interrupt`. An event is kept
 * when it matches every filter given; several values of one key are alternatives.
 */
import type { TypedEvent } from './typed-trace.js';

export type TraceFilter = ReadonlyMap<string, readonly string[]>;

export const FILTER_KEYS = ['instance', 'interface', 'method', 'kind'] as const;

/** Parses `key=value` filters; returns an error message for a malformed one. */
export function parseFilters(specs: readonly string[]): TraceFilter | string {
    const filter = new Map<string, string[]>();
    for (const spec of specs) {
        const equals = spec.indexOf('=');
        const key = spec.slice(0, equals);
        const value = spec.slice(equals + 1);
        if (equals < 0 || value === '' || !(FILTER_KEYS as readonly string[]).includes(key)) {
            return `'${spec}' is not a trace filter; use ${FILTER_KEYS.map(k => `${k}=...`).join(', ')}`;
        }
        filter.set(key, [...(filter.get(key) ?? []), value]);
    }
    return filter;
}

export function matches(event: TypedEvent, filter: TraceFilter): boolean {
    for (const [key, values] of filter) {
        if (!values.some(value => matchesOne(event, key, value))) return false;
    }
    return true;
}

function matchesOne(event: TypedEvent, key: string, value: string): boolean {
    const kind = event.kind === 'other' ? event.event.kind : event.kind;
    switch (key) {
        case 'kind': return kind === value;
        case 'instance':
            if (event.kind === 'fault') return event.thread === value;
            if (event.kind === 'other') return 'from' in event.event && event.event.from === value;
            return event.from === value || event.to === value;
        case 'interface': return 'interface' in event && event.interface === value;
        case 'method': return 'method' in event && (event.method === value || `${event.interface}.${event.method}` === value);
        default: return false;
    }
}
