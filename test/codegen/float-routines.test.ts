/**
 * The soft-float routines (src/codegen/rv32/float-routines.ts) one by one on the machine, against the
 * host's IEEE 754 arithmetic: Math.fround(a op b) is the correctly rounded f32 result of + - * / (a double
 * holds the exact result of two f32 operands to more than twice f32's precision, so rounding twice is
 * rounding once). Operands are random bit patterns and the edge cases: zeros of both signs, subnormals,
 * the largest and smallest normals, infinities, NaNs, and neighbours of halfway cases. NaN results are
 * compared as the canonical quiet NaN, the only one the routines produce. Conversions to integers are
 * compared with the constant folder's rule (floatToInteger), conversions from integers with its rounding
 * (integerToFloat, itself checked against the host's Number() for f64), and print with formatFloat.
 */
import { describe, expect, it } from 'vitest';
import { floatRoutines } from '../../src/codegen/rv32/float-routines.js';
import { assemble, assembledImage, LinuxProcess } from '../../runtime/machine/index.js';
import { floatFromBits, floatToBits, formatFloat, Syscall } from '../../runtime/contract/index.js';
import { EDGES32, EDGES64, operands32, operands64 } from './float-operands.js';
import { floatToInteger, integerToFloat } from '../../src/language/type-system/float-constants.js';
import { intType } from '../../src/language/type-system/types.js';

/** Runs `routine` on each argument list and returns its a0 results (a0:a1 when `resultWords` is 2). */
export function runRoutine(routine: string, cases: readonly (readonly number[])[], resultWords = 1): number[][] {
    const argCount = cases[0]?.length ?? 0;
    const loads = Array.from({ length: argCount }, (_, i) => `    lw a${i}, ${4 * i}(s0)`).join('\n');
    const stores = Array.from({ length: resultWords }, (_, i) => `    sw a${i}, ${4 * i}(s1)`).join('\n');
    const bytes = runProgram(`
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
`, 200_000 * cases.length);
    return cases.map((_, i) => Array.from({ length: resultWords }, (_, w) => bytes.readUInt32LE(4 * (i * resultWords + w))));
}

/** Assembles and runs a Linux program on the machine; returns what it wrote to standard output. */
function runProgram(source: string, instructions: number): Buffer {
    const assembly = assemble(source, { sectionAddresses: { '.text': 0x10000, '.data': 0x100000 } });
    expect(assembly.errors).toEqual([]);
    const chunks: Uint8Array[] = [];
    const result = new LinuxProcess(assembledImage(assembly), { stdout: bytes => { chunks.push(bytes.slice()); }, stderr: () => {} }).run(instructions);
    expect(result.termination).toEqual({ kind: 'exit', code: 0 });
    return Buffer.concat(chunks);
}

/**
 * Runs the print routine of the width on each value and returns the lines it writes. The machine runs a
 * Linux process, not the kernel: the routine's two kernel calls (DebugPutChar, DebugWrite) become calls
 * (linked through t6, which is free there) to stand-ins that write to standard output.
 */
