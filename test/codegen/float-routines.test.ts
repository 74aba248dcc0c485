/**
 * The soft-float routines (src/codegen/rv32/float-routines.ts) one by one on the machine, against the
 * host's IEEE 754 arithmetic: Math.fround(a op b) is the correctly rounded f32 result of + - * / (a double
 * holds the exact result of two f32 operands to more than twice f32's precision, so rounding twice is
 * rounding once). Operands are random bit patterns and the edge cases: zeros of both signs, subnormals,
 * the largest and smallest normals, infinities, NaNs, and neighbours of halfway cases. NaN results are
 * compared as the canonical quiet NaN, the only one the routines produce.
 */
import { describe, expect, it } from 'vitest';
import { floatRoutines } from '../../src/codegen/rv32/float-routines.js';
import { assemble, assembledImage, LinuxProcess } from '../../runtime/machine/index.js';
import { floatFromBits, floatToBits } from '../../runtime/contract/index.js';
import { EDGES32, EDGES64, operands32, operands64 } from './float-operands.js';
import { floatToInteger } from '../../src/language/type-system/float-constants.js';
import { intType } from '../../src/language/type-system/types.js';

/** Runs `routine` on each argument list and returns its a0 results (a0:a1 when `resultWords` is 2). */
export function runRoutine(routine: string, cases: readonly (readonly number[])[], resultWords = 1): number[][] {
    const argCount = cases[0]?.length ?? 0;
    const loads = Array.from({ length: argCount }, (_, i) => `    lw a${i}, ${4 * i}(s0)`).join('\n');
    const stores = Array.from({ length: resultWords }, (_, i) => `    sw a${i}, ${4 * i}(s1)`).join('\n');
    const source = `
_start:
    la s0, inputs
    la s1, outputs
    li s2, ${cases.length}
next:
    beqz s2, done
${loads}
    call ${routine}
${stores}
    addi s0, s0, ${4 * argCount}
    addi s1, s1, ${4 * resultWords}
    addi s2, s2, -1
    j next
done:
    li a0, 1
    la a1, outputs
    li a2, ${4 * resultWords * cases.length}
    li a7, 64
    ecall
    li a0, 0
    li a7, 93
    ecall
${floatRoutines([`call ${routine}`])}
.data
inputs:
${cases.map(args => `    .word ${args.map(word => word >>> 0).join(', ')}`).join('\n')}
outputs:
    .zero ${4 * resultWords * cases.length}
`;
    const assembly = assemble(source, { sectionAddresses: { '.text': 0x10000, '.data': 0x100000 } });
    expect(assembly.errors).toEqual([]);
    const chunks: Uint8Array[] = [];
    const result = new LinuxProcess(assembledImage(assembly), { stdout: bytes => { chunks.push(bytes.slice()); }, stderr: () => {} }).run(200_000 * cases.length);
    expect(result.termination).toEqual({ kind: 'exit', code: 0 });
    const bytes = Buffer.concat(chunks);
    return cases.map((_, i) => Array.from({ length: resultWords }, (_, w) => bytes.readUInt32LE(4 * (i * resultWords + w))));
}

/** The f32 result as the routines give it: NaN canonical, everything else its exact bits. */
function expected32(value: number): number {
    return Number(floatToBits(value, 32));
}

const f = (bits: number) => floatFromBits(BigInt(bits >>> 0), 32);
const d = (bits: bigint) => floatFromBits(bits, 64);
const hex = (word: number) => (word >>> 0).toString(16);
/** An f64's bits as the routines take them: low word, high word. */
const words64 = (bits: bigint) => [Number(bits & 0xffffffffn), Number(bits >> 32n)];
/** An a0:a1 result as the f64's bits, in hex. */
const hex64 = ([low, high]: number[]) => ((BigInt(high) << 32n) | BigInt(low)).toString(16);

describe('f32 routines against the host', () => {
    const operations: [string, (a: number, b: number) => number][] = [
        ['__ukc_f32_add', (a, b) => Math.fround(a + b)],
        ['__ukc_f32_sub', (a, b) => Math.fround(a - b)],
        ['__ukc_f32_mul', (a, b) => Math.fround(a * b)],
        ['__ukc_f32_div', (a, b) => Math.fround(a / b)]
    ];
    for (const [name, host] of operations) {
        it(`${name} is bit-exact on every pair of edge cases and 10,000 random pairs`, () => {
            const operand = operands32(name.length * 7919);
            const cases = [...EDGES32.flatMap(a => EDGES32.map(b => [a, b])), ...Array.from({ length: 10_000 }, () => [operand(), operand()])];
            const got = runRoutine(name, cases).map(([word]) => hex(word));
            expect(got).toEqual(cases.map(([a, b]) => hex(expected32(host(f(a), f(b))))));
        });
    }
});

