import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CompiledImage } from '../../src/codegen/index.js';
import { UNKNOWN_METHOD_LABEL, messageInfo, Syscall } from '../../runtime/contract/index.js';
import { disassemble, parseElf } from '../../runtime/machine/index.js';
import { bootWithHandWritten, compileAndRun, compileSource } from './compile-helper.js';

const SERVICE = `
interface Service {
    add(a: i32, b: i32) -> i32
    ping(tag: u8) -> u8
    set(x: u8, y: u8, on: bool) -> u8
    mix(s: i8, u: u8) -> (lo: i8, hi: u16)
    wide(a: u32, b: u32, c: u32, d: u32, e: u32, f: u32) -> u32
    oneway note(v: u32)
    who() -> u32
}
server Impl implements Service {
    var notes: u32 = 0
    on add(a, b) { reply a + b }
    on ping(tag) { reply tag + 1 }
    on set(x, y, on) { if on { reply x } reply y }
    on mix(s, u) { reply (s, (u as u16) * 2) }
    on wide(a, b, c, d, e, f) { reply a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + notes }
    on note(v) { notes += v }
    on who() { reply badge() }
}
`;

const CLIENT = `
program Client {
    uses service: Service
    main {
        print("{} {} {} {}", service.add(40, 2), service.ping(7), service.set(1, 2, true), service.set(1, 2, false))
        let (lo, hi) = service.mix(0 - 3, 200)
        print("{} {}", lo, hi)
        service.note(100)
        print("{} {}", service.wide(1, 2, 3, 4, 5, 6), service.who())
    }
}
system S {
    instance impl: Impl { priority: 100 }
    instance client: Client { priority: 50 }
    connect client.service -> impl badge 0x2a
}`;

/** The instructions of a function in an image, from its symbol to the next symbol. */
function instructions(image: CompiledImage, symbol: string): string[] {
    const elf = parseElf(image.elf);
    const sorted = [...image.symbols].sort((a, b) => a.value - b.value);
    const start = sorted.findIndex(candidate => candidate.name === symbol);
    if (start < 0) throw new Error(`no symbol ${symbol}`);
    const from = sorted[start].value;
    const to = sorted.slice(start + 1).find(candidate => candidate.value > from)?.value ?? from;
    const text = elf.segments.find(segment => from >= segment.vaddr && from < segment.vaddr + segment.memSize);
    if (!text) throw new Error('no text');
    const view = new DataView(text.data.buffer, text.data.byteOffset, text.data.byteLength);
    const words: string[] = [];
    for (let address = from; address < to; address += 4) words.push(disassemble(view.getUint32(address - text.vaddr, true), address));
    return words;
}

