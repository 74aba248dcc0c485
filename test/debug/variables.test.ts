/**
 * What a user sees when stopped, through the Debug Adapter Protocol as an editor asks for it
 * (`bin/ukc.js debug-adapter` with @vscode/debugadapter-testsupport's DebugClient): variables typed by the
 * debug information (structs, arrays, bitfields, enums, bytes, capabilities), the scopes Arguments, Locals,
 * Server state, Message and Message registers, setVariable with its checks, typed evaluate, restart, and
 * the restarts exception filter.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDebugClient } from './debug-client.js';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const KV = path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk');
const CALCULATOR = path.join(ROOT, 'examples/calculator/calculator.uk');
const NAMES = path.join(ROOT, 'examples/name-server/names.uk');
const PIPELINE = path.join(ROOT, 'examples/pipeline/pipeline.uk');
const SUPERVISED = path.join(ROOT, 'examples/supervised-restart/supervised.uk');
const FLAGS = path.join(ROOT, 'test/fixtures/flags-debug/perm.uk');
const WIDE_FLAGS = path.join(ROOT, 'test/fixtures/flags-debug/wide.uk');

let client: DebugClient;

beforeEach(async () => {
    client = await startDebugClient();
});

afterEach(async () => {
    await client.stop();
});

/** Launches `program` stopping at `line` (or as `configure` sets up); resolves with the first stop. */
async function launchAt(program: string, configure: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
        client.waitForEvent('initialized').then(configure).then(() => client.configurationDoneRequest()),
        client.launch({ program })
    ]);
    return stopped;
}

const breakAt = (program: string, line: number) => () => client.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line }] });

async function topFrameId(stop: DebugProtocol.StoppedEvent): Promise<number> {
    return (await client.stackTraceRequest({ threadId: stop.body.threadId ?? 0 })).body.stackFrames[0].id;
}

async function scopes(frameId: number): Promise<Map<string, DebugProtocol.Scope>> {
    return new Map((await client.scopesRequest({ frameId })).body.scopes.map(scope => [scope.name, scope]));
}

async function variables(reference: number): Promise<DebugProtocol.Variable[]> {
    return (await client.variablesRequest({ variablesReference: reference })).body.variables;
}

/** Variables as `name: value [type]`, with what they expand to (up to `depth` levels, `limit` children each). */
async function shown(reference: number, depth = 1, limit = 3): Promise<unknown[]> {
    const rows: unknown[] = [];
    for (const variable of (await variables(reference)).slice(0, limit)) {
        const row = `${variable.name}: ${variable.value}${variable.type ? ` [${variable.type}]` : ''}`;
        rows.push(variable.variablesReference > 0 && depth > 0 ? [row, await shown(variable.variablesReference, depth - 1, limit)] : row);
    }
    return rows;
}

async function scopeRows(frameId: number, name: string, depth = 1, limit = 3): Promise<unknown[]> {
    const scope = (await scopes(frameId)).get(name);
    if (!scope) throw new Error(`no scope ${name}`);
    return shown(scope.variablesReference, depth, limit);
}

async function setVariable(reference: number, name: string, value: string): Promise<DebugProtocol.SetVariableResponse['body']> {
    return (await client.setVariableRequest({ variablesReference: reference, name, value })).body;
}

