import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IPC_CAPS_OR_BADGES, Invocation, Syscall, messageInfo } from '../../runtime/kernel/index.js';
import { DEFAULT_IPC_BUFFER_BASE as IPC_BUFFER_BASE } from '../../runtime/kernel/index.js';
import { bootWithHandWritten, compileAndRun, compileSource } from './compile-helper.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');

describe('examples', () => {
    it('calculator: errors raised by the server are caught by the client', async () => {
        const run = await compileAndRun({ 'calculator.uk': readFileSync(path.join(EXAMPLES, 'calculator/calculator.uk'), 'utf8') });
        expect(run.output).toBe([
            '40 + 2 = 42',
            '17 / 5 = 3 rem 2',
            '1 / 0 -> DivideByZero',
            'I32_MAX + 1 -> Overflow',
            'square(65536) -> Overflow',
            ''
        ].join('\n'));
        expect(run.result.reason).toBe('idle');
    });
});

describe('pipeline', () => {
    it('calls with struct, bitfield and 64-bit values, a oneway message, and a notification between programs', async () => {
        const read = (name: string) => readFileSync(path.join(EXAMPLES, 'pipeline', name), 'utf8');
        const run = await compileAndRun({ 'pipeline.uk': read('pipeline.uk'), 'types.uk': read('types.uk') });
        expect(run.output).toBe('batch signal 1: 8 samples, sum 2000\nbatch signal 1: 16 samples, sum 4000\nbatch signal 1: 24 samples, sum 6000\n');
        const calls = run.events.flatMap(event => (event.kind === 'ipc' && event.operation !== 'reply' ? [`${event.from}:${event.label}`] : []));
        // 24 pushes (label 1) from the producer, 3 stats (label 3) and one drain (label 2) from the monitor.
        expect(calls.filter(call => call === 'producer:1')).toHaveLength(24);
        expect(calls.filter(call => call.startsWith('monitor:'))).toEqual(['monitor:3', 'monitor:3', 'monitor:3', 'monitor:2']);
        expect(run.events.filter(event => event.kind === 'signal')).toHaveLength(3);
        expect(run.result.reason).toBe('idle');
    });
});

describe('kv-store', () => {
    it('a struct key, a bitfield, a raised error enum, a leased buffer, a oneway flush, a pinned argument', async () => {
        const run = await compileAndRun({ 'kv.uk': readFileSync(path.join(EXAMPLES, 'kv-store/kv.uk'), 'utf8') });
        expect(run.output).toBe('put -> Ok, get -> Ok 42\nping -> 42\nread -> 1 byte: 42\nafter flush -> NotFound\n');
        expect(run.events.flatMap(event => (event.kind === 'ipc' ? [`${event.operation}:${event.label}:${event.caps}`] : []))).toEqual([
            'call:2:0', 'reply:0:0', 'call:1:0', 'reply:0:0', 'call:4:0', 'reply:0:0', 'call:7:1', 'reply:0:0', 'send:3:0', 'call:1:0', 'reply:0:0'
        ]);
    });

    it('a leased buffer: the server writes into the client\'s own page, which it no longer holds afterwards', async () => {
        const compiled = (await compileSource({ 'main.uk': `
interface Filler { fill(into: lease out bytes[16], value: u8) -> u16 }
server F implements Filler {
    on fill(into, value) {
        for i in 0..len(into) { into[i] = value + (i as u8) }
        reply len(into) as u16
    }
}
system S { instance filler: F { priority: 100 } }` })).compiled;
        if (!compiled) throw new Error('not compiled');
        const fill = compiled.trace.endpoints['filler.endpoint'].interface.methods[0];
        const values: Record<string, number> = { 'into.length': 4, value: 7 };
        const word = (index: number) => fill.request.scalars
            .filter(scalar => scalar.placement.word === index)
            .reduce((sum, scalar) => sum | ((values[scalar.path] ?? 0) << scalar.placement.lo), 0);
        const booted = bootWithHandWritten(compiled, {
            name: 'reader', priority: 10, source: `
_start:
    li t0, ${IPC_BUFFER_BASE}
    li t1, 2
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
    li a0, 1
    li a1, ${messageInfo(fill.ordinal, fill.request.words, 1)}
    li a2, ${word(0)}
    li a7, ${Syscall.Call}
    ecall
    mv s1, a2
    li a0, 2
    li a1, ${messageInfo(Invocation.FrameMap, 3)}
    li a2, 3
    li a3, 0x40000000
    li a4, 3
    li a7, ${Syscall.Call}
    ecall
    li t0, 0x40000000
    lw s2, 0(t0)
park:
    j park
`,
            caps: [{ slot: 1, endpoint: 'filler.endpoint', rights: 'wg', badge: 9 }, { slot: 2, frame: {} }, { slot: 3, vspace: 'reader' }]
        });
        booted.kernel.run(5_000_000);
        const reader = booted.threads.get('reader');
        expect(reader?.regs[9]).toBe(4);
        expect((reader?.regs[18] ?? 0) >>> 0).toBe(0x0a09_0807);
        // The server gave the page back: its lease slot is empty and nothing is mapped at its window.
        const filler = booted.components.get('filler');
        expect(filler?.cnode.slots[240].isEmpty).toBe(true);
        expect(filler?.vspace.isMapped(0x5800_0000)).toBe(false);
    });
});
