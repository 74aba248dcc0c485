/**
 * Floats inside unions and optionals: a float payload is its IEEE bits in the union's region. Random
 * f32/f64 values (edge cases, NaN, infinities, -0 and subnormals among them) travel as parameters, come
 * back as results from state, print and show in the trace as the value; the words are the codec's. `match`
 * and `if let` take them apart, and an f64 optional that is none falls through to the handler's constant.
 */
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { floatFromBits, floatToBits, formatFloat } from '../../runtime/contract/index.js';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { build, services } from '../helpers.js';
import { xorshift32 } from '../random.js';
import { compileAndRun, compileSource, runCompiled } from './compile-helper.js';
import { floatLiteral, operands32, operands64 } from './float-operands.js';

// Reading is a 2-bit tag and a 64-bit region (its widest payload, the f64); f32? is 1 + 32 bits, f64? 1 + 64.
const DECLARATIONS = `struct Pair { a: f32, b: u8 }
union Reading { celsius: f32, precise: f64, pair: Pair, failed }
interface Probe {
    swap(r: Reading, x: f32?, y: f64?) -> (r: Reading, x: f32?, y: f64?)
}`;

type Reading = { variant: 'celsius'; value: number } | { variant: 'precise'; value: number } | { variant: 'pair'; a: number; b: number } | { variant: 'failed' };
interface Sent { r: Reading; x: number | null; y: number | null }

const f32 = (value: number) => formatFloat(value, 32);
const f64 = (value: number) => formatFloat(value, 64);

function readingSource(r: Reading): string {
    switch (r.variant) {
        case 'celsius': return `Reading.celsius(${floatLiteral(r.value, 'f32')})`;
        case 'precise': return `Reading.precise(${floatLiteral(r.value, 'f64')})`;
        case 'pair': return `Reading.pair(Pair { a: ${floatLiteral(r.a, 'f32')}, b: ${r.b} })`;
        case 'failed': return 'Reading.failed';
    }
}
function readingText(r: Reading): string {
    switch (r.variant) {
        case 'celsius': return `Reading.celsius(${f32(r.value)})`;
        case 'precise': return `Reading.precise(${f64(r.value)})`;
        case 'pair': return `Reading.pair(Pair { a: ${f32(r.a)}, b: ${r.b} })`;
        case 'failed': return 'Reading.failed';
    }
}
/** The union's bits: the tag (variants in order), then the payload from bit 2; Pair is a, then b. */
function readingBits(r: Reading): bigint {
    switch (r.variant) {
        case 'celsius': return 0n | (floatToBits(r.value, 32) << 2n);
        case 'precise': return 1n | (floatToBits(r.value, 64) << 2n);
        case 'pair': return 2n | ((floatToBits(r.a, 32) | (BigInt(r.b) << 32n)) << 2n);
        case 'failed': return 3n;
    }
}
const optionalSource = (value: number | null, type: 'f32' | 'f64') => (value === null ? 'none' : floatLiteral(value, type));
const optionalText = (value: number | null, bits: 32 | 64) => (value === null ? 'none' : `some(${formatFloat(value, bits)})`);
const optionalBits = (value: number | null, bits: 32 | 64) => (value === null ? 0n : 1n | (floatToBits(value, bits) << 1n));

/** Deterministic values: every variant, some nones, and the float operands of the soft-float tests. */
function randomSent(count: number): Sent[] {
    const pick = xorshift32(1818);
    const next32 = operands32(1832);
    const next64 = operands64(1864);
    const single = () => floatFromBits(BigInt(next32()), 32);
    const double = () => floatFromBits(next64(), 64);
    const sent: Sent[] = [];
    for (let i = 0; i < count; i++) {
        const readings: Reading[] = [
            { variant: 'celsius', value: single() }, { variant: 'precise', value: double() },
            { variant: 'pair', a: single(), b: pick() % 256 }, { variant: 'failed' }
        ];
        sent.push({ r: readings[i % 4], x: pick() % 3 === 0 ? null : single(), y: pick() % 3 === 0 ? null : double() });
    }
    return sent;
}

async function probeLayout() {
    const document = await build(DECLARATIONS);
    const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
    const profile = profileOrDefault('ukvm32');
    return { layout: layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout, wordBits: profile.wordBits };
}

