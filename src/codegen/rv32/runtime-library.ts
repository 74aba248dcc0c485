/**
 * The small runtime every compiled component links: console output in the formats `print` offers, the
 * panic that stops a component with a message (an illegal instruction after the text, so the kernel
 * reports a fault and a supervisor can restart it), and program exit (the thread suspends itself through
 * its own TCB capability). Written in assembly against the kernel ABI (docs/ABI.md).
 */
import { Invocation, Syscall } from '../../../runtime/kernel/abi.js';
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

# __ukc_panic(a0 = message, a1 = length): prints the message and faults; never returns.
__ukc_panic:
    li a7, ${Syscall.DebugWrite}
    ecall
__ukc_panic_fault:
    .word 0
    j __ukc_panic_fault

# The kernel refused an IPC (a6 holds its status): the connection is broken; stop.
__ukc_ipc_failed:
    la a0, __ukc_ipc_failed_message
    li a1, ${IPC_FAILED.length}
    j __ukc_panic

# A reply with an error label the method does not raise.
__ukc_unexpected_reply:
    la a0, __ukc_unexpected_reply_message
    li a1, ${UNEXPECTED_REPLY.length}
    j __ukc_panic

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
__ukc_ipc_failed_message:
${byteDirective(IPC_FAILED)}
__ukc_unexpected_reply_message:
${byteDirective(UNEXPECTED_REPLY)}
.text
`;

