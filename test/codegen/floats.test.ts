/**
 * f32 end to end: random expressions folded by the compiler, computed by the compiled code on the
 * machine, and computed by the host (Math.fround after every operation) agree bit for bit; `print`
 * writes what formatFloat writes; conversions follow the documented rule; and a value a client sends
 * arrives equal at the server and shows as a float in the trace (docs/LANGUAGE.md, "Floating point").
 */
import { AstUtils } from 'langium';
import { describe, expect, it } from 'vitest';
import { isPrintStmt } from '../../src/language/generated/ast.js';
import { floatToInteger, integerToFloat } from '../../src/language/type-system/float-constants.js';
import { intType } from '../../src/language/type-system/types.js';
import { floatFromBits, floatToBits, formatFloat } from '../../runtime/contract/index.js';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { build, services } from '../helpers.js';
import { compileAndRun, compileSource, runCompiled } from './compile-helper.js';
import { floatLiteral, operands32, operands64 } from './float-operands.js';

const hex = (bits: bigint | number) => BigInt.asUintN(32, BigInt(bits)).toString(16);
const hex64 = (bits: bigint) => BigInt.asUintN(64, bits).toString(16);

/** A deterministic stream of choices. */
function chooser(seed: number): (n: number) => number {
    const operand = operands32(seed);
    return n => (operand() >>> 0) % n;
}

interface Generated { readonly folded: string; readonly runtime: string; readonly value: number }

/** A float type for random expressions: its name, a source of leaf values, and the host's rounding to it. */
interface FloatKind { readonly name: 'f32' | 'f64'; readonly leaf: () => number; readonly round: (exact: number) => number }

/** A random float expression over leaves drawn from the kind's source, in its folded and run-time spellings and its host value. */
function expression(depth: number, pick: (n: number) => number, kind: FloatKind, leaves: number[]): Generated {
    const choice = depth === 0 ? 0 : pick(4);
    if (choice === 0) {
        const value = kind.leaf();
        leaves.push(value);
        return { folded: floatLiteral(value, kind.name), runtime: `v[${leaves.length - 1}]`, value };
    }
    if (choice === 3) {
        const operand = expression(depth - 1, pick, kind, leaves);
        return { folded: `(-${operand.folded})`, runtime: `(-${operand.runtime})`, value: -operand.value };
    }
    const op = (['+', '-', '*', '/'] as const)[pick(4)];
    const left = expression(depth - 1, pick, kind, leaves);
    const right = expression(depth - 1, pick, kind, leaves);
    const exact = op === '+' ? left.value + right.value : op === '-' ? left.value - right.value : op === '*' ? left.value * right.value : left.value / right.value;
    return { folded: `(${left.folded} ${op} ${right.folded})`, runtime: `(${left.runtime} ${op} ${right.runtime})`, value: kind.round(exact) };
}

/** An f32 source of leaves. */
function f32Kind(seed: number): FloatKind {
    const next = operands32(seed);
    return { name: 'f32', leaf: () => floatFromBits(BigInt(next() >>> 0), 32), round: Math.fround };
}

/** One line of a random float test: the expression folded and at run time, what both must print, and how. */
interface FloatLine { folded: string; runtime: string; expected: string; format: string }

/**
 * 150 random lines of a float test: comparisons and conversions to integers print in decimal, float
 * results as their bits ({:x}); with `toF32`, also f64 values narrowed to f32.
 */
