/**
 * Leases beside capabilities, compiled and run: in one message, and in one server whose requests carry
 * either. Every capability of a request lands from the server's receive index; the dispatch loop moves
 * the leases into the lease slots and the capabilities taken as values down to consecutive slots, so the
 * handler maps its leases and calls through its capabilities, and no slot is lost to a lease. Random
 * contents against the host, the capability before and after the lease, under every personality.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_IPC_BUFFER_BASE, IPC_RECEIVE_INDEX, KERNEL_PERSONALITIES, LEASE_SLOT, RECEIVED_CAPS_FIRST_SLOT } from '../../runtime/contract/index.js';
import { CAP_TYPE_NAMES } from '../../runtime/kernel/index.js';
import { TypedTrace } from '../../runtime/trace/index.js';
import { compileSource, outputUnderEveryPersonality, runCompiled } from './compile-helper.js';
import { xorshift32 } from '../random.js';

/**
 * `put` sends a capability, then a lease (lease cap 1); `fill` a lease, then a capability (lease cap 0);
 * `keep` only a capability, `sum` only a lease. The store answers through what each brought: it notes the
 * sum with the log it was given, signals the notification once the lease is filled, and calls the log it
 * kept.
 */
function system(a: readonly number[], b: readonly number[]): string {
    const fill = (name: string, bytes: readonly number[]) => bytes.map((byte, i) => `        ${name}[${i}] = ${byte}`).join('\n');
    return `
interface Log { note(n: u32) -> u32 }
interface Store {
    put(log: endpoint<Log>, data: lease in bytes[64], n: u16) -> u32
    fill(out: lease out bytes[64], n: u16, done: notification, seed: u8) -> u32
    keep(log: endpoint<Log>) -> u32
    sum(data: lease in bytes[64], n: u16) -> u32
}
server Logger implements Log {
    var notes: u32 = 0
    on note(n) {
        notes += 1
        print("log: note {} = {}", notes, n)
        reply notes
    }
}
server Keeper implements Store {
    var kept: endpoint<Log>
    on put(log, data, n) {
        var total: u32 = 0
        for i in 0..n { total += data[i] as u32 }
        reply log.note(total)
    }
    on fill(out, n, done, seed) {
        for i in 0..n { out[i] = seed ^ (i as u8) }
        signal(done)
        reply n as u32
    }
    on keep(log) {
        kept = log
        reply kept.note(7)
    }
    on sum(data, n) {
        var total: u32 = 0
        for i in 0..n { total += data[i] as u32 }
        reply kept.note(total)
    }
}
program Client {
    uses store: Store
    uses log: Log
    notification done
    main {
        var a: bytes[64]
        var b: bytes[64]
${fill('a', a)}
${fill('b', b)}
        print("put: {}", store.put(log, a, ${a.length}))
        print("fill: {}", store.fill(b, ${b.length}, done, 90))
        print("done: {}", wait(done))
        for i in 0..${b.length} { print("{}", b[i]) }
        print("keep: {}", store.keep(log))
        print("sum: {}", store.sum(b, ${b.length}))
        print("put: {}", store.put(log, b, ${b.length}))
    }
}
system Mixed {
    instance logger: Logger { priority: 120 }
    instance keeper: Keeper { priority: 100 }
    instance client: Client { priority: 50 }
    connect client.store -> keeper
    connect client.log -> logger
}`;
}

/** What the host computes for the same bytes. */
function expected(a: readonly number[], b: readonly number[]): string {
    const sum = (bytes: readonly number[]) => bytes.reduce((total, byte) => total + byte, 0);
    const filled = b.map((_, i) => 90 ^ i);
    return [
        `log: note 1 = ${sum(a)}`, 'put: 1',
        `fill: ${b.length}`, 'done: 1', ...filled.map(String),
        'log: note 2 = 7', 'keep: 2',
        `log: note 3 = ${sum(filled)}`, 'sum: 3',
        `log: note 4 = ${sum(filled)}`, 'put: 4'
    ].map(line => `${line}\n`).join('');
}

describe('a lease beside a capability', () => {
    it('arrives in one message either way round, and in one server beside requests with only one of them', async () => {
        const outcome = await compileSource({ 'main.uk': system([1, 2, 250], [9, 9, 9, 9]) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.result.reason).toBe('idle');
        expect(run.output).toBe(expected([1, 2, 250], [9, 9, 9, 9]));
        const trace = new TypedTrace(outcome.compiled.trace);
        const calls = run.events.flatMap(event => {
            if (event.kind !== 'ipc' || event.operation !== 'call' || event.from !== 'client') return [];
            const entry = trace.translate(event);
            return entry?.kind === 'call' ? [`${entry.method} caps=${event.caps} ${event.capObjects?.join(',')}`] : [];
        });
        expect(calls).toEqual([
            'put caps=2 endpoint:logger.endpoint,frame',
            'fill caps=2 frame,notification:client.done',
            'keep caps=1 endpoint:logger.endpoint',
            'sum caps=1 frame',
            'put caps=2 endpoint:logger.endpoint,frame'
        ]);
        // Three capabilities kept as values (two logs and a notification), in consecutive slots; the leases
        // were let go, and the receive index is just past the values.
        const keeper = run.booted.threads.get('keeper');
        if (!keeper) throw new Error('no keeper');
        const slots = Array.from({ length: 5 }, (_, i) => {
            const cap = keeper.cspace.slotAt(RECEIVED_CAPS_FIRST_SLOT + i)?.cap;
            return cap ? CAP_TYPE_NAMES[cap.type] : 'empty';
        });
        expect(slots).toEqual(['endpoint', 'notification', 'endpoint', 'endpoint', 'empty']);
        expect([0, 1, 2].map(k => keeper.cspace.slotAt(LEASE_SLOT + k)?.isEmpty)).toEqual([true, true, true]);
        expect(keeper.vspace.readWord(DEFAULT_IPC_BUFFER_BASE + IPC_RECEIVE_INDEX)).toBe(RECEIVED_CAPS_FIRST_SLOT + 4);
    });

    it('carries random contents as the host computes them', async () => {
        const next = xorshift32(1821);
        for (let round = 0; round < 4; round++) {
            const bytes = (length: number) => Array.from({ length }, () => next() & 0xff);
            const a = bytes(1 + (next() % 64));
            const b = bytes(next() % 65);
            const outcome = await compileSource({ 'main.uk': system(a, b) });
            if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
            const run = runCompiled(outcome.compiled);
            expect(run.result.reason).toBe('idle');
            expect(run.output).toBe(expected(a, b));
        }
    });

    it('prints the same under every personality', async () => {
        const outcome = await compileSource({ 'main.uk': system([3, 4, 5], [1, 2]) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const compiled = outcome.compiled;
        const outputs = outputUnderEveryPersonality(compiled);
        expect(outputs).toEqual(KERNEL_PERSONALITIES.map(() => expected([3, 4, 5], [1, 2])));
    });
});
