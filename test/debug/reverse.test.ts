/**
 * Reverse execution in the session model: reverse continue to the previous breakpoint hit and step back to
 * the previous statement give exactly the state of the first time (every scope, registers included, and the
 * console so far), also when the hit lies several snapshots back; going forward again repeats the same path;
 * the history keeps within its memory budget.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleLog, SystemDebugger, type DebugStop, type VariableValue } from '../../src/debug/index.js';
import { MemoryFileSystem, Session, URI, bootRunnable } from '../../src/session/index.js';
import { ROOT } from '../cli/run-ukc.js';

const CALCULATOR = readFileSync(path.join(ROOT, 'examples/calculator/calculator.uk'), 'utf8');

async function debugCalculator(history: { interval?: number; budgetBytes?: number; searchWindow?: number } = {}): Promise<{ debug: SystemDebugger; log: ConsoleLog }> {
    const memory = new MemoryFileSystem();
    memory.write('memory:///main.uk', CALCULATOR);
    const result = await new Session(memory).compile({ uri: URI.parse('memory:///main.uk'), shownAs: 'main.uk' });
    if (result.kind !== 'compiled') throw new Error('not compiled');
    const log = new ConsoleLog();
    const run = bootRunnable(result.system, { console: log });
    const debug = new SystemDebugger(run, { history: { ...history, participants: [log.participant] } });
    return { debug, log };
}

function thread(stop: DebugStop): string {
    if (stop.kind !== 'stopped') throw new Error(`the run ended: ${JSON.stringify(stop.outcome)}`);
    return stop.thread;
}

/** A variable as the user sees it: its name, value and type, and what it expands into. */
interface ShownVariable { name: string; value: string; type?: string; children?: ShownVariable[] }
interface ShownScope { name: string; variables: ShownVariable[] }

function shown(variable: VariableValue): ShownVariable {
    return { name: variable.name, value: variable.value, type: variable.type, children: variable.children?.().map(shown) };
}

/** Everything a user sees at a stop: where each thread is, every scope of the stopped thread's frames, the console. */
function view(debug: SystemDebugger, log: ConsoleLog, stop: DebugStop): { stop: DebugStop; where: unknown; scopes: ShownScope[][]; console: string; cycle: number } {
    const name = thread(stop);
    return {
        stop,
        where: debug.threads().map(info => [info.name, info.state, debug.location(info.name)?.line]),
        scopes: debug.stack(name).map((_, i) => debug.scopes(name, i).map(scope => ({ name: scope.name, variables: scope.variables.map(shown) }))),
        console: log.text(),
        cycle: debug.run.cycle
    };
}

function argumentsOf(seen: { scopes: ShownScope[][] }): Record<string, string> {
    return Object.fromEntries((seen.scopes[0].find(scope => scope.name === 'Arguments')?.variables ?? []).map(variable => [variable.name, variable.value]));
}