function randomFloatLines(pick: (n: number) => number, kind: FloatKind, leaves: number[], toF32: boolean): FloatLine[] {
    const lines: FloatLine[] = [];
    const comparisons = ['==', '!=', '<', '<=', '>', '>='] as const;
    const conversions = [intType(true, 32), intType(false, 32), intType(true, 8), intType(false, 16), intType(true, 64), intType(false, 64)];
    const bits = (value: number) => kind.name === 'f64' ? hex64(floatToBits(value, 64)) : hex(floatToBits(value, 32));
    for (let i = 0; i < 150; i++) {
        const choice = pick(toF32 ? 5 : 4);
        const a = expression(1 + pick(3), pick, kind, leaves);
        if (choice === 0) {
            const op = comparisons[pick(comparisons.length)];
            const b = expression(pick(2), pick, kind, leaves);
            const results = { '==': a.value === b.value, '!=': a.value !== b.value, '<': a.value < b.value, '<=': a.value <= b.value, '>': a.value > b.value, '>=': a.value >= b.value };
            lines.push({ folded: `${a.folded} ${op} ${b.folded}`, runtime: `${a.runtime} ${op} ${b.runtime}`, expected: String(results[op]), format: '{}' });
        } else if (toF32 && choice === 1) {
            lines.push({ folded: `${a.folded} as f32`, runtime: `${a.runtime} as f32`, expected: hex(floatToBits(Math.fround(a.value), 32)), format: '{:x}' });
        } else if (choice === (toF32 ? 2 : 1)) {
            const type = conversions[pick(conversions.length)];
            const name = `${type.signed ? 'i' : 'u'}${type.bits}`;
            lines.push({ folded: `${a.folded} as ${name}`, runtime: `${a.runtime} as ${name}`, expected: String(floatToInteger(a.value, type)), format: '{}' });
        } else {
            lines.push({ folded: a.folded, runtime: a.runtime, expected: bits(a.value), format: '{:x}' });
        }
    }
    return lines;
}

/**
 * The lines' folded forms, as constants the checker evaluates, and their run-time forms (leaves read from
 * state, so nothing folds), compiled and run, must both give each line's expected text.
 */
async function expectFoldedAndCompiledAgree(kind: 'f32' | 'f64', lines: readonly FloatLine[], leaves: readonly number[]): Promise<void> {
    const folded = lines.map(line => `print("${line.format}", ${line.folded})`);
    const document = await build(`program F { main {\n${folded.join('\n')}\n} }`);
    expect((document.diagnostics ?? []).filter(d => d.severity === 1).map(d => d.message)).toEqual([]);
    const prints = AstUtils.streamAllContents(document.parseResult.value).filter(isPrintStmt).toArray();
    const types = services.Uk.types.TypeSystem;
    const foldedValues = prints.map(print => {
        const result = types.evaluate(print.args[0]);
        const type = types.typeOf(print.args[0]);
        if (!result.ok) return 'not constant';
        if (type.kind === 'bool') return String(result.value !== 0n);
        if (type.kind !== 'float') return String(result.value);
        return type.bits === 64 ? hex64(result.value) : hex(result.value);
    });
    expect(foldedValues).toEqual(lines.map(line => line.expected));

    const run = await compileAndRun(`program R {
    var v: [${kind}; ${leaves.length}] = [${leaves.map(value => floatLiteral(value, kind)).join(', ')}]
    main {
${lines.map(line => `        print("${line.format}", ${line.runtime})`).join('\n')}
    }
}
system S { instance r: R { priority: 1, stack: 16384 } }`);
    expect(run.output.split('\n').slice(0, -1)).toEqual(lines.map(line => line.expected));
}

describe('f32 folding, compiled code and the host agree', () => {
    it('on 150 random expressions with edge-case operands, comparisons and conversions', async () => {
        const pick = chooser(1818);
        const kind = f32Kind(4242);
        const leaves: number[] = [];
        const lines = randomFloatLines(pick, kind, leaves, false);
        await expectFoldedAndCompiledAgree('f32', lines, leaves);
    }, 120_000);
});

describe('print of f32', () => {
    it('writes what formatFloat writes, for edge cases and 300 random values', async () => {
        const next = operands32(77);
        const values = [1, 21.5, 0.1, 2 ** -149, -(2 ** -149), 3.4028234663852886e38, -0, 0, 1e-5, 1e-4, 123456789, 1e9, 0.5, 16777216,
            Infinity, -Infinity, NaN, 9.99999994e-1, 99999.9922, 1.5e-7];
        for (let i = 0; i < 300; i++) values.push(floatFromBits(BigInt(next() >>> 0), 32));
        const floats = values.map(value => Math.fround(value));
        const run = await compileAndRun(`program P {
    var v: [f32; ${floats.length}] = [${floats.map(value => floatLiteral(value)).join(', ')}]
    main { for i in 0..${floats.length} { print("{}", v[i]) } }
}
system S { instance p: P { priority: 1 } }`);
        expect(run.output.split('\n').slice(0, -1)).toEqual(floats.map(value => formatFloat(value, 32)));
        expect(floats.slice(0, 10).map(value => formatFloat(value, 32))).toEqual(
            ['1', '21.5', '0.100000001', '1.40129846e-45', '-1.40129846e-45', '3.40282347e+38', '-0', '0', '9.99999975e-6', '9.99999975e-5']);
    }, 120_000);
});

