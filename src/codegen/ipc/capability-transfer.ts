/**
 * Capabilities as values in messages: the slots a sender names in its IPC buffer, and the slots a
 * receiver takes them from (a receive index that every receipt moves past whatever arrived).
 */
import type { MessageLayout } from '../../layout/index.js';
// Which of a message's capabilities are values (not a lease's frame): the trace's own test, shared.
import {
    valueCaps, IPC_CAPS_OR_BADGES, IPC_RECEIVE_INDEX, IPC_BUFFER, Invocation, LEASE_SLOT, OWN_CNODE_SLOT, RECEIVED_CAPS_FIRST_SLOT, Syscall, messageInfo
} from '../../../runtime/contract/index.js';

/** Whether a message carries capabilities that arrive as values (in slots from the receive index). */
export function receivesCapabilities(layout: MessageLayout): boolean {
    return valueCaps(layout).length > 0;
}

/**
 * Names the capabilities a request sends: each one's slot (a value in its argument register) goes into
 * the IPC buffer's cap words, before packing can overwrite that register. The kernel refuses a message
 * that names an empty slot, so a value that holds no capability (slot 0) is replaced by the capability
 * the message travels on (a0): the kernel hands that one over unwrapped, and the receiver takes it as
 * none, with the other capabilities keeping their places. Uses t0 and t6.
 */
export function storeRequestCaps(layout: MessageLayout, registerOf: (path: string) => string, label: string, out: (line: string) => void, lines: string[]): void {
    const caps = valueCaps(layout);
    if (caps.length === 0) return;
    out(`li t6, ${IPC_BUFFER}`);
    for (const cap of caps) {
        const present = `${label}.send${cap.capIndex}`;
        out(`mv t0, ${registerOf(cap.path)}`);
        out(`bnez t0, ${present}`);
        out('mv t0, a0');
        lines.push(`${present}:`);
        out(`sw t0, ${IPC_CAPS_OR_BADGES + 4 * cap.capIndex}(t6)`);
    }
}

/**
 * Names the capabilities a reply sends, as `storeRequestCaps` does; a reply travels on no endpoint, so it
 * sends the capabilities up to the first value that holds none, and t3 is their count (the rest arrive as
 * none). Uses t3 and t6; packing leaves t3 alone.
 */
export function storeReplyCaps(layout: MessageLayout, registerOf: (path: string) => string, label: string, out: (line: string) => void, lines: string[]): void {
    const caps = valueCaps(layout);
    if (caps.length === 0) return;
    const done = `${label}.sent`;
    out(`li t6, ${IPC_BUFFER}`);
    out('li t3, 0');
    for (const cap of caps) {
        out(`beqz ${registerOf(cap.path)}, ${done}`);
        out(`sw ${registerOf(cap.path)}, ${IPC_CAPS_OR_BADGES + 4 * cap.capIndex}(t6)`);
        out('addi t3, t3, 1');
    }
    lines.push(`${done}:`);
    out('slli t3, t3, 7');
}

/**
 * `__ukc_received_caps` (called with `jal t5`, a1 = the message info just received): the kernel put the
 * capabilities that arrived in consecutive slots from the receive index (unwrapped ones take none); this
 * records where they start in `__ukc_cap_base` and moves the receive index past them. Every receipt in a
 * component that accepts capabilities goes through it, expected or not, so that a stray capability never
 * blocks the slot the next one needs. Uses t0..t3 and t6 only.
 */
export function receivedCapsRoutine(): string[] {
    const lines = [
        '__ukc_received_caps:',
        `    li t6, ${IPC_BUFFER}`,
        `    lw t0, ${IPC_RECEIVE_INDEX}(t6)`,
        '    la t3, __ukc_cap_base',
        '    sw t0, 0(t3)',
        '    srli t1, a1, 7',
        '    andi t1, t1, 3',
        '    srli t2, a1, 9'
    ];
    for (let i = 0; i < 3; i++) {
        lines.push(
            `    li t3, ${i}`,
            '    bgeu t3, t1, __ukc_received_caps_done',
            `    andi t3, t2, ${1 << i}`,
            '    seqz t3, t3',
            '    add t0, t0, t3'
        );
    }
    lines.push('__ukc_received_caps_done:', `    sw t0, ${IPC_RECEIVE_INDEX}(t6)`, '    jr t5');
    return lines;
}

/**
 * The receive index of a component that accepts capabilities, set once at start. A restarted component
 * keeps the index its IPC buffer holds: the slots before it still hold what arrived before the restart.
 */
export function receiveIndexSetup(): string[] {
    return [
        `    li t0, ${IPC_BUFFER}`,
        `    lw t1, ${IPC_RECEIVE_INDEX}(t0)`,
        '    bnez t1, __ukc_receive_index_set',
        `    li t1, ${RECEIVED_CAPS_FIRST_SLOT}`,
        `    sw t1, ${IPC_RECEIVE_INDEX}(t0)`,
        '__ukc_receive_index_set:'
    ];
}

