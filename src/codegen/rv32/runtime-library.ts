/**
 * The small runtime every compiled component links: console output in the formats `print` offers, the
 * panics of client stubs (a message, then the panic word of their reason: an illegal instruction, so the
 * kernel reports a fault and a supervisor can restart the component), and program exit (the thread suspends itself through
 * its own TCB capability). Written in assembly against the kernel ABI (docs/ABI.md).
 */
import { Invocation, PanicCode, SERVER_FAILED_LABEL, Syscall, panicWord } from '../../../runtime/kernel/abi.js';
import { OWN_TCB_SLOT } from '../system-layout.js';

/** Bytes of a string (UTF-8) as `.byte` directives (the assembler then needs no escaping rules). */
export function byteDirective(text: string): string {
    return bytesDirective(new TextEncoder().encode(text));
}

/** Raw bytes as `.byte` directives, 32 to a line. */
export function bytesDirective(bytes: Uint8Array): string {
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += 32) lines.push(`    .byte ${Array.from(bytes.subarray(i, i + 32)).join(', ')}`);
    return lines.join('\n');
}

const IPC_FAILED = 'ipc failed\n';
const UNEXPECTED_REPLY = 'unexpected error reply\n';
const SERVER_FAILED_NAME = 'ServerFailed';

export const RUNTIME_LIBRARY = `
# __ukc_write(a0 = address, a1 = length): console output.
__ukc_write:
    li a7, ${Syscall.DebugWrite}
    ecall
    ret

# __ukc_print_char(a0): one byte.
__ukc_print_char:
    li a7, ${Syscall.DebugPutChar}
    ecall
    ret

# __ukc_print_u32(a0): unsigned decimal.
__ukc_print_u32:
    li t2, 10
    j __ukc_print_radix

# __ukc_print_hex(a0): lowercase hexadecimal, no prefix.
__ukc_print_hex:
    li t2, 16
    j __ukc_print_radix

# __ukc_print_bin(a0): binary, no prefix.
__ukc_print_bin:
    li t2, 2

# Digits of a0 in base t2, most significant first, from a buffer on the stack.
__ukc_print_radix:
    addi sp, sp, -48
    addi t0, sp, 48
    mv t1, t0
__ukc_print_radix_digit:
    remu t3, a0, t2
    li t4, 10
    blt t3, t4, __ukc_print_radix_decimal
    addi t3, t3, 39
__ukc_print_radix_decimal:
    addi t3, t3, 48
    addi t1, t1, -1
    sb t3, 0(t1)
    divu a0, a0, t2
    bnez a0, __ukc_print_radix_digit
    mv a0, t1
    sub a1, t0, t1
    li a7, ${Syscall.DebugWrite}
    ecall
    addi sp, sp, 48
    ret

# __ukc_print_i32(a0): signed decimal.
__ukc_print_i32:
    bgez a0, __ukc_print_u32
    addi sp, sp, -16
    sw ra, 0(sp)
    sw a0, 4(sp)
    li a0, 45
    li a7, ${Syscall.DebugPutChar}
    ecall
    lw a0, 4(sp)
    neg a0, a0
    call __ukc_print_u32
    lw ra, 0(sp)
    addi sp, sp, 16
    ret

# __ukc_print_label(a0): an error reply's label: ServerFailed, or unsigned decimal.
__ukc_print_label:
    li t0, ${SERVER_FAILED_LABEL}
    bne a0, t0, __ukc_print_u32

# __ukc_print_server_failed: the built-in error's name.
__ukc_print_server_failed:
    la a0, __ukc_server_failed
    li a1, ${SERVER_FAILED_NAME.length}
    j __ukc_write

# __ukc_print_bool(a0): true or false.
__ukc_print_bool:
    beqz a0, __ukc_print_false
    la a0, __ukc_true
    li a1, 4
    j __ukc_write
__ukc_print_false:
    la a0, __ukc_false
    li a1, 5
    j __ukc_write

# __ukc_signal(a0 = notification slot): ORs the capability's badge into the notification.
__ukc_signal:
    li a7, ${Syscall.Signal}
    ecall
    ret

# __ukc_wait(a0 = notification slot): blocks until bits are set; returns and clears them.
__ukc_wait:
    li a7, ${Syscall.Wait}
    ecall
    ret

# __ukc_poll(a0 = notification slot): the bits set, without blocking (0 when none).
__ukc_poll:
    li a7, ${Syscall.Poll}
    ecall
    ret

# __ukc_udivmod64(a0:a1 = n, a2:a3 = d, d not 0): a0:a1 = n / d, a2:a3 = n % d (unsigned, shift and subtract).
__ukc_udivmod64:
    li t0, 0
    li t1, 0
    li t2, 64
__ukc_udivmod64_bit:
    srli t3, t0, 31
    slli t1, t1, 1
    or t1, t1, t3
    slli t0, t0, 1
    srli t3, a1, 31
    or t0, t0, t3
    srli t3, a0, 31
    slli a1, a1, 1
    or a1, a1, t3
    slli a0, a0, 1
    bltu t1, a3, __ukc_udivmod64_next
    bne t1, a3, __ukc_udivmod64_take
    bltu t0, a2, __ukc_udivmod64_next
__ukc_udivmod64_take:
    sltu t3, t0, a2
    sub t0, t0, a2
    sub t1, t1, a3
    sub t1, t1, t3
    ori a0, a0, 1
__ukc_udivmod64_next:
    addi t2, t2, -1
    bnez t2, __ukc_udivmod64_bit
    mv a2, t0
    mv a3, t1
    ret

# __ukc_divmod64: as __ukc_udivmod64 for signed values (truncating; MIN / -1 wraps to MIN).
__ukc_divmod64:
    addi sp, sp, -16
    sw ra, 0(sp)
    sw s0, 4(sp)
    sw s1, 8(sp)
    srli s1, a1, 31
    srli t0, a3, 31
    xor s0, s1, t0
    beqz s1, __ukc_divmod64_divisor
    snez t1, a0
    neg a0, a0
    neg a1, a1
    sub a1, a1, t1
__ukc_divmod64_divisor:
    beqz t0, __ukc_divmod64_divide
    snez t1, a2
    neg a2, a2
    neg a3, a3
    sub a3, a3, t1
__ukc_divmod64_divide:
    call __ukc_udivmod64
    beqz s0, __ukc_divmod64_remainder
    snez t1, a0
    neg a0, a0
    neg a1, a1
    sub a1, a1, t1
__ukc_divmod64_remainder:
    beqz s1, __ukc_divmod64_done
    snez t1, a2
    neg a2, a2
    neg a3, a3
    sub a3, a3, t1
__ukc_divmod64_done:
    lw ra, 0(sp)
    lw s0, 4(sp)
    lw s1, 8(sp)
    addi sp, sp, 16
    ret

# __ukc_sll64 / __ukc_srl64 / __ukc_sra64 (a0:a1 = value, a2 = count, taken modulo 64): a0:a1.
__ukc_sll64:
    andi a2, a2, 63
    beqz a2, __ukc_shift64_done
    li t0, 32
    bltu a2, t0, __ukc_sll64_small
    addi a2, a2, -32
    sll a1, a0, a2
    li a0, 0
    ret
__ukc_sll64_small:
    sub t0, t0, a2
    srl t1, a0, t0
    sll a1, a1, a2
    or a1, a1, t1
    sll a0, a0, a2
    ret
__ukc_srl64:
    andi a2, a2, 63
    beqz a2, __ukc_shift64_done
    li t0, 32
    bltu a2, t0, __ukc_srl64_small
    addi a2, a2, -32
    srl a0, a1, a2
    li a1, 0
    ret
__ukc_srl64_small:
    sub t0, t0, a2
    sll t1, a1, t0
    srl a0, a0, a2
    or a0, a0, t1
    srl a1, a1, a2
    ret
__ukc_sra64:
    andi a2, a2, 63
    beqz a2, __ukc_shift64_done
    li t0, 32
    bltu a2, t0, __ukc_sra64_small
    addi a2, a2, -32
    sra a0, a1, a2
    srai a1, a1, 31
    ret
__ukc_sra64_small:
    sub t0, t0, a2
    sll t1, a1, t0
    srl a0, a0, a2
    or a0, a0, t1
    sra a1, a1, a2
__ukc_shift64_done:
    ret

# __ukc_print_u64(a0:a1): unsigned decimal.
__ukc_print_u64:
    bnez a1, __ukc_print_u64_long
    j __ukc_print_u32
__ukc_print_u64_long:
    addi sp, sp, -64
    sw ra, 0(sp)
    sw s0, 4(sp)
    sw s1, 8(sp)
    sw s2, 12(sp)
    addi s2, sp, 64
    mv s0, a0
    mv s1, a1
__ukc_print_u64_digit:
    mv a0, s0
    mv a1, s1
    li a2, 10
    li a3, 0
    call __ukc_udivmod64
    mv s0, a0
    mv s1, a1
    addi a2, a2, 48
    addi s2, s2, -1
    sb a2, 0(s2)
    or t0, s0, s1
    bnez t0, __ukc_print_u64_digit
    mv a0, s2
    addi a1, sp, 64
    sub a1, a1, s2
    li a7, ${Syscall.DebugWrite}
    ecall
    lw ra, 0(sp)
    lw s0, 4(sp)
    lw s1, 8(sp)
    lw s2, 12(sp)
    addi sp, sp, 64
    ret

# __ukc_print_i64(a0:a1): signed decimal.
__ukc_print_i64:
    bgez a1, __ukc_print_u64
    addi sp, sp, -16
    sw ra, 0(sp)
    sw a0, 4(sp)
    sw a1, 8(sp)
    li a0, 45
    li a7, ${Syscall.DebugPutChar}
    ecall
    lw a0, 4(sp)
    lw a1, 8(sp)
    snez t1, a0
    neg a0, a0
    neg a1, a1
    sub a1, a1, t1
    call __ukc_print_u64
    lw ra, 0(sp)
    addi sp, sp, 16
    ret

# __ukc_print_hex64(a0:a1): lowercase hexadecimal, no prefix.
__ukc_print_hex64:
    bnez a1, __ukc_print_hex64_long
    j __ukc_print_hex
__ukc_print_hex64_long:
    addi sp, sp, -16
    sw ra, 0(sp)
    sw a0, 4(sp)
    mv a0, a1
    call __ukc_print_hex
    lw t0, 4(sp)
    addi sp, sp, -16
    li t1, 8
__ukc_print_hex64_nibble:
    srli t2, t0, 28
    slli t0, t0, 4
    li t3, 10
    blt t2, t3, __ukc_print_hex64_decimal
    addi t2, t2, 39
__ukc_print_hex64_decimal:
    addi t2, t2, 48
    addi t4, sp, 8
    sub t4, t4, t1
    sb t2, 0(t4)
    addi t1, t1, -1
    bnez t1, __ukc_print_hex64_nibble
    mv a0, sp
    li a1, 8
    li a7, ${Syscall.DebugWrite}
    ecall
    addi sp, sp, 16
    lw ra, 0(sp)
    addi sp, sp, 16
    ret

# The kernel refused an IPC (a6 holds its status): the connection is broken; stop. Reached from a stub,
# so ra is the call's return address: a tool finds the call's statement there.
__ukc_ipc_failed:
    la a0, __ukc_ipc_failed_message
    li a1, ${IPC_FAILED.length}
    li a7, ${Syscall.DebugWrite}
    ecall
    .word ${panicWord(PanicCode.IpcFailed)}

# A reply with an error label the method does not raise (from a stub, as above).
__ukc_unexpected_reply:
    la a0, __ukc_unexpected_reply_message
    li a1, ${UNEXPECTED_REPLY.length}
    li a7, ${Syscall.DebugWrite}
    ecall
    .word ${panicWord(PanicCode.UnexpectedReply)}

# The program is done: its thread suspends itself.
__ukc_exit:
    li a0, ${OWN_TCB_SLOT}
    li a1, ${Invocation.TcbSuspend << 12}
    li a7, ${Syscall.Call}
    ecall
    j __ukc_exit

.rodata
__ukc_true:
${byteDirective('true')}
__ukc_false:
${byteDirective('false')}
__ukc_server_failed:
${byteDirective(SERVER_FAILED_NAME)}
__ukc_ipc_failed_message:
${byteDirective(IPC_FAILED)}
__ukc_unexpected_reply_message:
${byteDirective(UNEXPECTED_REPLY)}
.text
`;

