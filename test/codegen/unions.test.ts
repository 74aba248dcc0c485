/**
 * Unions and optionals end to end. Random values written by a compiled client arrive equal at a compiled
 * server and come back equal: the words the stubs send are the ones the layout codec packs from this
 * file's own encoding of "tag, then payload" (docs/ABI.md), the server's `print` and the trace decoder
 * show them as this file renders them, and a server refuses a tag that names no variant (sent by a
 * hand-written client) before its handler runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { BAD_BULK_LABEL, Syscall, messageInfo } from '../../runtime/contract/index.js';
import { decodeMessage } from '../../runtime/trace/message-decoder.js';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { build, services } from '../helpers.js';
import { compileAndRun, compileSource, runCompiled, runRawClient } from './compile-helper.js';

const DECLARATIONS = `struct Point { x: i8, y: u16 }
enum Mode : u3 { Off, Read, Write, Exec = 7 }
union Shape { circle: u32, point: Point, empty, mode: Mode, neg: i8, flag: bool }
union Deep { shape: Shape, small: u8? }
interface Lab { put(s: Shape, o: i16?, d: Deep) -> (s: Shape, o: i16?) }`;

type Shape =
    | { variant: 'circle'; value: number } | { variant: 'point'; x: number; y: number } | { variant: 'empty' }
    | { variant: 'mode'; mode: 'Off' | 'Read' | 'Write' | 'Exec' } | { variant: 'neg'; value: number } | { variant: 'flag'; value: boolean };
type Deep = { variant: 'shape'; shape: Shape } | { variant: 'small'; value: number | null };
interface Sent { shape: Shape; optional: number | null; deep: Deep }

const MODES = { Off: 0, Read: 1, Write: 2, Exec: 7 } as const;
const shape: fc.Arbitrary<Shape> = fc.oneof(
    fc.record({ variant: fc.constant('circle' as const), value: fc.integer({ min: 0, max: 0xffff_ffff }) }),
    fc.record({ variant: fc.constant('point' as const), x: fc.integer({ min: -128, max: 127 }), y: fc.integer({ min: 0, max: 65535 }) }),
    fc.constant({ variant: 'empty' as const }),
    fc.record({ variant: fc.constant('mode' as const), mode: fc.constantFrom('Off' as const, 'Read' as const, 'Write' as const, 'Exec' as const) }),
    fc.record({ variant: fc.constant('neg' as const), value: fc.integer({ min: -128, max: 127 }) }),
    fc.record({ variant: fc.constant('flag' as const), value: fc.boolean() })
);
const deep: fc.Arbitrary<Deep> = fc.oneof(
    fc.record({ variant: fc.constant('shape' as const), shape }),
    fc.record({ variant: fc.constant('small' as const), value: fc.option(fc.integer({ min: 0, max: 255 }), { nil: null }) })
);

/** As the source writes it. */
function shapeSource(s: Shape): string {
    switch (s.variant) {
        case 'circle': return `Shape.circle(${s.value})`;
        case 'point': return `Shape.point(Point { x: ${s.x}, y: ${s.y} })`;
        case 'empty': return 'Shape.empty';
        case 'mode': return `Shape.mode(Mode.${s.mode})`;
        case 'neg': return `Shape.neg(${s.value})`;
        case 'flag': return `Shape.flag(${s.value})`;
    }
}
const optionalSource = (value: number | null) => (value === null ? 'none' : String(value));
const deepSource = (d: Deep) => (d.variant === 'shape' ? `Deep.shape(${shapeSource(d.shape)})` : `Deep.small(${optionalSource(d.value)})`);

/** As `print` shows it (an enum member by its name) or, with `qualified`, as the trace does (`Mode.Read`). */
function shapeText(s: Shape, qualified: boolean): string {
    switch (s.variant) {
        case 'point': return `Shape.point(Point { x: ${s.x}, y: ${s.y} })`;
        case 'mode': return `Shape.mode(${qualified ? 'Mode.' : ''}${s.mode})`;
        default: return shapeSource(s);
    }
}
const optionalText = (value: number | null) => (value === null ? 'none' : `some(${value})`);
const deepText = (d: Deep, qualified: boolean) => (d.variant === 'shape' ? `Deep.shape(${shapeText(d.shape, qualified)})` : `Deep.small(${optionalText(d.value)})`);

