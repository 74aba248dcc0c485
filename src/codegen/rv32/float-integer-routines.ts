/**
 * The soft-float conversions between floats and integers, except integers of up to 32 bits to f32
 * (float-routines.ts, beside f32's pack): f64 to and from every integer, f32 to every integer, and 64-bit
 * integers to f32. Integers to floats round once, to nearest even (through the `pack` routines); floats
 * to integers go toward zero, NaN gives 0 and a value beyond the integer's range its nearest end, as the
 * constant folder's `floatToInteger` does (src/language/type-system/float-constants.ts). 64-bit integers
 * travel in a0:a1, low word first.
 */
import { isNan64, type Routine } from './soft-float-routine.js';

/** Integers to floats: a sign (bit 31 of a0) and a magnitude, rounded by the pack routines. */
const FROM_INTEGERS: Routine[] = [
    {
        name: '__ukc_f64_from_u32',
        uses: ['__ukc_f64_pack'],
        assembly: `
# __ukc_f64_from_u32(a0): the unsigned integer as an f64 (exact).
__ukc_f64_from_u32:
    mv a2, a0
    li a3, 0
    li a0, 0
# __ukc_f64_from_magnitude(a0 = sign bit, a2:a3 = magnitude): the integer, rounded to f64.
__ukc_f64_from_magnitude:
    or t0, a2, a3
    beqz t0, __ukc_f64_from_zero
    li a1, 1078
    j __ukc_f64_pack
__ukc_f64_from_zero:
    li a0, 0
    li a1, 0
    ret`
    },
    {
        name: '__ukc_f64_from_i32',
        uses: ['__ukc_f64_from_u32'],
        assembly: `
# __ukc_f64_from_i32(a0): the signed integer as an f64 (exact).
__ukc_f64_from_i32:
    li t0, 0x80000000
    and t1, a0, t0
    mv a2, a0
    bgez a0, __ukc_f64_from_i32_positive
    neg a2, a0
__ukc_f64_from_i32_positive:
    li a3, 0
    mv a0, t1
    j __ukc_f64_from_magnitude`
    },
    {
        name: '__ukc_f64_from_u64',
        uses: ['__ukc_f64_from_u32'],
        assembly: `
# __ukc_f64_from_u64(a0:a1): the unsigned integer, rounded to f64.
__ukc_f64_from_u64:
    mv a2, a0
    mv a3, a1
    li a0, 0
    j __ukc_f64_from_magnitude`
    },
    {
        name: '__ukc_f64_from_i64',
        uses: ['__ukc_f64_from_u32'],
        assembly: `
# __ukc_f64_from_i64(a0:a1): the signed integer, rounded to f64.
__ukc_f64_from_i64:
${signAndMagnitude64('__ukc_f64_from_i64')}
    j __ukc_f64_from_magnitude`
    },
    {
        name: '__ukc_f32_from_u64',
        uses: ['__ukc_f32_pack'],
        assembly: `
# __ukc_f32_from_u64(a0:a1): the unsigned integer, rounded to f32.
__ukc_f32_from_u64:
    mv a2, a0
    mv a3, a1
    li a0, 0
# __ukc_f32_from_magnitude64(a0 = sign bit, a2:a3 = magnitude): narrowed to 32 bits (what is shifted out
# ORed into bit 0, far below the bits f32 rounds on), then rounded by __ukc_f32_pack.
__ukc_f32_from_magnitude64:
    li a1, 153
__ukc_f32_from_narrow:
    beqz a3, __ukc_f32_from_narrowed
    andi t0, a2, 1
    srli a2, a2, 1
    slli t1, a3, 31
    or a2, a2, t1
    or a2, a2, t0
    srli a3, a3, 1
    addi a1, a1, 1
    j __ukc_f32_from_narrow
__ukc_f32_from_narrowed:
    bnez a2, __ukc_f32_pack
    li a0, 0
    ret`
    },
    {
        name: '__ukc_f32_from_i64',
        uses: ['__ukc_f32_from_u64'],
        assembly: `
# __ukc_f32_from_i64(a0:a1): the signed integer, rounded to f32.
__ukc_f32_from_i64:
${signAndMagnitude64('__ukc_f32_from_i64')}
    j __ukc_f32_from_magnitude64`
    }
];

