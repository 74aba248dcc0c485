/**
 * Reads a trace `ukc run` wrote: JSON Lines (`--trace-jsonl`, one typed event per line, other kernel
 * events as themselves) or a Chrome trace (`--trace-chrome`, slices and flows on tracks per thread) into
 * the trace view's rows. A line or record that does not fit is reported with its position, never guessed.
 */
import type { KernelEvent } from '../../../runtime/kernel/index.js';
import type { TypedEvent } from '../../../runtime/trace/index.js';
import { rowOf, type TraceRow } from './trace-row.js';

export type TraceFile =
    /** JSON Lines keep the typed events too (they can be exported as a Chrome trace). */
    | { readonly rows: TraceRow[]; readonly format: 'jsonl'; readonly events: readonly TypedEvent[] }
    | { readonly rows: TraceRow[]; readonly format: 'chrome' }
    | { readonly error: string };

const TYPED_KINDS = new Set(['call', 'send', 'reply', 'fault']);
const OTHER_KINDS = new Set(['signal', 'interrupt', 'resume']);

export function readTraceFile(text: string): TraceFile {
    const start = text.trimStart();
    if (start.startsWith('{"traceEvents"') || start.startsWith('{ "traceEvents"') || start.startsWith('[')) return readChromeTrace(start);
    return readJsonLines(text);
}

function readJsonLines(text: string): TraceFile {
    const rows: TraceRow[] = [];
    const events: TypedEvent[] = [];
    const lines = text.split('\n');
    for (let number = 1; number <= lines.length; number++) {
        const line = lines[number - 1].trim();
        if (line === '') continue;
        let record: unknown;
        try {
            record = JSON.parse(line);
        } catch {
            return { error: `line ${number} is not JSON: a trace file holds one JSON object per line (ukc run --trace-jsonl) or a Chrome trace` };
        }
        const kind = typeof record === 'object' && record !== null && 'kind' in record ? String(record.kind) : undefined;
        let event: TypedEvent;
        if (kind !== undefined && TYPED_KINDS.has(kind)) event = record as TypedEvent;
        else if (kind !== undefined && OTHER_KINDS.has(kind)) event = { kind: 'other', cycle: (record as KernelEvent).cycle, event: record as KernelEvent };
        else return { error: `line ${number} is not a trace event (its kind is ${kind === undefined ? 'missing' : `'${kind}'`})` };
        events.push(event);
        const row = rowOf(event, rows.length);
        if (row) rows.push(row);
    }
    return { rows, format: 'jsonl', events };
}

interface ChromeRecord {
    readonly name: string;
    readonly ph: string;
    readonly ts: number;
    readonly tid: number;
    readonly dur?: number;
    readonly cat?: string;
    readonly args?: Record<string, string | number | boolean>;
}

/** Arguments the Chrome writer adds next to the message's values. */
const CHROME_META = new Set(['site', 'handler', 'fastpath', 'error', 'unfinished']);

function readChromeTrace(text: string): TraceFile {
    let document: unknown;
    try {
        document = JSON.parse(text);
    } catch {
        return { error: 'the file is neither JSON Lines nor a complete Chrome trace (JSON)' };
    }
    const records = (Array.isArray(document) ? document : (document as { traceEvents?: unknown }).traceEvents) as ChromeRecord[] | undefined;
    if (!Array.isArray(records)) return { error: 'a Chrome trace needs a traceEvents array' };
    const threads = new Map<number, string>();
    for (const record of records) if (record.ph === 'M' && record.name === 'thread_name') threads.set(record.tid, String(record.args?.name));
    const thread = (tid: number) => threads.get(tid) ?? `thread ${tid}`;
    const cycles = (micros: number) => Math.round(micros * 1000);
    // A served call is a slice on the server's track and a "waiting for" slice on the caller's, both at its start.
    const waits = new Map<string, ChromeRecord>();
    for (const record of records) if (record.ph === 'X' && record.cat === 'wait') waits.set(`${record.ts}|${record.name.replace(/^waiting for /, '')}`, record);
    const flowStarts = new Map<string, ChromeRecord>();
    for (const record of records) if (record.ph === 's') flowStarts.set(`${record.ts}|${record.name}`, record);
    const events: { cycle: number; order: number; row: Omit<TraceRow, 'index'> }[] = [];
    records.forEach((record, order) => {
        const [iface, method] = record.name.split('.');
        if (record.ph === 'X' && record.cat === 'call') {
            const caller = waits.get(`${record.ts}|${record.name}`);
            const from = caller ? thread(caller.tid) : '?';
            const server = thread(record.tid);
            // The Chrome writer records a call's arguments and its results together in the slice: the
            // details list them all, and the label names the method alone.
            const values = Object.entries(record.args ?? {}).filter(([key]) => !CHROME_META.has(key));
            const site = record.args?.site === undefined ? undefined : String(record.args.site);
            const handler = record.args?.handler === undefined ? undefined : String(record.args.handler);
            events.push({ cycle: cycles(record.ts), order, row: {
                cycle: cycles(record.ts), kind: 'call', from, to: server, interface: iface, method, label: record.name,
                details: values.map(([key, value]) => `${key} = ${value}`), site, handler
            } });
            if (record.args?.unfinished === true) return;
            const error = record.args?.error;
            const end = cycles(record.ts + (record.dur ?? 0));
            events.push({ cycle: end, order, row: {
                cycle: end, kind: 'reply', from: server, to: from, interface: iface, method, error: error !== undefined,
                label: error !== undefined ? `${record.name} = error ${error}` : `${record.name} replied`, fastpath: record.args?.fastpath === true,
                elapsed: end - cycles(record.ts), details: error !== undefined ? [`error = ${error}`] : []
            } });
        } else if (record.ph === 'i' && record.cat === 'oneway') {
            const start = flowStarts.get(`${record.ts}|${record.name}`);
            const values = Object.entries(record.args ?? {});
            events.push({ cycle: cycles(record.ts), order, row: {
                cycle: cycles(record.ts), kind: 'send', from: start ? thread(start.tid) : '?', to: thread(record.tid), interface: iface, method,
                label: `${record.name}(${values.map(([key, value]) => `${key}=${value}`).join(', ')})`, details: values.map(([key, value]) => `${key} = ${value}`)
            } });
        } else if (record.ph === 'i' && record.cat === 'fault') {
            events.push({ cycle: cycles(record.ts), order, row: {
                cycle: cycles(record.ts), kind: 'fault', from: thread(record.tid), label: record.name,
                details: Object.entries(record.args ?? {}).map(([key, value]) => `${key} = ${value}`)
            } });
        }
    });
    events.sort((a, b) => a.cycle - b.cycle || a.order - b.order);
    return { rows: events.map((event, index) => ({ ...event.row, index })), format: 'chrome' };
}
