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