describe('f32 through a server', () => {
    it('a value a client sends arrives equal, comes back computed, and the trace shows it as a float', async () => {
        const values = [21.5, -0.0, 1e-40, 3.4028234663852886e38, 0.1, -273.15];
        const outcome = await compileSource({ 'main.uk': `
struct Reading { temp: f32, sensor: u8 }
interface Thermo { calibrate(r: Reading, offset: f32) -> (celsius: f32, hot: bool) }
server T implements Thermo {
    on calibrate(r, offset) {
        print("server {} {}", r.temp, offset)
        let c = r.temp + offset
        reply (c, c > 30.0)
    }
}
program P { uses t: Thermo main {
${values.map((value, i) => `    let (c${i}, h${i}) = t.calibrate(Reading { temp: ${floatLiteral(Math.fround(value))}, sensor: ${i} }, 0.5) catch e { return }
    print("client {} {}", c${i}, h${i})`).join('\n')}
} }
system Y { instance t: T { priority: 2 } instance p: P { priority: 1 } connect p.t -> t badge 1 }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const result = runCompiled(outcome.compiled);
        const f = (value: number) => formatFloat(Math.fround(value), 32);
        expect(result.output).toBe(values.map(value => {
            const sum = Math.fround(Math.fround(value) + 0.5);
            return `server ${f(value)} 0.5\nclient ${f(sum)} ${sum > 30}\n`;
        }).join(''));
        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = result.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'call' && typed?.kind !== 'reply') return [];
            const line = formatTraceLine(typed).replace(/^\[ *\d+\] /, '');
            return [line.slice(0, line.lastIndexOf('  '))];
        });
        expect(lines.slice(0, 4)).toEqual([
            'p -> t  Thermo.calibrate(r={temp=21.5, sensor=0}, offset=0.5)',
            'p <- t  Thermo.calibrate = (celsius=22, hot=false)',
            'p -> t  Thermo.calibrate(r={temp=-0, sensor=1}, offset=0.5)',
            'p <- t  Thermo.calibrate = (celsius=0.5, hot=false)'
        ]);
    }, 60_000);
});

describe('f64 folding, compiled code and the host agree', () => {
    it('on 150 random f64 expressions with edge-case operands, comparisons and conversions to f32 and integers', async () => {
        const pick = chooser(6464);
        const next = operands64(6464);
        // JavaScript numbers are binary64: the host computes f64 exactly as IEEE 754 rounds it.
        const kind: FloatKind = { name: 'f64', leaf: () => floatFromBits(next(), 64), round: exact => exact };
        const leaves: number[] = [];
        const lines = randomFloatLines(pick, kind, leaves, true);
        await expectFoldedAndCompiledAgree('f64', lines, leaves);
        // The operations are there: not every line a comparison or a plain leaf.
        expect(lines.filter(line => /[-+*/] v\[/.test(line.runtime)).length).toBeGreaterThan(50);
        expect(lines.filter(line => / as [iu]\d+$/.test(line.runtime)).length).toBeGreaterThan(20);
    }, 120_000);
});

describe('f64 values', () => {
    it('travel through a server unchanged (two words), compare, negate, fold as constants, and show in the trace', async () => {
        const outcome = await compileSource({ 'main.uk': `
const SCALE: f64 = 1.0 / 3.0
interface Store { swap(x: f64, tag: u8) -> (y: f64, tag: u8) }
server S implements Store {
    var kept: f64 = SCALE
    on swap(x, tag) {
        let old = kept
        kept = x
        print("{} {} {} {}", x < old, x == -x, x >= 0.0, old != old)
        reply (-old, tag)
    }
}
program P { uses s: Store main {
    let (a, t) = s.swap(2.5e-300, 7) catch e { return }
    let (b, u) = s.swap(-0.0, 8) catch e { return }
    print("{:x} {:x} {} {}", a, b, t, u)
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.s -> s badge 1 }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const result = runCompiled(outcome.compiled);
        const bits = (value: number) => floatToBits(value, 64).toString(16);
        // 2.5e-300 against 1/3, then -0 against 2.5e-300: -0 == 0, and -0 >= 0.
        expect(result.output).toBe(`true false true false\ntrue true true false\n${bits(-1 / 3)} ${bits(-2.5e-300)} 7 8\n`);
        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = result.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'call' && typed?.kind !== 'reply') return [];
            const line = formatTraceLine(typed).replace(/^\[ *\d+\] /, '');
            return [line.slice(0, line.lastIndexOf('  '))];
        });
        expect(lines).toEqual([
            'p -> s  Store.swap(x=2.5e-300, tag=7)',
            'p <- s  Store.swap = (y=-0.33333333333333331, tag=7)',
            'p -> s  Store.swap(x=-0, tag=8)',
            'p <- s  Store.swap = (y=-2.5e-300, tag=8)'
        ]);
    }, 60_000);
});

