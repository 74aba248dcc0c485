/**
 * Integer semantics of compiled code against a reference written with BigInt: every operator on every
 * width up to 32 bits, on edge values and random ones, computed at run time (through helper functions, so
 * that nothing is folded at compile time) and, for a sample, folded at compile time too — both must give
 * the language's wrapping results (docs/LANGUAGE.md, "Integer semantics").
 */
import { describe, expect, it } from 'vitest';
import { compileAndRun } from './compile-helper.js';

interface IntType { readonly name: string; readonly bits: number; readonly signed: boolean }

const TYPES: IntType[] = [
    { name: 'u8', bits: 8, signed: false }, { name: 'i8', bits: 8, signed: true },
    { name: 'u16', bits: 16, signed: false }, { name: 'i16', bits: 16, signed: true },
    { name: 'u32', bits: 32, signed: false }, { name: 'i32', bits: 32, signed: true }
];
const OPERATORS = ['+', '-', '*', '/', '%', '&', '|', '^', '<<', '>>'] as const;
const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='] as const;

function wrap(value: bigint, type: IntType): bigint {
    return type.signed ? BigInt.asIntN(type.bits, value) : BigInt.asUintN(type.bits, value);
}

function reference(operator: typeof OPERATORS[number], a: bigint, b: bigint, type: IntType): bigint | undefined {
    const count = b & BigInt(type.bits - 1);
    switch (operator) {
        case '+': return wrap(a + b, type);
        case '-': return wrap(a - b, type);
        case '*': return wrap(a * b, type);
        case '/': return b === 0n ? undefined : wrap(a / b, type);
        case '%': return b === 0n ? undefined : wrap(a % b, type);
        case '&': return wrap(a & b, type);
        case '|': return wrap(a | b, type);
        case '^': return wrap(a ^ b, type);
        case '<<': return wrap(a << count, type);
        case '>>': return wrap(a >> count, type);
    }
}

function compare(operator: typeof COMPARISONS[number], a: bigint, b: bigint): boolean {
    switch (operator) {
        case '==': return a === b;
        case '!=': return a !== b;
        case '<': return a < b;
        case '<=': return a <= b;
        case '>': return a > b;
        case '>=': return a >= b;
    }
}

/** Edge values of a type, and a few from a fixed pseudo-random sequence. */
function operands(type: IntType, seed: number): bigint[] {
    const min = type.signed ? -(1n << BigInt(type.bits - 1)) : 0n;
    const max = type.signed ? (1n << BigInt(type.bits - 1)) - 1n : (1n << BigInt(type.bits)) - 1n;
    const values = [0n, 1n, 2n, 7n, max, min, max - 1n];
    if (type.signed) values.push(-1n, -2n, -7n, min + 1n);
    let state = seed;
    for (let i = 0; i < 4; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        values.push(wrap(BigInt(state), type));
    }
    return [...new Set(values)];
}

const literal = (value: bigint) => (value < 0n ? `(0 - ${-value})` : `${value}`);