/** a0:a1 (a signed 64-bit integer) as a0 = its sign bit and a2:a3 = its magnitude. */
function signAndMagnitude64(label: string): string {
    return `    li t0, 0x80000000
    and t1, a1, t0
    mv a2, a0
    mv a3, a1
    bgez a1, ${label}_positive
    snez t0, a0
    neg a2, a0
    neg a3, a1
    sub a3, a3, t0
${label}_positive:
    mv a0, t1`;
}

/**
 * Floats to integers in two steps: `__ukc_f32_whole` / `__ukc_f64_whole` take the float apart the same way
 * for both widths, then one `__ukc_whole_to_*` per integer type truncates and saturates.
 */
const TO_INTEGERS: Routine[] = [
    {
        name: '__ukc_f32_whole',
        uses: [],
        assembly: `
# __ukc_f32_whole(a0): the parts a conversion to an integer needs: a4 = the sign (0 or -1), a5 = 1 for a
# NaN, t1 = the unbiased exponent (far below 0 for zeros and subnormals, which convert to 0), a2:a3 = the
# significand with its leading bit at bit 52 (the value is a2:a3 x 2^(t1 - 52)).
__ukc_f32_whole:
    srai a4, a0, 31
    slli t0, a0, 1
    li t1, 0xff000000
    sltu a5, t1, t0
    srli t1, t0, 24
    addi t1, t1, -127
    li t0, 0x7fffff
    and t0, a0, t0
    li t2, 0x800000
    or t0, t0, t2
    srli a3, t0, 3
    slli a2, t0, 29
    ret`
    },
    {
        name: '__ukc_f64_whole',
        uses: [],
        assembly: `
# __ukc_f64_whole(a0:a1): as __ukc_f32_whole, for an f64.
__ukc_f64_whole:
    srai a4, a1, 31
${isNan64('a5', 'a0', 'a1', 't0')}
    slli t1, a1, 1
    srli t1, t1, 21
    addi t1, t1, -1023
    li t0, 0xfffff
    and a3, a1, t0
    li t0, 0x100000
    or a3, a3, t0
    mv a2, a0
    ret`
    },
    {
        name: '__ukc_whole_shift',
        uses: [],
        assembly: `
# __ukc_whole_shift(a2:a3 = significand, t1 = exponent, 0..63): a2:a3 = the significand x 2^(t1 - 52),
# toward zero. Uses t0, t2.
__ukc_whole_shift:
    addi t2, t1, -52
    bltz t2, __ukc_whole_shift_right
    beqz t2, __ukc_whole_shift_done
    # Left by 1..11: the result stays below 2^64.
    sll a3, a3, t2
    neg t0, t2
    srl t0, a2, t0
    or a3, a3, t0
    sll a2, a2, t2
    ret
__ukc_whole_shift_right:
    neg t2, t2
    li t0, 32
    blt t2, t0, __ukc_whole_shift_below32
    addi t2, t2, -32
    srl a2, a3, t2
    li a3, 0
    ret
__ukc_whole_shift_below32:
    srl a2, a2, t2
    neg t0, t2
    sll t0, a3, t0
    or a2, a2, t0
    srl a3, a3, t2
__ukc_whole_shift_done:
    ret`
    },
    {
        name: '__ukc_whole_to_i32',
        uses: ['__ukc_whole_shift'],
        assembly: `
# __ukc_whole_to_i32(the parts): toward zero; NaN is 0, beyond the range the nearest end.
__ukc_whole_to_i32:
    bnez a5, __ukc_whole_to_i32_zero
    bltz t1, __ukc_whole_to_i32_zero
    li t0, 31
    bge t1, t0, __ukc_whole_to_i32_saturate
    mv a7, ra
    call __ukc_whole_shift
    mv ra, a7
    xor a0, a2, a4
    sub a0, a0, a4
    ret
__ukc_whole_to_i32_saturate:
    li a0, 0x7fffffff
    xor a0, a0, a4
    ret
__ukc_whole_to_i32_zero:
    li a0, 0
    ret`
    },
    {
        name: '__ukc_whole_to_u32',
        uses: ['__ukc_whole_shift'],
        assembly: `
# __ukc_whole_to_u32(the parts): toward zero; NaN and negatives are 0, beyond the range 0xffffffff.
__ukc_whole_to_u32:
    or t0, a5, a4
    bnez t0, __ukc_whole_to_u32_zero
    bltz t1, __ukc_whole_to_u32_zero
    li t0, 32
    bge t1, t0, __ukc_whole_to_u32_saturate
    mv a7, ra
    call __ukc_whole_shift
    mv ra, a7
    mv a0, a2
    ret
__ukc_whole_to_u32_saturate:
    li a0, -1
    ret
__ukc_whole_to_u32_zero:
    li a0, 0
    ret`
    },
    {
        name: '__ukc_whole_to_i64',
        uses: ['__ukc_whole_shift'],
        assembly: `
# __ukc_whole_to_i64(the parts): a0:a1, toward zero; NaN is 0, beyond the range the nearest end.
__ukc_whole_to_i64:
    bnez a5, __ukc_whole_to_i64_zero
    bltz t1, __ukc_whole_to_i64_zero
    li t0, 63
    bge t1, t0, __ukc_whole_to_i64_saturate
    mv a7, ra
    call __ukc_whole_shift
    mv ra, a7
    # Negated when a4 is -1: the complement, plus one.
    xor a2, a2, a4
    xor a3, a3, a4
    sub a0, a2, a4
    sltu t0, a0, a2
    add a1, a3, t0
    ret
__ukc_whole_to_i64_saturate:
    li a0, -1
    li a1, 0x7fffffff
    beqz a4, __ukc_whole_to_i64_done
    li a0, 0
    li a1, 0x80000000
__ukc_whole_to_i64_done:
    ret
__ukc_whole_to_i64_zero:
    li a0, 0
    li a1, 0
    ret`
    },
    {
        name: '__ukc_whole_to_u64',
        uses: ['__ukc_whole_shift'],
        assembly: `
# __ukc_whole_to_u64(the parts): a0:a1, toward zero; NaN and negatives are 0, beyond the range all ones.
__ukc_whole_to_u64:
    or t0, a5, a4
    bnez t0, __ukc_whole_to_u64_zero
    bltz t1, __ukc_whole_to_u64_zero
    li t0, 64
    bge t1, t0, __ukc_whole_to_u64_saturate
    mv a7, ra
    call __ukc_whole_shift
    mv ra, a7
    mv a0, a2
    mv a1, a3
    ret
__ukc_whole_to_u64_saturate:
    li a0, -1
    li a1, -1
    ret
__ukc_whole_to_u64_zero:
    li a0, 0
    li a1, 0
    ret`
    },
    ...(['f32', 'f64'] as const).flatMap(float => (['i32', 'u32', 'i64', 'u64'] as const).map(integer => toInteger(float, integer)))
];

/** `__ukc_<float>_to_<integer>`: the float taken apart, then the integer type's conversion. */
function toInteger(float: 'f32' | 'f64', integer: 'i32' | 'u32' | 'i64' | 'u64'): Routine {
    const name = `__ukc_${float}_to_${integer}`;
    return {
        name,
        uses: [`__ukc_${float}_whole`, `__ukc_whole_to_${integer}`],
        assembly: `
# ${name}(${float === 'f32' ? 'a0' : 'a0:a1'}): toward zero; NaN is 0, beyond the range the nearest end.
${name}:
    mv a6, ra
    call __ukc_${float}_whole
    mv ra, a6
    j __ukc_whole_to_${integer}`
    };
}

export const INTEGER_CONVERSIONS: readonly Routine[] = [...FROM_INTEGERS, ...TO_INTEGERS];
