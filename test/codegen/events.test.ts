/**
 * Events compiled and run (docs/ABI.md, "Events"): a server's `emit` reaches every client that handles
 * the event, each in the order emitted, once its `main` has returned; a full queue drops the record for
 * that client alone and the trace says so; random payloads arrive equal, as the layout codec packs them;
 * the same system gives the same trace twice. The same system runs under every personality.
 */
import { describe, expect, it } from 'vitest';
import { bootSystem, parseManifest, waitForGraph, type EventRecordEvent, type KernelEvent } from '../../runtime/kernel/index.js';
import { EVENT_QUEUE_CAPACITY, KERNEL_PERSONALITIES } from '../../runtime/contract/index.js';
import { TypedTrace, formatTraceLine } from '../../runtime/trace/index.js';
import { createCodec } from '../../src/layout/index.js';
import { compileSource, outputUnderEveryPersonality, runCompiled } from './compile-helper.js';
import { parseElf } from '../../runtime/machine/index.js';
import { xorshift32 } from '../random.js';

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
            '[      2632] clock => starter  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  1 queued',
            '[      3086] clock => listener  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  1 queued',
            '[      3783] clock => starter  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  2 queued',
            '[      4237] clock => listener  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  2 queued',
            '[      4934] clock => starter  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  3 queued',
            '[      5388] clock => listener  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  3 queued',
            '[      7194] starter <= clock  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  2 queued',
            '[      9412] starter <= clock  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  1 queued',
            '[     11858] starter <= clock  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  0 queued',
            '[     16045] listener <= clock  Ticker.tick(n=0, sample={value=0, scale=0}, last=false)  2 queued',
            '[     17407] listener <= clock  Ticker.tick(n=1, sample={value=100, scale=-1}, last=false)  1 queued',
            '[     18785] listener <= clock  Ticker.tick(n=2, sample={value=200, scale=-2}, last=true)  0 queued'
        ]);
    });

    it('drop the newest record for a client whose queue is full, and count it; the server never waits', async () => {
        const compiled = await compileTicker(EVENT_QUEUE_CAPACITY + 2);
        const run = runCompiled(compiled);
        const lines = traceLines(compiled, run.events);
        expect(lines.filter(line => line.includes('=x'))).toEqual([
            '[     11840] clock =x starter  Ticker.tick(n=8, sample={value=800, scale=-8}, last=false)  dropped: queue full (8), 1 lost',
            '[     11894] clock =x listener  Ticker.tick(n=8, sample={value=800, scale=-8}, last=false)  dropped: queue full (8), 1 lost',
            '[     12191] clock =x starter  Ticker.tick(n=9, sample={value=900, scale=-9}, last=true)  dropped: queue full (8), 2 lost',
            '[     12245] clock =x listener  Ticker.tick(n=9, sample={value=900, scale=-9}, last=true)  dropped: queue full (8), 2 lost'
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
        const outputs = outputUnderEveryPersonality(compiled);
        expect(new Set(outputs).size).toBe(1);
        expect(outputs[0]).toContain('listener: tick 2 value 200');
    });
});

