/**
 * f32 and f64 in the checker (docs/LANGUAGE.md, "Floating point"): literals, where an integer constant
 * converts and an integer variable does not, the operators floats take, conversions with `as`, and the
 * positioned diagnostics for the rest.
 */
import { describe, expect, it } from 'vitest';
import { build, describeDiagnostics } from '../helpers.js';
import { parseFloatLiteral, roundRational } from '../../src/language/type-system/float-constants.js';

async function check(text: string): Promise<{ lines: string[]; codes: unknown[] }> {
    const document = await build(text);
    const sorted = [...(document.diagnostics ?? [])].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    return { lines: describeDiagnostics(document), codes: sorted.map(d => d.code) };
}

describe('floats in the checker', () => {
    it('accepts literals, constants that convert, arithmetic, comparisons and conversions', async () => {
        const { lines } = await check(`
const PI = 3.14159
const HALF: f32 = 0.5
struct Reading { temp: f32, precise: f64 }
fn f(x: f32, n: u32, d: f64) -> f32 {
    let a = x * 2 + PI - HALF / 1.0e-3
    let b: f32 = 20
    let keep: f64 = d
    let c = (n as f32) + (-x as i8 as f32) + (1.5 as f64 as f32)
    let ok = a < b && x != x && -x >= 0.0 && n == (x as u32)
    let r = Reading { temp: 21.5, precise: 2.0e-3 }
    return -a + b + c + r.temp
}
`);
        expect(lines).toEqual([]);
    });

    it('reports mixed types, integer-only operators, float bases and out-of-range literals, with codes', async () => {
        const { lines, codes } = await check(`
enum E : f32 { A }
bitfield B : f64 { a: 1 }
struct S { t: f32 }
fn f(x: f32, n: u32, s: S) {
    let a = x + n
    let b = x % 2.0
    let c = x & x
    let d: f32 = 1e39
    let e: f64 = x
    let g = ~x
    let h = s == s
    let k = true as f32
}
`);
        expect(lines).toEqual([
            "2:10 error The underlying type of an enum must be an integer type (u1..u64, i1..i64), not 'f32'. @ f32",
            '3:14 error The underlying type of a bitfield must be an unsigned integer type, not f64. @ f64',
            "6:15 error '+' needs operands of the same type, not f32 and u32; convert one with 'as'. @ +",
            "7:15 error '%' needs integer operands, not f32 and float constant; floats take + - * / and comparisons. @ %",
            "8:15 error '&' needs integer operands, not f32 and f32; floats take + - * / and comparisons. @ &",
            '9:18 error 1e39 is beyond the range of f32 (about 3.4e38). @ 1e39',
            "10:18 error The value of 'e' must be f64, not f32. @ x",
            "11:13 error '~' needs an integer, not f32. @ ~",
            "12:15 error '==' cannot compare S: it holds floats, which are not equal by their bits (NaN, -0); compare its fields. @ ==",
            '13:21 error Cannot convert bool to f32. @ f32'
        ]);
        expect(codes).toEqual(['invalid-enum-base', 'invalid-bitfield-base', 'operator-mismatch', 'operator-mismatch', 'operator-mismatch',
            'constant-out-of-range', 'type-mismatch', 'operator-mismatch', 'operator-mismatch', 'invalid-cast']);
    });

    it('accepts every f64 operation and conversion, and print of f64 values and float constants, at run time', async () => {
        const { lines } = await check(`
const SCALE: f64 = 2.0 * 1.5
fn f(x: f64, y: f32, n: i64, m: u8) -> f64 {
    let a = (x * 2.0 + x / 3.0 - (y as f64)) * x
    let b = x as i32
    let keep = (y as f64) as f32
    print("{} {} {}", x, SCALE, 1.5)
    let c = -x
    let d: f64 = SCALE / 3.0
    let e = y as u64
    let g = (n as f64) + (m as f64) + ((n as f32) as f64) + ((x as u64) as f64)
    let ordered = x < SCALE && x != x && -x >= 0.0
    return c + g
}
`);
        expect(lines).toEqual([]);
    });
});

describe('floats in unions and optionals in the checker', () => {
    it('accepts f32 and f64 payloads, structs of floats and float optionals, and refuses == on anything holding them', async () => {
        const { lines, codes } = await check(`
struct Pair { a: f32, b: u8 }
union Reading { celsius: f32, precise: f64, pair: Pair, failed }
union Outer { inner: Reading, many: [f32; 2], none_yet }
struct Holder { r: f32? }
fn f(r: Reading, x: f32?, y: f64?, o: Outer, h: Holder, n: u8?) -> f64? {
    match r {
        celsius(c) { print("{} {}", c + 1.0, r) }
        precise(p) { print("{}", p * 2.0) }
        pair(p) { print("{}", p.a) }
        failed { print("{} {}", x, y) }
    }
    if let v = y { return v / 2.0 }
    let a = r == r
    let b = x != x
    let c = o == o
    let d = h == h
    let e = n == n
    return 1.5
}
`);
        expect(lines).toEqual([
            "14:15 error '==' cannot compare Reading: it holds floats, which are not equal by their bits (NaN, -0); compare its fields. @ ==",
            "15:15 error '!=' cannot compare f32?: it holds floats, which are not equal by their bits (NaN, -0); compare its fields. @ !=",
            "16:15 error '==' cannot compare Outer: it holds floats, which are not equal by their bits (NaN, -0); compare its fields. @ ==",
            "17:15 error '==' cannot compare Holder: it holds floats, which are not equal by their bits (NaN, -0); compare its fields. @ =="
        ]);
        expect(codes).toEqual(['operator-mismatch', 'operator-mismatch', 'operator-mismatch', 'operator-mismatch']);
    });
});

describe('float literals are rounded once, straight to their type', () => {
    it('rounds halfway cases to even and never through f64 first', () => {
        // 1 + 2^-24 + 2^-60: just above halfway between two f32s; through f64 it would land on the halfway
        // point (2^-60 is lost) and then round to even, down to 1.
        const text = ((1n << 60n) + (1n << 36n) + 1n).toString(); // numerator over 2^60
        expect(roundRational(BigInt(text), 1n << 60n, 32)).toBe(1 + 2 ** -23);
        expect(Math.fround(Number(BigInt(text)) / 2 ** 60)).toBe(1);
        expect(roundRational((1n << 24n) + 1n, 1n << 24n, 32)).toBe(1); // exactly halfway: to even
        expect(parseFloatLiteral('1.4e-45', 32)).toBe(2 ** -149);
        expect(parseFloatLiteral('0.7e-45', 32)).toBe(0); // halfway to the smallest subnormal: to even, 0
        expect(parseFloatLiteral('0.71e-45', 32)).toBe(2 ** -149);
        expect(parseFloatLiteral('3.4028236e38', 32)).toBe(Infinity);
        expect(parseFloatLiteral('1_000.25', 64)).toBe(1000.25);
        expect(parseFloatLiteral('2.0e-3', 64)).toBe(0.002);
    });
});