describe('f32 comparisons and conversions against the host', () => {
    const operand = operands32(99);
    const pairs = [...EDGES32.flatMap(a => EDGES32.map(b => [a, b])), ...Array.from({ length: 3000 }, () => [operand(), operand()])];
    const comparisons: [string, (a: number, b: number) => boolean][] = [
        ['__ukc_f32_lt', (a, b) => a < b], ['__ukc_f32_le', (a, b) => a <= b], ['__ukc_f32_eq', (a, b) => a === b]
    ];
    for (const [name, host] of comparisons) {
        it(`${name} orders as IEEE 754 does (NaN unordered, -0 == 0)`, () => {
            expect(runRoutine(name, pairs).map(([word]) => word)).toEqual(pairs.map(([a, b]) => (host(f(a), f(b)) ? 1 : 0)));
        });
    }

    it('__ukc_f32_neg flips the sign and keeps the canonical NaN', () => {
        const words = [...EDGES32, ...Array.from({ length: 1000 }, () => operand())].map(word => [word]);
        expect(runRoutine('__ukc_f32_neg', words).map(([word]) => hex(word))).toEqual(words.map(([a]) => hex(expected32(-f(a)))));
    });

    it('integers to f32 round once, to nearest even', () => {
        const integers = [0, 1, -1, 16777216, 16777217, 16777219, 0x7fffffff, -0x80000000, 0xffffffff, 0x80000001, 33554435,
            ...Array.from({ length: 2000 }, () => operand())].map(word => [word]);
        expect(runRoutine('__ukc_f32_from_i32', integers).map(([word]) => hex(word))).toEqual(integers.map(([n]) => hex(expected32(Math.fround(n | 0)))));
        expect(runRoutine('__ukc_f32_from_u32', integers).map(([word]) => hex(word))).toEqual(integers.map(([n]) => hex(expected32(Math.fround(n >>> 0)))));
    });

    it('f32 to integers truncates, gives 0 for NaN and saturates beyond the range', () => {
        const words = [...EDGES32, 0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, 0x4f7fffff, 0x4f800000, 0xbf7fffff, 0xbf800000,
            ...Array.from({ length: 2000 }, () => operand())].map(word => [word]);
        expect(runRoutine('__ukc_f32_to_i32', words).map(([word]) => word | 0)).toEqual(words.map(([a]) => Number(floatToInteger(f(a), intType(true, 32)))));
        expect(runRoutine('__ukc_f32_to_u32', words).map(([word]) => word >>> 0)).toEqual(words.map(([a]) => Number(floatToInteger(f(a), intType(false, 32)))));
    });
});

describe('f64 comparisons against the host', () => {
    const operand = operands32(64);
    const values = [...EDGES64, ...Array.from({ length: 40 }, operands64(64))];
    const pairs = values.flatMap(a => values.map(b => [a, b]));
    const words = pairs.map(([a, b]) => [...words64(a), ...words64(b)]);
    const comparisons: [string, (a: number, b: number) => boolean][] = [
        ['__ukc_f64_lt', (a, b) => a < b], ['__ukc_f64_le', (a, b) => a <= b], ['__ukc_f64_eq', (a, b) => a === b]
    ];
    for (const [name, host] of comparisons) {
        it(`${name} orders as IEEE 754 does (NaN unordered, -0 == 0), on every pair of ${values.length} values`, () => {
            expect(runRoutine(name, words).map(([word]) => word)).toEqual(pairs.map(([a, b]) => (host(d(a), d(b)) ? 1 : 0)));
        });
    }

    it('__ukc_f64_to_f32 rounds once, to nearest even, and __ukc_f32_to_f64 is exact', () => {
        const single = values.map(words64);
        // Halfway between two f32s, and just either side of it: 1 + 2^-24 (+/- 2^-52).
        const halfway = [0x3ff0000010000000n, 0x3ff0000010000001n, 0x3ff000000fffffffn, 0x3ff0000030000000n, 0x36a0000000000000n, 0x3690000000000001n, 0x47efffffefffffffn, 0x47effffff0000000n];
        const cases = [...single, ...halfway.map(words64)];
        const all = [...values, ...halfway];
        expect(runRoutine('__ukc_f64_to_f32', cases).map(([word]) => hex(word))).toEqual(all.map(value => hex(expected32(Math.fround(d(value))))));
        const floats = [...EDGES32, ...Array.from({ length: 2000 }, () => operand())].map(word => [word]);
        const widened = runRoutine('__ukc_f32_to_f64', floats, 2).map(hex64);
        expect(widened).toEqual(floats.map(([a]) => floatToBits(f(a), 64).toString(16)));
    });

    it('__ukc_f64_neg flips the sign and keeps the canonical NaN', () => {
        const single = values.map(words64);
        const got = runRoutine('__ukc_f64_neg', single, 2).map(hex64);
        expect(got).toEqual(values.map(value => floatToBits(-d(value), 64).toString(16)));
    });
});

describe('f64 routines against the host', () => {
    // JavaScript numbers are binary64 and their + - * / round to nearest even: the host is the reference.
    const operations: [string, (a: number, b: number) => number][] = [
        ['__ukc_f64_add', (a, b) => a + b],
        ['__ukc_f64_sub', (a, b) => a - b],
        ['__ukc_f64_mul', (a, b) => a * b],
        ['__ukc_f64_div', (a, b) => a / b]
    ];
    for (const [name, host] of operations) {
        it(`${name} is bit-exact on every pair of edge cases and 10,000 random pairs`, () => {
            const operand = operands64(name.length * 7919 + name.charCodeAt(10));
            const pairs = [...EDGES64.flatMap(a => EDGES64.map(b => [a, b])), ...Array.from({ length: 10_000 }, () => [operand(), operand()])];
            const got = runRoutine(name, pairs.map(([a, b]) => [...words64(a), ...words64(b)]), 2).map(hex64);
            expect(got).toEqual(pairs.map(([a, b]) => floatToBits(host(d(a), d(b)), 64).toString(16)));
        }, 60_000);
    }
});