describe('event payloads', () => {
    it('arrive equal to what was emitted, and as the layout codec packs them', async () => {
        const next = xorshift32(2026);
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

/**
 * A server that handles another server's events (docs/LANGUAGE.md, "Events"): its event queue signals
 * its events notification, bound to its thread, so a record ends its receive; it takes the records
 * between requests, never inside one: the samples a request's own handler asked for are counted after it
 * has replied.
 */
const AGGREGATOR = `
interface Sensor {
    start(samples: u8) -> u32
    event dataReady(count: u32, value: u32)
}
interface Stats {
    sample(samples: u8) -> u32
    total() -> (count: u32, sum: u32)
}
server Thermometer implements Sensor {
    var count: u32 = 0
    on start(samples) {
        for i in 0..samples {
            count += 1
            emit dataReady(count, 200 + count * 3)
        }
        reply count
    }
}
server Aggregator implements Stats {
    uses sensor: Sensor
    var count: u32 = 0
    var sum: u32 = 0
    on sample(samples) {
        sensor.start(samples)
        reply count
    }
    on total() { reply (count, sum) }
    on event sensor.dataReady(n, value) {
        count += 1
        sum += value
        print("aggregator: sample {} = {}", n, value)
    }
}
program Dashboard {
    uses stats: Stats
    uses sensor: Sensor
    main {
        print("dashboard: {} counted when sample(3) replied", stats.sample(3))
        let (count, sum) = stats.total()
        print("dashboard: total {} samples, sum {}", count, sum)
        print("dashboard: the sensor has emitted {}", sensor.start(1))
    }
    on event sensor.dataReady(n, value) {
        print("dashboard: sample {} = {}", n, value)
    }
}
system Aggregating {
    instance thermometer: Thermometer { priority: 100 }
    instance aggregator: Aggregator { priority: 80 }
    instance dashboard: Dashboard { priority: 50 }
    connect aggregator.sensor -> thermometer badge 1
    connect dashboard.sensor -> thermometer badge 2
    connect dashboard.stats -> aggregator
}`;

describe('a server handling events', () => {
    it('takes them between requests, while serving calls, beside a program that takes them too', async () => {
        const outcome = await compileSource({ 'main.uk': AGGREGATOR });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.result.reason).toBe('idle');
        // sample(3) replies 0: the three records wait in the queue until the reply has gone.
        expect(run.output).toBe([
            'aggregator: sample 1 = 203',
            'aggregator: sample 2 = 206',
            'aggregator: sample 3 = 209',
            'dashboard: 0 counted when sample(3) replied',
            'dashboard: total 3 samples, sum 618',
            'aggregator: sample 4 = 212',
            'dashboard: the sensor has emitted 4',
            'dashboard: sample 1 = 203',
            'dashboard: sample 2 = 206',
            'dashboard: sample 3 = 209',
            'dashboard: sample 4 = 212',
            ''
        ].join('\n'));
        // The aggregator's queue signals bit 0 of its events lane (lane 1: no notification handlers) in
        // its events notification; the dashboard's its own notification. Only the last record finds the
        // aggregator blocked in its receive: the first three come while it waits for start's reply, inside
        // sample, and it takes them once it has answered sample.
        expect(traceLines(outcome.compiled, run.events, ['event', 'ipc', 'signal'])).toEqual([
            '[      2375] dashboard -> aggregator  Stats.sample(samples=3)  fast',
            '[      3049] aggregator -> thermometer  Sensor.start(samples=3)  fast',
            '[      3353] thermometer => aggregator  Sensor.dataReady(count=1, value=203)  1 queued',
            '[      3753] thermometer signals aggregator.events (bits 0x100)',
            '[      3807] thermometer => dashboard  Sensor.dataReady(count=1, value=203)  1 queued',
            '[      4207] thermometer signals dashboard.client-events (bits 0x1)',
            '[      4492] thermometer => aggregator  Sensor.dataReady(count=2, value=206)  2 queued',
            '[      4892] thermometer signals aggregator.events (bits 0x100)',
            '[      4946] thermometer => dashboard  Sensor.dataReady(count=2, value=206)  2 queued',
            '[      5346] thermometer signals dashboard.client-events (bits 0x1)',
            '[      5631] thermometer => aggregator  Sensor.dataReady(count=3, value=209)  3 queued',
            '[      6031] thermometer signals aggregator.events (bits 0x100)',
            '[      6085] thermometer => dashboard  Sensor.dataReady(count=3, value=209)  3 queued',
            '[      6485] thermometer signals dashboard.client-events (bits 0x1)',
            '[      7213] aggregator <- thermometer  Sensor.start = 3  fast, 4164 cycles',
            // The pending signal sends this ReplyRecv down the slow path (fastpath.ts), as in seL4.
            '[      8637] dashboard <- aggregator  Stats.sample = 0  6262 cycles',
            '[      9306] aggregator <= thermometer  Sensor.dataReady(count=1, value=203)  2 queued',
            '[     10685] aggregator <= thermometer  Sensor.dataReady(count=2, value=206)  1 queued',
            '[     12064] aggregator <= thermometer  Sensor.dataReady(count=3, value=209)  0 queued',
            '[     15204] dashboard -> aggregator  Stats.total()  fast',
            '[     15942] dashboard <- aggregator  Stats.total = (count=3, sum=618)  fast, 738 cycles',
            '[     17695] dashboard -> thermometer  Sensor.start(samples=1)  fast',
            '[     17999] thermometer => aggregator  Sensor.dataReady(count=4, value=212)  1 queued',
            '[     18399] thermometer signals aggregator.events (bits 0x100), wakes aggregator',
            '[     18453] thermometer => dashboard  Sensor.dataReady(count=4, value=212)  4 queued',
            '[     18853] thermometer signals dashboard.client-events (bits 0x1)',
            '[     20281] dashboard <- thermometer  Sensor.start = 4  2586 cycles',
            '[     20850] aggregator <= thermometer  Sensor.dataReady(count=4, value=212)  0 queued',
            '[     23793] dashboard <= thermometer  Sensor.dataReady(count=1, value=203)  3 queued',
            '[     25157] dashboard <= thermometer  Sensor.dataReady(count=2, value=206)  2 queued',
            '[     26521] dashboard <= thermometer  Sensor.dataReady(count=3, value=209)  1 queued',
            '[     27885] dashboard <= thermometer  Sensor.dataReady(count=4, value=212)  0 queued'
        ]);
        // Idle at the end: the aggregator waits on its endpoint for the dashboard and on its events
        // notification for the thermometer, whose events it handles.
        const edges = waitForGraph(run.booted.kernel).edges.map(edge => `${edge.thread} on ${edge.on}: ${edge.waitsFor.join(', ')}`);
        expect(edges).toEqual([
            'thermometer on thermometer.endpoint: aggregator, dashboard',
            'aggregator on aggregator.endpoint: dashboard, thermometer',
            'dashboard on dashboard.client-events: thermometer'
        ]);
    });

    it('behaves alike under every personality: each component prints the same and takes the same records, after the reply', async () => {
        const outcome = await compileSource({ 'main.uk': AGGREGATOR });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const compiled = outcome.compiled;
        const images = new Map(compiled.images.map(image => [image.file, parseElf(image.elf)]));
        // How the three interleave is each personality's (QNX's oneway MsgSend lets the dashboard run on,
        // and a server runs at its client's priority); what each component does is not.
        const runs = KERNEL_PERSONALITIES.map(personality => {
            const booted = bootSystem(parseManifest(JSON.parse(JSON.stringify(compiled.manifest))), images, { personality });
            let output = '';
            booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
            const events: KernelEvent[] = [];
            booted.kernel.events.subscribe(event => events.push(event));
            const result = booted.kernel.run(50_000_000);
            const lines = output.split('\n');
            const taken = (client: string) => traceLines(compiled, events).flatMap(line => {
                const record = new RegExp(`${client} <= thermometer  (.+)  \\d+ queued$`).exec(line);
                return record ? [record[1]] : [];
            });
            const ordered = traceLines(compiled, events, ['ipc', 'event']);
            const sampleReply = ordered.findIndex(line => line.includes('dashboard <- aggregator  Stats.sample = 0'));
            const firstTake = ordered.findIndex(line => line.includes('aggregator <= thermometer'));
            return {
                reason: result.reason,
                aggregator: lines.filter(line => line.startsWith('aggregator:')),
                dashboard: lines.filter(line => line.startsWith('dashboard:')),
                aggregatorTook: taken('aggregator'),
                dashboardTook: taken('dashboard'),
                replyBeforeTake: sampleReply >= 0 && sampleReply < firstTake
            };
        });
        const records = ['Sensor.dataReady(count=1, value=203)', 'Sensor.dataReady(count=2, value=206)', 'Sensor.dataReady(count=3, value=209)', 'Sensor.dataReady(count=4, value=212)'];
        const expected = {
            reason: 'idle',
            aggregator: ['aggregator: sample 1 = 203', 'aggregator: sample 2 = 206', 'aggregator: sample 3 = 209', 'aggregator: sample 4 = 212'],
            dashboard: [
                'dashboard: 0 counted when sample(3) replied', 'dashboard: total 3 samples, sum 618', 'dashboard: the sensor has emitted 4',
                'dashboard: sample 1 = 203', 'dashboard: sample 2 = 206', 'dashboard: sample 3 = 209', 'dashboard: sample 4 = 212'
            ],
            aggregatorTook: records,
            dashboardTook: records,
            replyBeforeTake: true
        };
        expect(runs).toEqual(KERNEL_PERSONALITIES.map(() => expected));
    });

    it('shares the events notification with a notification handler: each lane to its own handler', async () => {
        // With events beside it, the one notification handler's port takes lane 1 (it is no longer bound
        // on its own) and the event queue lane 2: bit 16.
        const outcome = await compileSource({ 'main.uk': `
interface Ticker {
    oneway start(count: u8)
    event tick(n: u8)
}
interface Counter { read() -> u32 }
server Clock implements Ticker {
    on start(count) { for i in 0..count { emit tick(i) } }
}
server Tally implements Counter {
    uses clock: Ticker
    notification poke
    var ticks: u32 = 0
    on read() { reply ticks }
    on notification poke(bits) {
        print("tally: poked with {}", bits)
        clock.start(2)
    }
    on event clock.tick(n) {
        ticks += 1
        print("tally: tick {}", n)
    }
}
program Poker {
    notification out
    uses counter: Counter
    main {
        signal(out)
        print("poker: {} ticks", counter.read())
    }
}
system Poking {
    instance clock: Clock { priority: 100 }
    instance tally: Tally { priority: 80 }
    instance poker: Poker { priority: 50 }
    connect tally.clock -> clock badge 1
    connect poker.out -> tally.poke badge 5
    connect poker.counter -> tally
}` });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.result.reason).toBe('idle');
        expect(run.output).toBe('tally: poked with 5\ntally: tick 0\ntally: tick 1\npoker: 2 ticks\n');
        expect(traceLines(outcome.compiled, run.events, ['signal'])).toEqual([
            '[      2121] poker signals tally.events (bits 0x500), wakes tally',
            '[      5445] clock signals tally.events (bits 0x10000)',
            '[      6086] clock signals tally.events (bits 0x10000)'
        ]);
    });
});
