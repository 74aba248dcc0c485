/**
 * `print` of an f32 or an f64, as formatFloat (runtime/contract/floats.ts) writes it, in RV32IM assembly:
 * the value's exact decimal expansion, from a big integer (16-bit limbs on the stack: the significand times
 * 2^E, or times 5^-E with the decimal point moved E places), rounded to 9 or 17 significant digits with
 * halfway cases away from zero, trailing zeros dropped, then positional or with an exponent. The two widths
 * differ only in how the bits are taken apart and in the sizes below; the rest is one text.
 */
import { printDigits, Syscall, type FloatBits } from '../../../runtime/contract/index.js';
import { isNan64, type Routine } from './soft-float-routine.js';

/** Writes the characters one by one (DebugPutChar), for the few fixed words `print` writes. */
function putChars(text: string): string {
    return [...text].map(c => `    li a0, ${c.charCodeAt(0)}\n    li a7, ${Syscall.DebugPutChar}\n    ecall`).join('\n');
}

/**
 * The stack frame: limbs from 0, digits below `digitsEnd` (written backwards), the text, the saved bits
 * and ra. The limbs hold the largest big integer (f32: a 24-bit significand times 5^149, 371 bits; f64: 53
 * bits times 5^1074, 2,547 bits), the digits its decimal digits (112 and 767) rounded up to the four each
 * division gives, the text the longest number written (`-` is written apart).
 */
interface Frame { readonly limbBytes: number; readonly digitBytes: number }

const FRAMES: Readonly<Record<FloatBits, Frame>> = {
    32: { limbBytes: 48, digitBytes: 116 },
    64: { limbBytes: 320, digitBytes: 772 }
};

const TEXT_BYTES = 32;

/**
 * Takes the float apart: NaN, the sign, infinities and zeros are written here; a finite nonzero value
 * goes on at `<label>_split` with its significand in the limbs (t3 of them) and a2 = E, the power of two.
 */
function takeApart(bits: FloatBits, label: string, saved: number, ra: number, frameBytes: number): string {
    if (bits === 32) {
        return `${label}:
    slli t0, a0, 1
    li t1, 0xff000000
    bltu t1, t0, ${label}_nan
    addi sp, sp, -${frameBytes}
    sw ra, ${ra}(sp)
    sw a0, ${saved}(sp)
    bgez a0, ${label}_positive
${putChars('-')}
${label}_positive:
    lw a0, ${saved}(sp)
    slli t0, a0, 1
    li t1, 0xff000000
    beq t0, t1, ${label}_infinity
    bnez t0, ${label}_nonzero
${putChars('0')}
    j ${label}_done
${label}_nonzero:
    srli t1, t0, 24
    li t2, 0x7fffff
    and a1, a0, t2
    beqz t1, ${label}_subnormal
    li t2, 0x800000
    or a1, a1, t2
    j ${label}_significand
${label}_subnormal:
    li t1, 1
${label}_significand:
    addi a2, t1, -150
    sh a1, 0(sp)
    srli t0, a1, 16
    sh t0, 2(sp)
    li t3, 2`;
    }
    return `${label}:
${isNan64('t2', 'a0', 'a1', 't0')}
    bnez t2, ${label}_nan
    addi sp, sp, -${frameBytes}
    sw ra, ${ra}(sp)
    sw a0, ${saved}(sp)
    sw a1, ${saved + 4}(sp)
    bgez a1, ${label}_positive
${putChars('-')}
${label}_positive:
    lw a0, ${saved}(sp)
    lw a1, ${saved + 4}(sp)
    slli t0, a1, 1
    li t1, 0xffe00000
    beq t0, t1, ${label}_infinity
    or t1, t0, a0
    bnez t1, ${label}_nonzero
${putChars('0')}
    j ${label}_done
${label}_nonzero:
    srli t1, t0, 21
    li t2, 0xfffff
    and a1, a1, t2
    beqz t1, ${label}_subnormal
    li t2, 0x100000
    or a1, a1, t2
    j ${label}_significand
${label}_subnormal:
    li t1, 1
${label}_significand:
    addi a2, t1, -1075
    sh a0, 0(sp)
    srli t0, a0, 16
    sh t0, 2(sp)
    sh a1, 4(sp)
    srli t0, a1, 16
    sh t0, 6(sp)
    li t3, 4`;
}