describe('f64 and f32 together', () => {
    it('an f64 converts to f32 (rounded once) and back (exactly), and prints through f32', async () => {
        const run = await compileAndRun(`program P {
    var wide: [f64; 4] = [0.1, 1.0e300, 1.0000000596046448, -2.5e-320]
    main {
        for i in 0..4 {
            let narrow = wide[i] as f32
            let back = narrow as f64
            print("{} {:x} {}", narrow, back, back == wide[i])
        }
    }
}
system S { instance p: P { priority: 1 } }`);
        const lines = [0.1, 1e300, 1.0000000596046448, -2.5e-320].map(value => {
            const narrow = Math.fround(value);
            return `${formatFloat(narrow, 32)} ${floatToBits(narrow, 64).toString(16)} ${narrow === value}`;
        });
        expect(run.output).toBe(lines.map(line => `${line}\n`).join(''));
        expect(lines[0]).toBe('0.100000001 3fb99999a0000000 false');
    }, 60_000);
});

describe('integers to floats: folded, compiled and on the host', () => {
    it('every integer type converts to f64 and f32, rounded once to nearest even, on 160 random values', async () => {
        const word = operands32(2026);
        const random64 = () => ((BigInt(word() >>> 0) << 32n) | BigInt(word() >>> 0)) >> BigInt((word() >>> 0) % 64);
        const types = [intType(true, 8), intType(false, 8), intType(true, 16), intType(false, 16), intType(true, 32), intType(false, 32), intType(true, 64), intType(false, 64)];
        // Halfway between two f64s and two f32s: 2^53 + 1, and 2^24 + 1 moved up.
        const fixed = [(1n << 53n) + 1n, (1n << 53n) + 3n, ((1n << 24n) + 1n) << 20n, (1n << 63n) - 1n, -((1n << 63n) - 1n), (1n << 64n) - 1n];
        const values = Array.from({ length: 160 }, (_, i) => {
            const type = types[i % types.length];
            const raw = i < fixed.length * 8 && i % 8 >= 6 ? fixed[(i >> 3) % fixed.length] : random64();
            const value = type.signed ? BigInt.asIntN(type.bits, raw) : BigInt.asUintN(type.bits, raw);
            // The folder's literals stop one short of -2^63, which needs a cast of its own.
            return { type, value: value === -(1n << 63n) ? value + 1n : value };
        });
        const name = (type: { signed: boolean; bits: number }) => `${type.signed ? 'i' : 'u'}${type.bits}`;
        const lines = values.flatMap(({ type, value }, i) => (['f64', 'f32'] as const).map(float => ({
            folded: `((${value}) as ${name(type)}) as ${float}`,
            runtime: `n${i} as ${float}`,
            expected: float === 'f64' ? hex64(floatToBits(integerToFloat(value, 64), 64)) : hex(floatToBits(integerToFloat(value, 32), 32))
        })));
        // The folder's rule is the host's for f64: Number() of a BigInt rounds to nearest, ties to even.
        expect(values.map(({ value }) => hex64(floatToBits(Number(value), 64)))).toEqual(lines.filter((_, i) => i % 2 === 0).map(line => line.expected));

        const document = await build(`program F { main {\n${lines.map(line => `print("{:x}", ${line.folded})`).join('\n')}\n} }`);
        expect((document.diagnostics ?? []).filter(d => d.severity === 1).map(d => d.message)).toEqual([]);
        const typeSystem = services.Uk.types.TypeSystem;
        const prints = AstUtils.streamAllContents(document.parseResult.value).filter(isPrintStmt).toArray();
        expect(prints.map(print => {
            const result = typeSystem.evaluate(print.args[0]);
            const type = typeSystem.typeOf(print.args[0]);
            return result.ok ? (type.kind === 'float' && type.bits === 64 ? hex64(result.value) : hex(result.value)) : 'not constant';
        })).toEqual(lines.map(line => line.expected));

        const run = await compileAndRun(`program R {
${values.map(({ type, value }, i) => `    var n${i}: ${name(type)} = ${value}`).join('\n')}
    main {
${lines.map(line => `        print("{:x}", ${line.runtime})`).join('\n')}
    }
}
system S { instance r: R { priority: 1 } }`);
        expect(run.output.split('\n').slice(0, -1)).toEqual(lines.map(line => line.expected));
    }, 120_000);
});