describe('register-packed IPC in compiled code', () => {
    it('packs every kind of scalar both ways, through registers and the IPC buffer, with the badge', async () => {
        const run = await compileAndRun(SERVICE + CLIENT);
        expect(run.output).toBe('42 8 1 2\n-3 400\n191 42\n');
        const calls = run.events.flatMap(event => event.kind === 'ipc' && event.from === 'client' ? [`${event.label}:${event.words.length}${event.fastpath ? ' fast' : ''}`] : []);
        // wide has six words: two travel through the IPC buffer, so that message leaves the fastpath.
        expect(calls).toEqual(['1:2 fast', '2:1 fast', '3:1 fast', '3:1 fast', '4:1 fast', '6:1', '5:6', '7:0 fast']);
    });

    it('compiles a register-only stub to the packing work plus eight instructions, touching no memory', async () => {
        const compiled = (await compileSource({ 'main.uk': SERVICE + CLIENT })).compiled;
        const client = compiled?.images.find(image => image.component === 'Client');
        if (!client) throw new Error('not compiled');
        const stub = (method: string) => instructions(client, `stub.service.${method}`);
        // The fixed part: li a0 (the port), li a1 (message info: lui, plus addi when the length is not 0),
        // li a7, ecall, bnez a6, srli (the reply label), bnez a0, ret.
        const fixed = (words: number) => 7 + (words === 0 ? 1 : 2);
        for (const [method, words, packing] of [
            ['add', 2, 0], // a, b and the result are whole words, already in a2, a3 and a2
            ['ping', 1, 1], // tag is in a2 already; the u8 result is masked: andi
            ['set', 1, 4 + 1], // y and on shifted in beside x: 2 x (slli, or); the result: andi
            ['mix', 1, 3 + 4] // s masked (andi), u shifted in (slli, or); hi and lo extracted (slli, srli / srai)
        ] as const) {
            const code = stub(method);
            expect(code.filter(line => /^(lw|sw|lb|sb|lh|sh|lbu|lhu)\s/.test(line)), method).toEqual([]);
            expect(code.length, `${method}:\n${code.join('\n')}`).toBe(fixed(words) + packing);
        }
        // Six words do not fit in four registers: wide stores two words in the IPC buffer.
        expect(stub('wide').filter(line => /^\s*sw\b/.test(line))).toHaveLength(2);
    });

    it('answers a request with an unknown label with an error reply, and goes on serving', async () => {
        const compiled = (await compileSource({ 'main.uk': `${SERVICE}
system S { instance impl: Impl { priority: 100 } }` })).compiled;
        if (!compiled) throw new Error('not compiled');
        const booted = bootWithHandWritten(compiled, {
            name: 'raw', priority: 50, source: `
_start:
    li a0, 1
    li a1, ${messageInfo(99, 0)}
    li a7, ${Syscall.Call}
    ecall
    mv s1, a1
    li a0, 1
    li a1, ${messageInfo(1, 2)}
    li a2, 20
    li a3, 22
    li a7, ${Syscall.Call}
    ecall
    mv s2, a2
park:
    j park
`,
            caps: [{ slot: 1, endpoint: 'impl.endpoint', rights: 'w' }]
        });
        booted.kernel.run(1_000_000);
        const rawThread = booted.threads.get('raw');
        expect((rawThread?.regs[9] ?? 0) >>> 12).toBe(UNKNOWN_METHOD_LABEL);
        expect(rawThread?.regs[18]).toBe(42);
    });

    it('lets a handler call another server (nested calls)', async () => {
        const run = await compileAndRun(`
interface Back { double(x: u32) -> u32 }
interface Front { quad(x: u32) -> u32 }
server B implements Back { on double(x) { reply x * 2 } }
server F implements Front {
    uses back: Back
    on quad(x) { reply back.double(back.double(x)) }
}
program P { uses front: Front  main { print("{}", front.quad(5)) } }
system S {
    instance b: B { priority: 200 }
    instance f: F { priority: 100 }
    instance p: P { priority: 50 }
    connect f.back -> b badge 1
    connect p.front -> f badge 2
}`);
        expect(run.output).toBe('20\n');
        expect(run.events.flatMap(event => event.kind === 'ipc' ? [`${event.operation} ${event.from}->${event.to}`] : [])).toEqual([
            'call p->f', 'call f->b', 'reply b->f', 'call f->b', 'reply b->f', 'reply f->p'
        ]);
    });
});

describe('values beyond the registers', () => {
    it('travel through the overflow words: big structs, many arguments and results, helpers with ten parameters', async () => {
        const run = await compileAndRun(readFileSync(path.join(__dirname, '../fixtures/codegen/big-messages.uk'), 'utf8'));
        // union: two four-field structs and two scalars (ten values in nine words); many: nine arguments and
        // eight results; wide: ten parameters, 1 + 2x2 + ... + 10x10 = 385.
        expect(run.output).toBe('-4 1 120 60\n10 10000000000 -5 5 6 7 8 385\n');
        expect(run.events.flatMap(event => (event.kind === 'ipc' ? [`${event.operation} ${event.words.length}`] : []))).toEqual([
            'call 9', 'reply 4', 'call 4', 'reply 9'
        ]);
    });
});

describe('shared buffers', () => {
    it('a handler reads the bytes a client put in their shared region, found by the caller\'s badge', async () => {
        const compiled = (await compileSource({ 'main.uk': `
interface Summer { total(data: shared in bytes[16], n: u8) -> u32 }
server Sum implements Summer {
    on total(data, n) {
        var sum: u32 = 0
        for i in 0..len(data) { sum += data[i] as u32 }
        reply sum * (n as u32)
    }
}
program Idle { uses summer: Summer  main { } }
system S {
    instance sum: Sum { priority: 100 }
    instance idle: Idle { priority: 1 }
    connect idle.summer -> sum badge 5
}` })).compiled;
        if (!compiled) throw new Error('not compiled');
        const layout = compiled.trace.endpoints['sum.endpoint'].interface.methods[0];
        const place = (path: string, value: number) => {
            const scalar = layout.request.scalars.find(candidate => candidate.path === path);
            if (!scalar) throw new Error(`no ${path}`);
            return value << scalar.placement.lo;
        };
        const word = place('data.offset', 3) | place('data.length', 4) | place('n', 2);
        const booted = bootWithHandWritten(compiled, {
            name: 'raw', priority: 50, source: `
_start:
    li t0, 0x40000003
    li t1, 10
    sb t1, 0(t0)
    li t1, 20
    sb t1, 1(t0)
    li t1, 30
    sb t1, 2(t0)
    li t1, 40
    sb t1, 3(t0)
    li a0, 1
    li a1, ${messageInfo(layout.ordinal, 1)}
    li a2, ${word}
    li a7, ${Syscall.Call}
    ecall
    mv s1, a2
park:
    j park
`,
            caps: [{ slot: 1, endpoint: 'sum.endpoint', rights: 'w', badge: 5 }, { slot: 2, frame: { of: 'sum', mappedAt: 0x6000_0000 }, mapAt: 0x4000_0000 }]
        });
        booted.kernel.run(2_000_000);
        expect(booted.threads.get('raw')?.regs[9]).toBe((10 + 20 + 30 + 40) * 2);
    });
});