function printRoutine(bits: FloatBits): Routine {
    const label = `__ukc_print_f${bits}`;
    const { limbBytes, digitBytes } = FRAMES[bits];
    const digitsEnd = limbBytes + digitBytes;
    const text = digitsEnd + 4;
    const saved = text + TEXT_BYTES;
    const ra = saved + 8;
    const frameBytes = Math.ceil((ra + 4) / 16) * 16;
    const digits = printDigits(bits);
    return {
        name: label,
        uses: [],
        assembly: `
# ${label}(${bits === 32 ? 'a0' : 'a0:a1'} = bits). Frame: limbs 0..${limbBytes - 1}, digits ${limbBytes}..${digitsEnd - 1} (written backwards from ${digitsEnd}), text ${text}..${saved - 1}.
${takeApart(bits, label, saved, ra, frameBytes)}
    # Scale by 2^E or 5^-E, six fives or fifteen twos at a time while they last (a limb times either,
    # plus the carry, fits in 32 bits): a0 = the base, a1 = a chunk's factor, a7 = a chunk's length.
    li a3, 0
    mv t4, a2
    li a0, 2
    li a1, 32768
    li a7, 15
    bgez a2, ${label}_scale
    neg t4, a2
    li a0, 5
    li a1, 15625
    li a7, 6
    mv a3, a2
${label}_scale:
    beqz t4, ${label}_digits
    mv t5, a1
    sub t4, t4, a7
    bgez t4, ${label}_chunk
    add t4, t4, a7
    mv t5, a0
    addi t4, t4, -1
${label}_chunk:
    li t6, 0
    mv a4, sp
    li a5, 0
${label}_multiply:
    bge a5, t3, ${label}_multiplied
    lhu a6, 0(a4)
    mul a6, a6, t5
    add a6, a6, t6
    srli t6, a6, 16
    sh a6, 0(a4)
    addi a4, a4, 2
    addi a5, a5, 1
    j ${label}_multiply
${label}_multiplied:
    beqz t6, ${label}_scale
    sh t6, 0(a4)
    addi t3, t3, 1
    j ${label}_scale
${label}_digits:
    addi a4, sp, ${digitsEnd}
${label}_divide:
    # Divide by 10^4 (a remainder below 10^4 shifted by a limb still fits in 32 bits): four digits.
    li t6, 0
    addi a5, t3, -1
    li t2, 10000
${label}_divide_limb:
    bltz a5, ${label}_divided
    slli t0, a5, 1
    add t0, t0, sp
    lhu t1, 0(t0)
    slli t6, t6, 16
    or t1, t1, t6
    divu t4, t1, t2
    remu t6, t1, t2
    sh t4, 0(t0)
    addi a5, a5, -1
    j ${label}_divide_limb
${label}_divided:
    li t2, 10
    li t5, 4
${label}_four:
    remu t0, t6, t2
    divu t6, t6, t2
    addi t0, t0, 48
    addi a4, a4, -1
    sb t0, 0(a4)
    addi t5, t5, -1
    bnez t5, ${label}_four
${label}_trim:
    addi t0, t3, -1
    slli t0, t0, 1
    add t0, t0, sp
    lhu t1, 0(t0)
    bnez t1, ${label}_divide
    addi t3, t3, -1
    bnez t3, ${label}_trim
    # The last four digits' leading zeros go (the value is nonzero: a digit is not).
${label}_leading:
    lbu t0, 0(a4)
    li t1, 48
    bne t0, t1, ${label}_counted
    addi a4, a4, 1
    j ${label}_leading
${label}_counted:
    # Digits a4 .. sp+${digitsEnd}; X, the decimal exponent of the first, in a3.
    addi t0, sp, ${digitsEnd}
    sub t1, t0, a4
    add a3, a3, t1
    addi a3, a3, -1
    li t2, ${digits}
    bge t2, t1, ${label}_rounded
    add t0, a4, t2
    lbu t5, 0(t0)
    mv t1, t2
    li t6, 53
    blt t5, t6, ${label}_rounded
${label}_carry:
    addi t0, t0, -1
    blt t0, a4, ${label}_carry_out
    lbu t5, 0(t0)
    li t6, 57
    bne t5, t6, ${label}_increment
    li t5, 48
    sb t5, 0(t0)
    j ${label}_carry
${label}_increment:
    addi t5, t5, 1
    sb t5, 0(t0)
    j ${label}_rounded
${label}_carry_out:
    li t5, 49
    sb t5, 0(a4)
    addi a3, a3, 1
${label}_rounded:
    add t0, a4, t1
    lbu t5, -1(t0)
    li t6, 48
    bne t5, t6, ${label}_format
    addi t1, t1, -1
    j ${label}_rounded
${label}_format:
    # t1 significant digits at a4; the text goes to sp+${text} on (a5).
    addi a5, sp, ${text}
    li t0, -4
    blt a3, t0, ${label}_exponential
    li t0, ${digits}
    bge a3, t0, ${label}_exponential
    bltz a3, ${label}_small
    li t2, 0
${label}_whole:
    blt a3, t2, ${label}_point
    li t5, 48
    bge t2, t1, ${label}_whole_digit
    add t0, a4, t2
    lbu t5, 0(t0)
${label}_whole_digit:
    sb t5, 0(a5)
    addi a5, a5, 1
    addi t2, t2, 1
    j ${label}_whole
${label}_point:
    bge t2, t1, ${label}_write
    li t5, 46
    sb t5, 0(a5)
    addi a5, a5, 1
${label}_fraction:
    bge t2, t1, ${label}_write
    add t0, a4, t2
    lbu t5, 0(t0)
    sb t5, 0(a5)
    addi a5, a5, 1
    addi t2, t2, 1
    j ${label}_fraction
${label}_small:
    li t5, 48
    sb t5, 0(a5)
    li t5, 46
    sb t5, 1(a5)
    addi a5, a5, 2
    addi t2, a3, 1
${label}_zeros:
    bgez t2, ${label}_zeros_done
    li t5, 48
    sb t5, 0(a5)
    addi a5, a5, 1
    addi t2, t2, 1
    j ${label}_zeros
${label}_zeros_done:
    li t2, 0
    j ${label}_fraction
${label}_exponential:
    lbu t5, 0(a4)
    sb t5, 0(a5)
    addi a5, a5, 1
    li t2, 1
    bge t2, t1, ${label}_exponent
    li t5, 46
    sb t5, 0(a5)
    addi a5, a5, 1
${label}_mantissa:
    bge t2, t1, ${label}_exponent
    add t0, a4, t2
    lbu t5, 0(t0)
    sb t5, 0(a5)
    addi a5, a5, 1
    addi t2, t2, 1
    j ${label}_mantissa
${label}_exponent:
    li t5, 101
    sb t5, 0(a5)
    li t5, 43
    bgez a3, ${label}_exponent_sign
    li t5, 45
    neg a3, a3
${label}_exponent_sign:
    sb t5, 1(a5)
    addi a5, a5, 2
    # Up to three digits, without leading zeros.
    li t2, 100
    blt a3, t2, ${label}_exponent_tens
    divu t5, a3, t2
    addi t5, t5, 48
    sb t5, 0(a5)
    addi a5, a5, 1
    remu a3, a3, t2
    li t2, 10
    j ${label}_exponent_tens_digit
${label}_exponent_tens:
    li t2, 10
    blt a3, t2, ${label}_exponent_units
${label}_exponent_tens_digit:
    divu t5, a3, t2
    addi t5, t5, 48
    sb t5, 0(a5)
    addi a5, a5, 1
    remu a3, a3, t2
${label}_exponent_units:
    addi t5, a3, 48
    sb t5, 0(a5)
    addi a5, a5, 1
${label}_write:
    addi a0, sp, ${text}
    sub a1, a5, a0
    li a7, ${Syscall.DebugWrite}
    ecall
    j ${label}_done
${label}_infinity:
${putChars('inf')}
${label}_done:
    lw ra, ${ra}(sp)
    addi sp, sp, ${frameBytes}
    ret
${label}_nan:
${putChars('NaN')}
    ret`
    };
}

export const PRINT_FLOATS: readonly Routine[] = [printRoutine(32), printRoutine(64)];