describe('what the debugger shows when stopped', () => {
    it('shows a handler’s arguments, the server’s state and the message typed: structs, arrays, bitfields, bools, message registers with their fields', async () => {
        const stop = await launchAt(KV, breakAt(KV, 39));
        const frame = await topFrameId(stop);
        expect([...(await scopes(frame)).values()].map(scope => [scope.name, scope.presentationHint])).toEqual([
            ['Arguments', 'arguments'], ['Locals', 'locals'], ['Server state', undefined], ['Message', undefined], ['Registers', 'registers'], ['Message registers', undefined]
        ]);
        expect(await scopeRows(frame, 'Arguments')).toEqual([
            ['key: Key { hi: 1, lo: 2 } [Key]', ['hi: 1 [u32]', 'lo: 2 [u16]']],
            'value: 42 [u32]'
        ]);
        expect(await scopeRows(frame, 'Server state', 2, 2)).toEqual([
            ['keys: [{…}, {…}, {…}, {…}, {…}, {…}, {…}, {…}, …] [[Key; 64]]', [
                ['[0]: Key { hi: 0, lo: 0 } [Key]', ['hi: 0 [u32]', 'lo: 0 [u16]']],
                ['[1]: Key { hi: 0, lo: 0 } [Key]', ['hi: 0 [u32]', 'lo: 0 [u16]']]
            ]],
            ['values: [0, 0, 0, 0, 0, 0, 0, 0, …] [[u32; 64]]', ['[0]: 0 [u32]', '[1]: 0 [u32]']]
        ]);
        expect((await scopeRows(frame, 'Server state', 0, 4)).slice(2)).toEqual(['used: 0 [u32]', 'readOnly: false [bool]']);
        expect(await scopeRows(frame, 'Message', 1, 5)).toEqual([
            'method: KeyValue.put', 'sender: shell',
            ['key: { hi: 1, lo: 2 }', ['hi: 1 [u32]', 'lo: 2 [u16]']],
            'value: 42 [u32]',
            ['flags: PutFlags { create: 1, overwrite: 0, ttl: 0 } [PutFlags]', ['create: 1 [1 bit]', 'overwrite: 0 [1 bit]', 'ttl: 0 [4 bits]']]
        ]);
        expect(await scopeRows(frame, 'Message registers', 0, 10)).toEqual(['MR0 (key.hi): 0x00000001', 'MR1 (value): 0x0000002a', 'MR2 (key.lo, flags): 0x00010002']);
    });

    it('shows enum locals by member name, and byte buffers in hex that expand into rows of 16 bytes', async () => {
        const shell = await launchAt(KV, breakAt(KV, 73));
        expect(await scopeRows(await topFrameId(shell), 'Locals', 0, 5)).toEqual([
            'st: Status.Ok [Status]', 's: Status.Ok [Status]', 'v: 42 [u32]', 'page: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 … [bytes[256]]'
        ]);
        await client.setBreakpointsRequest({ source: { path: KV }, breakpoints: [{ line: 78 }] });
        const read = await nextStop(() => client.continueRequest({ threadId: shell.body.threadId ?? 0 }));
        expect(await scopeRows(await topFrameId(read), 'Locals', 1, 2)).toEqual([
            ['page: 2a 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 … [bytes[256]]', [
                '[0..15]: 2a 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00', '[16..31]: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'
            ]],
            'n: 1 [u16]'
        ]);
        expect(await scopeRows(await topFrameId(read), 'Message', 0, 5)).toEqual(['method: reply to KeyValue.read', 'from: store', 'len: 1 [u16]']);
    });

    it('shows 64-bit integers and struct and bitfield locals of a program', async () => {
        const stop = await launchAt(PIPELINE, breakAt(PIPELINE, 42));
        expect(await scopeRows(await topFrameId(stop), 'Locals', 1, 5)).toEqual([
            'stamp: 0 [u64]', 'batch: 0 [u32]', 'i: 0 [u32]',
            ['flags: SampleFlags { valid: 1, saturated: 1, channel: 2 } [SampleFlags]', ['valid: 1 [1 bit]', 'saturated: 1 [1 bit]', 'channel: 2 [3 bits]']],
            ['sample: Sample { sensor: 0, value: -2000, stamp: 0 } [Sample]', ['sensor: 0 [u8]', 'value: -2000 [i16]', 'stamp: 0 [u64]']]
        ]);
    });

    it('shows capabilities in state by slot and type, and those a message carried by what they designate', async () => {
        const stop = await launchAt(NAMES, breakAt(NAMES, 49));
        const frame = await topFrameId(stop);
        expect(await scopeRows(frame, 'Server state')).toEqual(['clockService: slot 256 [endpoint<Clock>]', 'echoService: none [endpoint<Echo>]', 'haveClock: false [bool]']);
        expect(await scopeRows(frame, 'Message', 0, 5)).toEqual(['method: Directory.publish', 'sender: publisher', 'name: Service.Time [Service]', 'service: endpoint(clock) [endpoint<Clock>]']);
        expect(await scopeRows(frame, 'Message registers', 0, 5)).toEqual(['MR0 (name): 0x00000001']);
    });
});

