/**
 * The debug session model without any protocol: frames unwound through helper calls (callee-saved
 * registers restored), statement steps into and out of helpers, pause, and the IPC fastpath kept when
 * nothing is being watched.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SystemDebugger, type DebugStop } from '../../src/debug/index.js';
import { MemoryFileSystem, Session, URI, bootRunnable, type SystemRun } from '../../src/session/index.js';
import { ROOT } from '../cli/run-ukc.js';

const CALCULATOR = readFileSync(path.join(ROOT, 'examples/calculator/calculator.uk'), 'utf8');

async function boot(source: string): Promise<{ run: SystemRun; output: () => string }> {
    const memory = new MemoryFileSystem();
    memory.write('memory:///main.uk', source);
    const result = await new Session(memory).compile({ uri: URI.parse('memory:///main.uk'), shownAs: 'main.uk' });
    if (result.kind !== 'compiled') throw new Error('not compiled');
    let text = '';
    const decoder = new TextDecoder();
    const run = bootRunnable(result.system, { console: { byte: value => { text += String.fromCharCode(value); }, bytes: values => { text += decoder.decode(values); } } });
    return { run, output: () => text };
}

function stoppedThread(stop: DebugStop): string {
    if (stop.kind !== 'stopped') throw new Error(`the run ended: ${JSON.stringify(stop.outcome)}`);
    return stop.thread;
}

function where(debug: SystemDebugger, thread: string): [string, number | undefined][] {
    return debug.stack(thread).map(frame => [SystemDebugger.frameName(frame), frame.location?.line]);
}

function variables(debug: SystemDebugger, thread: string, frame: number, scope: string): Record<string, string> {
    const found = debug.scopes(thread, frame).find(candidate => candidate.name === scope);
    return Object.fromEntries((found?.variables ?? []).map(variable => [variable.name, variable.value]));
}

describe('SystemDebugger', () => {
    it('unwinds through a helper call, with the caller’s arguments read from where the helper saved them', async () => {
        const { run } = await boot(CALCULATOR);
        const debug = new SystemDebugger(run);
        expect(debug.setSourceBreakpoints('/work/main.uk', [{ line: 17 }])).toEqual([{ id: 1, verified: true, line: 17 }]);
        const thread = stoppedThread(await debug.continue());
        expect(where(debug, thread)).toEqual([['Calc.addOverflows', 17], ['Calc.add', 23]]);
        expect(variables(debug, thread, 0, 'Arguments')).toEqual({ a: '40', b: '2' });
        expect(variables(debug, thread, 1, 'Arguments')).toEqual({ a: '40', b: '2' });
        expect(debug.evaluate(thread, 1, 'a - b * 3')).toEqual({ name: 'a - b * 3', value: '34', type: 'integer' });
        const registers = variables(debug, thread, 0, 'Registers');
        expect(Object.keys(registers).slice(0, 4)).toEqual(['pc', 'x0 (zero)', 'x1 (ra)', 'x2 (sp)']);
        expect(Object.keys(registers).length).toBe(33);
        expect(registers.pc).toBe(`0x${debug.stack(thread)[0].pc.toString(16).padStart(8, '0')}`);
    });

    it('moves a breakpoint down to the next line with code in the same function, never into the next one', async () => {
        const { run } = await boot(CALCULATOR);
        const debug = new SystemDebugger(run);
        const statuses = debug.setSourceBreakpoints('main.uk', [{ line: 16 }, { line: 20 }, { line: 22 }, { line: 26 }, { line: 1 }]);
        expect(statuses.map(status => [status.verified, status.line, status.message])).toEqual([
            [true, 17, undefined],
            [false, 20, 'no code on line 20 or after it in a function'],
            [true, 23, undefined],
            [false, 26, 'no code on line 26 or after it in a function'],
            [false, 1, 'no code on line 1 or after it in a function']
        ]);
        expect(debug.setSourceBreakpoints('other.uk', [{ line: 17 }])[0].verified).toBe(false);
    });

    it('steps into a helper, out of it back into the caller, and over to the next statement', async () => {
        const { run } = await boot(CALCULATOR);
        const debug = new SystemDebugger(run);
        debug.setSourceBreakpoints('main.uk', [{ line: 23 }]);
        const thread = stoppedThread(await debug.continue());
        debug.setSourceBreakpoints('main.uk', []);
        expect(where(debug, thread)).toEqual([['Calc.add', 23]]);
        expect(stoppedThread(await debug.step(thread, 'in'))).toBe(thread);
        expect(where(debug, thread)).toEqual([['Calc.addOverflows', 17], ['Calc.add', 23]]);
        await debug.step(thread, 'over');
        expect(where(debug, thread)).toEqual([['Calc.addOverflows', 18], ['Calc.add', 23]]);
        await debug.step(thread, 'out');
        expect(where(debug, thread)).toEqual([['Calc.add', 23]]);
        await debug.step(thread, 'over');
        expect(where(debug, thread)).toEqual([['Calc.add', 24]]);
    });

    it('pauses a running system, and keeps the IPC fastpath when nothing is watched', async () => {
        const { run, output } = await boot(CALCULATOR);
        const debug = new SystemDebugger(run, { sliceCycles: 1000 });
        const paths: boolean[] = [];
        run.subscribe(event => { if (event.kind === 'ipc') paths.push(event.fastpath); }, ['ipc']);
        const running = debug.continue();
        debug.pause();
        const stop = await running;
        expect(stop).toMatchObject({ kind: 'stopped', cause: 'pause' });
        const end = await debug.continue();
        expect(end).toEqual({ kind: 'ended', outcome: { kind: 'finished', cycle: 18254 } });
        expect(paths.length).toBe(18);
        expect(paths.every(fast => fast)).toBe(true);
        expect(output()).toContain('square(65536) -> Overflow\n');
    });
});
