/**
 * Enums and flags with a base of 33..64 bits and bitfields with a 64-bit base, compiled: held as register
 * pairs (a signed base sign-extended), they travel in messages as whole words (random values written by a
 * client arrive equal at the server and come back; the layout codec reads the words as the client meant
 * them; the trace shows them typed), and work in locals, state, struct fields, arrays, union payloads,
 * helper functions, comparisons, casts, field access and print.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { build, services } from '../helpers.js';
import { compileAndRun, compileSource, runCompiled } from './compile-helper.js';

const BIG = { Small: 1n, Huge: 0xffff_ffff_ffff_fff0n, Mid: 0x1_0000_0000n } as const;
const NEG = { Low: -(1n << 39n), Minus: -1n, Zero: 0n, High: (1n << 39n) - 1n } as const;
const WIDE = { A: 1n, B: 1n << 33n, C: 1n << 63n } as const;

const DECLARATIONS = `enum Big : u64 { Small = 1, Huge = 0xffff_ffff_ffff_fff0, Mid = 0x1_0000_0000 }
enum Neg : i40 { Low = -549755813888, Minus = -1, Zero = 0, High = 549755813887 }
flags Wide : u64 { A, B at 33, C at 63 }
bitfield Packed : u64 { low: 40, mid: 20, top: 4 }
struct Rec { b: Big, n: Neg }
interface Echo { put(b: Big, n: Neg, f: Wide, p: Packed, r: Rec, tag: u8) -> (b: Big, n: Neg, f: Wide, p: Packed) }`;

type BigName = keyof typeof BIG;
type NegName = keyof typeof NEG;
interface Sent { b: BigName; n: NegName; f: bigint; low: bigint; mid: bigint; top: bigint; rb: BigName; rn: NegName; tag: number }

/** A set of flags as print and the trace show it: member names joined by `|`, other bits in hex, the empty set `0`. */
function flagsText(value: bigint): string {
    const named = Object.entries(WIDE).filter(([, bit]) => (value & bit) !== 0n);
    const rest = named.reduce((left, [, bit]) => left & ~bit, value);
    const parts = [...named.map(([name]) => name), ...(rest !== 0n ? [`0x${rest.toString(16)}`] : [])];
    return parts.length > 0 ? parts.join('|') : '0';
}

const packed = (v: Sent) => v.low | (v.mid << 40n) | (v.top << 60n);

