/**
 * The soft-float runtime library, in RV32IM assembly for a machine without the F and D extensions: IEEE 754
 * binary32 and binary64 arithmetic, comparison and negation, binary32's conversions from 32-bit
 * integers, and conversions between binary64 and binary32; with the other integer conversions
 * (float-integer-routines.ts) and `print` (float-print-routines.ts) it is every routine compiled code
 * calls, collected here (`floatRoutines`). Every result is the one IEEE 754
 * defines for round-to-nearest-even, subnormals included; an invalid operation (0/0, inf - inf, inf * 0, a
 * NaN operand) gives the canonical quiet NaN 0x7fc00000 (0x7ff8000000000000 for f64; a NaN operand's
 * payload is not kept). Only the routines a component calls are emitted (`floatRoutines`), with those they
 * call in turn.
 *
 * Internally a finite nonzero f32 in flight is a sign (bit 31 of a0), a biased exponent e (a1) and a
 * significand m (a2) worth m x 2^(e - 153): m's leading bit at bit 26 makes it 1.f x 2^(e - 127), three
 * bits below the 24 kept (guard, round, and a sticky bit that ORs everything further down), as in the
 * classic hardware adder. `__ukc_f32_pack` normalises such a triple, rounds it and encodes it; the f64
 * routines do the same with a 64-bit significand in a2:a3 and `__ukc_f64_pack`.
 *
 * Standard calling convention: arguments in a0.. (an f64 in a pair, low word first), result in a0 (a0:a1);
 * only a and t registers are used.
 */
import { INTEGER_CONVERSIONS } from './float-integer-routines.js';
import { PRINT_FLOATS } from './float-print-routines.js';
import { isNan64, type Routine } from './soft-float-routine.js';



const QUIET_NAN_32 = 0x7fc00000;

/** Sets the register to 1 when `reg` holds a NaN's bits (exponent all ones, fraction nonzero). */
function isNan32(out: string, reg: string, scratch: string): string {
    return `    slli ${scratch}, ${reg}, 1
    li ${out}, 0xff000000
    sltu ${out}, ${out}, ${scratch}`;
}


