/**
 * Events compiled and run (docs/ABI.md, "Events"): a server's `emit` reaches every client that handles
 * the event, each in the order emitted, once its `main` has returned; a full queue drops the record for
 * that client alone and the trace says so; random payloads arrive equal, as the layout codec packs them;
 * the same system gives the same trace twice. The same system runs under every personality.
 */
import { describe, expect, it } from 'vitest';
import { bootSystem, parseManifest, type EventRecordEvent, type KernelEvent } from '../../runtime/kernel/index.js';
import { EVENT_QUEUE_CAPACITY, KERNEL_PERSONALITIES } from '../../runtime/contract/index.js';
import { TypedTrace, formatTraceLine } from '../../runtime/trace/index.js';
import { createCodec } from '../../src/layout/index.js';
import { compileSource, runCompiled } from './compile-helper.js';
import { parseElf } from '../../runtime/machine/index.js';

const TICKER = `
struct Sample { value: u32, scale: i8 }
interface Ticker {
    oneway start(count: u8)
    event tick(n: u8, sample: Sample, last: bool)
}
server Clock implements Ticker {
    on start(count) {
        for i in 0..count {
            emit tick(i, Sample { value: 100 * (i as u32), scale: -(i as i8) }, i + 1 == count)
        }
    }
}
program Starter {
    uses clock: Ticker
    main {
        clock.start(COUNT)
        print("starter: asked for COUNT")
    }
    on event clock.tick(n, sample, last) {
        print("starter: tick {} value {} scale {} last {}", n, sample.value, sample.scale, last)
    }
}
program Listener {
    uses clock: Ticker
    main { print("listener: waiting") }
    on event clock.tick(n, sample, last) {
        print("listener: tick {} value {}", n, sample.value)
    }
}
system Ticks {
    instance clock: Clock { priority: 100 }
    instance starter: Starter { priority: 60 }
    instance listener: Listener { priority: 50 }
    connect starter.clock -> clock badge 1
    connect listener.clock -> clock badge 2
}
`;

async function compileTicker(count: number) {
    const outcome = await compileSource({ 'main.uk': TICKER.replaceAll('COUNT', String(count)) });
    if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
    return outcome.compiled;
}

function traceLines(compiled: Awaited<ReturnType<typeof compileTicker>>, events: readonly KernelEvent[], kinds: readonly string[] = ['event']): string[] {
    const trace = new TypedTrace(compiled.trace);
    return events.filter(event => kinds.includes(event.kind)).flatMap(event => {
        const typed = trace.translate(event);
        return typed ? [formatTraceLine(typed)] : [];
    });
}

describe('events', () => {
    it('reach two clients, each handling them in order after its main', async () => {
        const compiled = await compileTicker(3);
        const run = runCompiled(compiled);
        expect(run.result.reason).toBe('idle');
        expect(run.output).toBe([
            'starter: asked for 3',
            'starter: tick 0 value 0 scale 0 last false',
            'starter: tick 1 value 100 scale -1 last false',
            'starter: tick 2 value 200 scale -2 last true',
            'listener: waiting',
            'listener: tick 0 value 0',
            'listener: tick 1 value 100',
            'listener: tick 2 value 200',
            ''
        ].join('\n'));
        expect(traceLines(compiled, run.events)).toEqual([
            '[      2635] clock => starter  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  1 queued',
            '[      3089] clock => listener  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  1 queued',
            '[      3787] clock => starter  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  2 queued',
            '[      4241] clock => listener  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  2 queued',
            '[      4939] clock => starter  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  3 queued',
            '[      5393] clock => listener  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  3 queued',
            '[      7199] starter <= clock  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  2 queued',
            '[      9417] starter <= clock  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  1 queued',
            '[     11863] starter <= clock  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  0 queued',
            '[     16050] listener <= clock  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  2 queued',
            '[     17412] listener <= clock  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  1 queued',
            '[     18790] listener <= clock  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  0 queued'
        ]);
    });

    it('drop the newest record for a client whose queue is full, and count it; the server never waits', async () => {
        const compiled = await compileTicker(EVENT_QUEUE_CAPACITY + 2);
        const run = runCompiled(compiled);
        const lines = traceLines(compiled, run.events);
        expect(lines.filter(line => line.includes('=x'))).toEqual([
            '[     11851] clock =x starter  Ticker.tick(n=8, sample={value=800, scale=-8}, last=false)  dropped: queue full (8), 1 lost',
            '[     11905] clock =x listener  Ticker.tick(n=8, sample={value=800, scale=-8}, last=false)  dropped: queue full (8), 1 lost',
            '[     12203] clock =x starter  Ticker.tick(n=9, sample={value=900, scale=-9}, last=true)  dropped: queue full (8), 2 lost',
            '[     12257] clock =x listener  Ticker.tick(n=9, sample={value=900, scale=-9}, last=true)  dropped: queue full (8), 2 lost'
        ]);
        // Each client handles the first eight, in order; the last one (last=true) never arrives.
        const starter = run.output.split('\n').filter(line => line.startsWith('starter: tick'));
        expect(starter).toEqual(Array.from({ length: 8 }, (_, i) => `starter: tick ${i} value ${100 * i} scale ${-i} last false`));
        expect(run.output.split('\n').filter(line => line.startsWith('listener: tick'))).toHaveLength(8);
        expect(run.booted.kernel.eventQueues.map(queue => [queue.client, queue.dropped, queue.records.length])).toEqual([['starter', 2, 0], ['listener', 2, 0]]);
    });

    it('give the same trace twice', async () => {
        const compiled = await compileTicker(4);
        const all = ['ipc', 'event', 'signal', 'schedule', 'console'];
        expect(traceLines(compiled, runCompiled(compiled).events, all)).toEqual(traceLines(compiled, runCompiled(compiled).events, all));
    });

    it('print the same under every personality', async () => {
        const compiled = await compileTicker(3);
        const images = new Map(compiled.images.map(image => [image.file, parseElf(image.elf)]));
        const outputs = KERNEL_PERSONALITIES.map(personality => {
            const booted = bootSystem(parseManifest(JSON.parse(JSON.stringify(compiled.manifest))), images, { personality });
            let output = '';
            booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
            booted.kernel.run(50_000_000);
            return output;
        });
        expect(new Set(outputs).size).toBe(1);
        expect(outputs[0]).toContain('listener: tick 2 value 200');
    });
});