describe('changing what the debugger shows', () => {
    it('shows sets of flags by names and sets them from names, numbers and both', async () => {
        const output = collectOutput();
        const stop = await launchAt(FLAGS, breakAt(FLAGS, 9));
        const frame = await topFrameId(stop);
        const found = await scopes(frame);
        const args = found.get('Arguments')?.variablesReference ?? 0;
        const state = found.get('Server state')?.variablesReference ?? 0;
        expect(await scopeRows(frame, 'Arguments')).toEqual(['p: Read|Exec [Perm]']);
        expect(await scopeRows(frame, 'Server state')).toEqual(['granted: Read [Perm]']);
        await expect(setVariable(state, 'granted', 'Read|Nope')).rejects.toThrow(/^'Nope' is not a member of Perm \(Read, Write, Exec\)$/);
        await expect(setVariable(state, 'granted', 'Write|0x80')).rejects.toThrow(/^128 is out of range for Perm \(0 to 127\)$/);
        expect(await setVariable(state, 'granted', 'Perm.Write | 0x40')).toEqual({ value: 'Write|0x40', type: 'Perm', variablesReference: 0 });
        expect(await setVariable(args, 'p', '0')).toEqual({ value: '0', type: 'Perm', variablesReference: 0 });
        await client.continueRequest({ threadId: stop.body.threadId ?? 0 });
        await client.waitForEvent('terminated');
        expect(output.join('')).toBe('Write|0x40\n');
    });

    it('shows enums and flags with bases wider than 32 bits by name and sets them, the run going on with the new values', async () => {
        const output = collectOutput();
        const stop = await launchAt(WIDE_FLAGS, breakAt(WIDE_FLAGS, 11));
        const frame = await topFrameId(stop);
        const found = await scopes(frame);
        const args = found.get('Arguments')?.variablesReference ?? 0;
        const state = found.get('Server state')?.variablesReference ?? 0;
        expect(await scopeRows(frame, 'Arguments')).toEqual(['w: A|C [Wide]', 'l: Level.Minus [Level]']);
        expect(await scopeRows(frame, 'Server state')).toEqual(['granted: B [Wide]', 'level: Level.Low [Level]']);
        await expect(setVariable(state, 'level', 'Nope')).rejects.toThrow(/^'Nope' is not a member of Level \(Low, Minus, High\)$/);
        expect(await setVariable(state, 'granted', 'Wide.C | 0x2')).toEqual({ value: 'C|0x2', type: 'Wide', variablesReference: 0 });
        expect(await setVariable(state, 'level', 'High')).toEqual({ value: 'Level.High', type: 'Level', variablesReference: 0 });
        expect(await setVariable(args, 'l', 'Low')).toEqual({ value: 'Level.Low', type: 'Level', variablesReference: 0 });
        await client.continueRequest({ threadId: stop.body.threadId ?? 0 });
        await client.waitForEvent('terminated');
        expect(output.join('')).toBe('High Low\nA|C|0x2\n');
    });

    it('sets state, struct fields and arguments with their type’s range checked, and the run goes on with the new values', async () => {
        const output = collectOutput();
        const stop = await launchAt(KV, breakAt(KV, 39));
        const frame = await topFrameId(stop);
        const found = await scopes(frame);
        const args = found.get('Arguments')?.variablesReference ?? 0;
        const state = found.get('Server state')?.variablesReference ?? 0;
        await expect(setVariable(args, 'value', '4294967296')).rejects.toThrow(/^4294967296 is out of range for u32 \(0 to 4294967295\)$/);
        await expect(setVariable(args, 'value', '-1')).rejects.toThrow(/^-1 is out of range for u32 \(0 to 4294967295\)$/);
        await expect(setVariable(args, 'value', 'lots')).rejects.toThrow(/^'lots' is not an integer$/);
        await expect(setVariable(state, 'readOnly', 'maybe')).rejects.toThrow(/^a bool is true or false, not 'maybe'$/);
        await expect(setVariable(state, 'keys', '0')).rejects.toThrow(/^keys cannot be set: only scalars of locals, arguments and state can$/);
        await expect(setVariable(state, 'nothing', '0')).rejects.toThrow(/^there is no variable nothing here$/);

        expect(await setVariable(args, 'value', '0x10')).toEqual({ value: '16', type: 'u32', variablesReference: 0 });
        const key = (await variables(args)).find(variable => variable.name === 'key')?.variablesReference ?? 0;
        expect(await setVariable(key, 'lo', '65535')).toEqual({ value: '65535', type: 'u16', variablesReference: 0 });
        await expect(setVariable(key, 'lo', '65536')).rejects.toThrow(/^65536 is out of range for u16 \(0 to 65535\)$/);
        expect(await setVariable(state, 'readOnly', 'true')).toEqual({ value: 'true', type: 'bool', variablesReference: 0 });
        const again = await topFrameId(stop);
        expect(await scopeRows(again, 'Arguments', 0)).toEqual(['key: Key { hi: 1, lo: 65535 } [Key]', 'value: 16 [u32]']);
        expect((await scopeRows(again, 'Server state', 0, 4)).slice(3)).toEqual(['readOnly: true [bool]']);

        // The handler now sees a read-only store: the shell's put fails and it returns.
        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.continueRequest({ threadId: stop.body.threadId ?? 0 });
        expect((await exited).body.exitCode).toBe(0);
        expect(output.join('')).toBe('put failed: ReadOnly\n');
    });

    it('sets an enum local by member name, and refuses a register of an outer frame', async () => {
        const output = collectOutput();
        const shell = await launchAt(KV, breakAt(KV, 73));
        const locals = (await scopes(await topFrameId(shell))).get('Locals')?.variablesReference ?? 0;
        await expect(setVariable(locals, 'st', 'Maybe')).rejects.toThrow(/^'Maybe' is not a member of Status \(Ok, NotFound\)$/);
        expect(await setVariable(locals, 's', 'NotFound')).toEqual({ value: 'Status.NotFound', type: 'Status', variablesReference: 0 });
        expect(await setVariable(locals, 'v', '7')).toEqual({ value: '7', type: 'u32', variablesReference: 0 });
        await client.setBreakpointsRequest({ source: { path: KV }, breakpoints: [{ line: 74 }] });
        await nextStop(() => client.continueRequest({ threadId: shell.body.threadId ?? 0 }));
        expect(output.join('')).toBe('put -> Ok, get -> NotFound 7\n');

        await client.stop();
        client = await startDebugClient();
        const helper = await launchAt(CALCULATOR, breakAt(CALCULATOR, 17));
        const frames = (await client.stackTraceRequest({ threadId: helper.body.threadId ?? 0 })).body.stackFrames;
        expect(frames.map(frame => frame.name)).toEqual(['Calc.addOverflows', 'Calc.add']);
        const outer = (await scopes(frames[1].id)).get('Arguments')?.variablesReference ?? 0;
        await expect(setVariable(outer, 'a', '1')).rejects.toThrow(/^a variable in a register can be set in the innermost frame only \(it is in s1\)$/);
    });

    it('evaluates names and paths typed and expandable, enum members, and truths as bools', async () => {
        const stop = await launchAt(KV, breakAt(KV, 39));
        const frameId = await topFrameId(stop);
        const evaluate = async (expression: string) => (await client.evaluateRequest({ expression, frameId, context: 'watch' })).body;
        const key = await evaluate('key');
        expect([key.result, key.type]).toEqual(['Key { hi: 1, lo: 2 }', 'Key']);
        expect(await shown(key.variablesReference)).toEqual(['hi: 1 [u32]', 'lo: 2 [u16]']);
        expect(await evaluate('keys[0].lo')).toEqual({ result: '0', type: 'u16', variablesReference: 0 });
        expect(await evaluate('readOnly')).toEqual({ result: 'false', type: 'bool', variablesReference: 0 });
        expect(await evaluate('key.hi == 1 && value > 40')).toEqual({ result: 'true', type: 'bool', variablesReference: 0 });
        expect(await evaluate('Status.NotFound + value')).toEqual({ result: '43', type: 'integer', variablesReference: 0 });
        await expect(evaluate('key + 1')).rejects.toThrow(/^'key' is not in scope here$/);
    });
});

