/**
 * f32 and f64 in compiled code: an f32 is one register holding its IEEE 754 bits, an f64 a register pair
 * (low word first), like a 64-bit integer. The machine is RV32IM, without the F and D extensions, so every
 * operation is a call into the soft-float routines (rv32/float-routines.ts), which round as IEEE 754 does
 * (to nearest, ties to even) and give one NaN, the canonical quiet NaN, as the constant folder does.
 */
import type { IntType } from '../../language/index.js';
import type { FunctionBuilder, VReg } from '../ir.js';

export type FloatBits = 32 | 64;

/** The words of a float of `bits` bits. */
function words(bits: FloatBits): number {
    return bits / 32;
}

function call(b: FunctionBuilder, callee: string, args: readonly VReg[], resultWords: number): VReg[] {
    const results = Array.from({ length: resultWords }, () => b.register());
    b.emit({ op: 'call', callee, args, results, convention: 'standard' });
    return results;
}

const ARITHMETIC: Readonly<Record<string, string>> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' };

/** `+ - * /`, rounded to the type. */
export function floatArithmetic(b: FunctionBuilder, operator: string, x: readonly VReg[], y: readonly VReg[], bits: FloatBits): VReg[] {
    return call(b, `__ukc_f${bits}_${ARITHMETIC[operator]}`, [...x, ...y], words(bits));
}

/**
 * `== != < <= > >=` as IEEE 754 orders floats: NaN is unordered (every comparison with it is false but
 * `!=`), and -0 equals 0. The routines answer `<`, `<=` and `==`; the rest swap or negate those.
 */
export function floatCompare(b: FunctionBuilder, operator: string, x: readonly VReg[], y: readonly VReg[], bits: FloatBits): VReg {
    const ask = (test: 'lt' | 'le' | 'eq', p: readonly VReg[], q: readonly VReg[]) => call(b, `__ukc_f${bits}_${test}`, [...p, ...q], 1)[0];
    switch (operator) {
        case '<': return ask('lt', x, y);
        case '<=': return ask('le', x, y);
        case '>': return ask('lt', y, x);
        case '>=': return ask('le', y, x);
        case '==': return ask('eq', x, y);
        default: return b.binary('xor', ask('eq', x, y), b.constant(1));
    }
}

/** `-x`: the sign flipped (also of zeros); a NaN stays the canonical NaN, the only one a program has. */
export function floatNegate(b: FunctionBuilder, x: readonly VReg[], bits: FloatBits): VReg[] {
    return call(b, `__ukc_f${bits}_neg`, x, words(bits));
}

/** `n as f32` / `n as f64` from an integer held in `n` (one register, or a pair for 64 bits), rounded once. */
export function floatFromInteger(b: FunctionBuilder, n: readonly VReg[], source: IntType, bits: FloatBits): VReg[] {
    const from = source.bits === 64 ? `${source.signed ? 'i' : 'u'}64` : source.signed ? 'i32' : 'u32';
    return call(b, `__ukc_f${bits}_from_${from}`, n, words(bits));
}

/**
 * `x as T` for an integer type T: toward zero; NaN gives 0 and values beyond T's range its nearest end
 * (the routines saturate at 32 or 64 bits; a narrower T clamps the 32-bit result once more).
 */
export function floatToInteger(b: FunctionBuilder, x: readonly VReg[], bits: FloatBits, target: IntType): VReg[] {
    if (target.bits === 64) return call(b, `__ukc_f${bits}_to_${target.signed ? 'i' : 'u'}64`, x, 2);
    const whole = call(b, `__ukc_f${bits}_to_${target.signed ? 'i' : 'u'}32`, x, 1)[0];
    if (target.bits === 32) return [whole];
    const min = target.signed ? -(2 ** (target.bits - 1)) : 0;
    const max = target.signed ? 2 ** (target.bits - 1) - 1 : 2 ** target.bits - 1;
    return call(b, target.signed ? '__ukc_clamp_i32' : '__ukc_clamp_u32', [whole, b.constant(min), b.constant(max)], 1);
}

/** f32 -> f64 (exact) and f64 -> f32 (rounded once). */
export function floatResize(b: FunctionBuilder, x: readonly VReg[], from: FloatBits, to: FloatBits): VReg[] {
    if (from === to) return [...x];
    return call(b, from === 32 ? '__ukc_f32_to_f64' : '__ukc_f64_to_f32', x, words(to));
}

/** The print routine of a float type. */
export function floatPrinter(bits: FloatBits): string {
    return `__ukc_print_f${bits}`;
}
