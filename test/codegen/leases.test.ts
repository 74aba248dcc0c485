/**
 * More than one lease in a message, compiled and run: lease k of a call is staged in the client's page k,
 * travels as that page's frame (extra capability k) and is mapped at its own window for the handler,
 * which reads one lease and writes another; the client sees what was written. Property-tested against
 * the host with random capacities, lengths and contents, up to the kernel's three leases per message. A
 * request whose lease did not arrive is refused with the bad-bulk reply, and the server goes on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAD_BULK_LABEL, IPC_CAPS_OR_BADGES, DEFAULT_IPC_BUFFER_BASE, LEASE_SLOT, Syscall, messageInfo } from '../../runtime/contract/index.js';
import { TypedTrace } from '../../runtime/trace/index.js';
import { KERNEL_PERSONALITIES } from '../../src/session/index.js';
import { bootWithHandWritten, compileSource, runCompiled } from './compile-helper.js';
import { runUkc } from '../cli/run-ukc.js';

const FIXTURE = 'test/fixtures/capabilities/copier.uk';

interface Case {
    readonly capacities: readonly [number, number, number];
    readonly a: readonly number[];
    readonly b: readonly number[];
}

/**
 * A copier and a mixer: `copy` reverses the first n bytes of `src` into `dst` and answers their sum;
 * `mix` writes `a[i] ^ b[i]` into `out` (three leases, the most a message carries). The client fills its
 * buffers byte by byte and prints what comes back.
 */
function system(test: Case): string {
    const [ca, cb, co] = test.capacities;
    const n = test.a.length;
    const fill = (name: string, bytes: readonly number[]) => bytes.map((byte, i) => `        ${name}[${i}] = ${byte}`).join('\n');
    return `
interface Copier {
    copy(src: lease in bytes[${ca}], dst: lease out bytes[${co}], n: u16) -> u32
    mix(a: lease in bytes[${ca}], b: lease in bytes[${cb}], out: lease out bytes[${co}], n: u16)
}
server Copy implements Copier {
    on copy(src, dst, n) {
        var sum: u32 = 0
        for i in 0..n {
            dst[i] = src[(n - 1 - i) as u32]
            sum += src[i] as u32
        }
        reply sum
    }
    on mix(a, b, out, n) {
        for i in 0..n { out[i] = a[i] ^ b[i] }
        reply
    }
}
program Client {
    uses copier: Copier
    main {
        var a: bytes[${ca}]
        var b: bytes[${cb}]
        var out: bytes[${co}]
${fill('a', test.a)}
${fill('b', test.b)}
        print("sum {}", copier.copy(a, out, ${n}))
        for i in 0..${n} { print("{}", out[i]) }
        copier.mix(a, b, out, ${n})
        for i in 0..${n} { print("{}", out[i]) }
    }
}
system Leases {
    instance copy: Copy { priority: 100 }
    instance client: Client { priority: 50 }
    connect client.copier -> copy
}`;
}

/** What the host computes for the same case. */
function expected(test: Case): string {
    const n = test.a.length;
    const sum = test.a.reduce((total, byte) => total + byte, 0);
    const reversed = [...test.a].reverse();
    const mixed = test.a.map((byte, i) => byte ^ test.b[i]);
    return [`sum ${sum}`, ...reversed.slice(0, n), ...mixed].map(line => `${line}\n`).join('');
}

const byte = fc.integer({ min: 0, max: 255 });
const cases: fc.Arbitrary<Case> = fc.tuple(fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 1, max: 4096 }))
    .chain(([ca, cb, co]) => fc.integer({ min: 0, max: Math.min(ca, cb, co, 40) }).chain(n => fc.record({
        capacities: fc.constant([ca, cb, co] as const),
        a: fc.array(byte, { minLength: n, maxLength: n }),
        b: fc.array(byte, { minLength: n, maxLength: n })
    })));

