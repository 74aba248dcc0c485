/**
 * The Node language server's young-generation collection (src/language-server/young-generation.ts): the
 * call it returns runs one minor collection of V8, seen by a `gc` performance entry of the minor kind.
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { youngGenerationCollector } from '../../src/language-server/young-generation.js';

describe('youngGenerationCollector', () => {
    it('collects the young generation, and only it, when called', async () => {
        const collect = youngGenerationCollector();
        expect(collect).toBeTypeOf('function');
        const kinds: number[] = [];
        const observer = new PerformanceObserver(list => {
            for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) kinds.push(entry.detail?.kind ?? -1);
        });
        observer.observe({ entryTypes: ['gc'] });
        collect?.();
        // Performance entries are delivered on a later turn of the event loop.
        await new Promise(resolve => setTimeout(resolve, 50));
        observer.disconnect();
        expect(kinds).toContain(constants.NODE_PERFORMANCE_GC_MINOR);
        expect(kinds).not.toContain(constants.NODE_PERFORMANCE_GC_MAJOR);
    });
});