describe('floats in unions and optionals through a server', () => {
    it('random values arrive equal, come back from state, print and trace as the value; the words are the codec\'s', async () => {
        const sent = randomSent(24);
        const outcome = await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Probe {
    var kept: Reading = Reading.failed
    var keptX: f32? = none
    var keptY: f64? = none
    on swap(r, x, y) {
        print("server {} {} {}", r, x, y)
        let oldR = kept
        let oldX = keptX
        let oldY = keptY
        kept = r
        keptX = x
        keptY = y
        reply (oldR, oldX, oldY)
    }
}
program P { uses p: Probe main {
${sent.map((value, i) => `    let (r${i}, x${i}, y${i}) = p.swap(${readingSource(value.r)}, ${optionalSource(value.x, 'f32')}, ${optionalSource(value.y, 'f64')})
    print("client {} {} {}", r${i}, x${i}, y${i})`).join('\n')}
} }
system Y { instance s: S { priority: 100 } instance p: P { priority: 50 } connect p.p -> s badge 1 }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const run = runCompiled(outcome.compiled);
        const before: Sent[] = [{ r: { variant: 'failed' }, x: null, y: null }, ...sent];
        const text = (value: Sent) => `${readingText(value.r)} ${optionalText(value.x, 32)} ${optionalText(value.y, 64)}`;
        expect(run.output).toBe(sent.map((value, i) => `server ${text(value)}\nclient ${text(before[i])}\n`).join(''));

        const { layout, wordBits } = await probeLayout();
        const swap = layout.methods[0];
        const codec = createCodec(swap.request, wordBits);
        const replyCodec = createCodec(swap.reply ?? swap.request, wordBits);
        const words = (operation: string) => run.events.flatMap(event => (event.kind === 'ipc' && event.operation === operation ? [event.words.map(word => BigInt(word >>> 0))] : []));
        const bits = (value: Sent) => ({ r: readingBits(value.r), x: optionalBits(value.x, 32), y: optionalBits(value.y, 64) });
        expect(words('call').map(request => codec.unpack(request))).toEqual(sent.map(bits));
        expect(words('reply').map(reply => replyCodec.unpack(reply))).toEqual(before.slice(0, -1).map(bits));

        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = run.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'call' && typed?.kind !== 'reply') return [];
            return [formatTraceLine(typed).replace(/^\[ *\d+\] /, '').replace(/ {2}(fast|slow|\d+ cycles).*$/, '')];
        });
        const named = (value: Sent) => `r=${readingText(value.r)}, x=${optionalText(value.x, 32)}, y=${optionalText(value.y, 64)}`;
        expect(lines).toEqual(sent.flatMap((value, i) => [`p -> s  Probe.swap(${named(value)})`, `p <- s  Probe.swap = (${named(before[i])})`]));
    }, 60_000);
});

describe('taking floats out of unions and optionals', () => {
    it('match binds the payload, if let the value, and a none f64 optional falls through to the constant', async () => {
        const result = await compileAndRun(`${DECLARATIONS.replace('}`', '')}
union Pending { reading: Reading, nothing }
interface Meter { put(r: Reading, x: f64?) -> (scaled: f64, kept: f32?) }
server M implements Meter {
    var kept: f32? = 0.5
    on put(r, x) {
        match r {
            celsius(c) { kept = c + 1.0 }
            precise(p) { kept = p as f32 }
            pair(p) { kept = p.a }
            failed { kept = none }
        }
        if let v = x { reply (v * 2.0, kept) }
        reply (-1.0, kept)
    }
}
program Main { uses m: Meter main {
    let (a, ka) = m.put(Reading.celsius(3.5), 1.25) catch e { return }
    let (b, kb) = m.put(Reading.precise(1e300), none) catch e { return }
    let (c, kc) = m.put(Reading.pair(Pair { a: -0.0, b: 7 }), -2.5e-300) catch e { return }
    let (d, kd) = m.put(Reading.failed, none) catch e { return }
    print("{} {} {} {} {} {} {} {}", a, ka, b, kb, c, kc, d, kd)
    let nested = Pending.reading(Reading.precise(0.1))
    print("{}", nested)
    if let k = kc { print("{}", k == 0.0) }
} }
system S { instance m: M instance c: Main connect c.m -> m }`);
        expect(result.output).toBe('2.5 some(4.5) -1 some(inf) -5e-300 some(-0) -1 none\n'
            + 'Pending.reading(Reading.precise(0.10000000000000001))\ntrue\n');
    }, 60_000);
});