describe('two and three leases in one message', () => {
    it('the handler reads one lease and writes another; the client sees the written data (random capacities, lengths, contents)', async () => {
        await fc.assert(fc.asyncProperty(cases, async test => {
            const outcome = await compileSource({ 'main.uk': system(test) });
            if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
            const run = runCompiled(outcome.compiled);
            expect(run.result.reason).toBe('idle');
            expect(run.output).toBe(expected(test));
        }), {
            numRuns: 12,
            // A byte past 2 KiB of a buffer is beyond a load's 12-bit offset (a copy's last bytes once failed to assemble).
            examples: [[{ capacities: [1, 1, 2869], a: [], b: [] }], [{ capacities: [4096, 4096, 4096], a: [0, 255], b: [255, 255] }]]
        });
    });

    it('each lease is one frame capability, in order; the trace shows the call', async () => {
        const outcome = await compileSource({ 'main.uk': system({ capacities: [8, 8, 8], a: [1, 2, 250], b: [3, 4, 5] }) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe('sum 253\n250\n2\n1\n2\n6\n255\n');
        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = run.events.flatMap(event => {
            if (event.kind !== 'ipc' || event.operation !== 'call') return [];
            const entry = trace.translate(event);
            return entry?.kind === 'call' ? [`${entry.method}(${entry.args.map(arg => `${arg.name}=${arg.text}`).join(', ')}) caps=${event.caps} ${event.capObjects?.join(',')}`] : [];
        });
        expect(lines).toEqual([
            'copy(src={length=8}, dst={length=8}, n=3) caps=2 frame,frame',
            'mix(a={length=8}, b={length=8}, out={length=8}, n=3) caps=3 frame,frame,frame'
        ]);
        // The server let go of every lease: its lease slots are empty.
        const copy = run.booted.threads.get('copy');
        expect([0, 1, 2].map(k => copy?.cspace.slotAt(LEASE_SLOT + k)?.isEmpty)).toEqual([true, true, true]);
    });

    it('ukc run --trace: the copy and the mix, typed', async () => {
        const run = await runUkc(['run', '--trace', FIXTURE]);
        expect([run.code, run.stderr]).toEqual([0, 'system Copying finished at cycle 26779\n']);
        expect(run.stdout).toBe([
            '[      5804] client -> copy  Copier.copy(src={length=64}, dst={length=64}, n=3)',
            '[     11529] client <- copy  Copier.copy = 10  fast, 5725 cycles',
            'sum 10',
            '7 2 1 0',
            '[     16035] client -> copy  Copier.mix(a={length=64}, b={length=16}, out={length=64}, n=4)',
            '[     24175] client <- copy  Copier.mix = done  fast, 8140 cycles',
            '0 3 6 6',
            ''
        ].join('\n'));
    });

    it.each(KERNEL_PERSONALITIES)('the same output under the %s personality', async personality => {
        const run = await runUkc(['run', FIXTURE, '--kernel', personality]);
        expect([run.code, run.stdout]).toEqual([0, 'sum 10\n7 2 1 0\n0 3 6 6\n']);
    });

    it('refuses a request whose second lease did not arrive with the bad-bulk reply, and goes on serving', async () => {
        const outcome = await compileSource({ 'main.uk': system({ capacities: [8, 8, 8], a: [1, 2, 3], b: [4, 5, 6] }) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        // A hand-written client (above the compiled one) calls copy (label 1) with only one frame: its own
        // staging page; the reply label goes to s2. Then it waits for good, so the compiled client runs.
        const booted = bootWithHandWritten(outcome.compiled, {
            name: 'raw', priority: 120, source: `
_start:
    li t0, ${DEFAULT_IPC_BUFFER_BASE}
    li t1, 2
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
    li a0, 1
    li a1, ${messageInfo(1, 1, 1)}
    li a2, 3
    li a7, ${Syscall.Call}
    ecall
    srli s2, a1, 12
    li a0, 3
    li a7, ${Syscall.Wait}
    ecall
`,
            objects: [{ name: 'raw.idle', kind: 'notification' }],
            memory: [{ vaddr: 0x5900_0000, pages: 1, permissions: 'rw' }],
            caps: [
                { slot: 1, endpoint: 'copy.endpoint', rights: 'wg' }, { slot: 2, frame: { of: 'raw', mappedAt: 0x5900_0000 }, rights: 'rw' },
                { slot: 3, notification: 'raw.idle', rights: 'r' }
            ]
        });
        let output = '';
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        booted.kernel.run(20_000_000);
        expect(booted.threads.get('raw')?.regs[18]).toBe(BAD_BULK_LABEL);
        expect(output).toBe('sum 6\n3\n2\n1\n5\n7\n5\n');
    });
});
