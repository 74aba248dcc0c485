/**
 * Reverse execution through the Debug Adapter Protocol (`ukc debug-adapter` driven by DebugClient):
 * reverse continue back to an earlier hit of a handler's breakpoint (or of a function breakpoint) shows exactly the variables of the first
 * time; step back after a step returns to the previous line with the same locals; stepping forward again
 * takes the same path; the debug console shows each byte of output once, whatever went back and forth.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDebugClient } from './debug-client.js';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const CALCULATOR = path.join(ROOT, 'examples/calculator/calculator.uk');

let client: DebugClient;
let stdout: string[];

beforeEach(async () => {
    stdout = [];
    client = await startDebugClient(started => started.on('output', (event: DebugProtocol.OutputEvent) => {
        if (event.body.category === 'stdout') stdout.push(event.body.output);
    }));
});

afterEach(async () => {
    await client.stop();
});

async function launchWith(configure: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
        client.waitForEvent('initialized').then(configure).then(() => client.configurationDoneRequest()),
        client.launch({ program: CALCULATOR })
    ]);
    return stopped;
}

async function nextStop(action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await action();
    return stopped;
}

/** What the editor shows at a stop: the stopped thread's frames (name, line) and every scope of the top frame, registers included. */
async function shown(stop: DebugProtocol.StoppedEvent): Promise<{ frames: [string, number][]; scopes: Record<string, Record<string, string>> }> {
    const frames = (await client.stackTraceRequest({ threadId: stop.body.threadId ?? 0 })).body.stackFrames;
    const scopes: Record<string, Record<string, string>> = {};
    for (const scope of (await client.scopesRequest({ frameId: frames[0].id })).body.scopes) {
        const variables = (await client.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
        scopes[scope.name] = Object.fromEntries(variables.map(variable => [variable.name, variable.value]));
    }
    return { frames: frames.map(frame => [frame.name, frame.line]), scopes };
}

describe('ukc debug-adapter going back', () => {
    it('reverse-continues to the previous function breakpoint hit, in the handler that received the message', async () => {
        await client.initializeRequest();
        const first = await launchWith(() => client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'Calculator.square' }] }));
        expect([first.body.reason, first.body.text]).toEqual(['function breakpoint', 'Calculator.square received']);
        const firstSeen = await shown(first);
        const second = await nextStop(() => client.continueRequest({ threadId: first.body.threadId ?? 0 }));
        expect((await shown(second)).scopes.Arguments).toEqual({ x: '4' });
        const back = await nextStop(() => client.reverseContinueRequest({ threadId: second.body.threadId ?? 0 }));
        expect([back.body.reason, back.body.threadId, back.body.hitBreakpointIds?.length]).toEqual(['function breakpoint', first.body.threadId, 1]);
        expect(await shown(back)).toEqual(firstSeen);
    });

    it('says it can step back, and reverse-continues to earlier hits of a handler breakpoint with the same variables', async () => {
        const capabilities = (await client.initializeRequest()).body;
        expect(capabilities?.supportsStepBack).toBe(true);
        const first = await launchWith(() => client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [{ line: 34 }] }));
        expect(first.body.reason).toBe('breakpoint');
        const seen = [await shown(first)];
        expect([seen[0].frames, seen[0].scopes.Arguments, seen[0].scopes.Message]).toEqual([[['Calc.square', 34]], { x: '2' }, { method: 'Calculator.square', sender: 'client', x: '2' }]);
        for (let i = 1; i < 3; i++) {
            const stop = await nextStop(() => client.continueRequest({ threadId: first.body.threadId ?? 0 }));
            seen.push(await shown(stop));
        }
        expect(seen.map(stop => stop.scopes.Arguments)).toEqual([{ x: '2' }, { x: '4' }, { x: '16' }]);

        for (const i of [1, 0]) {
            const back = await nextStop(() => client.reverseContinueRequest({ threadId: first.body.threadId ?? 0 }));
            expect([back.body.reason, back.body.threadId, back.body.hitBreakpointIds?.length]).toEqual(['breakpoint', first.body.threadId, 1]);
            expect(await shown(back)).toEqual(seen[i]);
        }
        // Forward again to the same hits; the console shows the run's output once, as `ukc run` prints it.
        for (const i of [1, 2]) expect(await shown(await nextStop(() => client.continueRequest({ threadId: first.body.threadId ?? 0 })))).toEqual(seen[i]);
        await client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [] });
        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.continueRequest({ threadId: first.body.threadId ?? 0 });
        const expected = await runUkc(['run', CALCULATOR]);
        expect((await exited).body.exitCode).toBe(expected.code);
        expect(stdout.join('')).toBe(expected.stdout);
    });

    it('steps back to the previous line with the same locals, and forward again along the same path', async () => {
        const stop = await launchWith(() => client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [{ line: 49 }] }));
        const threadId = stop.body.threadId ?? 0;
        await client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [] });
        const path = [await shown(stop)];
        for (let i = 0; i < 2; i++) path.push(await shown(await nextStop(() => client.nextRequest({ threadId }))));
        expect(path.map(at => [at.frames[0][1], at.scopes.Locals])).toEqual([[49, {}], [53, { q: '3', r: '2' }], [55, {}]]);
        expect(stdout.join('')).toBe('40 + 2 = 42\n17 / 5 = 3 rem 2\n');

        for (const i of [1, 0]) {
            const back = await nextStop(() => client.stepBackRequest({ threadId }));
            expect([back.body.reason, back.body.threadId]).toEqual(['step', threadId]);
            expect(await shown(back)).toEqual(path[i]);
        }
        for (const i of [1, 2]) expect(await shown(await nextStop(() => client.nextRequest({ threadId })))).toEqual(path[i]);
        expect(stdout.join('')).toBe('40 + 2 = 42\n17 / 5 = 3 rem 2\n');
    });
});
