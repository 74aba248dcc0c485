/**
 * What a user sees when stopped, through the Debug Adapter Protocol as an editor asks for it
 * (`bin/ukc.js debug-adapter` with @vscode/debugadapter-testsupport's DebugClient): variables typed by the
 * debug information (structs, arrays, bitfields, enums, bytes, capabilities), the scopes Arguments, Locals,
 * Server state, Message and Message registers, setVariable with its checks, typed evaluate, restart, and
 * the restarts exception filter.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const UKC = path.join(ROOT, 'bin/ukc.js');
const KV = path.join(ROOT, 'examples/kv-store/kv.uk');
const CALCULATOR = path.join(ROOT, 'examples/calculator/calculator.uk');
const NAMES = path.join(ROOT, 'examples/name-server/names.uk');
const PIPELINE = path.join(ROOT, 'examples/pipeline/pipeline.uk');
const SUPERVISED = path.join(ROOT, 'examples/supervised-restart/supervised.uk');

let client: DebugClient;

beforeEach(async () => {
    client = new DebugClient(UKC, 'debug-adapter', 'ukc');
    client.defaultTimeout = 20_000;
    await client.start();
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

async function nextStop(action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await action();
    return stopped;
}
