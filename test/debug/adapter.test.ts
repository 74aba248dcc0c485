/**
 * The debug adapter through the Debug Adapter Protocol, as an editor drives it: `bin/ukc.js debug-adapter`
 * (the command users configure) in a child process, with @vscode/debugadapter-testsupport's DebugClient.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDebugClient } from './debug-client.js';
import { ROOT, runUkc, temporaryFolders } from '../cli/run-ukc.js';

const CALCULATOR = path.join(ROOT, 'examples/calculator/calculator.uk');
const folders = temporaryFolders('ukc-debug-');

let client: DebugClient;

beforeEach(async () => {
    client = await startDebugClient();
});

afterEach(async () => {
    await client.stop();
});

/** Launches `program` with breakpoints set before the run starts; resolves with the first stop. */
async function launchWith(program: string, configure: () => Promise<unknown>, extra: Record<string, unknown> = {}): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
        client.waitForEvent('initialized').then(configure).then(() => client.configurationDoneRequest()),
        client.launch({ program, ...extra })
    ]);
    return stopped;
}

async function topFrame(threadId: number): Promise<DebugProtocol.StackFrame[]> {
    return (await client.stackTraceRequest({ threadId })).body.stackFrames;
}

/** Every scope of a frame as name -> { variable: value }. */
async function scopesOf(frameId: number): Promise<Record<string, Record<string, string>>> {
    const scopes = (await client.scopesRequest({ frameId })).body.scopes;
    const result: Record<string, Record<string, string>> = {};
    for (const scope of scopes) {
        if (scope.name === 'Registers') continue;
        const variables = (await client.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
        result[scope.name] = Object.fromEntries(variables.map(variable => [variable.name, variable.value]));
    }
    return result;
}

async function nextStop(action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await action();
    return stopped;
}

async function threadName(threadId: number): Promise<string> {
    const threads = (await client.threadsRequest()).body.threads;
    return threads.find(thread => thread.id === threadId)?.name ?? '';
}

describe('ukc debug-adapter', () => {
    it('stops at a breakpoint in a handler with threads, stack, arguments and the typed message; steps out to the client after the reply', async () => {
        const stop = await launchWith(CALCULATOR, () => client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [{ line: 28 }] })
            .then(response => expect(response.body.breakpoints.map(bp => [bp.verified, bp.line])).toEqual([[true, 28]])));
        expect(stop.body.reason).toBe('breakpoint');
        const threads = (await client.threadsRequest()).body.threads.map(thread => thread.name);
        expect(threads).toEqual(['calc (runnable)', 'client waits for the reply from calc']);
        const frames = await topFrame(stop.body.threadId ?? 0);
        expect(frames.map(frame => [frame.name, frame.line, frame.source?.path])).toEqual([['Calc.div', 28, CALCULATOR]]);
        expect(await scopesOf(frames[0].id)).toEqual({
            Arguments: { a: '17', b: '5' },
            Locals: {},
            Message: { method: 'Calculator.div', sender: 'client', a: '17', b: '5' },
            'Message registers': { 'MR0 (a)': '0x00000011', 'MR1 (b)': '0x00000005' }
        });

        const back = await nextStop(() => client.stepOutRequest({ threadId: stop.body.threadId ?? 0 }));
        expect(back.body.reason).toBe('step');
        expect(await threadName(back.body.threadId ?? 0)).toMatch(/^client /);
        const clientFrames = await topFrame(back.body.threadId ?? 0);
        expect(clientFrames.map(frame => [frame.name, frame.line])).toEqual([['Client.main', 49]]);
        expect((await scopesOf(clientFrames[0].id)).Message).toEqual({ method: 'reply to Calculator.div', from: 'calc', quotient: '3', remainder: '2' });
    });

    it('steps over statements, and into a call through an endpoint into the server handler, then out and on to the exit status', async () => {
        const stop = await launchWith(CALCULATOR, () => client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [{ line: 53 }] }));
        const clientThread = stop.body.threadId ?? 0;
        expect((await topFrame(clientThread))[0].line).toBe(53);
        const q = (await scopesOf((await topFrame(clientThread))[0].id)).Locals;
        expect(q).toEqual({ q: '3', r: '2' });

        const over = await nextStop(() => client.nextRequest({ threadId: clientThread }));
        expect([over.body.reason, over.body.threadId, (await topFrame(clientThread))[0].line]).toEqual(['step', clientThread, 55]);

        const into = await nextStop(() => client.stepInRequest({ threadId: clientThread }));
        expect(into.body.reason).toBe('step');
        expect(await threadName(into.body.threadId ?? 0)).toBe('calc (runnable)');
        const handler = await topFrame(into.body.threadId ?? 0);
        expect(handler.map(frame => [frame.name, frame.line])).toEqual([['Calc.div', 28]]);
        expect((await scopesOf(handler[0].id)).Arguments).toEqual({ a: '1', b: '0' });

        // `if b == 0 { raise ... }` raises: stepping over it ends the handler, and the step goes on to the client.
        const over2 = await nextStop(() => client.nextRequest({ threadId: into.body.threadId ?? 0 }));
        expect([over2.body.threadId, (await topFrame(clientThread))[0].line]).toEqual([clientThread, 55]);
        expect((await scopesOf((await topFrame(clientThread))[0].id)).Message).toEqual({ method: 'reply to Calculator.div', from: 'calc', error: 'CalcError.DivideByZero' });

        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.continueRequest({ threadId: clientThread });
        expect((await exited).body.exitCode).toBe((await runUkc(['run', CALCULATOR])).code);
    });

    it('stops at a function breakpoint in the handler that receives the message, and at a conditional breakpoint when it holds', async () => {
        const stop = await launchWith(CALCULATOR, async () => {
            const functions = await client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'Calculator.div' }, { name: 'Calculator.nope' }] });
            expect(functions.body.breakpoints.map(bp => bp.verified)).toEqual([true, false]);
            expect(functions.body.breakpoints[1].message).toBe("no endpoint of this system serves 'Calculator.nope' (known: Calculator.add, Calculator.div, Calculator.square)");
        });
        expect(stop.body.reason).toBe('function breakpoint');
        const frames = await topFrame(stop.body.threadId ?? 0);
        expect(frames.map(frame => [frame.name, frame.line])).toEqual([['Calc.div', 28]]);
        expect((await scopesOf(frames[0].id)).Arguments).toEqual({ a: '17', b: '5' });

        await client.setFunctionBreakpointsRequest({ breakpoints: [] });
        const conditional = await client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [{ line: 34, condition: 'x > 100 && x % 2 == 0' }] });
        expect(conditional.body.breakpoints[0].verified).toBe(true);
        const hit = await nextStop(() => client.continueRequest({ threadId: stop.body.threadId ?? 0 }));
        expect(hit.body.reason).toBe('breakpoint');
        const square = await topFrame(hit.body.threadId ?? 0);
        expect((await scopesOf(square[0].id)).Arguments).toEqual({ x: '256' });
        const evaluated = await client.evaluateRequest({ expression: 'x * 2 + 1', frameId: square[0].id });
        expect(evaluated.body.result).toBe('513');
    });

    it('disassembles around a frame with source lines, steps one instruction, and stops at an instruction breakpoint', async () => {
        const stop = await launchWith(CALCULATOR, () => client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'Calculator.div' }] }));
        const threadId = stop.body.threadId ?? 0;
        const [frame] = await topFrame(threadId);
        const reference = frame.instructionPointerReference ?? '';
        expect(reference).toMatch(/^calc@0x[0-9a-f]+$/);
        const pc = parseInt(reference.slice('calc@0x'.length), 16);
        // The handler's prologue (sp, ra and five saved registers, two arguments moved) is nine instructions.
        const listing = (await client.disassembleRequest({ memoryReference: reference, instructionOffset: -9, instructionCount: 12 })).body?.instructions ?? [];
        expect(listing.map(instruction => [instruction.instruction, instruction.symbol, instruction.line])).toEqual([
            ['addi\tsp,sp,-32', 'handler.Calc.div', undefined], ['sw\tra,0(sp)', undefined, undefined], ['sw\ts1,4(sp)', undefined, undefined],
            ['sw\ts2,8(sp)', undefined, undefined], ['sw\ts3,12(sp)', undefined, undefined], ['sw\ts4,16(sp)', undefined, undefined],
            ['sw\ts5,20(sp)', undefined, undefined], ['addi\ts1,a2,0', undefined, undefined], ['addi\ts2,a3,0', undefined, undefined],
            ['addi\ts3,zero,0', undefined, 28], ['xor\ts4,s2,s3', undefined, 28], ['sltiu\ts4,s4,1', undefined, 28]
        ]);
        expect(listing[9].address).toBe(`0x${pc.toString(16).padStart(8, '0')}`);

        await nextStop(() => client.nextRequest({ threadId, granularity: 'instruction' }));
        expect((await topFrame(threadId))[0].instructionPointerReference).toBe(`calc@0x${(pc + 4).toString(16)}`);

        await client.setFunctionBreakpointsRequest({ breakpoints: [] });
        const entry = `calc@0x${(pc - 36).toString(16)}`;
        // DebugClient has no method for this request.
        const set = await client.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: entry }, { instructionReference: 'calc@0x4' }] }) as DebugProtocol.SetInstructionBreakpointsResponse;
        expect(set.body.breakpoints.map(bp => [bp.verified, bp.message])).toEqual([[true, undefined], [false, '0x4 is not code of calc']]);
        const hit = await nextStop(() => client.continueRequest({ threadId }));
        expect(hit.body.reason).toBe('breakpoint');
        const frames = await topFrame(threadId);
        expect(frames.map(candidate => [candidate.name, candidate.instructionPointerReference])).toEqual([['Calc.div', entry]]);
    });

    it('logs logpoints without stopping, counts hits, and refuses breakpoints where there is no code or the condition does not parse', async () => {
        const output: string[] = [];
        client.on('output', (event: DebugProtocol.OutputEvent) => { if (event.body.category === 'console') output.push(event.body.output); });
        const stop = await launchWith(CALCULATOR, async () => {
            const response = await client.setBreakpointsRequest({
                source: { path: CALCULATOR },
                breakpoints: [{ line: 34, logMessage: 'square of {x}' }, { line: 70 }, { line: 24, condition: 'a +' }, { line: 35, hitCondition: '3' }]
            });
            expect(response.body.breakpoints.map(bp => [bp.verified, bp.line, bp.message])).toEqual([
                [true, 34, undefined], [false, 70, 'no code on line 70 or after it in a function'], [false, 24, 'the expression ends too early'], [true, 35, undefined]
            ]);
        });
        expect(stop.body.reason).toBe('breakpoint');
        expect((await scopesOf((await topFrame(stop.body.threadId ?? 0))[0].id)).Arguments).toEqual({ x: '16' });
        expect(output).toEqual(['square of 2\n', 'square of 4\n', 'square of 16\n']);
    });

    it('stops at an unhandled fault as an exception, and ends with the status ukc run gives', async () => {
        const folder = folders();
        const program = path.join(folder, 'fault.uk');
        writeFileSync(program, [
            'program Divider {', '    main {', '        var z: i32 = 0', '        let x = 10 / z', '        print("{}", x)', '    }', '}',
            'system Faulty { instance d: Divider { priority: 1 } }', ''
        ].join('\n'));
        const stop = await launchWith(program, () => client.setExceptionBreakpointsRequest({ filters: ['unhandled'] }));
        expect(stop.body.reason).toBe('exception');
        expect(stop.body.text).toBe('illegal-instruction in d at fault.uk:4 (unhandled)');
        const frames = await topFrame(stop.body.threadId ?? 0);
        expect(frames.map(frame => [frame.name, frame.line])).toEqual([['Divider.main', 4]]);
        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.continueRequest({ threadId: stop.body.threadId ?? 0 });
        const expected = await runUkc(['run', program]);
        expect(expected.code).toBe(3);
        expect((await exited).body.exitCode).toBe(3);
    });

    it('debugs an image directory from ukc compile, with its sources found next to it', async () => {
        const folder = folders();
        const source = path.join(folder, 'calculator.uk');
        writeFileSync(source, readFileSync(CALCULATOR));
        const image = path.join(folder, 'Demo.image');
        expect((await runUkc(['compile', source, '-o', image])).code).toBe(0);
        const stop = await launchWith(image, () => client.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: 34 }] }));
        const frames = await topFrame(stop.body.threadId ?? 0);
        expect(frames.map(frame => [frame.name, frame.line, frame.source?.path])).toEqual([['Calc.square', 34, source]]);
        expect((await scopesOf(frames[0].id)).Arguments).toEqual({ x: '2' });
    });

    it('stops at faults a supervisor handles only with the all-faults filter', async () => {
        const supervised = path.join(ROOT, 'examples/supervised-restart/supervised.uk');
        const stop = await launchWith(supervised, () => client.setExceptionBreakpointsRequest({ filters: ['fault'] }));
        expect([stop.body.reason, stop.body.text]).toEqual(['exception', 'illegal-instruction in counter at supervised.uk:19 (handled by supervisor.faults)']);
        await client.setExceptionBreakpointsRequest({ filters: ['unhandled'] });
        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.continueRequest({ threadId: stop.body.threadId ?? 0 });
        expect((await exited).body.exitCode).toBe((await runUkc(['run', supervised])).code);
    });

    it('stops on entry, and a launch of a file with errors fails with the diagnostic', async () => {
        const entry = await launchWith(CALCULATOR, async () => undefined, { stopOnEntry: true });
        expect(entry.body.reason).toBe('entry');
        expect(await threadName(entry.body.threadId ?? 0)).toBe('calc (runnable)');
        // Terminating ends the session as an interrupted `ukc run` ends.
        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.terminateRequest();
        expect((await exited).body.exitCode).toBe(130);

        const broken = path.join(folders(), 'broken.uk');
        writeFileSync(broken, 'program P { main { let x: u32 = nope } }\nsystem S { instance p: P { priority: 1 } }\n');
        const other = await startDebugClient();
        try {
            await other.initializeRequest();
            await expect(other.launchRequest({ program: broken } as DebugProtocol.LaunchRequestArguments)).rejects.toThrow(/^cannot debug .*broken\.uk: broken\.uk:1:33: error: /);
        } finally {
            await other.stop();
        }
    });
});