const F32: Routine[] = [
    {
        name: '__ukc_f32_pack',
        uses: [],
        assembly: `
# __ukc_f32_pack(a0 = sign bit, a1 = biased exponent, a2 = significand, nonzero): the f32 nearest to
# a2 x 2^(a1 - 153), ties to even, with the sign; overflow gives infinity, underflow a subnormal or zero.
__ukc_f32_pack:
    li t0, 0x8000000
__ukc_f32_pack_right:
    bltu a2, t0, __ukc_f32_pack_left
    andi t1, a2, 1
    srli a2, a2, 1
    or a2, a2, t1
    addi a1, a1, 1
    j __ukc_f32_pack_right
__ukc_f32_pack_left:
    li t0, 0x4000000
    li t2, 1
__ukc_f32_pack_left_loop:
    bgeu a2, t0, __ukc_f32_pack_tiny
    bge t2, a1, __ukc_f32_pack_tiny
    slli a2, a2, 1
    addi a1, a1, -1
    j __ukc_f32_pack_left_loop
__ukc_f32_pack_tiny:
    bge a1, t2, __ukc_f32_pack_round
    # Below the normal range: shift right to exponent 1 (the subnormals' scale), keeping a sticky bit.
    sub t1, t2, a1
    li a1, 1
    li t0, 31
    bltu t1, t0, __ukc_f32_pack_shift
    snez a2, a2
    j __ukc_f32_pack_round
__ukc_f32_pack_shift:
    neg t0, t1
    sll t0, a2, t0
    snez t0, t0
    srl a2, a2, t1
    or a2, a2, t0
__ukc_f32_pack_round:
    andi t0, a2, 7
    srli a2, a2, 3
    li t1, 4
    blt t0, t1, __ukc_f32_pack_encode
    bne t0, t1, __ukc_f32_pack_up
    andi t1, a2, 1
    beqz t1, __ukc_f32_pack_encode
__ukc_f32_pack_up:
    addi a2, a2, 1
    li t0, 0x1000000
    bltu a2, t0, __ukc_f32_pack_encode
    srli a2, a2, 1
    addi a1, a1, 1
__ukc_f32_pack_encode:
    li t0, 0x800000
    bgeu a2, t0, __ukc_f32_pack_normal
    li a1, 0
__ukc_f32_pack_normal:
    li t0, 255
    bge a1, t0, __ukc_f32_pack_infinity
    slli a1, a1, 23
    li t0, 0x7fffff
    and a2, a2, t0
    or a0, a0, a1
    or a0, a0, a2
    ret
__ukc_f32_pack_infinity:
    li t0, 0x7f800000
    or a0, a0, t0
    ret`
    },
    {
        name: '__ukc_f32_nan',
        uses: [],
        assembly: `
__ukc_f32_nan:
    li a0, ${QUIET_NAN_32}
    ret`
    },
    {
        name: '__ukc_f32_unpack',
        uses: [],
        assembly: `
# __ukc_f32_unpack(a3 = bits): a4 = biased exponent (1 for subnormals), a5 = significand with its leading
# bit at bit 23 (subnormals shifted up, the exponent lowered to match). a3 is finite and nonzero.
__ukc_f32_unpack:
    srli a4, a3, 23
    andi a4, a4, 255
    li t0, 0x7fffff
    and a5, a3, t0
    beqz a4, __ukc_f32_unpack_subnormal
    li t0, 0x800000
    or a5, a5, t0
    ret
__ukc_f32_unpack_subnormal:
    li a4, 1
    li t0, 0x800000
__ukc_f32_unpack_shift:
    bgeu a5, t0, __ukc_f32_unpack_done
    slli a5, a5, 1
    addi a4, a4, -1
    j __ukc_f32_unpack_shift
__ukc_f32_unpack_done:
    ret`
    },
    {
        name: '__ukc_f32_sub',
        uses: ['__ukc_f32_add'],
        assembly: `
# __ukc_f32_sub(a0, a1): a0 - a1, as a0 + (-a1).
__ukc_f32_sub:
    li t0, 0x80000000
    xor a1, a1, t0
    j __ukc_f32_add`
    },
    {
        name: '__ukc_f32_add',
        uses: ['__ukc_f32_pack', '__ukc_f32_nan'],
        assembly: `
# __ukc_f32_add(a0, a1): a0 + a1.
__ukc_f32_add:
    li t0, 0x7fffffff
    and t1, a0, t0
    and t2, a1, t0
    li t0, 0x7f800000
    bgeu t1, t0, __ukc_f32_add_special
    bgeu t2, t0, __ukc_f32_add_special
    # Order by magnitude: a0 the larger.
    bgeu t1, t2, __ukc_f32_add_ordered
    mv t3, a0
    mv a0, a1
    mv a1, t3
    mv t3, t1
    mv t1, t2
    mv t2, t3
__ukc_f32_add_ordered:
    bnez t2, __ukc_f32_add_nonzero
    # x + 0 is x, but +0 + -0 is +0 and -0 + -0 is -0.
    bnez t1, __ukc_f32_add_larger
    and a0, a0, a1
__ukc_f32_add_larger:
    ret
__ukc_f32_add_nonzero:
    # Exponents (1 for subnormals) and significands with three extra bits below.
    srli t3, t1, 23
    li t0, 0x7fffff
    and t4, t1, t0
    beqz t3, __ukc_f32_add_a_subnormal
    li t0, 0x800000
    or t4, t4, t0
    j __ukc_f32_add_a_done
__ukc_f32_add_a_subnormal:
    li t3, 1
__ukc_f32_add_a_done:
    srli t5, t2, 23
    li t0, 0x7fffff
    and t6, t2, t0
    beqz t5, __ukc_f32_add_b_subnormal
    li t0, 0x800000
    or t6, t6, t0
    j __ukc_f32_add_b_done
__ukc_f32_add_b_subnormal:
    li t5, 1
__ukc_f32_add_b_done:
    slli t4, t4, 3
    slli t6, t6, 3
    # Align the smaller: shift right by the exponent difference, ORing what falls off into bit 0.
    sub t5, t3, t5
    beqz t5, __ukc_f32_add_aligned
    li t0, 27
    bltu t5, t0, __ukc_f32_add_shift
    li t6, 1
    j __ukc_f32_add_aligned
__ukc_f32_add_shift:
    neg t0, t5
    sll t0, t6, t0
    snez t0, t0
    srl t6, t6, t5
    or t6, t6, t0
__ukc_f32_add_aligned:
    xor t0, a0, a1
    li a1, 0x80000000
    and a0, a0, a1
    bltz t0, __ukc_f32_add_subtract
    add a2, t4, t6
    mv a1, t3
    j __ukc_f32_pack
__ukc_f32_add_subtract:
    sub a2, t4, t6
    mv a1, t3
    bnez a2, __ukc_f32_pack
    # Exact cancellation gives +0.
    li a0, 0
    ret
__ukc_f32_add_special:
    # An infinity or a NaN: NaN in, NaN out; inf - inf is NaN; otherwise the infinity.
    bltu t0, t1, __ukc_f32_nan
    bltu t0, t2, __ukc_f32_nan
    bne t1, t2, __ukc_f32_add_one_infinite
    bne a0, a1, __ukc_f32_nan
    ret
__ukc_f32_add_one_infinite:
    beq t1, t0, __ukc_f32_add_larger
    mv a0, a1
    ret`
    },
    {
        name: '__ukc_f32_mul',
        uses: ['__ukc_f32_pack', '__ukc_f32_unpack', '__ukc_f32_nan'],
        assembly: `
# __ukc_f32_mul(a0, a1): a0 x a1.
__ukc_f32_mul:
    xor a6, a0, a1
    li t0, 0x80000000
    and a6, a6, t0
    li t0, 0x7fffffff
    and t1, a0, t0
    and t2, a1, t0
    li t0, 0x7f800000
    bgeu t1, t0, __ukc_f32_mul_special
    bgeu t2, t0, __ukc_f32_mul_special
    beqz t1, __ukc_f32_mul_zero
    beqz t2, __ukc_f32_mul_zero
    mv a7, ra
    mv a3, t1
    mv t6, t2
    call __ukc_f32_unpack
    mv t4, a4
    mv t5, a5
    mv a3, t6
    call __ukc_f32_unpack
    mv ra, a7
    # 24 x 24 bits: a product of 47 or 48 bits, of which the top 28 go on and the rest is sticky.
    mul t0, t5, a5
    mulhu t1, t5, a5
    slli t1, t1, 12
    srli t2, t0, 20
    or a2, t1, t2
    slli t0, t0, 12
    snez t0, t0
    or a2, a2, t0
    add a1, t4, a4
    addi a1, a1, -127
    mv a0, a6
    j __ukc_f32_pack
__ukc_f32_mul_zero:
    mv a0, a6
    ret
__ukc_f32_mul_special:
    bltu t0, t1, __ukc_f32_nan
    bltu t0, t2, __ukc_f32_nan
    # inf x 0 is NaN; inf x anything else is inf.
    beqz t1, __ukc_f32_nan
    beqz t2, __ukc_f32_nan
    or a0, a6, t0
    ret`
    },
    {
        name: '__ukc_f32_div',
        uses: ['__ukc_f32_pack', '__ukc_f32_unpack', '__ukc_f32_nan'],
        assembly: `
# __ukc_f32_div(a0, a1): a0 / a1.
__ukc_f32_div:
    xor a6, a0, a1
    li t0, 0x80000000
    and a6, a6, t0
    li t0, 0x7fffffff
    and t1, a0, t0
    and t2, a1, t0
    li t0, 0x7f800000
    bltu t0, t1, __ukc_f32_nan
    bltu t0, t2, __ukc_f32_nan
    beq t1, t0, __ukc_f32_div_infinite_dividend
    beq t2, t0, __ukc_f32_div_zero
    beqz t2, __ukc_f32_div_by_zero
    beqz t1, __ukc_f32_div_zero
    mv a7, ra
    mv a3, t1
    mv t6, t2
    call __ukc_f32_unpack
    mv t4, a4
    mv t5, a5
    mv a3, t6
    call __ukc_f32_unpack
    mv ra, a7
    # 28 quotient bits of t5 / a5 (their ratio is between 1/2 and 2), then a sticky bit for the rest.
    li t0, 28
    li a2, 0
__ukc_f32_div_bit:
    slli a2, a2, 1
    bltu t5, a5, __ukc_f32_div_next
    sub t5, t5, a5
    ori a2, a2, 1
__ukc_f32_div_next:
    slli t5, t5, 1
    addi t0, t0, -1
    bnez t0, __ukc_f32_div_bit
    snez t5, t5
    or a2, a2, t5
    sub a1, t4, a4
    addi a1, a1, 126
    mv a0, a6
    j __ukc_f32_pack
__ukc_f32_div_infinite_dividend:
    beq t2, t0, __ukc_f32_nan
__ukc_f32_div_infinity:
    or a0, a6, t0
    ret
__ukc_f32_div_by_zero:
    beqz t1, __ukc_f32_nan
    j __ukc_f32_div_infinity
__ukc_f32_div_zero:
    mv a0, a6
    ret`
    },
    {
        name: '__ukc_f32_order',
        uses: [],
        assembly: `
# __ukc_f32_order(a0, a1): a2 = 1 when either is a NaN (unordered); else a0, a1 become integers that
# order as the floats do (-0 and 0 both 0), for the comparisons below.
__ukc_f32_order:
${isNan32('a2', 'a0', 't0')}
${isNan32('t1', 'a1', 't0')}
    or a2, a2, t1
    bgez a0, __ukc_f32_order_b
    slli a0, a0, 1
    srli a0, a0, 1
    neg a0, a0
__ukc_f32_order_b:
    bgez a1, __ukc_f32_order_done
    slli a1, a1, 1
    srli a1, a1, 1
    neg a1, a1
__ukc_f32_order_done:
    ret`
    },
    {
        name: '__ukc_f32_lt',
        uses: ['__ukc_f32_order'],
        assembly: `
# __ukc_f32_lt(a0, a1): a0 < a1 (false when unordered).
__ukc_f32_lt:
    mv a7, ra
    call __ukc_f32_order
    mv ra, a7
    slt a0, a0, a1
    seqz a2, a2
    and a0, a0, a2
    ret`
    },
    {
        name: '__ukc_f32_le',
        uses: ['__ukc_f32_order'],
        assembly: `
# __ukc_f32_le(a0, a1): a0 <= a1 (false when unordered).
__ukc_f32_le:
    mv a7, ra
    call __ukc_f32_order
    mv ra, a7
    slt a0, a1, a0
    or a0, a0, a2
    seqz a0, a0
    ret`
    },
    {
        name: '__ukc_f32_eq',
        uses: ['__ukc_f32_order'],
        assembly: `
# __ukc_f32_eq(a0, a1): a0 == a1 (false when unordered; -0 == 0).
__ukc_f32_eq:
    mv a7, ra
    call __ukc_f32_order
    mv ra, a7
    xor a0, a0, a1
    or a0, a0, a2
    seqz a0, a0
    ret`
    },
    {
        name: '__ukc_f32_from_u32',
        uses: ['__ukc_f32_pack'],
        assembly: `
# __ukc_f32_from_u32(a0): the unsigned integer, rounded to f32.
__ukc_f32_from_u32:
    mv a2, a0
    li a0, 0
__ukc_f32_from_magnitude:
    beqz a2, __ukc_f32_from_zero
    li a1, 153
    j __ukc_f32_pack
__ukc_f32_from_zero:
    li a0, 0
    ret`
    },
    {
        name: '__ukc_f32_from_i32',
        uses: ['__ukc_f32_from_u32'],
        assembly: `
# __ukc_f32_from_i32(a0): the signed integer, rounded to f32.
__ukc_f32_from_i32:
    li t0, 0x80000000
    and t1, a0, t0
    mv a2, a0
    bgez a0, __ukc_f32_from_i32_positive
    neg a2, a0
__ukc_f32_from_i32_positive:
    mv a0, t1
    j __ukc_f32_from_magnitude`
    },
    {
        name: '__ukc_f32_neg',
        uses: ['__ukc_f32_nan'],
        assembly: `
# __ukc_f32_neg(a0): -a0, the sign flipped; a NaN stays the canonical NaN.
__ukc_f32_neg:
${isNan32('t1', 'a0', 't0')}
    bnez t1, __ukc_f32_nan
    li t0, 0x80000000
    xor a0, a0, t0
    ret`
    },
    {
        name: '__ukc_f64_neg',
        uses: ['__ukc_f64_nan'],
        assembly: `
# __ukc_f64_neg(a0:a1): -(a0:a1), the sign flipped; a NaN becomes the canonical NaN 0x7ff8000000000000.
__ukc_f64_neg:
${isNan64('t1', 'a0', 'a1', 't0')}
    bnez t1, __ukc_f64_nan
    li t0, 0x80000000
    xor a1, a1, t0
    ret`
    },
    {
        name: '__ukc_f32_to_f64',
        uses: ['__ukc_f32_unpack'],
        assembly: `
# __ukc_f32_to_f64(a0): a0:a1, the same value as an f64 (exact); a NaN becomes the canonical f64 NaN.
__ukc_f32_to_f64:
    li t0, 0x80000000
    and t6, a0, t0
    slli t1, a0, 1
    li t0, 0xff000000
    bltu t0, t1, __ukc_f32_to_f64_nan
    beq t0, t1, __ukc_f32_to_f64_infinity
    bnez t1, __ukc_f32_to_f64_finite
    li a0, 0
    mv a1, t6
    ret
__ukc_f32_to_f64_finite:
    mv a7, ra
    mv a3, a0
    call __ukc_f32_unpack
    mv ra, a7
    addi a4, a4, 896
    slli a4, a4, 20
    li t0, 0x7fffff
    and a5, a5, t0
    srli a1, a5, 3
    or a1, a1, a4
    or a1, a1, t6
    slli a0, a5, 29
    ret
__ukc_f32_to_f64_infinity:
    li a0, 0
    li a1, 0x7ff00000
    or a1, a1, t6
    ret
__ukc_f32_to_f64_nan:
    li a0, 0
    li a1, 0x7ff80000
    ret`
    },
    {
        name: '__ukc_f64_to_f32',
        uses: ['__ukc_f32_pack', '__ukc_f32_nan'],
        assembly: `
# __ukc_f64_to_f32(a0:a1): the f64 rounded to f32 (ties to even); overflow gives infinity, NaN the canonical one.
__ukc_f64_to_f32:
    li t0, 0x80000000
    and t6, a1, t0
    slli t1, a1, 1
    li t0, 0xffe00000
    bltu t0, t1, __ukc_f32_nan
    bne t0, t1, __ukc_f64_to_f32_finite
    bnez a0, __ukc_f32_nan
    li a0, 0x7f800000
    or a0, a0, t6
    ret
__ukc_f64_to_f32_finite:
    srli t2, t1, 21
    bnez t2, __ukc_f64_to_f32_normal
    # Zero, or an f64 subnormal: far below half of f32's smallest subnormal, so a signed zero.
    mv a0, t6
    ret
__ukc_f64_to_f32_normal:
    # The 53-bit significand's top 28 bits, and a sticky bit for the other 25; worth m x 2^(e - 1050).
    li t0, 0xfffff
    and t3, a1, t0
    li t0, 0x100000
    or t3, t3, t0
    slli t3, t3, 7
    srli t4, a0, 25
    or a2, t3, t4
    slli t4, a0, 7
    snez t4, t4
    or a2, a2, t4
    addi a1, t2, -897
    mv a0, t6
    j __ukc_f32_pack`
    },
    {
        name: '__ukc_f64_order',
        uses: [],
        assembly: `
# __ukc_f64_order(a0:a1, a2:a3): a4 = 1 when either is a NaN (unordered); else each pair becomes a 64-bit
# integer that orders as the floats do (-0 and 0 both 0), for the comparisons below.
__ukc_f64_order:
    li t0, 0xffe00000
    slli t1, a1, 1
    sltu a4, t0, t1
    xor t2, t1, t0
    seqz t2, t2
    snez t3, a0
    and t2, t2, t3
    or a4, a4, t2
    slli t1, a3, 1
    sltu t2, t0, t1
    or a4, a4, t2
    xor t2, t1, t0
    seqz t2, t2
    snez t3, a2
    and t2, t2, t3
    or a4, a4, t2
    bgez a1, __ukc_f64_order_b
    slli a1, a1, 1
    srli a1, a1, 1
    snez t1, a0
    neg a0, a0
    neg a1, a1
    sub a1, a1, t1
__ukc_f64_order_b:
    bgez a3, __ukc_f64_order_done
    slli a3, a3, 1
    srli a3, a3, 1
    snez t1, a2
    neg a2, a2
    neg a3, a3
    sub a3, a3, t1
__ukc_f64_order_done:
    ret`
    },
    {
        name: '__ukc_f64_lt',
        uses: ['__ukc_f64_order'],
        assembly: `
# __ukc_f64_lt(a0:a1, a2:a3): a < b (false when unordered).
__ukc_f64_lt:
    mv a7, ra
    call __ukc_f64_order
    mv ra, a7
    slt t0, a1, a3
    xor t1, a1, a3
    seqz t1, t1
    sltu t2, a0, a2
    and t1, t1, t2
    or a0, t0, t1
    seqz a4, a4
    and a0, a0, a4
    ret`
    },
    {
        name: '__ukc_f64_le',
        uses: ['__ukc_f64_order'],
        assembly: `
# __ukc_f64_le(a0:a1, a2:a3): a <= b (false when unordered), as not b < a.
__ukc_f64_le:
    mv a7, ra
    call __ukc_f64_order
    mv ra, a7
    slt t0, a3, a1
    xor t1, a1, a3
    seqz t1, t1
    sltu t2, a2, a0
    and t1, t1, t2
    or a0, t0, t1
    or a0, a0, a4
    seqz a0, a0
    ret`
    },
    {
        name: '__ukc_f64_eq',
        uses: ['__ukc_f64_order'],
        assembly: `
# __ukc_f64_eq(a0:a1, a2:a3): a == b (false when unordered; -0 == 0).
__ukc_f64_eq:
    mv a7, ra
    call __ukc_f64_order
    mv ra, a7
    xor a0, a0, a2
    xor a1, a1, a3
    or a0, a0, a1
    or a0, a0, a4
    seqz a0, a0
    ret`
    },
    {
        name: '__ukc_clamp_i32',
        uses: [],
        assembly: `
# __ukc_clamp_i32(a0, a1 = min, a2 = max): a0 limited to min..max (signed).
__ukc_clamp_i32:
    bge a0, a1, __ukc_clamp_i32_high
    mv a0, a1
__ukc_clamp_i32_high:
    bge a2, a0, __ukc_clamp_i32_done
    mv a0, a2
__ukc_clamp_i32_done:
    ret`
    },
    {
        name: '__ukc_clamp_u32',
        uses: [],
        assembly: `
# __ukc_clamp_u32(a0, a1 = min, a2 = max): a0 limited to min..max (unsigned).
__ukc_clamp_u32:
    bgeu a0, a1, __ukc_clamp_u32_high
    mv a0, a1
__ukc_clamp_u32_high:
    bgeu a2, a0, __ukc_clamp_u32_done
    mv a0, a2
__ukc_clamp_u32_done:
    ret`
    }
];

