/**
 * Capture and restore of an object graph in place: every object reachable from the roots keeps its
 * identity, and restoring puts back each one's fields, array elements, map and set entries and typed-array
 * contents as they were. Objects made after the capture simply become unreachable again; references held
 * elsewhere (a debugger's `Thread`, a closure's device) stay valid. Functions and frozen objects are kept by
 * reference, never entered: the kernel and machine keep their state in fields, not in closures (an
 * invariant this module relies on and snapshot.test checks). Each capture shares the record of every object
 * that did not change with the capture before it, so a series of snapshots costs what changed.
 */
import { PAGE_SIZE, capturePages, restorePages, type PagedCopy } from '../machine/index.js';

/** How to treat particular objects: some not entered (caches, things captured another way), some fields left out. */
export interface GraphRules {
    /** Whether an object is kept by reference and not entered. */
    opaque(object: object): boolean;
    /** The fields of an object that are not part of its state (caches, a debugger's settings). */
    skipFields(object: object): ReadonlySet<string> | undefined;
}

type Record =
    /** `skipped`: fields that stay as they are on restore (not state). */
    | { readonly kind: 'fields'; readonly keys: readonly string[]; readonly values: readonly unknown[]; readonly skipped?: ReadonlySet<string> }
    | { readonly kind: 'array'; readonly values: readonly unknown[] }
    | { readonly kind: 'map'; readonly entries: readonly (readonly [unknown, unknown])[] }
    | { readonly kind: 'set'; readonly values: readonly unknown[] }
    | { readonly kind: 'typed'; readonly copy: Uint8Array }
    /** A large typed array (a disk), copied by pages shared with the capture before. */
    | { readonly kind: 'paged'; readonly copy: PagedCopy };

/** Typed arrays up to this size are copied whole; larger ones by pages. */
const WHOLE_COPY_LIMIT = PAGE_SIZE;

/** A captured graph: the record of every object reached, by object. */
export interface GraphCapture {
    readonly records: ReadonlyMap<object, Record>;
    /** Values held by records made for this capture (not shared with the one before), for a memory budget. */
    readonly newValues: number;
}

type Indexable = { [key: string]: unknown };

function isObject(value: unknown): value is object {
    return (typeof value === 'object' && value !== null);
}

function typedBytes(value: ArrayBufferView): Uint8Array {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/** Captures everything reachable from `roots`; `previous` lends records that are still equal. */
export function captureGraph(roots: readonly object[], rules: GraphRules, previous?: GraphCapture): GraphCapture {
    const records = new Map<object, Record>();
    let newValues = 0;
    const pending: object[] = [...roots];
    const visit = (value: unknown) => {
        if (isObject(value) && !records.has(value) && !rules.opaque(value) && !Object.isFrozen(value)) pending.push(value);
    };
    for (let object = pending.pop(); object !== undefined; object = pending.pop()) {
        if (records.has(object)) continue;
        const old = previous?.records.get(object);
        const made = recordOf(object, rules, old);
        const record = old !== undefined && sameRecord(old, made) ? old : made;
        if (record === made) newValues += sizeOf(made);
        records.set(object, record);
        switch (record.kind) {
            case 'fields': case 'array': case 'set': record.values.forEach(visit); break;
            case 'map': for (const [key, value] of record.entries) { visit(key); visit(value); } break;
            case 'typed': case 'paged': break;
        }
    }
    return { records, newValues };
}

/** Puts every captured object back as it was. */
export function restoreGraph(capture: GraphCapture): void {
    for (const [object, record] of capture.records) {
        switch (record.kind) {
            case 'fields': {
                const target = object as Indexable;
                const keep = new Set(record.keys);
                // A field added since (an optional one set later) did not exist then.
                for (const key of Object.keys(target)) if (!keep.has(key) && !record.skipped?.has(key)) delete target[key];
                record.keys.forEach((key, i) => { target[key] = record.values[i]; });
                break;
            }
            case 'array': {
                const target = object as unknown[];
                target.length = record.values.length;
                record.values.forEach((value, i) => { target[i] = value; });
                break;
            }
            case 'map': {
                const target = object as Map<unknown, unknown>;
                target.clear();
                for (const [key, value] of record.entries) target.set(key, value);
                break;
            }
            case 'set': {
                const target = object as Set<unknown>;
                target.clear();
                for (const value of record.values) target.add(value);
                break;
            }
            case 'typed':
                typedBytes(object as ArrayBufferView).set(record.copy);
                break;
            case 'paged':
                restorePages(typedBytes(object as ArrayBufferView), record.copy);
                break;
        }
    }
}

function recordOf(object: object, rules: GraphRules, old: Record | undefined): Record {
    if (ArrayBuffer.isView(object)) {
        const bytes = typedBytes(object);
        if (bytes.length <= WHOLE_COPY_LIMIT || bytes.length % PAGE_SIZE !== 0 || bytes.byteOffset % 4 !== 0) return { kind: 'typed', copy: bytes.slice() };
        return { kind: 'paged', copy: capturePages(bytes, old?.kind === 'paged' ? old.copy : undefined) };
    }
    if (Array.isArray(object)) return { kind: 'array', values: [...(object as unknown[])] };
    if (object instanceof Map) return { kind: 'map', entries: [...(object as Map<unknown, unknown>).entries()] };
    if (object instanceof Set) return { kind: 'set', values: [...(object as Set<unknown>).values()] };
    const skip = rules.skipFields(object);
    const keys = Object.keys(object).filter(key => !skip?.has(key));
    return { kind: 'fields', keys, values: keys.map(key => (object as Indexable)[key]), skipped: skip };
}

function sameRecord(a: Record, b: Record): boolean {
    switch (a.kind) {
        case 'fields': return b.kind === 'fields' && sameValues(a.keys, b.keys) && sameValues(a.values, b.values);
        case 'array': case 'set': return b.kind === a.kind && sameValues(a.values, b.values);
        case 'map': return b.kind === 'map' && a.entries.length === b.entries.length && a.entries.every(([key, value], i) => Object.is(key, b.entries[i][0]) && Object.is(value, b.entries[i][1]));
        case 'typed': return b.kind === 'typed' && a.copy.length === b.copy.length && a.copy.every((byte, i) => byte === b.copy[i]);
        case 'paged': return b.kind === 'paged' && sameValues(a.copy.pages, b.copy.pages);
    }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
    return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

function sizeOf(record: Record): number {
    switch (record.kind) {
        case 'fields': return record.values.length;
        case 'array': case 'set': return record.values.length;
        case 'map': return 2 * record.entries.length;
        case 'typed': return Math.ceil(record.copy.length / 8);
        // Its pages are counted by the snapshot's owner, which sees which ones are shared.
        case 'paged': return record.copy.pages.length;
    }
}
