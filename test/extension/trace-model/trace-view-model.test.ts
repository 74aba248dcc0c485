/**
 * The trace view's model: lanes in order of first appearance, filters by instance, interface, method and
 * kind, and the window of rows a viewport shows, which must always be exactly the filtered rows it covers
 * (checked against a plain filter-and-slice on random traces).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { RowKind, TraceRow } from '../../../extension/src/trace-model/trace-row.js';
import { NO_FILTER, TraceViewModel, rowMatches, type RowFilter } from '../../../extension/src/trace-model/trace-view-model.js';

function call(index: number, from: string, to: string, iface: string, method: string, kind: RowKind = 'call'): TraceRow {
    return { index, cycle: index * 10, kind, from, to, interface: iface, method, label: `${iface}.${method}()`, details: [] };
}

const sample: TraceRow[] = [
    call(0, 'client', 'calc', 'Calculator', 'add'),
    call(1, 'calc', 'client', 'Calculator', 'add', 'reply'),
    call(2, 'shell', 'store', 'KeyValue', 'get'),
    { index: 3, cycle: 30, kind: 'fault', from: 'store', label: 'fault: page-fault, no handler', details: [] },
    call(4, 'client', 'calc', 'Calculator', 'div')
];

function filter(part: Partial<RowFilter>): RowFilter {
    return { ...NO_FILTER, ...part };
}

describe('TraceViewModel', () => {
    test('lanes are the instances in the order they first take part', () => {
        const model = new TraceViewModel();
        model.append(sample);
        expect(model.lanes).toEqual(['client', 'calc', 'shell', 'store']);
        expect(model.facets()).toEqual({
            instances: ['client', 'calc', 'shell', 'store'], interfaces: ['Calculator', 'KeyValue'],
            methods: ['Calculator.add', 'Calculator.div', 'KeyValue.get'], kinds: ['call', 'fault', 'reply']
        });
    });

    test('filters keep rows matching every key, any value of a key', () => {
        const model = new TraceViewModel();
        model.append(sample);
        const shown = () => Array.from({ length: model.count }, (_unused, position) => model.shownRow(position)?.index);
        model.setFilter(filter({ instances: new Set(['store']) }));
        expect(shown()).toEqual([2, 3]);
        model.setFilter(filter({ interfaces: new Set(['Calculator']), kinds: new Set<RowKind>(['call']) }));
        expect(shown()).toEqual([0, 4]);
        model.setFilter(filter({ methods: new Set(['Calculator.div', 'KeyValue.get']) }));
        expect(shown()).toEqual([2, 4]);
        expect(model.positionOf(4)).toBe(1);
        expect(model.positionOf(3)).toBe(-1);
        // Rows appended later are filtered as they come.
        expect(model.append([call(5, 'shell', 'store', 'KeyValue', 'get'), call(6, 'client', 'calc', 'Calculator', 'add')])).toBe(1);
        expect(shown()).toEqual([2, 4, 5]);
        model.setFilter(NO_FILTER);
        expect(model.count).toBe(7);
    });

    test('the window of a viewport is the rows it covers, with overscan, and where the first is drawn', () => {
        const model = new TraceViewModel();
        model.append(Array.from({ length: 100_000 }, (_unused, index) => call(index, `c${index % 3}`, 'server', 'I', `m${index % 5}`)));
        const view = model.window(20 * 5000 + 7, 400, 20, 2);
        // Rows 5000 (partly) to 5020 (partly) are in view, and two more either side.
        expect([view.first, view.last, view.top]).toEqual([4998, 5022, 4998 * 20]);
        expect(view.rows.map(row => row.index)).toEqual(Array.from({ length: 25 }, (_unused, offset) => 4998 + offset));
        const end = model.window(20 * 100_000, 400, 20, 2);
        expect([end.first, end.last]).toEqual([99_998, 99_999]);
        expect(new TraceViewModel().window(0, 400, 20)).toEqual({ first: 0, last: -1, rows: [], top: 0 });
    });

    test('windows equal a plain filter and slice, for random traces, filters and scroll positions', () => {
        const names = ['a', 'b', 'c', 'd'];
        const kinds: RowKind[] = ['call', 'send', 'reply', 'fault', 'signal'];
        const row = fc.record({
            from: fc.constantFrom(...names), to: fc.option(fc.constantFrom(...names), { nil: undefined }),
            iface: fc.constantFrom('I', 'J'), method: fc.constantFrom('m', 'n'), kind: fc.constantFrom(...kinds)
        });
        const subset = <T>(values: readonly T[]) => fc.subarray([...values]).map(chosen => new Set(chosen));
        fc.assert(fc.property(
            fc.array(row, { maxLength: 300 }), subset(names), subset(['I', 'J']), subset(['I.m', 'J.n', 'I.n']), subset(kinds),
            fc.nat(8000), fc.integer({ min: 1, max: 900 }), fc.integer({ min: 1, max: 40 }), fc.nat(5),
            (specs, instances, interfaces, methods, kindSet, scrollTop, height, rowHeight, overscan) => {
                const rows: TraceRow[] = specs.map((spec, index) => ({
                    index, cycle: index, kind: spec.kind, from: spec.from, to: spec.to, interface: spec.iface, method: spec.method, label: '', details: []
                }));
                const chosen: RowFilter = { instances, interfaces, methods, kinds: kindSet };
                const model = new TraceViewModel();
                // Half before the filter is set, half after: both paths must agree.
                model.append(rows.slice(0, rows.length >> 1));
                model.setFilter(chosen);
                model.append(rows.slice(rows.length >> 1));
                const expected = rows.filter(candidate => rowMatches(candidate, chosen));
                expect(model.count).toBe(expected.length);
                const view = model.window(scrollTop, height, rowHeight, overscan);
                const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
                const last = Math.min(expected.length - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan - 1);
                expect(view.rows).toEqual(expected.slice(first, last + 1));
                if (view.rows.length > 0) expect(view.top).toBe(first * rowHeight);
            }
        ), { numRuns: 300 });
    });
});