/**
 * Shifts the 64-bit `lo`:`hi` right by `count` (0 and up, clobbered), ORing every bit shifted out into
 * bit 0 (the sticky bit). Labels start with `label`.
 */
function shiftRightSticky64(label: string, lo: string, hi: string, count: string, s1: string, s2: string): string {
    return `    beqz ${count}, ${label}_done
    li ${s1}, 64
    bltu ${count}, ${s1}, ${label}_below64
    or ${lo}, ${lo}, ${hi}
    snez ${lo}, ${lo}
    li ${hi}, 0
    j ${label}_done
${label}_below64:
    li ${s1}, 32
    bltu ${count}, ${s1}, ${label}_below32
    # The whole low word and the high word's lowest (count - 32) bits fall off.
    addi ${count}, ${count}, -32
    li ${s1}, 1
    sll ${s1}, ${s1}, ${count}
    addi ${s1}, ${s1}, -1
    and ${s1}, ${s1}, ${hi}
    or ${s1}, ${s1}, ${lo}
    snez ${s1}, ${s1}
    srl ${lo}, ${hi}, ${count}
    or ${lo}, ${lo}, ${s1}
    li ${hi}, 0
    j ${label}_done
${label}_below32:
    li ${s1}, 1
    sll ${s1}, ${s1}, ${count}
    addi ${s1}, ${s1}, -1
    and ${s1}, ${s1}, ${lo}
    snez ${s1}, ${s1}
    srl ${lo}, ${lo}, ${count}
    neg ${s2}, ${count}
    sll ${s2}, ${hi}, ${s2}
    or ${lo}, ${lo}, ${s2}
    or ${lo}, ${lo}, ${s1}
    srl ${hi}, ${hi}, ${count}
${label}_done:`;
}