describe('restarting', () => {
    it('restarts the same program, which runs again to the same breakpoint with the same values and output', async () => {
        const output = collectOutput();
        const stop = await launchAt(CALCULATOR, breakAt(CALCULATOR, 28));
        expect(await scopeRows(await topFrameId(stop), 'Arguments')).toEqual(['a: 17 [i32]', 'b: 5 [i32]']);
        expect(output.join('')).toBe('40 + 2 = 42\n');

        const again = await nextStop(() => client.restartRequest({}));
        expect(again.body.reason).toBe('breakpoint');
        expect(await scopeRows(await topFrameId(again), 'Arguments')).toEqual(['a: 17 [i32]', 'b: 5 [i32]']);
        expect(output.join('')).toBe('40 + 2 = 42\n40 + 2 = 42\n');

        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.setBreakpointsRequest({ source: { path: CALCULATOR }, breakpoints: [] });
        await client.continueRequest({ threadId: again.body.threadId ?? 0 });
        const expected = await runUkc(['run', CALCULATOR]);
        expect((await exited).body.exitCode).toBe(expected.code);
        expect(output.join('')).toBe(`40 + 2 = 42\n${expected.stdout}`);
    });

    it('stops when a supervisor restarts a server, with its state fresh, under the restarts filter', async () => {
        const first = await launchAt(SUPERVISED, () => client.setExceptionBreakpointsRequest({ filters: ['restarts'] }));
        expect([first.body.reason, first.body.text, (await client.threadsRequest()).body.threads.find(thread => thread.id === first.body.threadId)?.name])
            .toEqual(['exception', 'counter restarted after index-out-of-bounds (restart 1, by supervisor.faults)', 'counter (runnable)']);
        expect(await scopeRows(await topFrameId(first), 'Server state', 0)).toEqual(['total: 0 [u32]', 'history: [0, 0, 0, 0] [[u32; 4]]', 'calls: 0 [u32]']);
        const second = await nextStop(() => client.continueRequest({ threadId: first.body.threadId ?? 0 }));
        expect(second.body.text).toBe('counter restarted after index-out-of-bounds (restart 2, by supervisor.faults)');
        await client.setExceptionBreakpointsRequest({ filters: [] });
        const exited = client.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        await client.continueRequest({ threadId: second.body.threadId ?? 0 });
        expect((await exited).body.exitCode).toBe((await runUkc(['run', SUPERVISED])).code);
    });

    it('offers restart and the restarts filter among its capabilities', async () => {
        const capabilities = (await client.initializeRequest()).body;
        expect(capabilities?.supportsRestartRequest).toBe(true);
        expect(capabilities?.supportsSetVariable).toBe(true);
        expect(capabilities?.exceptionBreakpointFilters?.map(filter => [filter.filter, filter.default])).toEqual([['fault', false], ['unhandled', true], ['restarts', false]]);
    });
});

/** The program's console output as the adapter sends it. */
function collectOutput(): string[] {
    const output: string[] = [];
    client.on('output', (event: DebugProtocol.OutputEvent) => { if (event.body.category === 'stdout') output.push(event.body.output); });
    return output;
}

async function nextStop(action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await action();
    return stopped;
}