describe('event payloads', () => {
    /** A deterministic pseudo-random sequence (xorshift32), so that a failure can be repeated. */
    function random(seed: number): () => number {
        let state = seed >>> 0 || 1;
        return () => {
            state ^= state << 13; state >>>= 0;
            state ^= state >>> 17;
            state ^= state << 5; state >>>= 0;
            return state;
        };
    }

    it('arrive equal to what was emitted, and as the layout codec packs them', async () => {
        const next = random(2026);
        const pick = (bits: number) => BigInt(next()) & ((1n << BigInt(bits)) - 1n);
        const signed = (bits: number) => BigInt.asIntN(bits, pick(bits));
        const cases = Array.from({ length: 24 }, () => ({
            a: pick(8), b: signed(16), c: (BigInt(next()) << 32n) | BigInt(next()), d: pick(1) === 1n, mode: Number(pick(8) % 5n), e: pick(32), f: signed(32)
        }));
        const modes = ['Off', 'Low', 'Mid', 'High', 'Max'];
        const source = `
enum Mode : u3 { Off, Low, Mid, High, Max }
interface Probe {
    oneway go()
    event values(a: u8, b: i16, c: u64, d: bool, mode: Mode, e: u32, f: i32)
}
server Source implements Probe {
    on go() {
${cases.map(v => `        emit values(${v.a}, ${v.b}, ${v.c}, ${v.d}, Mode.${modes[v.mode]}, ${v.e}, ${v.f})`).join('\n')}
    }
}
program Sink {
    uses probe: Probe
    main { probe.go() }
    on event probe.values(a, b, c, d, mode, e, f) { print("{} {} {} {} {} {} {}", a, b, c, d, mode, e, f) }
}
system Probing {
    instance source: Source { priority: 10 }
    instance sink: Sink { priority: 20 }
    connect sink.probe -> source badge 1
}`;
        const outcome = await compileSource({ 'main.uk': source });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        // The sink is the higher priority: it takes each record as soon as it is queued, so none is dropped.
        expect(run.output).toBe(cases.map(v => `${v.a} ${v.b} ${v.c} ${v.d} ${modes[v.mode]} ${v.e} ${v.f}\n`).join(''));
        const layout = outcome.compiled.trace.endpoints['source.endpoint'].interface.events[0];
        const codec = createCodec(layout.payload, 32);
        const queued = run.events.filter((event): event is EventRecordEvent => event.kind === 'event' && event.operation === 'queue');
        expect(queued).toHaveLength(cases.length);
        queued.forEach((event, i) => {
            const v = cases[i];
            const expected = { a: v.a, b: v.b, c: v.c, d: v.d ? 1n : 0n, mode: BigInt(v.mode), e: v.e, f: v.f };
            expect(event.words.map(word => BigInt(word))).toEqual(codec.pack(expected));
            expect(codec.unpack(event.words.map(word => BigInt(word)))).toEqual(expected);
        });
    });
});