function runPrint(bits: 32 | 64, values: readonly bigint[]): string[] {
    const routine = floatRoutines([`call __ukc_print_f${bits}`])
        .replaceAll(`li a7, ${Syscall.DebugPutChar}\n    ecall`, 'jal t6, put_char')
        .replaceAll(`li a7, ${Syscall.DebugWrite}\n    ecall`, 'jal t6, write_text');
    expect(routine).not.toContain('ecall');
    const words = values.map(value => bits === 32 ? [Number(value)] : [Number(value & 0xffffffffn), Number(value >> 32n)]);
    const source = `
_start:
    la s0, inputs
    li s2, ${values.length}
next:
    beqz s2, done
    lw a0, 0(s0)
    lw a1, 4(s0)
    call __ukc_print_f${bits}
    li a0, 10
    jal t6, put_char
    addi s0, s0, 8
    addi s2, s2, -1
    j next
done:
    li a0, 0
    li a7, 93
    ecall
put_char:
    la a1, character
    sb a0, 0(a1)
    li a0, 1
    li a2, 1
    li a7, 64
    ecall
    jr t6
write_text:
    mv a2, a1
    mv a1, a0
    li a0, 1
    li a7, 64
    ecall
    jr t6
${routine}
.data
character:
    .word 0
inputs:
${words.map(([low, high]) => `    .word ${low >>> 0}, ${(high ?? 0) >>> 0}`).join('\n')}
`;
    return runProgram(source, 1_000_000 * values.length).toString('latin1').split('\n').slice(0, -1);
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

/** A deterministic stream of 64-bit integers of every magnitude: random words shifted right by 0..63 bits, either sign. */
function integers64(seed: number): () => bigint {
    const word = operands32(seed);
    const next = () => BigInt(word() >>> 0);
    return () => ((next() << 32n) | next()) >> (next() % 64n);
}

const i64 = (words: number[]) => BigInt.asIntN(64, (BigInt(words[1] >>> 0) << 32n) | BigInt(words[0] >>> 0));
const u64 = (words: number[]) => BigInt.asUintN(64, i64(words));

describe('conversions between floats and integers against the folder and the host', () => {
    const next64 = operands64(1664);
    // Around the ends of every integer range, halfway cases and NaNs among them.
    const boundaries = [2 ** 31, 2 ** 31 - 0.5, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 31) - 0.5, 2 ** 32, 2 ** 32 - 1, 2 ** 32 - 0.25, 2 ** 63, -(2 ** 63),
        2 ** 64, 2 ** 63 - 1024, -(2 ** 63) - 2048, 2 ** 64 - 2048, 2 ** 52 + 0.5, 2 ** 53, -0.5, 0.999999999999, -0.999999999999, 1.5, -1.5, 127.9, -128.9];
    const doubles = [...EDGES64, ...boundaries.map(value => floatToBits(value, 64)), ...Array.from({ length: 10_000 }, next64)];
    const targets = [intType(true, 32), intType(false, 32), intType(true, 64), intType(false, 64)];

    for (const target of targets) {
        const name = `${target.signed ? 'i' : 'u'}${target.bits}`;
        const result = (words: number[]) => target.bits === 32 ? BigInt(target.signed ? words[0] | 0 : words[0] >>> 0) : target.signed ? i64(words) : u64(words);
        it(`__ukc_f64_to_${name} truncates, gives 0 for NaN and saturates, as the folder does, on ${doubles.length} values`, () => {
            const got = runRoutine(`__ukc_f64_to_${name}`, doubles.map(words64), target.bits / 32).map(result);
            expect(got).toEqual(doubles.map(bits => floatToInteger(d(bits), target)));
        }, 60_000);
    }

    const next32 = operands32(3264);
    const singles = [...EDGES32, 0x5effffff, 0x5f000000, 0xdf000000, 0xdf000001, 0x5f7fffff, 0x5f800000, 0x4f000000, 0x4f800000,
        ...Array.from({ length: 10_000 }, () => next32())];
    for (const target of targets.filter(type => type.bits === 64)) {
        const name = `${target.signed ? 'i' : 'u'}64`;
        it(`__ukc_f32_to_${name} truncates, gives 0 for NaN and saturates, as the folder does, on ${singles.length} values`, () => {
            const got = runRoutine(`__ukc_f32_to_${name}`, singles.map(word => [word]), 2).map(words => (target.signed ? i64(words) : u64(words)));
            expect(got).toEqual(singles.map(word => floatToInteger(f(word), target)));
        }, 60_000);
    }

    const integer = integers64(6401);
    const halfway = [(1n << 53n) + 1n, (1n << 53n) + 3n, (1n << 54n) + 2n, (1n << 54n) + 6n, (1n << 24n) + 1n, (1n << 24n) + 3n, ((1n << 24n) + 1n) << 30n,
        ((1n << 53n) + 1n) << 10n, (1n << 63n) - 1n, -(1n << 63n), (1n << 64n) - 1n, 0n, 1n, -1n];
    const wide = [...halfway, ...Array.from({ length: 10_000 }, integer)];
    it(`64-bit integers to f64 and f32 round once, to nearest even, on ${wide.length} values`, () => {
        const cases = wide.map(n => words64(BigInt.asUintN(64, n)));
        const signed = wide.map(n => BigInt.asIntN(64, n));
        const unsigned = wide.map(n => BigInt.asUintN(64, n));
        const asF64 = (values: bigint[]) => values.map(n => floatToBits(integerToFloat(n, 64), 64).toString(16));
        const asF32 = (values: bigint[]) => values.map(n => hex(Number(floatToBits(integerToFloat(n, 32), 32))));
        expect(runRoutine('__ukc_f64_from_i64', cases, 2).map(hex64)).toEqual(asF64(signed));
        expect(runRoutine('__ukc_f64_from_u64', cases, 2).map(hex64)).toEqual(asF64(unsigned));
        expect(runRoutine('__ukc_f32_from_i64', cases).map(([word]) => hex(word))).toEqual(asF32(signed));
        expect(runRoutine('__ukc_f32_from_u64', cases).map(([word]) => hex(word))).toEqual(asF32(unsigned));
        // The folder's rule is the host's: Number() of a BigInt rounds to the nearest double, ties to even.
        expect(asF64(signed)).toEqual(signed.map(n => floatToBits(Number(n), 64).toString(16)));
    }, 60_000);

    it('32-bit integers to f64 are exact', () => {
        const words = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffffffff, ...Array.from({ length: 3000 }, () => next32())].map(word => [word]);
        expect(runRoutine('__ukc_f64_from_i32', words, 2).map(hex64)).toEqual(words.map(([n]) => floatToBits(n | 0, 64).toString(16)));
        expect(runRoutine('__ukc_f64_from_u32', words, 2).map(hex64)).toEqual(words.map(([n]) => floatToBits(n >>> 0, 64).toString(16)));
    });
});