describe('enums and bitfields with 64-bit bases end to end', () => {
    it('random values arrive equal at the server and back, in the codec\'s words, and the trace shows them typed', async () => {
        const bigName = fc.constantFrom(...(Object.keys(BIG) as BigName[]));
        const negName = fc.constantFrom(...(Object.keys(NEG) as NegName[]));
        const sent: Sent[] = fc.sample(fc.record({
            b: bigName, n: negName, f: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), low: fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }),
            mid: fc.bigInt({ min: 0n, max: (1n << 20n) - 1n }), top: fc.bigInt({ min: 0n, max: 15n }), rb: bigName, rn: negName, tag: fc.integer({ min: 0, max: 255 })
        }), { numRuns: 16, seed: 18 });
        sent.push({ b: 'Huge', n: 'Low', f: WIDE.B | WIDE.C, low: (1n << 40n) - 1n, mid: (1n << 20n) - 1n, top: 15n, rb: 'Mid', rn: 'High', tag: 255 });
        const outcome = await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Echo {
    on put(b, n, f, p, r, tag) {
        print("server {} {} {} {} {} {} {} {} {}", b, n, f, p.low, p.mid, p.top, r.b, r.n, tag)
        reply (b, n, f, p)
    }
}
program P { uses s: Echo main {
${sent.map((v, i) => `    let (b${i}, n${i}, f${i}, p${i}) = s.put(Big.${v.b}, Neg.${v.n}, ${v.f} as Wide, Packed { low: ${v.low}, mid: ${v.mid}, top: ${v.top} }, Rec { b: Big.${v.rb}, n: Neg.${v.rn} }, ${v.tag})
    print("client {} {} {} {:x} {}", b${i}, n${i}, f${i}, p${i}, n${i} == Neg.${v.n})`).join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.s -> s badge 1 }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe(sent.map(v => `server ${v.b} ${v.n} ${flagsText(v.f)} ${v.low} ${v.mid} ${v.top} ${v.rb} ${v.rn} ${v.tag}\n`
            + `client ${v.b} ${v.n} ${flagsText(v.f)} ${packed(v).toString(16)} true\n`).join(''));

        const document = await build(DECLARATIONS);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const method = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0];
        // Each wide value takes two whole words; the i40 enum's 40 bits span both.
        expect(method.request.scalars.map(scalar => [scalar.path, scalar.placement.word, scalar.placement.bits])).toEqual([
            ['b', 0, 64], ['n', 2, 40], ['f', 4, 64], ['p', 6, 64], ['r.b', 8, 64], ['r.n', 10, 40], ['tag', 12, 8]
        ]);
        const codec = createCodec(method.request, profile.wordBits);
        const replyCodec = createCodec(method.reply ?? method.request, profile.wordBits);
        const words = (operation: string) => run.events.flatMap(event => (event.kind === 'ipc' && event.operation === operation ? [event.words.map(word => BigInt(word >>> 0))] : []));
        expect(words('call').map(request => codec.unpack(request))).toEqual(sent.map(v => ({
            b: BIG[v.b], n: NEG[v.n], f: v.f, p: packed(v), 'r.b': BIG[v.rb], 'r.n': NEG[v.rn], tag: BigInt(v.tag)
        })));
        expect(words('reply').map(reply => replyCodec.unpack(reply))).toEqual(sent.map(v => ({ b: BIG[v.b], n: NEG[v.n], f: v.f, p: packed(v) })));

        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = run.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'call' && typed?.kind !== 'reply') return [];
            return [formatTraceLine(typed).replace(/^\[ *\d+\] /, '').replace(/ {2}(fast|slow|\d+ cycles).*$/, '')];
        });
        expect(lines.slice(-2)).toEqual([
            'p -> s  Echo.put(b=Big.Huge, n=Neg.Low, f=B|C, p=Packed { low: 1099511627775, mid: 1048575, top: 15 }, r={b=Big.Mid, n=Neg.High}, tag=255)',
            'p <- s  Echo.put = (b=Big.Huge, n=Neg.Low, f=B|C, p=Packed { low: 1099511627775, mid: 1048575, top: 15 })'
        ]);
    });

    it('work in locals, state, fields, arrays, union payloads and functions, with comparisons, casts, flags operators and field access', async () => {
        const run = await compileAndRun(`enum Big : u64 { Small = 1, Huge = 0xffff_ffff_ffff_fff0, Mid = 0x1_0000_0000 }
enum Neg : i40 { Low = -549755813888, Minus = -1, Zero = 0, High = 549755813887 }
flags Wide : u64 { A, B at 33, C at 63 }
flags Odd : u40 { X, Y at 39 }
enum Small : i3 { A = -4, B = 0, C = 3 }
flags Five : u5 { R, W at 4 }
bitfield Packed : u64 { low: 40, mid: 20, top: 4 }
union U { n: Neg, b: Big, p: Packed }
struct Rec { b: Big, n: Neg }
fn flip(n: Neg) -> Neg {
    if n == Neg.Low { return Neg.High }
    return Neg.Low
}
program P {
    var state: Big = Big.Huge
    var neg: Neg = Neg.Minus
    var bits: Packed
    var flagsState: Wide = Wide.A | Wide.C
    main {
        print("{} {} {} {}", state, neg, flagsState, bits.low)
        let n = Neg.Low
        print("{} {} {} {}", n, n == Neg.Minus, Neg.High != n, n as i64)
        print("{} {} {}", n as u64, (Neg.Minus as u64) == 0xffff_ffff_ffff_ffff, Neg.High as u32)
        let x: i64 = -1
        let y: u64 = 0xff_8000_0000_00
        let z: u64 = 0x1_0000_0000
        print("{} {} {} {}", x as Neg, y as Neg, z as Big, (y as Neg) as i64)
        print("{} {}", flip(n), flip(Neg.Zero))
        print("{} {} {} {} {:x}", (0xff_8000_0000_00 as i64) as Neg, ~(Odd.X | Odd.Y), (12 as u8) as Small, ~Five.R, ~Five.R)
        var f = Wide.A
        f = f | Wide.C
        print("{} {} {}", f, ~f, f & Wide.C == Wide.C)
        let stray = 0x4_0000_0002 as Wide
        print("{} {:x} {}", stray, stray, 0 as Wide)
        let o = Odd.X | Odd.Y
        print("{} {} {:x}", o, ~o, ~(o ^ Odd.Y))
        var p = Packed { low: 0xff_ffff_fffe, mid: 0xabcde, top: 9 }
        print("{} {} {} {:x}", p.low, p.mid, p.top, p)
        p.low += 3
        p.mid = 1
        p.top -= 1
        print("{} {} {} {:x}", p.low, p.mid, p.top, p)
        bits.mid = 7
        print("{} {}", bits.mid, bits)
        let r = Rec { b: Big.Mid, n: Neg.High }
        var arr = [Neg.Low, Neg.Minus, Neg.High]
        arr[1] = r.n
        print("{} {} {} {}", r.b, arr[0], arr[1], arr[2])
        let u1 = U.n(Neg.Minus)
        let u2 = U.b(Big.Huge)
        let u3 = U.p(Packed { low: 5, mid: 6, top: 7 })
        print("{} {} {} {}", u1, u2, u3, u1 == U.n(Neg.Minus))
        match u1 { n(v) { print("{} {:x}", v, v) } else { } }
        print("{:x} {:b}", Neg.Minus, Neg.Zero)
        state = Big.Small
        neg = flip(neg)
        print("{} {} {}", state, neg, state != Big.Huge)
    }
}
system Y { instance p: P { priority: 1 } }`);
        expect(run.output).toBe([
            'Huge Minus A|C 0',
            'Low false true -549755813888',
            '18446743523953737728 true 4294967295',
            // -1 as i40 is Minus; 0xff80_0000_0000 keeps its low 40 bits, 0x80_0000_0000: Low.
            'Minus Low Mid -549755813888',
            'High Low',
            // Constants are wrapped to an enum's exact width too, wide or narrow.
            'Low 0x7ffffffffe A W|0xe 1e',
            'A|C B|0x7ffffffdfffffffe true',
            '0x400000002 400000002 0',
            // ~ keeps to the base's 40 bits.
            'X|Y 0x7ffffffffe fffffffffe',
            '1099511627774 703710 9 9abcdefffffffffe',
            '1 1 8 8000010000000001',
            '7 7696581394432',
            'Mid Low High High',
            'U.n(Minus) U.b(Huge) U.p(8070457129317695493) true',
            'Minus ffffffffff',
            'ffffffffff 0',
            'Small Low true',
            ''
        ].join('\n'));
    });
});

describe('error enums and event payloads with wide bases', () => {
    it('catch an error of a u64 enum as that enum, and take an i40 enum in an event', async () => {
        const run = await compileAndRun(`enum E : u64 { Bad = 1, Worse = 0xffff }
enum Neg : i40 { Low = -549755813888, Minus = -1 }
interface I {
    m(x: u8) -> u8 raises E
    event changed(n: Neg, u: u64)
}
server S implements I {
    on m(x) {
        emit changed(Neg.Low, 5)
        if x == 1 { raise E.Worse }
        reply x
    }
}
program P { uses i: I
    main {
        let a = i.m(2) catch e { print("caught {}", e) return }
        print("got {}", a)
        i.m(1) catch e { print("caught {} {} {}", e, e == E.Worse, e as u64) }
    }
    on event i.changed(n, u) { print("event {} {}", n, u) }
}
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.i -> s badge 1 }`);
        // The program takes its events after main, in the order they came.
        expect(run.output).toBe('got 2\ncaught Worse true 65535\nevent Low 5\nevent Low 5\n');
    });
});