describe('try', () => {
    it('passes an error reply on as the handler\'s own error', async () => {
        const run = await compileAndRun(`
enum Failure : u8 { Broken = 3 }
interface Back { get(x: u32) -> u32 raises Failure }
interface Front { get(x: u32) -> u32 raises Failure }
server B implements Back { on get(x) { if x == 0 { raise Failure.Broken } reply x * 10 } }
server F implements Front {
    uses back: Back
    on get(x) { reply try back.get(x) }
}
program P {
    uses front: Front
    main {
        let a = front.get(4) catch e { print("failed {}", e) return }
        print("got {}", a)
        front.get(0) catch e { print("failed {}", e) }
    }
}
system S {
    instance b: B { priority: 30 }
    instance f: F { priority: 20 }
    instance p: P { priority: 10 }
    connect f.back -> b badge 1
    connect p.front -> f badge 2
}`);
        expect(run.output).toBe('got 40\nfailed Broken\n');
    });
});

describe('notification handlers in servers', () => {
    it('a server runs its handler with the signalled bits, between the calls it serves', async () => {
        const run = await compileAndRun(`
interface Log { count() -> u32 }
server Logger implements Log {
    notification ticks
    var seen: u32 = 0
    on count() { reply seen }
    on notification ticks(bits) { seen += bits  print("tick {:x}", bits) }
}
program Ticker {
    notification ticks
    uses log: Log
    main {
        signal(ticks)
        signal(ticks)
        print("seen {}", log.count())
    }
}
system S {
    instance logger: Logger { priority: 100 }
    instance ticker: Ticker { priority: 10 }
    connect ticker.ticks -> logger.ticks badge 0x4
    connect ticker.log -> logger badge 1
}`);
        expect(run.output).toBe('tick 4\ntick 4\nseen 8\n');
    });
});

describe('several event handlers in one server', () => {
    const HUB = (badges: string, extra = '') => `
interface Stats { total() -> u32 }
server Hub implements Stats {
    notification ticks
    notification alarms
    var seen: u32 = 0
    on total() { reply seen }
    on notification ticks(bits) { seen += bits  print("tick {:x}", bits) }
    on notification alarms(bits) { seen += bits * 100  print("alarm {:x}", bits) ${extra} }
}
program Source {
    notification ticks
    notification alarms
    uses hub: Stats
    main {
        signal(ticks)
        signal(alarms)
        signal(ticks)
        print("total {}", hub.total())
    }
}
system S {
    instance hub: Hub { priority: 100 }
    instance source: Source { priority: 10 }
    ${badges}
    connect source.hub -> hub badge 1
}`;

    it('share the events notification, each port in a lane of its own, and get their own bits', async () => {
        const run = await compileAndRun(HUB('connect source.ticks -> hub.ticks badge 0x4\n    connect source.alarms -> hub.alarms badge 0x81'));
        expect(run.output).toBe('tick 4\nalarm 81\ntick 4\ntotal 12908\n');
        expect(run.events.flatMap(event => (event.kind === 'signal' ? [`${event.notification} ${event.bits.toString(16)}`] : []))).toEqual([
            'hub.events 400', 'hub.events 810000', 'hub.events 400'
        ]);
    });

    it('report a badge that does not fit a lane, and waiting on a port whose signals go to a handler', async () => {
        const outcome = await compileSource({ 'main.uk': HUB('connect source.ticks -> hub.ticks badge 0x100\n    connect source.alarms -> hub.alarms badge 0x1', 'let w = poll(ticks)') });
        expect(outcome.problems).toEqual([
            "9:90 error 'poll' on 'ticks' is not supported: its signals go to its 'on notification' handler, which shares the server's events notification with other handlers.",
            "25:45 error Badge 256 does not fit: hub.ticks shares its server's events notification with other handlers, so its badges have 8 bits."
        ]);
        const wide = await compileSource({ 'main.uk': HUB('connect source.ticks -> hub.ticks badge 0x100\n    connect source.alarms -> hub.alarms badge 0x1') });
        expect(wide.problems).toEqual([
            '25:45 error Badge 256 does not fit: hub.ticks shares its server\'s events notification with other handlers, so its badges have 8 bits.'
        ]);
    });
});

