/**
 * Errors that carry data, through real runs on the machine: a payload raised by a server arrives equal in
 * the client's catch (registers, the IPC buffer, 64-bit fields), the layout codec and the trace decoder read
 * the error reply's words as the server meant them, 32-bit error codes travel under WIDE_ERROR_LABEL, `try`
 * passes a payload on, and ServerFailed leaves the payload zero.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { WIDE_ERROR_LABEL } from '../../runtime/contract/index.js';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { build, services } from '../helpers.js';
import { compileSource, runCompiled } from './compile-helper.js';

async function run(source: string) {
    const outcome = await compileSource({ 'main.uk': source });
    expect(outcome.problems).toEqual([]);
    if (!outcome.compiled) throw new Error('does not compile');
    const result = runCompiled(outcome.compiled);
    const trace = new TypedTrace(outcome.compiled.trace);
    const replies = result.events.flatMap(event => {
        const typed = trace.translate(event);
        if (typed?.kind !== 'reply') return [];
        // Without the cycle stamp and the costs after the outcome.
        const line = formatTraceLine(typed).replace(/^\[ *\d+\] /, '');
        return [line.slice(0, line.lastIndexOf('  '))];
    });
    const errorWords = result.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'reply' && event.label !== 0 ? [{ label: event.label, words: event.words }] : []));
    return { ...result, replies, errorWords };
}

async function layoutOf(declarations: string) {
    const document = await build(declarations);
    const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
    const profile = profileOrDefault('ukvm32');
    return { method: layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0], profile };
}

const DISK = `enum IoError : u32 { Short = 1, Gone = 2 }
interface Disk { read(at: u64, n: u32) -> u32 raises IoError { code: u32, offset: u64, retry: bool } }`;

describe('errors with payloads end to end', () => {
    it('a raised payload arrives in the caller\'s catch, and the trace shows it typed', async () => {
        const outcome = await run(`${DISK}
server D implements Disk {
    on read(at, n) {
        if n > 8 { raise IoError.Short { code: n - 8, offset: at + 1, retry: true } }
        if n == 0 { raise IoError.Gone { retry: false, offset: at, code: 0xdeadbeef } }
        reply n
    }
}
program P {
    uses disk: Disk
    main {
        let a = disk.read(5, 3) catch e { print("no {}", e) return }
        print("got {}", a)
        disk.read(0x1_0000_0000, 13) catch e { print("{} code={} offset={} retry={}", e, e.code, e.offset, e.retry) }
        disk.read(7, 0) catch e {
            if e == IoError.Gone { print("gone {} {} {}", e.code, e.offset, e.retry) }
        }
    }
}
system S {
    instance d: D { priority: 20 }
    instance p: P { priority: 10 }
    connect p.disk -> d badge 1
}`);
        expect(outcome.output).toBe('got 3\nShort code=5 offset=4294967297 retry=true\ngone 3735928559 7 false\n');
        expect(outcome.replies).toEqual([
            'p <- d  Disk.read = 3',
            'p <- d  Disk.read = error IoError.Short{code=5, offset=4294967297, retry=true}',
            'p <- d  Disk.read = error IoError.Gone{code=3735928559, offset=7, retry=false}'
        ]);
    });

    it('the codec and the trace decoder read what a compiled server raises, for random payloads, in registers and the IPC buffer', async () => {
        const declarations = `enum Fault : u16 { Bad = 9 }
interface Store { put(a: u32, b: u64, c: i8, d: bool, e: u32, f: u32) -> u8 raises Fault { a: u32, b: u64, c: i8, d: bool, e: u32, f: u32 } }`;
        const { method, profile } = await layoutOf(declarations);
        const layout = method.errors[0];
        expect(layout.words).toBe(6);
        expect(layout.memoryWords).toBe(2);
        const codec = createCodec(layout, profile.wordBits);
        const sent = fc.sample(fc.record({
            a: fc.bigInt({ min: 0n, max: 0xffffffffn }), b: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), c: fc.bigInt({ min: -128n, max: 127n }),
            d: fc.bigInt({ min: 0n, max: 1n }), e: fc.bigInt({ min: 0n, max: 0xffffffffn }), f: fc.bigInt({ min: 0n, max: 0xffffffffn })
        }), { numRuns: 25, seed: 18 });
        sent.push({ a: 0xffffffffn, b: (1n << 64n) - 1n, c: -128n, d: 1n, e: 0n, f: 0xffffffffn });
        const outcome = await run(`${declarations}
server S implements Store { on put(a, b, c, d, e, f) { raise Fault.Bad { a: a, b: b, c: c, d: d, e: e, f: f } } }
program P { uses s: Store main {
${sent.map(({ a, b, c, d, e, f }) => `    s.put(${a}, ${b}, ${c}, ${d === 1n}, ${e}, ${f}) catch x { print("{} {} {} {} {} {}", x.a, x.b, x.c, x.d, x.e, x.f) }`).join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.s -> s badge 1 }`);
        expect(outcome.errorWords.map(reply => reply.label)).toEqual(sent.map(() => 9));
        expect(outcome.errorWords.map(reply => codec.unpack(reply.words.map(word => BigInt(word >>> 0))))).toEqual(sent);
        expect(outcome.output).toBe(sent.map(({ a, b, c, d, e, f }) => `${a} ${b} ${c} ${d === 1n} ${e} ${f}\n`).join(''));
        expect(outcome.replies).toEqual(sent.map(({ a, b, c, d, e, f }) => `p <- s  Store.put = error Fault.Bad{a=${a}, b=${b}, c=${c}, d=${d === 1n}, e=${e}, f=${f}}`));
    });

    it('a deferred call raised with a payload sends the same words as a handler\'s raise, for random payloads', async () => {
        const declarations = `enum Fault : u16 { Bad = 9 }
interface Store { put(a: u32, b: u64, c: i8, d: bool, e: u32, f: u32) -> u8 raises Fault { a: u32, b: u64, c: i8, d: bool, e: u32, f: u32 } }`;
        const { method, profile } = await layoutOf(declarations);
        const codec = createCodec(method.errors[0], profile.wordBits);
        const sent = fc.sample(fc.record({
            a: fc.bigInt({ min: 0n, max: 0xffffffffn }), b: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), c: fc.bigInt({ min: -128n, max: 127n }),
            d: fc.bigInt({ min: 0n, max: 1n }), e: fc.bigInt({ min: 0n, max: 0xffffffffn }), f: fc.bigInt({ min: 0n, max: 0xffffffffn })
        }), { numRuns: 20, seed: 1818 });
        sent.push({ a: 0xffffffffn, b: (1n << 64n) - 1n, c: -128n, d: 1n, e: 0n, f: 0xffffffffn });
        const client = `program P { uses s: Store main {
${sent.map(({ a, b, c, d, e, f }) => `    s.put(${a}, ${b}, ${c}, ${d === 1n}, ${e}, ${f}) catch x { print("{} {} {} {} {} {}", x.a, x.b, x.c, x.d, x.e, x.f) }`).join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.s -> s badge 1 }`;
        // The payload's seven values and the error's value: the last goes in an overflow word.
        const deferred = await run(`${declarations}
server S implements Store {
    var later: reply<Store.put>
    on put(a, b, c, d, e, f) {
        later = defer
        later.raise(Fault.Bad { f: f, e: e, d: d, c: c, b: b, a: a })
    }
}
${client}`);
        const direct = await run(`${declarations}
server S implements Store { on put(a, b, c, d, e, f) { raise Fault.Bad { a: a, b: b, c: c, d: d, e: e, f: f } } }
${client}`);
        expect(deferred.errorWords).toEqual(direct.errorWords);
        expect(deferred.errorWords.map(reply => codec.unpack(reply.words.map(word => BigInt(word >>> 0))))).toEqual(sent);
        expect(deferred.output).toBe(direct.output);
        expect(deferred.output).toBe(sent.map(({ a, b, c, d, e, f }) => `${a} ${b} ${c} ${d === 1n} ${e} ${f}\n`).join(''));
        expect(deferred.replies).toEqual(direct.replies);
    });

    it('a deferred call answered later from a notification handler raises a 32-bit code with its payload', async () => {
        const outcome = await run(`enum Hresult : u32 { Denied = 0x80070005, Small = 7 }
interface Win { open(which: u8) -> u32 raises Hresult { detail: u16 } }
server W implements Win {
    notification ready
    var waiting: reply<Win.open>
    var which: u8 = 0
    on open(w) {
        which = w
        waiting = defer
    }
    on notification ready(bits) {
        if !pending(waiting) { return }
        if which == 0 { waiting.raise(Hresult.Denied { detail: 40000 }) } else { waiting.raise(Hresult.Small { detail: which as u16 }) }
    }
}
program P { uses w: Win main {
    var i: u8 = 0
    while i < 2 {
        i += 1
        let v = w.open(i - 1) catch e {
            print("{} {} {}", e, e as u32, e.detail)
            continue
        }
    }
} }
program T { notification tick main { signal(tick) signal(tick) } }
system Y {
    instance w: W { priority: 3 } instance p: P { priority: 2 } instance t: T { priority: 1 }
    connect p.w -> w badge 1
    connect t.tick -> w.ready badge 1
}`);
        expect(outcome.output).toBe('Denied 2147942405 40000\nSmall 7 1\n');
        expect(outcome.errorWords).toEqual([{ label: WIDE_ERROR_LABEL, words: [0x80070005, 40000] }, { label: WIDE_ERROR_LABEL, words: [7, 1] }]);
        expect(outcome.replies).toEqual(['p <- w  Win.open = error Hresult.Denied{detail=40000}', 'p <- w  Win.open = error Hresult.Small{detail=1}']);
    });

    it('enum and bitfield payload fields travel packed to their bits and read back typed', async () => {
        const outcome = await run(`enum Level : u8 { Low = 1, High = 2 }
bitfield Where : u16 { track: 10, head: 4 }
enum E : u8 { Bad = 3 }
interface Drive { seek(t: u16, h: u8) raises E { level: Level, at: Where, spare: i8 } }
server D implements Drive { on seek(t, h) { raise E.Bad { level: Level.High, at: Where { track: t, head: h }, spare: -3 } } }
program P { uses d: Drive main {
    d.seek(1000, 9) catch e { print("{} {} {} {} {}", e, e.level, e.at.track, e.at.head, e.spare) }
} }
system Y { instance d: D { priority: 2 } instance p: P { priority: 1 } connect p.d -> d badge 1 }`);
        expect(outcome.output).toBe('Bad High 1000 9 -3\n');
        expect(outcome.errorWords).toEqual([{ label: 3, words: [(9 << 10 | 1000) | 2 << 16 | (0xfd << 24)].map(word => word >>> 0) }]);
        expect(outcome.replies).toEqual(['p <- d  Drive.seek = error E.Bad{level=Level.High, at=Where { track: 1000, head: 9 }, spare=-3}']);
    });

    it('32-bit error codes travel under WIDE_ERROR_LABEL with the code in MR0, and compare and print by name', async () => {
        const declarations = `enum Hresult : u32 { Denied = 0x80070005, Busy = 0x800700aa, Small = 7 }
interface Win { open(which: u8) -> u32 raises Hresult { detail: u16 } }`;
        const { method } = await layoutOf(declarations);
        expect(method.errors.map(error => error.label)).toEqual([WIDE_ERROR_LABEL, WIDE_ERROR_LABEL, WIDE_ERROR_LABEL]);
        expect(method.errors[0].scalars.map(scalar => [scalar.path, scalar.placement])).toEqual([
            ['error', { word: 0, lo: 0, bits: 32 }], ['detail', { word: 1, lo: 0, bits: 16 }]
        ]);
        const outcome = await run(`${declarations}
server W implements Win {
    on open(which) {
        if which == 0 { raise Hresult.Denied { detail: 40000 } }
        if which == 1 { raise Hresult.Busy { detail: 1 } }
        if which == 2 { raise Hresult.Small { detail: 2 } }
        reply 100
    }
}
program P { uses w: Win main {
    var i: u8 = 0
    while i < 4 {
        let v = w.open(i) catch e {
            print("{} {} {} {}", e, e == Hresult.Denied, e as u32, e.detail)
            i += 1
            continue
        }
        print("ok {}", v)
        i += 1
    }
} }
system Y { instance w: W { priority: 2 } instance p: P { priority: 1 } connect p.w -> w badge 1 }`);
        expect(outcome.output).toBe('Denied true 2147942405 40000\nBusy false 2147942570 1\nSmall false 7 2\nok 100\n');
        expect(outcome.errorWords).toEqual([
            { label: WIDE_ERROR_LABEL, words: [0x80070005 | 0, 40000] }, { label: WIDE_ERROR_LABEL, words: [0x800700aa | 0, 1] }, { label: WIDE_ERROR_LABEL, words: [7, 2] }
        ].map(reply => ({ ...reply, words: reply.words.map(word => word >>> 0) })));
        expect(outcome.replies).toEqual([
            'p <- w  Win.open = error Hresult.Denied{detail=40000}', 'p <- w  Win.open = error Hresult.Busy{detail=1}',
            'p <- w  Win.open = error Hresult.Small{detail=2}', 'p <- w  Win.open = 100'
        ]);
    });

    it('try passes an error and its payload on; ServerFailed leaves the payload zero', async () => {
        const outcome = await run(`enum E : u8 { Full = 4 }
interface Back { put(x: u32) -> u32 raises E { used: u32, limit: u64 } }
interface Front { put(x: u32) -> u32 raises E { used: u32, limit: u64 } }
server B implements Back {
    on put(x) {
        if x == 1 { raise E.Full { used: 17, limit: 0x2_0000_0003 } }
        assert(x != 2, "broken")
        reply x
    }
}
server F implements Front { uses back: Back on put(x) { reply try back.put(x) } }
program P { uses front: Front main {
    front.put(1) catch e { print("{} {} {}", e, e.used, e.limit) }
    front.put(2) catch e { print("{} {} {}", e, e.used, e.limit) }
} }
system S {
    instance b: B { priority: 30 }
    instance f: F { priority: 20 }
    instance p: P { priority: 10 }
    connect f.back -> b badge 1
    connect p.front -> f badge 2
}`);
        expect(outcome.output).toContain('Full 17 8589934595\n');
        expect(outcome.output).toContain('ServerFailed 0 0\n');
        expect(outcome.replies).toEqual([
            'f <- b  Back.put = error E.Full{used=17, limit=8589934595}', 'p <- f  Front.put = error E.Full{used=17, limit=8589934595}',
            'f <- b  Back.put = error ServerFailed', 'p <- f  Front.put = error ServerFailed'
        ]);
    });
});
