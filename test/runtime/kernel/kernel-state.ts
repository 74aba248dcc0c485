/**
 * A kernel's whole state as text, for tests that compare two moments of a run: every object the snapshot
 * covers, with references written as the order in which the walk first met the object, so two kernels in
 * the same state give the same text (and digest).
 */
import { createHash } from 'node:crypto';
import type { Kernel } from '../../../runtime/kernel/index.js';
import { kernelStateRules } from '../../../runtime/kernel/snapshot.js';
import { captureGraph } from '../../../runtime/kernel/state-graph.js';

export function kernelState(kernel: Kernel): string {
    const capture = captureGraph([kernel], kernelStateRules(kernel));
    const ids = new Map([...capture.records.keys()].map((object, i) => [object, i]));
    const value = (item: unknown): unknown => typeof item === 'function' ? 'fn' : typeof item === 'bigint' ? `${item}n` : typeof item === 'object' && item !== null ? `#${ids.get(item) ?? 'frozen'}` : item;
    return JSON.stringify([...capture.records.values()].map(record => {
        switch (record.kind) {
            // A space's generation is a cache tag drawn from a counter that is never reused (memory.ts): a run
            // after a restore that remaps a page draws a new one, where the first run drew another.
            case 'fields': return record.keys.map((key, i) => [key, key === 'generation' ? 'tag' : value(record.values[i])]);
            case 'array': case 'set': return record.values.map(value);
            case 'map': return record.entries.map(([k, v]) => [value(k), value(v)]);
            case 'typed': return [...record.copy];
            case 'paged': return record.copy.pages.map(page => page ? [...page] : 0);
        }
    }));
}

/** The digest of `kernelState`: short enough to show in a failed comparison. */
export function kernelDigest(kernel: Kernel): string {
    return createHash('sha256').update(kernelState(kernel)).digest('hex');
}
