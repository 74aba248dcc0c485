/**
 * Runtime routines for strings (docs/ABI.md, "Strings and vecs"), linked into a component that uses them:
 * comparing two strings, and the check that a received string's bytes are well-formed UTF-8 (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF), which a server makes before a handler runs.
 * Standard calling convention; they use only a0, a1 and t0..t6.
 */
import { STRING_EQUAL_SYMBOL, UTF8_VALID_SYMBOL } from '../lower/counted-lowering.js';

const EQ = STRING_EQUAL_SYMBOL;
const V = UTF8_VALID_SYMBOL;

export const STRING_ROUTINES = `
# ${EQ}(a0 = string, a1 = string): 1 when their lengths (first word) and bytes up to the length are equal.
${EQ}:
    lw t0, 0(a0)
    lw t1, 0(a1)
    bne t0, t1, ${EQ}_no
    addi a0, a0, 4
    addi a1, a1, 4
${EQ}_next:
    beqz t0, ${EQ}_yes
    lbu t2, 0(a0)
    lbu t3, 0(a1)
    bne t2, t3, ${EQ}_no
    addi a0, a0, 1
    addi a1, a1, 1
    addi t0, t0, -1
    j ${EQ}_next
${EQ}_yes:
    li a0, 1
    ret
${EQ}_no:
    li a0, 0
    ret

# ${V}(a0 = bytes, a1 = length): 1 when the bytes are well-formed UTF-8, else 0.
# t2: continuation bytes still needed; t3..t4: the range allowed for the first of them (after E0, ED, F0, F4
# it is narrower, which excludes overlong forms, surrogates and code points above U+10FFFF).
${V}:
    add t6, a0, a1
${V}_next:
    bgeu a0, t6, ${V}_yes
    lbu t0, 0(a0)
    li t1, 128
    bltu t0, t1, ${V}_ascii
    li t1, 194
    bltu t0, t1, ${V}_no
    li t3, 128
    li t4, 191
    li t1, 224
    bltu t0, t1, ${V}_two
    li t1, 240
    bltu t0, t1, ${V}_three
    li t1, 245
    bltu t0, t1, ${V}_four
    j ${V}_no
${V}_ascii:
    addi a0, a0, 1
    j ${V}_next
${V}_two:
    li t2, 1
    j ${V}_first
${V}_three:
    li t2, 2
    li t1, 224
    bne t0, t1, ${V}_three_ed
    li t3, 160
${V}_three_ed:
    li t1, 237
    bne t0, t1, ${V}_first
    li t4, 159
    j ${V}_first
${V}_four:
    li t2, 3
    li t1, 240
    bne t0, t1, ${V}_four_f4
    li t3, 144
${V}_four_f4:
    li t1, 244
    bne t0, t1, ${V}_first
    li t4, 143
${V}_first:
    add t5, a0, t2
    bgeu t5, t6, ${V}_no
    lbu t0, 1(a0)
    bltu t0, t3, ${V}_no
    bltu t4, t0, ${V}_no
    addi a0, a0, 2
    addi t2, t2, -1
${V}_rest:
    beqz t2, ${V}_next
    lbu t0, 0(a0)
    li t1, 128
    bltu t0, t1, ${V}_no
    li t1, 191
    bltu t1, t0, ${V}_no
    addi a0, a0, 1
    addi t2, t2, -1
    j ${V}_rest
${V}_yes:
    li a0, 1
    ret
${V}_no:
    li a0, 0
    ret
`;