describe('integer semantics of compiled code', () => {
    it('every operator on every width wraps as the language says, at run time', async () => {
        const functions: string[] = [];
        const calls: string[] = [];
        const expected: string[] = [];
        TYPES.forEach((type, t) => {
            OPERATORS.forEach((operator, o) => {
                const name = `op_${t}_${o}`;
                functions.push(`fn ${name}(a: ${type.name}, b: ${type.name}) -> ${type.name} { return a ${operator} b }`);
                const values = operands(type, 17 * t + o);
                // Pair every value with a few partners, so each operator sees edges meet edges.
                values.forEach((a, i) => {
                    for (const b of [values[(i + 1) % values.length], values[(i + 4) % values.length], values[i]]) {
                        const result = reference(operator, a, b, type);
                        if (result === undefined) continue;
                        calls.push(`print("{}", ${name}(${literal(a)} as ${type.name}, ${literal(b)} as ${type.name}))`);
                        expected.push(`${result}`);
                    }
                });
            });
            COMPARISONS.forEach((operator, o) => {
                const name = `cmp_${t}_${o}`;
                functions.push(`fn ${name}(a: ${type.name}, b: ${type.name}) -> bool { return a ${operator} b }`);
                const values = operands(type, 31 * t + o);
                values.forEach((a, i) => {
                    const b = values[(i + 3) % values.length];
                    calls.push(`print("{}", ${name}(${literal(a)} as ${type.name}, ${literal(b)} as ${type.name}))`);
                    expected.push(`${compare(operator, a, b)}`);
                });
            });
        });
        const source = `${functions.join('\n')}
program P { main {
${calls.join('\n')}
} }
system S { instance p: P { priority: 1 } }`;
        const run = await compileAndRun(source, 2_000_000_000);
        expect(run.output.split('\n').slice(0, -1)).toEqual(expected);
    }, 60_000);

    it('casts truncate, zero-extend or sign-extend by the source type', async () => {
        const run = await compileAndRun(`
fn id32(x: i32) -> i32 { return x }
fn idu(x: u32) -> u32 { return x }
program P { main {
    let minus = id32(0 - 1)
    print("{} {} {} {}", minus as u8, minus as i8, minus as u16, minus as u32)
    let big = idu(0x1234_5680)
    print("{} {} {} {}", big as u8, big as i8, big as i16, big as i32)
    let small = (big as i8) as i32
    print("{} {}", small, (big as u8) as i32)
    let flag = id32(3) > id32(2)
    print("{} {}", flag as u8, (!flag) as u32)
} }
system S { instance p: P { priority: 1 } }`);
        expect(run.output).toBe('255 -1 65535 4294967295\n128 -128 22144 305419904\n-128 128\n1 0\n');
    });

    it('faults with a message on division by zero, and the rest of the system runs on', async () => {
        const run = await compileAndRun(`
fn div(a: u32, b: u32) -> u32 { return a / b }
program Crash { main { print("{}", div(7, 0)) print("not reached") } }
program Other { main { print("other runs") } }
system S { instance crash: Crash { priority: 10 } instance other: Other { priority: 5 } }`);
        expect(run.output).toBe('division by zero at main.uk:2:40\nother runs\n');
        expect(run.events.filter(event => event.kind === 'fault')).toEqual([
            expect.objectContaining({ thread: 'crash', fault: 'illegal-instruction', handler: undefined })
        ]);
    });
});

