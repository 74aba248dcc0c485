/**
 * Open Trace reads what `ukc run` writes: the calculator's JSON Lines and Chrome traces become the same
 * calls and replies, with sites, handlers and decoded values; files that are not traces are refused with
 * the line at fault.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { readTraceFile } from '../../../extension/src/trace-model/trace-file.js';
import type { TraceRow } from '../../../extension/src/trace-model/trace-row.js';
import { runUkc, temporaryFolders } from '../../cli/run-ukc.js';

const folder = temporaryFolders('ukc-trace-file-');
let jsonl = '';
let chrome = '';

beforeAll(async () => {
    const out = folder();
    const run = await runUkc(['run', 'examples/calculator/calculator.uk', '--trace-jsonl', path.join(out, 't.jsonl'), '--trace-chrome', path.join(out, 't.json')]);
    expect(run.code).toBe(0);
    jsonl = readFileSync(path.join(out, 't.jsonl'), 'utf8');
    chrome = readFileSync(path.join(out, 't.json'), 'utf8');
});

function rows(text: string): TraceRow[] {
    const file = readTraceFile(text);
    if ('error' in file) throw new Error(file.error);
    return file.rows;
}

describe('JSON Lines traces', () => {
    test('calls and replies read as the source writes them, with where they come from', () => {
        const all = rows(jsonl);
        const div = all.find(row => row.label === 'Calculator.div(a=1, b=0)');
        expect(div).toMatchObject({ kind: 'call', from: 'client', to: 'calc', interface: 'Calculator', method: 'div', fastpath: true,
            site: 'calculator.uk:55:9', handler: 'calculator.uk:27:5', details: ['a = 1', 'b = 0', 'badge = 7'] });
        const reply = all[all.indexOf(div as TraceRow) + 1];
        expect(reply).toMatchObject({ kind: 'reply', from: 'calc', to: 'client', label: 'Calculator.div = error CalcError.DivideByZero', error: true,
            details: ['error = CalcError.DivideByZero'] });
        expect(all.find(row => row.label === 'Calculator.div = (quotient=3, remainder=2)')?.details).toEqual(['quotient = 3', 'remainder = 2']);
        expect(all.map(row => row.index)).toEqual(all.map((_row, index) => index));
    });

    test('a line that is not a trace event is refused with its number', () => {
        const lines = jsonl.split('\n');
        expect(readTraceFile([lines[0], 'not json', lines[1]].join('\n'))).toEqual({ error: 'line 2 is not JSON: a trace file holds one JSON object per line (ukc run --trace-jsonl) or a Chrome trace' });
        expect(readTraceFile([lines[0], '{"kind":"schedule","cycle":1}'].join('\n'))).toEqual({ error: "line 2 is not a trace event (its kind is 'schedule')" });
    });
});

describe('Chrome traces', () => {
    test('have the same calls, in the same order, with their error replies', () => {
        const fromJsonl = rows(jsonl);
        const fromChrome = rows(chrome);
        const shape = (row: TraceRow) => [row.kind, row.cycle, row.from, row.to, row.interface, row.method, row.error ?? false];
        expect(fromChrome.map(shape)).toEqual(fromJsonl.map(shape));
        const div = fromChrome.find(row => row.kind === 'call' && row.details.includes('b = 0'));
        expect(div).toMatchObject({ label: 'Calculator.div', from: 'client', to: 'calc', site: 'calculator.uk:55:9', handler: 'calculator.uk:27:5' });
        expect(fromChrome.filter(row => row.error).map(row => row.label)).toEqual(fromJsonl.filter(row => row.error).map(row => row.label));
    });

    test('a document without traceEvents is refused', () => {
        expect(readTraceFile('{"traceEvents": 3}')).toEqual({ error: 'a Chrome trace needs a traceEvents array' });
    });
});