/** The bits docs/ABI.md gives: the tag (the variant's index) in the low bits, then the payload. */
function shapeBits(s: Shape): bigint {
    const tagBits = 3n;
    switch (s.variant) {
        case 'circle': return 0n | (BigInt(s.value) << tagBits);
        case 'point': return 1n | (BigInt(s.x & 0xff) << tagBits) | (BigInt(s.y) << (tagBits + 8n));
        case 'empty': return 2n;
        case 'mode': return 3n | (BigInt(MODES[s.mode]) << tagBits);
        case 'neg': return 4n | (BigInt(s.value & 0xff) << tagBits);
        case 'flag': return 5n | (BigInt(s.value ? 1 : 0) << tagBits);
    }
}
const optionalBits = (value: number | null, mask: number) => (value === null ? 0n : 1n | (BigInt(value & mask) << 1n));
const deepBits = (d: Deep) => (d.variant === 'shape' ? shapeBits(d.shape) << 1n : 1n | (optionalBits(d.value, 0xff) << 1n));

const SYSTEM = 'system Y { instance s: S { priority: 100 } instance p: P { priority: 50 } connect p.l -> s badge 1 }';

describe('unions and optionals on the wire', () => {
    it('random values arrive equal and come back equal; the words are the codec\'s, and print and the trace show the values', async () => {
        const sent: Sent[] = fc.sample(fc.record({ shape, optional: fc.option(fc.integer({ min: -32768, max: 32767 }), { nil: null }), deep }), { numRuns: 24, seed: 18 });
        sent.push(
            { shape: { variant: 'circle', value: 0xffff_ffff }, optional: -32768, deep: { variant: 'shape', shape: { variant: 'point', x: -128, y: 65535 } } },
            { shape: { variant: 'empty' }, optional: null, deep: { variant: 'small', value: null } }
        );
        const outcome = await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Lab {
    on put(s, o, d) {
        print("server {} {} {}", s, o, d)
        reply (s, o)
    }
}
program P { uses l: Lab main {
${sent.map((value, i) => `    let (s${i}, o${i}) = l.put(${shapeSource(value.shape)}, ${optionalSource(value.optional)}, ${deepSource(value.deep)})
    print("client {} {} {}", s${i}, o${i}, s${i} == ${shapeSource(value.shape)})`).join('\n')}
} }
${SYSTEM}` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe(sent.map(value =>
            `server ${shapeText(value.shape, false)} ${optionalText(value.optional)} ${deepText(value.deep, false)}\n`
            + `client ${shapeText(value.shape, false)} ${optionalText(value.optional)} true\n`).join(''));

        const document = await build(DECLARATIONS);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const method = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0];
        const requests = run.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'call' ? [event.words] : []));
        const codec = createCodec(method.request, profile.wordBits);
        expect(requests.map(words => codec.unpack(words.map(word => BigInt(word >>> 0))))).toEqual(sent.map(value => ({
            s: shapeBits(value.shape), o: optionalBits(value.optional, 0xffff), d: deepBits(value.deep)
        })));
        expect(requests.map(words => decodeMessage(method.request, words).map(value => `${value.name}=${value.text}`).sort())).toEqual(sent.map(value => [
            `d=${deepText(value.deep, true)}`, `o=${optionalText(value.optional)}`, `s=${shapeText(value.shape, true)}`
        ]));

        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = run.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'call' && typed?.kind !== 'reply') return [];
            // Without the cycle stamp and the path and cost note (`  fast, 805 cycles`) after the message.
            return [formatTraceLine(typed).replace(/^\[ *\d+\] /, '').replace(/ {2}(fast|slow).*$/, '')];
        });
        expect(lines.slice(0, 2)).toEqual([
            `p -> s  Lab.put(s=${shapeText(sent[0].shape, true)}, o=${optionalText(sent[0].optional)}, d=${deepText(sent[0].deep, true)})`,
            `p <- s  Lab.put = (s=${shapeText(sent[0].shape, true)}, o=${optionalText(sent[0].optional)})`
        ]);
    });

    it('refuses a tag that names no variant, at the top or nested, with the bad-message error before the handler runs', async () => {
        const compiled = (await compileSource({ 'main.uk': `${DECLARATIONS}
interface One { put(s: Shape, d: Deep) -> u32 }
server S implements One { on put(s, d) { print("handled {} {}", s, d) reply 1 } }
system Y { instance s: S { priority: 100 } }` })).compiled;
        if (!compiled) throw new Error('not compiled');
        const document = await build(`${DECLARATIONS}\ninterface One { put(s: Shape, d: Deep) -> u32 }`);
        const iface = document.parseResult.value.declarations.filter(isInterfaceDecl)[1];
        const profile = profileOrDefault('ukvm32');
        const codec = createCodec(layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0].request, profile.wordBits);
        // Shape has six variants, so tags 6 and 7 of its three bits name none, on its own or inside a
        // Deep (whose one-bit tag always names a variant). The last request is valid.
        const empty = shapeBits({ variant: 'empty' });
        const requests = [
            { s: 6n, d: deepBits({ variant: 'small', value: null }) },
            { s: 7n | (5n << 3n), d: deepBits({ variant: 'small', value: null }) },
            { s: empty, d: 6n << 1n },
            { s: empty, d: (7n | (0xffn << 3n)) << 1n },
            { s: empty, d: deepBits({ variant: 'small', value: 9 }) }
        ];
        const calls = requests.map(values => {
            const words = codec.pack(values);
            return [
                ...words.map((value, i) => `    li a${2 + i}, ${Number(value) | 0}`),
                '    li a0, 1', `    li a1, ${messageInfo(1, words.length)}`, `    li a7, ${Syscall.Call}`, '    ecall'
            ].join('\n');
        });
        const { labels, output } = runRawClient(compiled, `
${calls.join('\n')}
`);
        expect(labels).toEqual([BAD_BULK_LABEL, BAD_BULK_LABEL, BAD_BULK_LABEL, BAD_BULK_LABEL, 0]);
        expect(output).toBe('handled Shape.empty Deep.small(some(9))\n');
    });

    it('keeps unions and optionals in state, locals and struct fields, and takes them apart with match and if let', async () => {
        const run = await compileAndRun(`${DECLARATIONS}
struct Slot { id: u8, shape: Shape, backup: u32? }
fn describe(s: Shape) -> u32 {
    match s {
        circle(r) { return r }
        point(p) { return (p.x as u32) + (p.y as u32) }
        mode(m) { return m as u32 }
        else { return 1000 }
    }
}
fn lookup(key: u32) -> u32? {
    if key == 0 { return none }
    return key * 10
}
program P {
    var last: Shape = Shape.point(Point { x: 3, y: 4 })
    var count: u64? = none
    var slot: Slot = Slot { id: 1, shape: Shape.mode(Mode.Exec), backup: 77 }
    main {
        print("{} {} {}", last, count, slot.backup)
        print("{} {} {}", describe(last), describe(slot.shape), describe(Shape.flag(true)))
        last = Shape.circle(9)
        count = 0x1_0000_0000
        slot.shape = last
        if let v = count { print("count {}", v) } else { print("no count") }
        for k in 0..3 {
            if let v = lookup(k) { print("found {}", v) } else { print("missing {}", k) }
        }
        var maybe: i8? = -5
        match maybe { some(v) { print("some {}", v) } none { print("none") } }
        maybe = none
        match maybe { some(v) { print("some {}", v) } none { print("none") } }
        print("{} {}", slot.shape == Shape.circle(9), slot.shape != last)
    }
}
system Y { instance p: P { priority: 1 } }`);
        expect(run.output).toBe([
            'Shape.point(Point { x: 3, y: 4 }) none some(77)',
            '7 7 1000',
            'count 4294967296',
            'missing 0', 'found 10', 'found 20',
            'some -5', 'none',
            'true false', ''
        ].join('\n'));
    });

    it('keeps unions wider than 64 bits in memory, in arrays, with array and struct payloads', async () => {
        const run = await compileAndRun(`union Big { a: u64, b, c: [i16; 3] }
struct Pt { x: i8, y: i8 }
program P {
    var keep: [Big; 2]
    main {
        var v = Big.a(0x1234_5678_9abc_def0)
        print("{}", v)
        keep[1] = Big.c([-1, 2, -3])
        match keep[1] { c(arr) { print("{} {} {}", arr[0], arr[1], arr[2]) } else { } }
        print("{} {}", keep[0], keep[1])
        let w: u64? = 0xffff_ffff_ffff_ffff
        if let x = w { print("{}", x) }
        var pts: [Pt?; 2]
        pts[0] = Pt { x: -1, y: 1 }
        print("{} {}", pts[0], pts[1])
        let more = [none, 7, none]
        print("{} {} {}", more[0], more[1], more[2])
    }
}
system Y { instance p: P { priority: 1 } }`);
        expect(run.output).toBe([
            'Big.a(1311768467463790320)', '-1 2 -3', 'Big.a(0) Big.c([-1, 2, -3])', '18446744073709551615',
            'some(Pt { x: -1, y: 1 }) none', 'none some(7) none', ''
        ].join('\n'));
    });
});