describe('64-bit integers', () => {
    it('u64 and i64 arithmetic, comparisons, shifts, division and printing match a BigInt reference', async () => {
        const cases: [string, string, bigint][] = [];
        const u64 = (v: bigint) => BigInt.asUintN(64, v);
        const i64 = (v: bigint) => BigInt.asIntN(64, v);
        const a = 0x1234_5678_9abc_def0n;
        const b = 0x0fed_cba9_8765_4321n;
        const lit = (v: bigint, t: string) => (v < 0n ? `(0 - ${-v}) as ${t}` : `${v} as ${t}`);
        for (const [x, y] of [[a, b], [b, a], [u64(-1n), 1n], [0xffff_ffffn, 1n], [1n << 63n, 3n], [12345n, 0xffff_ffffn]] as const) {
            cases.push([`add(${lit(x, 'u64')}, ${lit(y, 'u64')})`, 'u', u64(x + y)]);
            cases.push([`sub(${lit(x, 'u64')}, ${lit(y, 'u64')})`, 'u', u64(x - y)]);
            cases.push([`mul(${lit(x, 'u64')}, ${lit(y, 'u64')})`, 'u', u64(x * y)]);
            cases.push([`div(${lit(x, 'u64')}, ${lit(y, 'u64')})`, 'u', x / y]);
            cases.push([`rem(${lit(x, 'u64')}, ${lit(y, 'u64')})`, 'u', x % y]);
            cases.push([`shl(${lit(x, 'u64')}, ${Number(y % 64n)})`, 'u', u64(x << (y % 64n))]);
            cases.push([`shr(${lit(x, 'u64')}, ${Number(y % 64n)})`, 'u', x >> (y % 64n)]);
            cases.push([`lt(${lit(x, 'u64')}, ${lit(y, 'u64')})`, 'b', x < y ? 1n : 0n]);
        }
        for (const [x, y] of [[-7n, 2n], [7n, -2n], [-(1n << 63n), -1n], [-(1n << 40n), 3n], [123456789012345n, -98765n]] as const) {
            cases.push([`sdiv(${lit(x, 'i64')}, ${lit(y, 'i64')})`, 's', i64(x / y)]);
            cases.push([`srem(${lit(x, 'i64')}, ${lit(y, 'i64')})`, 's', i64(x % y)]);
            cases.push([`sshr(${lit(x, 'i64')}, ${Number(BigInt.asUintN(64, y) % 64n)})`, 's', x >> (BigInt.asUintN(64, y) % 64n)]);
            cases.push([`slt(${lit(x, 'i64')}, ${lit(y, 'i64')})`, 'b', x < y ? 1n : 0n]);
        }
        const source = `
fn add(a: u64, b: u64) -> u64 { return a + b }
fn sub(a: u64, b: u64) -> u64 { return a - b }
fn mul(a: u64, b: u64) -> u64 { return a * b }
fn div(a: u64, b: u64) -> u64 { return a / b }
fn rem(a: u64, b: u64) -> u64 { return a % b }
fn shl(a: u64, n: u32) -> u64 { return a << n }
fn shr(a: u64, n: u32) -> u64 { return a >> n }
fn lt(a: u64, b: u64) -> bool { return a < b }
fn sdiv(a: i64, b: i64) -> i64 { return a / b }
fn srem(a: i64, b: i64) -> i64 { return a % b }
fn sshr(a: i64, n: u32) -> i64 { return a >> n }
fn slt(a: i64, b: i64) -> bool { return a < b }
program P { main {
${cases.map(([call]) => `    print("{}", ${call})`).join('\n')}
    var total: u64 = 0xffff_fff0
    for i in 0..40 { total += 1 }
    print("{} {:x} {}", total, total, (total as u32))
} }
system S { instance p: P }`;
        const run = await compileAndRun(source, 2_000_000_000);
        const expected = cases.map(([, kind, value]) => (kind === 'b' ? (value === 1n ? 'true' : 'false') : `${value}`));
        expect(run.output.split('\n').slice(0, -2)).toEqual(expected);
        expect(run.output.split('\n').slice(-2)).toEqual(['4294967320 100000018 24', '']);
    }, 60_000);

    it('64-bit values travel in messages as two words, and live in state', async () => {
        const run = await compileAndRun(`
interface Acc { add(v: i64) -> (count: u32, sum: i64) }
server A implements Acc {
    var count: u32 = 0
    var sum: i64 = 0
    on add(v) { count += 1 sum += v reply (count, sum) }
}
program P {
    uses acc: Acc
    main {
        let (c1, s1) = acc.add(0 - 5000000000)
        let (c2, s2) = acc.add(7)
        print("{} {} {} {}", c1, s1, c2, s2)
    }
}
system S { instance a: A { priority: 10 } instance p: P { priority: 5 } connect p.acc -> a badge 1 }`);
        expect(run.output).toBe('1 -5000000000 2 -4999999993\n');
    });

    it('{:x} and {:b} show a value\'s own bits at every width, {:c} its low byte, and a bitfield prints as its base', async () => {
        const all = [...TYPES, { name: 'u64', bits: 64, signed: false }, { name: 'i64', bits: 64, signed: true }];
        const values = all.flatMap(type => operands(type, type.bits).map(value => ({ type, value })));
        const source = `bitfield F : u8 { a: 3, b: 5 }
program P { main {
${values.map(({ type, value }, i) => `    var v${i}: ${type.name} = ${value}\n    print("{:x} {:b}", v${i}, v${i})`).join('\n')}
    var big: u64 = 0x41_0000_0000
    big += 0x42
    let f = F { a: 5, b: 9 }
    print("{:c} {} {:x}", big, f, f)
} }
system S { instance p: P }`;
        const run = await compileAndRun(source);
        const expected = values.map(({ type, value }) => {
            const bits = BigInt.asUintN(type.bits, value);
            return `${bits.toString(16)} ${bits.toString(2)}`;
        });
        expect(run.output.split('\n')).toEqual([...expected, 'B 77 4d', '']);
    }, 60_000);
});
