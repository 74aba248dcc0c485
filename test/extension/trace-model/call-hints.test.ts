/**
 * Call hints: a traced run's calls beside their call sites and handlers. Checked on the calculator's real
 * run (every line it reaches, exact text) and on made-up events for what the calculator does not do (a call
 * whose server never replied, sends, nesting, long arguments).
 */
import * as path from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { beforeAll, expect, test } from 'vitest';
import type { DecodedValue, TypedEvent } from '../../../runtime/trace/index.js';
import { Session, bootRunnable } from '../../../src/session/index.js';
import { CallHints, HINT_MAX_LENGTH, isHintedFile } from '../../../extension/src/trace-model/call-hints.js';

const ROOT = path.resolve(__dirname, '../../..');
let calculator: TypedEvent[] = [];

beforeAll(async () => {
    const session = new Session(NodeFileSystem.fileSystemProvider());
    const file = 'examples/calculator/calculator.uk';
    const compiled = await session.compile({ uri: URI.file(path.join(ROOT, file)), shownAs: 'calculator/calculator.uk' });
    if (compiled.kind !== 'compiled') throw new Error(`${file} did not compile`);
    const run = bootRunnable(compiled.system, { console: { byte: () => undefined, bytes: () => undefined } });
    run.subscribeTyped(event => { calculator.push(event); });
    expect((await run.run()).kind).toBe('finished');
});

test('the calculator: each call site and handler line shows its latest call and reply, and how many calls', () => {
    const hints = new CallHints();
    for (const event of calculator) hints.add(event);
    const file = 'calculator.uk';
    expect(hints.hints()).toEqual([
        { file, line: 43, text: 'Calculator.add(a=40, b=2) = 42' },
        { file, line: 22, text: 'Calculator.add(a=2147483647, b=1) = error CalcError.Overflow  (2 calls)' },
        { file, line: 49, text: 'Calculator.div(a=17, b=5) = (quotient=3, remainder=2)' },
        { file, line: 27, text: 'Calculator.div(a=1, b=0) = error CalcError.DivideByZero  (2 calls)' },
        { file, line: 55, text: 'Calculator.div(a=1, b=0) = error CalcError.DivideByZero' },
        { file, line: 58, text: 'Calculator.add(a=2147483647, b=1) = error CalcError.Overflow' },
        { file, line: 63, text: 'Calculator.square(x=65536) = error CalcError.Overflow  (5 calls)' },
        { file, line: 33, text: 'Calculator.square(x=65536) = error CalcError.Overflow  (5 calls)' }
    ]);
});

test('a call shows before its reply, and the reply completes it', () => {
    const hints = new CallHints();
    const [call, reply] = calculator;
    hints.add(call as TypedEvent);
    expect(hints.hints().map(hint => hint.text)).toEqual(['Calculator.add(a=40, b=2)', 'Calculator.add(a=40, b=2)']);
    hints.add(reply as TypedEvent);
    expect(hints.hints().map(hint => hint.text)).toEqual(['Calculator.add(a=40, b=2) = 42', 'Calculator.add(a=40, b=2) = 42']);
});

const value = (name: string, text: string): DecodedValue => ({ name, text }) as DecodedValue;
const call = (from: string, to: string, method: string, args: DecodedValue[], site?: string, handler?: string, kind: 'call' | 'send' = 'call'): TypedEvent =>
    ({ kind, cycle: 0, from, to, interface: 'I', method, args, fastpath: true, badge: 0, site, handler });
const reply = (from: string, to: string, method: string, results: DecodedValue[], error?: string): TypedEvent =>
    ({ kind: 'reply', cycle: 0, from, to, interface: 'I', method, results, fastpath: true, error });

test('nested calls: each reply goes to its own call, innermost first', () => {
    const hints = new CallHints();
    hints.add(call('client', 'a', 'outer', [], 'f.uk:10:5', 'f.uk:20:5'));
    hints.add(call('a', 'b', 'inner', [value('x', '1')], 'f.uk:21:9', 'f.uk:30:5'));
    hints.add(reply('b', 'a', 'inner', [value('result', '2')]));
    hints.add(reply('a', 'client', 'outer', []));
    expect(hints.hints()).toEqual([
        { file: 'f.uk', line: 10, text: 'I.outer() = done' },
        { file: 'f.uk', line: 20, text: 'I.outer() = done' },
        { file: 'f.uk', line: 21, text: 'I.inner(x=1) = 2' },
        { file: 'f.uk', line: 30, text: 'I.inner(x=1) = 2' }
    ]);
});

test('a call that never got its reply keeps its call text; the next reply goes to the right call', () => {
    const hints = new CallHints();
    hints.add(call('client', 'a', 'lost', [], 'f.uk:10:5'));
    hints.add(call('client', 'b', 'kept', [], 'f.uk:11:5'));
    hints.add(reply('b', 'client', 'kept', [value('result', '7')]));
    // A reply to a call the caller is not waiting for changes nothing.
    hints.add(reply('a', 'client', 'other', []));
    expect(hints.hints()).toEqual([
        { file: 'f.uk', line: 10, text: 'I.lost()' },
        { file: 'f.uk', line: 11, text: 'I.kept() = 7' }
    ]);
});

test('a send shows without a reply; events without a place and other kinds show nothing', () => {
    const hints = new CallHints();
    hints.add(call('client', 'log', 'note', [value('n', '3')], 'f.uk:5:1', undefined, 'send'));
    hints.add(call('client', 'log', 'nowhere', []));
    hints.add(call('client', 'log', 'bad', [], 'not a place'));
    hints.add({ kind: 'fault', cycle: 0, thread: 'client', fault: 'illegal-instruction', pc: 0, handled: false } as unknown as TypedEvent);
    expect(hints.hints()).toEqual([{ file: 'f.uk', line: 5, text: 'I.note(n=3)' }]);
});

test('a long hint is cut to the limit, ending in an ellipsis', () => {
    const hints = new CallHints();
    hints.add(call('client', 'a', 'write', [value('data', 'x'.repeat(300))], 'f.uk:1:1'));
    const [hint] = hints.hints();
    expect(hint?.text.length).toBe(HINT_MAX_LENGTH);
    expect(hint?.text).toBe(`I.write(data=${'x'.repeat(HINT_MAX_LENGTH - 'I.write(data='.length - 1)}…`);
});

test('a hint names every file of its name, or ending in its relative path, and no other', () => {
    expect(isHintedFile('/work/examples/calculator/calculator.uk', 'calculator.uk')).toBe(true);
    expect(isHintedFile('/work/examples/calculator/calculator.uk', 'calculator/calculator.uk')).toBe(true);
    expect(isHintedFile('/work/examples/calculator/calculator.uk', 'calculator\\calculator.uk')).toBe(true);
    expect(isHintedFile('calculator.uk', 'calculator.uk')).toBe(true);
    expect(isHintedFile('/work/examples/calculator/mycalculator.uk', 'calculator.uk')).toBe(false);
    expect(isHintedFile('/work/examples/calculator/calculator.uk', 'other/calculator.uk')).toBe(false);
});