describe('print of f64', () => {
    it('writes what formatFloat writes (%.17g), for edge cases, constants and 300 random values', async () => {
        const next = operands64(1919);
        const values = [1, 21.5, 0.1, 5e-324, -5e-324, 1.7976931348623157e308, -0, 0, 1e-5, 1e-4, 1e16, 1e17, 1 / 3, 1000000000000000.25,
            Infinity, -Infinity, NaN, 2.2250738585072014e-308, 123456789012345680];
        for (let i = 0; i < 300; i++) values.push(floatFromBits(next(), 64));
        const run = await compileAndRun(`program P {
    var v: [f64; ${values.length}] = [${values.map(value => floatLiteral(value, 'f64')).join(', ')}]
    main {
        for i in 0..${values.length} { print("{}", v[i]) }
        print("{} {} {}", 2.5, 0.1 + 0.2, (7 as f64) / 3.0)
    }
}
system S { instance p: P { priority: 1 } }`);
        const expected = values.map(value => formatFloat(value, 64));
        expect(run.output.split('\n').slice(0, -1)).toEqual([...expected, '2.5 0.30000000000000004 2.3333333333333335']);
        expect(expected.slice(0, 14)).toEqual(['1', '21.5', '0.10000000000000001', '4.9406564584124654e-324', '-4.9406564584124654e-324',
            '1.7976931348623157e+308', '-0', '0', '1.0000000000000001e-5', '0.0001', '10000000000000000', '1e+17', '0.33333333333333331', '1000000000000000.3']);
    }, 120_000);
});

describe('float constants in a reply', () => {
    it('take the result type: f64 as two words, f32 as one, in a tuple and in a deferred reply', async () => {
        const result = await compileAndRun(`
interface P {
    wide(x: u8) -> f64
    narrow(x: u8) -> f32
    both(x: u8) -> (r: f64, k: u8, s: f32)
    later(x: u8) -> f64
}
server T implements P {
    var pending: reply<P.later>
    on wide(x) { reply -1.0 }
    on narrow(x) { reply 1.0 / 3.0 }
    on both(x) { reply (1e300, 3, -2.5) }
    on later(x) {
        pending = defer
        pending.reply(0.1)
    }
}
program Main { uses p: P main {
    let (r, k, s) = p.both(0) catch e { return }
    print("{} {} {} {} {} {}", p.wide(0), p.narrow(0), r, k, s, p.later(0))
} }
system S { instance t: T instance m: Main connect m.p -> t }`);
        expect(result.output).toBe('-1 0.333333343 1.0000000000000001e+300 3 -2.5 0.10000000000000001\n');
    }, 60_000);
});