describe('print of floats against formatFloat', () => {
    it('__ukc_print_f64 writes %.17g as formatFloat does: edge cases, subnormals, halfway cases and random doubles', () => {
        const next = operands64(1717);
        const word = operands32(1717);
        const subnormals = Array.from({ length: 200 }, () => (BigInt(word() >>> 0) << 32n | BigInt(word() >>> 0)) & 0x800fffffffffffffn);
        // An odd j over 4 (4e15 <= j < 2^53) has 18 significant digits, the last a 5: exactly halfway at 17.
        const halfway = Array.from({ length: 200 }, () => floatToBits((4e15 + 2 * ((word() >>> 0) % 2e9) + 1) / 4, 64));
        const decimal = [1, 0.1, 1e16, 1e17, 9.999999999999999e16, 1e-4, 9.9999999999999991e-5, 123456789012345680, 5e-324, 1.7976931348623157e308,
            2.2250738585072014e-308, 0.5, 1e21, 1e22, 1e23, 2 ** 63, 1 / 3, -2.5e-300, 1000000000000000.25].map(value => floatToBits(value, 64));
        const values = [...EDGES64, ...decimal, ...subnormals, ...halfway, ...Array.from({ length: 2000 }, next)];
        const expected = values.map(bits => formatFloat(d(bits), 64));
        expect(runPrint(64, values)).toEqual(expected);
        expect(expected.slice(EDGES64.length, EDGES64.length + 7)).toEqual(['1', '0.10000000000000001', '10000000000000000', '1e+17',
            '99999999999999984', '0.0001', '9.9999999999999991e-5']);
        // Halfway at the 17th digit rounds away from zero, where C's printf rounds to even.
        expect(formatFloat(1000000000000000.25, 64)).toBe('1000000000000000.3');
    }, 120_000);

    it('__ukc_print_f32 writes %.9g as formatFloat does', () => {
        const next = operands32(3232);
        const values = [...EDGES32, ...Array.from({ length: 2000 }, () => next())].map(word => BigInt(word >>> 0));
        expect(runPrint(32, values)).toEqual(values.map(bits => formatFloat(floatFromBits(bits, 32), 32)));
    }, 60_000);
});