/** The high word of an f64's significand, from its high word `hi` (the fraction's top 20 bits, with the implicit 1 unless subnormal) and its exponent (1 for subnormals). */
function splitF64(label: string, hi: string, exponent: string, significandHigh: string, scratch: string): string {
    return `    srli ${exponent}, ${hi}, 20
    andi ${exponent}, ${exponent}, 2047
    li ${scratch}, 0xfffff
    and ${significandHigh}, ${hi}, ${scratch}
    beqz ${exponent}, ${label}_subnormal
    li ${scratch}, 0x100000
    or ${significandHigh}, ${significandHigh}, ${scratch}
    j ${label}_done
${label}_subnormal:
    li ${exponent}, 1
${label}_done:`;
}

/**
 * The start of f64 x and /, operands a0:a1 and a2:a3: the result's sign in a6 (bit 31), the high words
 * without their signs in t1 and t2, and the infinite/NaN exponent's high word in t0.
 */
function productSignAndMagnitudes64(): string {
    return `    xor a6, a1, a3
    li t0, 0x80000000
    and a6, a6, t0
    li t0, 0x7fffffff
    and t1, a1, t0
    and t2, a3, t0
    li t0, 0x7ff00000`;
}

/**
 * Both finite nonzero operands of x or / unpacked: the first's significand to a0:a1 and exponent to t4,
 * the second's to a4:a5 and t6 (__ukc_f64_unpack works on a4:a5 and answers the exponent in t6). The
 * return address is kept in a7 across the calls.
 */