/** What a component that accepts capabilities needs once: the routine above and its word. */
export function capabilityRuntime(): { text: string[]; data: string[] } {
    return { text: receivedCapsRoutine(), data: ['__ukc_cap_base:', '    .word 0'] };
}

/**
 * The capabilities a message brought, as values: cap i's slot counts on from `__ukc_cap_base` (see
 * `__ukc_received_caps`). One that did not arrive (the sender had no grant right, or no slot was free) or
 * arrived unwrapped (a capability to the very endpoint it came through) is slot 0, which names nothing:
 * using it fails like any invalid capability. Uses t0..t3 and t6 only.
 */
export function takeCaps(layout: MessageLayout, registerOf: (path: string) => string, label: string, out: (line: string) => void, lines: string[]): void {
    const caps = valueCaps(layout);
    if (caps.length === 0) return;
    out('la t6, __ukc_cap_base');
    out('lw t0, 0(t6)');
    out('srli t1, a1, 7');
    out('andi t1, t1, 3');
    out('srli t2, a1, 9');
    for (const cap of caps) {
        const register = registerOf(cap.path);
        const skip = `${label}.cap${cap.capIndex}`;
        out(`li ${register}, 0`);
        out(`li t3, ${cap.capIndex}`);
        out(`bgeu t3, t1, ${skip}`);
        out(`andi t3, t2, ${1 << cap.capIndex}`);
        out(`bnez t3, ${skip}`);
        out(`mv ${register}, t0`);
        out('addi t0, t0, 1');
        lines.push(`${skip}:`);
    }
}

/** The routine that sorts a request's leases out of the capabilities it brought (gatherCapsRoutine). */
export const GATHER_CAPS = '__ukc_gather_caps';

/** Bit i set when cap i of a message is a lease's frame: what GATHER_CAPS is called with in t4. */
export function leaseCapMask(layout: MessageLayout): number {
    const values = new Set(valueCaps(layout).map(cap => cap.capIndex));
    return layout.caps.reduce((mask, cap) => (values.has(cap.capIndex) ? mask : mask | (1 << cap.capIndex)), 0);
}

/**
 * `__ukc_gather_caps` (t4 = leaseCapMask, a1 = the request's message info, after `__ukc_received_caps`):
 * in a server that receives both leases and capabilities, every capability of a request lands in
 * consecutive slots from the receive index, leases among them. This moves lease k into LEASE_SLOT + k,
 * where the lease routines map it (bulk-data.ts), and the capabilities taken as values down into
 * consecutive slots from `__ukc_cap_base`, where takeCaps finds them, then sets the receive index just past
 * them, so that no slot is lost to a lease. A move that fails leaves its lease slot empty: the lease's map
 * fails and the request is refused, as for a lease that did not arrive. Keeps a0..a7; uses t0..t6
 * (system calls keep the t registers).
 */
export function gatherCapsRoutine(): string[] {
    const save = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    const move = (destination: string, source: string) => [
        `    li a0, ${OWN_CNODE_SLOT}`, `    li a1, ${messageInfo(Invocation.CNodeMove, 2)}`, `    mv a2, ${destination}`, `    mv a3, ${source}`,
        `    li a7, ${Syscall.Call}`, '    ecall'
    ];
    const lines = [
        `${GATHER_CAPS}:`,
        '    addi sp, sp, -32',
        ...save.map((register, i) => `    sw ${register}, ${4 * i}(sp)`),
        // t0: the slot of the next capability that arrived; t3: where the next value goes; t5: the next lease slot.
        '    la t6, __ukc_cap_base',
        '    lw t0, 0(t6)',
        '    mv t3, t0',
        `    li t5, ${LEASE_SLOT}`,
        '    srli t1, a1, 7',
        '    andi t1, t1, 3',
        '    srli t2, a1, 9'
    ];
    for (let i = 0; i < 3; i++) {
        const next = `${GATHER_CAPS}_next${i}`;
        const value = `${GATHER_CAPS}_value${i}`;
        const placed = `${GATHER_CAPS}_placed${i}`;
        lines.push(
            `    li t6, ${i}`,
            `    bgeu t6, t1, ${GATHER_CAPS}_done`,
            // Unwrapped (a capability to the endpoint it came through): it took no slot.
            `    andi t6, t2, ${1 << i}`,
            `    bnez t6, ${next}`,
            `    andi t6, t4, ${1 << i}`,
            `    beqz t6, ${value}`,
            ...move('t5', 't0'),
            '    addi t5, t5, 1',
            '    addi t0, t0, 1',
            `    j ${next}`,
            `${value}:`,
            `    beq t3, t0, ${placed}`,
            ...move('t3', 't0'),
            `${placed}:`,
            '    addi t3, t3, 1',
            '    addi t0, t0, 1',
            `${next}:`
        );
    }
    lines.push(
        `${GATHER_CAPS}_done:`,
        `    li t6, ${IPC_BUFFER}`,
        `    sw t3, ${IPC_RECEIVE_INDEX}(t6)`,
        ...save.map((register, i) => `    lw ${register}, ${4 * i}(sp)`),
        '    addi sp, sp, 32',
        '    ret'
    );
    return lines;
}
