/**
 * Byte buffers in compiled code: `bytes[N]` variables (locals and state) and buffers passed to methods —
 * `shared` through the port's shared region, `lease` through the client's staging page — in every
 * direction.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
    BAD_BULK_LABEL, CLIENT_LEASE_SLOT, CLIENT_LEASE_WINDOW, LEASE_SLOT, Syscall, messageInfo
} from '../../runtime/contract/index.js';
import { ThreadState } from '../../runtime/kernel/index.js';
import { TypedTrace } from '../../runtime/trace/index.js';
import { bootWithHandWritten, compileSource, runCompiled } from './compile-helper.js';

const STORE = readFileSync(path.join(__dirname, '../fixtures/codegen/buffers.uk'), 'utf8');

describe('byte buffers', () => {
    it('are variables and state, and travel shared and leased, in, out and inout', async () => {
        const outcome = await compileSource({ 'buffers.uk': STORE });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe([
            'put 15',
            'get 5: 2 3 6 0 16',
            'fill 32: 10 11 41',
            'sum 816',
            'swap 5 8 1 4',
            'kept 9 9 1 2 3',
            'kept 1',
            'index out of bounds (buffer) at buffers.uk:58:21',
            ''
        ].join('\n'));
        // The message carries where the bytes are: offset and length in the shared region, the lease's length.
        const trace = new TypedTrace(outcome.compiled.trace);
        const calls = run.events.flatMap(event => {
            const typed = trace.translate(event);
            return typed?.kind === 'call' ? [`${typed.method}(${typed.args.map(arg => `${arg.name}=${arg.text}`).join(', ')})`] : [];
        });
        expect(calls).toEqual([
            'put(data={offset=0, length=16}, len=5)', 'get(into={offset=0, length=16})', 'fill(into={length=32}, v=10)', 'sum(data={length=32})',
            'swap(a={offset=0, length=4}, b={offset=4, length=4})'
        ]);
        // A lease's frame travels as a capability.
        expect(run.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'call' ? [event.caps] : []))).toEqual([0, 0, 1, 1, 0]);
        // The client's staging page is its own, mapped where the stub expects it; the server keeps no copy.
        const client = outcome.compiled.manifest.components.find(component => component.name === 'p');
        expect(client?.memory).toContainEqual({ vaddr: CLIENT_LEASE_WINDOW, pages: 1, permissions: 'rw' });
        expect(client?.caps).toContainEqual({ slot: CLIENT_LEASE_SLOT, frame: { of: 'p', mappedAt: CLIENT_LEASE_WINDOW }, rights: 'rw' });
        expect(run.booted.threads.get('s')?.cspace.slotAt(LEASE_SLOT)?.isEmpty).toBe(true);
        expect(run.booted.threads.get('p')?.cspace.slotAt(CLIENT_LEASE_SLOT)?.isEmpty).toBe(false);
    });

    it('travel inline in the message words, in registers and the IPC buffer, and read as arrays in the trace', async () => {
        const outcome = await compileSource({ 'inline.uk': readFileSync(path.join(__dirname, '../fixtures/codegen/inline.uk'), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        // big: t = t * 3 + byte over 39 sevens and a one, modulo 2^32.
        expect(run.output).toBe('put 121\nbig 2414849130\nnote 9 8 7\nput 251\n');
        const trace = new TypedTrace(outcome.compiled.trace);
        const calls = run.events.flatMap(event => {
            const typed = trace.translate(event);
            return typed?.kind === 'call' || typed?.kind === 'send' ? [`${typed.method}(${typed.args.map(arg => `${arg.name}=${arg.text}`).join(', ')})`] : [];
        });
        expect(calls).toEqual([
            'put(tag=100, d=[1, 2, 3, 4, 5, 6])', `big(d=[${[...Array(39).fill(7), 1].join(', ')}], n=40)`, 'note(d=[9, 8, 7])', 'put(tag=1, d=[0, 0, 0, 0, 0, 250])'
        ]);
        // Six bytes and a tag fit the registers (the fastpath); forty bytes go through the IPC buffer.
        expect(run.events.flatMap(event => (event.kind === 'ipc' && event.operation !== 'reply' ? [`${event.words.length}${event.fastpath ? ' fast' : ''}`] : [])))
            .toEqual(['3 fast', '11', '1', '3 fast']);
    });

    it('travel inline out of a handler in the reply\'s words, and only when the reply is not an error', async () => {
        const outcome = await compileSource({ 'io.uk': readFileSync(path.join(__dirname, '../fixtures/codegen/inline-out.uk'), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe('6 72 69 76 76 79 33\n20 5 6 24\nerror Bad, kept 5 24\n');
        const trace = new TypedTrace(outcome.compiled.trace);
        const replies = run.events.flatMap(event => {
            const typed = trace.translate(event);
            return typed?.kind === 'reply' ? [typed.error ?? typed.results.map(result => `${result.name}=${result.text}`).join(', ')] : [];
        });
        expect(replies).toEqual([
            'result=6, d=[72, 69, 76, 76, 79, 33]', `result=20, d=[${Array.from({ length: 20 }, (_, i) => 5 + i).join(', ')}]`, 'E.Bad'
        ]);
        // The request of an `out` buffer carries no bytes; the reply of twenty bytes and a result leaves the fastpath.
        expect(run.events.flatMap(event => (event.kind === 'ipc' ? [`${event.operation} ${event.words.length}`] : []))).toEqual([
            'call 2', 'reply 3', 'call 1', 'reply 6', 'call 1', 'reply 0'
        ]);
    });

    it('go to and come back from helper functions by value, from variables and from every kind of handler parameter', async () => {
        const outcome = await compileSource({ 'helpers.uk': readFileSync(path.join(__dirname, '../fixtures/codegen/helpers.uk'), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        // checksum: t = t * 31 + byte over 1..8, modulo 2^32; scribble changes its own copy only; make
        // returns a buffer through the caller's place; sum5's ten words go partly through the overflow words.
        expect(runCompiled(outcome.compiled).output).toBe('3607554180 100 1\n3607554180 3607554180 3607554180\n3607554180 3607554180 10000000010\n');
    });

    it('are checked against their bounds before a handler sees them: a lying client gets an error reply', async () => {
        const outcome = await compileSource({ 'helpers.uk': readFileSync(path.join(__dirname, '../fixtures/codegen/helpers.uk'), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const request = outcome.compiled.trace.endpoints['s.endpoint'].interface.methods.find(method => method.name === 'viaShared')?.request;
        const field = (name: string) => request?.scalars.find(scalar => scalar.path === name)?.placement;
        const word = (offset: number, length: number) => (offset << (field('d.offset')?.lo ?? 0)) | (length << (field('d.length')?.lo ?? 0));
        // A hand-written client: a length beyond the parameter, an offset past the region's room, then a fair one.
        const calls = [word(0, 9), word(4089, 8), word(4088, 8)].map(value => `
    li a0, 1
    li a1, ${messageInfo(1, 1)}
    li a2, ${value}
    li a7, ${Syscall.Call}
    ecall
    srli a1, a1, 12
    sw a1, 0(s1)
    addi s1, s1, 4`).join('');
        const booted = bootWithHandWritten(outcome.compiled, {
            name: 'raw', priority: 50, replaces: 'p', source: `
_start:
    li s1, 0x20000
${calls}
    li a0, 2
    li a7, ${Syscall.Wait}
    ecall
`,
            objects: [{ name: 'raw.idle', kind: 'notification' }], memory: [{ vaddr: 0x20000, pages: 1, permissions: 'rw' }],
            caps: [{ slot: 1, endpoint: 's.endpoint', rights: 'w', badge: 1 }, { slot: 2, notification: 'raw.idle', rights: 'r' }]
        });
        booted.kernel.run(10_000_000);
        const raw2 = booted.threads.get('raw');
        const labels = [0, 4, 8].map(offset => raw2?.vspace.readWord(0x20000 + offset));
        expect(labels).toEqual([BAD_BULK_LABEL, BAD_BULK_LABEL, 0]);
        expect(booted.threads.get('s')?.state).toBe(ThreadState.BlockedOnReceive);
    });

    it('come back as results through the caller\'s shared region, one after the other', async () => {
        const outcome = await compileSource({ 'results.uk': readFileSync(path.join(__dirname, '../fixtures/codegen/buffer-results.uk'), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe('7 66 80\n9 1 2 9\n67\n');
        const trace = new TypedTrace(outcome.compiled.trace);
        const replies = run.events.flatMap(event => {
            const typed = trace.translate(event);
            return typed?.kind === 'reply' ? [typed.results.map(result => `${result.name}=${result.text}`).join(', ')] : [];
        });
        expect(replies).toEqual([
            'result={offset=0, length=16}', 'count=9, head={offset=0, length=8}, tail={offset=8, length=8}', 'result={offset=0, length=16}'
        ]);
    });

    it('live inside structs and arrays, packed in whole words, in locals and state', async () => {
        const outcome = await compileSource({ 'nested-buffers.uk': readFileSync(path.join(__dirname, '../fixtures/codegen/nested-buffers.uk'), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        // 'o' = 111, 'k' = 107; equal structs compare equal though one buffer was filled and the other written.
        expect(run.output).toBe('2 111 107 6\ntrue false\n1 60 3\ntrue\nindex out of bounds (buffer) at nested-buffers.uk:23:21\n');
        expect(run.events.filter(event => event.kind === 'fault').length).toBe(1);
    });

    it('reports a shared buffer through an endpoint value at the call, as the checker does', async () => {
        const outcome = await compileSource({ 'main.uk': `
interface Sink {
    share(data: shared in bytes[8]) -> u8
}
server S implements Sink {
    on share(data) { reply 2 }
}
interface Finder { find() -> endpoint<Sink> }
server F implements Finder {
    uses sink: Sink
    on find() { reply sink }
}
program P {
    uses sink: Sink
    uses finder: Finder
    main {
        var b: bytes[8] = [0; 8]
        let other = finder.find()
        let y = other.share(b)
    }
}
system Sys {
    instance s: S { priority: 100 }
    instance f: F { priority: 90 }
    instance p: P { priority: 50 }
    connect p.sink -> s
    connect f.sink -> s
    connect p.finder -> f
}` });
        expect(outcome.problems).toEqual([
            "19:17 error The code generator does not support shared buffers ('data' of share) through an endpoint value yet: they travel in a port's shared region; call through a 'uses' port."
        ]);
    });
});