describe('reverse execution', () => {
    for (const interval of [1_000_000, 500]) {
        it(`reverse continue goes back to each earlier hit exactly as it was (snapshots every ${interval} instructions)`, async () => {
            const { debug, log } = await debugCalculator({ interval });
            debug.setSourceBreakpoints('main.uk', [{ line: 34 }]);
            const forward = [];
            for (let i = 0; i < 4; i++) forward.push(view(debug, log, await debug.continue()));
            expect(forward.map(argumentsOf)).toEqual([{ x: '2' }, { x: '4' }, { x: '16' }, { x: '256' }]);
            for (let i = 2; i >= 0; i--) {
                const back = view(debug, log, await debug.reverseContinue());
                expect(back).toEqual({ ...forward[i], stop: { ...forward[i].stop } });
            }
            // Before the first hit there is none: back to the start.
            expect(await debug.reverseContinue()).toEqual({ kind: 'stopped', cause: 'entry', thread: 'calc', breakpoints: [] });
            expect(debug.run.cycle).toBe(0);
            expect(log.text()).toBe('');
            // Forward again: the same hits, the same console.
            for (let i = 0; i < 4; i++) expect(view(debug, log, await debug.continue())).toEqual(forward[i]);
        });
    }

    for (const interval of [1_000_000, 500]) {
        it(`reverse continue stops where a function breakpoint's message reached its handler (snapshots every ${interval} instructions)`, async () => {
            const { debug, log } = await debugCalculator({ interval });
            debug.setFunctionBreakpoints([{ name: 'Calculator.square' }]);
            const forward = [];
            for (let i = 0; i < 4; i++) forward.push(view(debug, log, await debug.continue()));
            expect(forward.map(argumentsOf)).toEqual([{ x: '2' }, { x: '4' }, { x: '16' }, { x: '256' }]);
            expect(forward[3].stop).toEqual({ kind: 'stopped', cause: 'function breakpoint', thread: 'calc', breakpoints: [1], text: 'Calculator.square received' });
            // With a source breakpoint before the first square too (the client printing the sum): each is found in turn.
            expect(debug.setSourceBreakpoints('main.uk', [{ line: 47 }])).toEqual([{ id: 2, verified: true, line: 47 }]);
            for (let i = 2; i >= 0; i--) expect(view(debug, log, await debug.reverseContinue())).toEqual(forward[i]);
            expect(await debug.reverseContinue()).toEqual({ kind: 'stopped', cause: 'breakpoint', thread: 'client', breakpoints: [2] });
            expect([debug.location('client')?.line, log.text()]).toEqual([47, '']);
            expect(await debug.reverseContinue()).toMatchObject({ kind: 'stopped', cause: 'entry' });
            debug.setSourceBreakpoints('main.uk', []);
            for (let i = 0; i < 4; i++) expect(view(debug, log, await debug.continue())).toEqual(forward[i]);
        });
    }

    it('reverse continue finds a function breakpoint set after the run went past its messages', async () => {
        const { debug, log } = await debugCalculator({ interval: 1_000_000 });
        debug.setSourceBreakpoints('main.uk', [{ line: 34 }]);
        const hits = [];
        for (let i = 0; i < 4; i++) hits.push(view(debug, log, await debug.continue()));
        debug.setSourceBreakpoints('main.uk', []);
        expect(debug.setFunctionBreakpoints([{ name: 'Calculator.square' }])).toEqual([{ id: 2, verified: true }]);
        // The fourth message reached the handler at this very moment: the search looks before it.
        const back = view(debug, log, await debug.reverseContinue());
        expect(back).toEqual({ ...hits[2], stop: { kind: 'stopped', cause: 'function breakpoint', thread: 'calc', breakpoints: [2], text: 'Calculator.square received' } });
        expect(argumentsOf(back)).toEqual({ x: '16' });
    });

    it('steps back to the previous statement of the thread, and forward again along the same path', async () => {
        const { debug, log } = await debugCalculator({ interval: 2_000 });
        debug.setSourceBreakpoints('main.uk', [{ line: 47 }]);
        const first = await debug.continue();
        debug.setSourceBreakpoints('main.uk', []);
        const path = [view(debug, log, first)];
        for (let i = 0; i < 5; i++) path.push(view(debug, log, await debug.step('client', 'over')));
        expect(path.map(seen => (seen.where as [string, string, number][])[1][2])).toEqual([47, 49, 53, 55, 56, 58]);
        expect(path[5].console).toBe('40 + 2 = 42\n17 / 5 = 3 rem 2\n1 / 0 -> DivideByZero\n');
        for (let i = 4; i >= 0; i--) {
            expect(view(debug, log, await debug.stepBack('client'))).toEqual({ ...path[i], stop: { kind: 'stopped', cause: 'step', thread: 'client', breakpoints: [] } });
        }
        // Once more: the statement before 47 in main, before anything was printed.
        const before = view(debug, log, await debug.stepBack('client'));
        expect((before.where as [string, string, number][])[1][2]).toBe(43);
        expect(before.console).toBe('');
        // Forward again: the same statements, states and console.
        expect(view(debug, log, await debug.step('client', 'over'))).toEqual({ ...path[0], stop: { kind: 'stopped', cause: 'step', thread: 'client', breakpoints: [] } });
        for (let i = 1; i <= 5; i++) expect(view(debug, log, await debug.step('client', 'over'))).toEqual(path[i]);
    });

    it('steps back from the first statement of a handler to the last statement of the message before', async () => {
        const { debug, log } = await debugCalculator({ interval: 2_000 });
        debug.setSourceBreakpoints('main.uk', [{ line: 34, condition: 'x == 4' }]);
        const calc = thread(await debug.continue());
        debug.setSourceBreakpoints('main.uk', []);
        const back = view(debug, log, await debug.stepBack(calc));
        expect([debug.location(calc)?.line, argumentsOf(back)]).toEqual([35, { x: '2' }]);
    });

    for (const interval of [1_000_000, 500]) {
        it(`counts breakpoint hits after going back as the first run did (snapshots every ${interval} instructions)`, async () => {
            const { debug, log } = await debugCalculator({ interval });
            // Line 34 runs for x = 2, 4, 16, 256 and 65536: every second hit is x = 4 and x = 256.
            debug.setSourceBreakpoints('main.uk', [{ line: 34, hitCondition: '% 2' }]);
            const second = view(debug, log, await debug.continue());
            const fourth = view(debug, log, await debug.continue());
            expect([argumentsOf(second), argumentsOf(fourth)]).toEqual([{ x: '4' }, { x: '256' }]);
            // Back to the second hit (the third does not stop), and forward: the fourth hit stops again, the fifth does not.
            expect(view(debug, log, await debug.reverseContinue())).toEqual(second);
            expect(view(debug, log, await debug.continue())).toEqual(fourth);
            // Back from the fourth hit by a statement: the count is 3 there, so the next hit (x = 256) is the fourth again.
            await debug.stepBack('calc');
            expect([debug.location('calc')?.line, debug.run.cycle < fourth.cycle]).toEqual([35, true]);
            expect(view(debug, log, await debug.continue())).toEqual(fourth);
            expect((await debug.continue()).kind).toBe('ended');
        });
    }

    it('stops on the third hit again after going back to before it, and before the first hit counts from 0', async () => {
        const { debug, log } = await debugCalculator({ interval: 500 });
        debug.setSourceBreakpoints('main.uk', [{ line: 34, hitCondition: '== 3' }]);
        const third = view(debug, log, await debug.continue());
        expect(argumentsOf(third)).toEqual({ x: '16' });
        // The first and second hits do not stop: back to the start, where nothing has been counted.
        expect(await debug.reverseContinue()).toEqual({ kind: 'stopped', cause: 'entry', thread: 'calc', breakpoints: [] });
        expect(view(debug, log, await debug.continue())).toEqual(third);
        expect((await debug.continue()).kind).toBe('ended');
    });

    it('counts a function breakpoint\'s hits after stepping back as the first run did', async () => {
        const { debug, log } = await debugCalculator({ interval: 500 });
        debug.setFunctionBreakpoints([{ name: 'Calculator.square', hitCondition: '% 2' }]);
        const second = view(debug, log, await debug.continue());
        const fourth = view(debug, log, await debug.continue());
        expect([argumentsOf(second), argumentsOf(fourth)]).toEqual([{ x: '4' }, { x: '256' }]);
        expect(fourth.stop).toEqual({ kind: 'stopped', cause: 'function breakpoint', thread: 'calc', breakpoints: [1], text: 'Calculator.square received' });
        // Into the handler of x = 16 (the third square received), then on: x = 256 is the fourth again.
        await debug.stepBack('calc');
        expect([debug.location('calc')?.line, argumentsOf(view(debug, log, { kind: 'stopped', cause: 'step', thread: 'calc', breakpoints: [] }))]).toEqual([35, { x: '16' }]);
        expect(view(debug, log, await debug.continue())).toEqual(fourth);
        expect((await debug.continue()).kind).toBe('ended');
    });

    it('steps back far from the last snapshot by searching the end of the window first, and keeps a snapshot there', async () => {
        const back = async (interval: number) => {
            const { debug, log } = await debugCalculator({ interval, searchWindow: 1_000 });
            debug.setSourceBreakpoints('main.uk', [{ line: 34, condition: 'x == 256' }]);
            const calc = thread(await debug.continue());
            debug.setSourceBreakpoints('main.uk', []);
            const cycles = debug.history?.cycles() ?? [];
            const seen = view(debug, log, await debug.stepBack(calc));
            return { seen, before: cycles, after: debug.history?.cycles() ?? [] };
        };
        // Snapshots every 500 instructions: the previous statement is in the last window, found directly.
        const dense = await back(500);
        // Only the boot snapshot before the stop: the search runs to 1,000 cycles before the stop, then to
        // 2,000 before that, and finds the statement there; the history keeps both places and the new stop.
        const sparse = await back(1_000_000);
        expect(sparse.seen).toEqual(dense.seen);
        expect(argumentsOf(sparse.seen)).toEqual({ x: '16' });
        const stop = sparse.before[1];
        expect([sparse.before.length, sparse.before[0], stop - sparse.seen.cycle > 1_000, stop - sparse.seen.cycle < 3_000]).toEqual([2, 0, true, true]);
        // (The kernel's run ends at a cycle budget or up to one kernel entry after it.)
        const [earlier, found, later] = sparse.after.filter(cycle => !sparse.before.includes(cycle));
        expect([found, later >= stop - 1_000 && later < stop, earlier >= later - 2_000 && earlier < found]).toEqual([sparse.seen.cycle, true, true]);
    });

    it('keeps its snapshots within the memory budget, thinning the old ones', async () => {
        const { debug } = await debugCalculator({ interval: 200, budgetBytes: 400_000 });
        const history = debug.history;
        if (!history) throw new Error('no history');
        expect((await debug.continue()).kind).toBe('ended');
        expect(history.bytes).toBeLessThanOrEqual(400_000);
        expect(history.count).toBeGreaterThan(2);
        expect(history.cycles()[0]).toBe(0);
    });
});