function unpackOperands64(): string {
    return `    mv a7, ra
    mv a4, a0
    mv a5, a1
    call __ukc_f64_unpack
    mv a0, a4
    mv a1, a5
    mv t4, t6
    mv a4, a2
    mv a5, a3
    call __ukc_f64_unpack
    mv ra, a7`;
}

/**
 * binary64 arithmetic, as the f32 routines above but on register pairs (low word first): a value in
 * flight is a sign (bit 31 of a0), a biased exponent e (a1) and a 64-bit significand m (a2 low, a3 high)
 * worth m x 2^(e - 1078), its leading bit at bit 55: 53 kept bits, then guard, round and sticky.
 */
const F64: Routine[] = [
    {
        name: '__ukc_f64_pack',
        uses: [],
        assembly: `
# __ukc_f64_pack(a0 = sign bit, a1 = biased exponent, a2:a3 = significand, nonzero): the f64 nearest to
# a2:a3 x 2^(a1 - 1078), ties to even, with the sign, in a0:a1; overflow gives infinity, underflow a
# subnormal or zero.
__ukc_f64_pack:
    li t0, 0x1000000
__ukc_f64_pack_right:
    bltu a3, t0, __ukc_f64_pack_left
    andi t1, a2, 1
    srli a2, a2, 1
    slli t2, a3, 31
    or a2, a2, t2
    or a2, a2, t1
    srli a3, a3, 1
    addi a1, a1, 1
    j __ukc_f64_pack_right
__ukc_f64_pack_left:
    li t0, 0x800000
    li t2, 1
__ukc_f64_pack_left_loop:
    bgeu a3, t0, __ukc_f64_pack_tiny
    bge t2, a1, __ukc_f64_pack_tiny
    slli a3, a3, 1
    srli t1, a2, 31
    or a3, a3, t1
    slli a2, a2, 1
    addi a1, a1, -1
    j __ukc_f64_pack_left_loop
__ukc_f64_pack_tiny:
    bge a1, t2, __ukc_f64_pack_round
    # Below the normal range: shift right to exponent 1 (the subnormals' scale), keeping a sticky bit.
    sub t1, t2, a1
    li a1, 1
${shiftRightSticky64('__ukc_f64_pack_shift', 'a2', 'a3', 't1', 't0', 't2')}
__ukc_f64_pack_round:
    andi t0, a2, 7
    srli a2, a2, 3
    slli t1, a3, 29
    or a2, a2, t1
    srli a3, a3, 3
    li t1, 4
    blt t0, t1, __ukc_f64_pack_encode
    bne t0, t1, __ukc_f64_pack_up
    andi t1, a2, 1
    beqz t1, __ukc_f64_pack_encode
__ukc_f64_pack_up:
    addi a2, a2, 1
    seqz t1, a2
    add a3, a3, t1
    li t0, 0x200000
    bltu a3, t0, __ukc_f64_pack_encode
    # Rounded up to 2^53 (the low word is 0): one more bit of exponent.
    srli a3, a3, 1
    addi a1, a1, 1
__ukc_f64_pack_encode:
    li t0, 0x100000
    bgeu a3, t0, __ukc_f64_pack_normal
    li a1, 0
__ukc_f64_pack_normal:
    li t0, 2047
    bge a1, t0, __ukc_f64_pack_infinity
    slli a1, a1, 20
    li t0, 0xfffff
    and a3, a3, t0
    or a1, a1, a0
    or a1, a1, a3
    mv a0, a2
    ret
__ukc_f64_pack_infinity:
    li a1, 0x7ff00000
    or a1, a1, a0
    li a0, 0
    ret`
    },
    {
        name: '__ukc_f64_nan',
        uses: [],
        assembly: `
__ukc_f64_nan:
    li a0, 0
    li a1, 0x7ff80000
    ret`
    },
    {
        name: '__ukc_f64_unpack',
        uses: [],
        assembly: `
# __ukc_f64_unpack(a4:a5 = bits, finite and nonzero): a4:a5 = significand with its leading bit at bit 52
# (subnormals shifted up), t6 = biased exponent (1 for subnormals, lowered to match the shift). Uses t0.
__ukc_f64_unpack:
${splitF64('__ukc_f64_unpack_split', 'a5', 't6', 'a5', 't0')}
__ukc_f64_unpack_shift:
    li t0, 0x100000
    bgeu a5, t0, __ukc_f64_unpack_done
    slli a5, a5, 1
    srli t0, a4, 31
    or a5, a5, t0
    slli a4, a4, 1
    addi t6, t6, -1
    j __ukc_f64_unpack_shift
__ukc_f64_unpack_done:
    ret`
    },
    {
        name: '__ukc_f64_sub',
        uses: ['__ukc_f64_add'],
        assembly: `
# __ukc_f64_sub(a0:a1, a2:a3): a - b, as a + (-b).
__ukc_f64_sub:
    li t0, 0x80000000
    xor a3, a3, t0
    j __ukc_f64_add`
    },
    {
        name: '__ukc_f64_add',
        uses: ['__ukc_f64_pack', '__ukc_f64_nan'],
        assembly: `
# __ukc_f64_add(a0:a1, a2:a3): a + b.
__ukc_f64_add:
    li t0, 0x7fffffff
    and t1, a1, t0
    and t2, a3, t0
    li t0, 0x7ff00000
    bgeu t1, t0, __ukc_f64_add_special
    bgeu t2, t0, __ukc_f64_add_special
    # Order by magnitude: a the larger.
    bltu t2, t1, __ukc_f64_add_ordered
    bne t1, t2, __ukc_f64_add_swap
    bgeu a0, a2, __ukc_f64_add_ordered
__ukc_f64_add_swap:
    mv t3, a0
    mv a0, a2
    mv a2, t3
    mv t3, a1
    mv a1, a3
    mv a3, t3
    mv t3, t1
    mv t1, t2
    mv t2, t3
__ukc_f64_add_ordered:
    or t3, t2, a2
    bnez t3, __ukc_f64_add_nonzero
    # x + 0 is x, but +0 + -0 is +0 and -0 + -0 is -0.
    or t3, t1, a0
    bnez t3, __ukc_f64_add_larger
    and a1, a1, a3
__ukc_f64_add_larger:
    ret
__ukc_f64_add_nonzero:
    # a6: the signs differ (bit 31); a7: the result's sign.
    xor a6, a1, a3
    li t0, 0x80000000
    and a7, a1, t0
    # Exponents t3, t5; significands a0:t4, a2:t6, with three extra bits below.
${splitF64('__ukc_f64_add_a', 't1', 't3', 't4', 't0')}
${splitF64('__ukc_f64_add_b', 't2', 't5', 't6', 't0')}
    slli t4, t4, 3
    srli t0, a0, 29
    or t4, t4, t0
    slli a0, a0, 3
    slli t6, t6, 3
    srli t0, a2, 29
    or t6, t6, t0
    slli a2, a2, 3
    # Align the smaller: shift right by the exponent difference, ORing what falls off into bit 0.
    sub t5, t3, t5
${shiftRightSticky64('__ukc_f64_add_align', 'a2', 't6', 't5', 't0', 't1')}
    mv a1, t3
    bltz a6, __ukc_f64_add_subtract
    add a2, a0, a2
    sltu t0, a2, a0
    add a3, t4, t6
    add a3, a3, t0
    mv a0, a7
    j __ukc_f64_pack
__ukc_f64_add_subtract:
    sltu t0, a0, a2
    sub a2, a0, a2
    sub a3, t4, t6
    sub a3, a3, t0
    mv a0, a7
    or t0, a2, a3
    bnez t0, __ukc_f64_pack
    # Exact cancellation gives +0.
    li a0, 0
    li a1, 0
    ret
__ukc_f64_add_special:
    # An infinity or a NaN: NaN in, NaN out; inf - inf is NaN; otherwise the infinity.
${isNan64('t3', 'a0', 'a1', 't4')}
    bnez t3, __ukc_f64_nan
${isNan64('t3', 'a2', 'a3', 't4')}
    bnez t3, __ukc_f64_nan
    bne t1, t2, __ukc_f64_add_one_infinite
    bne a1, a3, __ukc_f64_nan
    ret
__ukc_f64_add_one_infinite:
    beq t1, t0, __ukc_f64_add_larger
    mv a0, a2
    mv a1, a3
    ret`
    },
    {
        name: '__ukc_f64_mul',
        uses: ['__ukc_f64_pack', '__ukc_f64_unpack', '__ukc_f64_nan'],
        assembly: `
# __ukc_f64_mul(a0:a1, a2:a3): a x b.
__ukc_f64_mul:
${productSignAndMagnitudes64()}
    bgeu t1, t0, __ukc_f64_mul_special
    bgeu t2, t0, __ukc_f64_mul_special
    or t3, t1, a0
    beqz t3, __ukc_f64_mul_zero
    or t3, t2, a2
    beqz t3, __ukc_f64_mul_zero
${unpackOperands64()}
    # 53 x 53 bits: a product of 105 or 106 bits in four words t0, t1, t3, t5, of which the top 57 go on
    # and the rest is sticky.
    mul t0, a0, a4
    mulhu t1, a0, a4
    mul t2, a1, a4
    mulhu t3, a1, a4
    add t1, t1, t2
    sltu t2, t1, t2
    add t3, t3, t2
    mul t2, a0, a5
    mulhu t5, a0, a5
    add t1, t1, t2
    sltu t2, t1, t2
    add t3, t3, t2
    add t3, t3, t5
    mul t2, a1, a5
    mulhu t5, a1, a5
    add t3, t3, t2
    sltu t2, t3, t2
    add t5, t5, t2
    # The product shifted right by 49 bits, the 49 bits shifted out ORed into bit 0.
    slli t2, t1, 15
    or t0, t0, t2
    snez t0, t0
    srli t1, t1, 17
    slli t2, t3, 15
    or a2, t2, t1
    or a2, a2, t0
    srli t3, t3, 17
    slli t5, t5, 15
    or a3, t5, t3
    add a1, t4, t6
    addi a1, a1, -1023
    mv a0, a6
    j __ukc_f64_pack
__ukc_f64_mul_zero:
    li a0, 0
    mv a1, a6
    ret
__ukc_f64_mul_special:
${isNan64('t3', 'a0', 'a1', 't4')}
    bnez t3, __ukc_f64_nan
${isNan64('t3', 'a2', 'a3', 't4')}
    bnez t3, __ukc_f64_nan
    # inf x 0 is NaN; inf x anything else is inf.
    or t3, t1, a0
    beqz t3, __ukc_f64_nan
    or t3, t2, a2
    beqz t3, __ukc_f64_nan
    li a0, 0
    or a1, a6, t0
    ret`
    },
    {
        name: '__ukc_f64_div',
        uses: ['__ukc_f64_pack', '__ukc_f64_unpack', '__ukc_f64_nan'],
        assembly: `
# __ukc_f64_div(a0:a1, a2:a3): a / b.
__ukc_f64_div:
${productSignAndMagnitudes64()}
${isNan64('t3', 'a0', 'a1', 't4')}
    bnez t3, __ukc_f64_nan
${isNan64('t3', 'a2', 'a3', 't4')}
    bnez t3, __ukc_f64_nan
    beq t1, t0, __ukc_f64_div_infinite_dividend
    beq t2, t0, __ukc_f64_div_zero
    or t3, t2, a2
    beqz t3, __ukc_f64_div_by_zero
    or t3, t1, a0
    beqz t3, __ukc_f64_div_zero
${unpackOperands64()}
    # 57 quotient bits of a0:a1 / a4:a5 (their ratio is between 1/2 and 2) in a2:a3, then a sticky bit
    # for the remainder.
    li t5, 57
    li a2, 0
    li a3, 0
__ukc_f64_div_bit:
    slli a3, a3, 1
    srli t0, a2, 31
    or a3, a3, t0
    slli a2, a2, 1
    bltu a1, a5, __ukc_f64_div_next
    bne a1, a5, __ukc_f64_div_subtract
    bltu a0, a4, __ukc_f64_div_next
__ukc_f64_div_subtract:
    sltu t0, a0, a4
    sub a0, a0, a4
    sub a1, a1, a5
    sub a1, a1, t0
    ori a2, a2, 1
__ukc_f64_div_next:
    slli a1, a1, 1
    srli t0, a0, 31
    or a1, a1, t0
    slli a0, a0, 1
    addi t5, t5, -1
    bnez t5, __ukc_f64_div_bit
    or t0, a0, a1
    snez t0, t0
    or a2, a2, t0
    sub a1, t4, t6
    addi a1, a1, 1022
    mv a0, a6
    j __ukc_f64_pack
__ukc_f64_div_infinite_dividend:
    beq t2, t0, __ukc_f64_nan
__ukc_f64_div_infinity:
    li a0, 0
    or a1, a6, t0
    ret
__ukc_f64_div_by_zero:
    or t3, t1, a0
    beqz t3, __ukc_f64_nan
    j __ukc_f64_div_infinity
__ukc_f64_div_zero:
    li a0, 0
    mv a1, a6
    ret`
    }
];

const ROUTINES = new Map<string, Routine>([...F32, ...F64, ...INTEGER_CONVERSIONS, ...PRINT_FLOATS].map(routine => [routine.name, routine]));

/**
 * The routines `code` names (a call or jump to `__ukc_f32_add`, say), with every routine they use, in one
 * fixed order; empty when the code uses no floats, so that images without floats stay as they were.
 */
export function floatRoutines(code: readonly string[]): string {
    const wanted = new Set<string>();
    const visit = (name: string) => {
        const routine = ROUTINES.get(name);
        if (!routine || wanted.has(name)) return;
        wanted.add(name);
        routine.uses.forEach(visit);
    };
    const called = /\b(__ukc_(?:f32|f64|clamp|print_f)[a-z0-9_]*)/g;
    for (const line of code) for (const match of line.matchAll(called)) visit(match[1]);
    return [...ROUTINES.values()].filter(routine => wanted.has(routine.name)).map(routine => routine.assembly).join('\n');
}
