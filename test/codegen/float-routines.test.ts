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
import { EDGES32, operands32 } from './float-operands.js';

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
const hex = (word: number) => (word >>> 0).toString(16);

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
