import { describe, expect, it } from 'vitest';
import { ControlError, KernelControl } from '../../../runtime/kernel/index.js';
import { Syscall } from '../../../runtime/contract/index.js';
import { bootTest, syscall } from './harness.js';

const COUNTER = `
_start:
    li s1, 0
loop:
    addi s1, s1, 1
    li t0, 5
    bne s1, t0, loop
${syscall(Syscall.DebugPutChar, { a0: 33 })}
    j park
`;

/** Answers each Call with its word plus one; `serve` (0x1_000c) is where each message arrives. */
const INCREMENTER = `
_start:
    li a0, 1
    li a7, RECV
    ecall
serve:
    addi a2, a2, 1
    li a1, 1
    li a0, 1
    li a7, REPLY_RECV
    ecall
    j serve
`;

const CALL_THREE_TIMES = `
_start:
    li s0, 3
again:
    li a0, 1
    li a1, 1
    li a7, CALL
    ecall
    addi s0, s0, -1
    bnez s0, again
    j park
`;

describe('the control API', () => {
    it('stops at a breakpoint, reads registers, and continues past it', () => {
        const system = bootTest({ components: [{ name: 'counter', source: COUNTER }] });
        const control = new KernelControl(system.kernel);
        control.setBreakpoint('counter', 0x1_0004);
        const hits: number[] = [];
        for (let i = 0; i < 5; i++) {
            const stop = control.resume();
            expect(stop).toMatchObject({ reason: 'breakpoint', thread: 'counter', pc: 0x1_0004 });
            hits.push(control.readRegisters('counter').x[9]);
        }
        expect(hits).toEqual([0, 1, 2, 3, 4]);
        control.clearBreakpoint('counter', 0x1_0004);
        expect(control.resume().reason).toBe('idle');
        expect(system.console()).toBe('!');
    });

    it('stops at a breakpoint in a server that the IPC fastpath switches to inside a run of the CPU', () => {
        const system = bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                { name: 'server', source: INCREMENTER, priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }] },
                { name: 'client', source: CALL_THREE_TIMES, priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }] }
            ]
        });
        const control = new KernelControl(system.kernel);
        control.setBreakpoint('server', 0x1_000c);
        const words: number[] = [];
        for (let i = 0; i < 3; i++) {
            expect(control.resume()).toMatchObject({ reason: 'breakpoint', thread: 'server', pc: 0x1_000c });
            words.push(control.readRegisters('server').x[12]);
        }
        expect(words).toEqual([0, 1, 2]);
        control.clearBreakpoint('server', 0x1_000c);
        expect(control.resume().reason).toBe('idle');
        expect(system.reg('client', 'a2')).toBe(3);
        expect(system.events.filter(event => event.kind === 'ipc' && event.fastpath).length).toBe(6);
    });

    it('steps one instruction at a time and writes registers and memory', () => {
        const system = bootTest({ components: [{ name: 'counter', source: COUNTER }] });
        const control = new KernelControl(system.kernel);
        expect(control.step('counter')).toMatchObject({ reason: 'step', pc: 0x1_0004 });
        expect(control.step('counter')).toMatchObject({ reason: 'step', pc: 0x1_0008 });
        expect(control.readRegisters('counter').x[9]).toBe(1);
        control.writeRegister('counter', 9, 4);
        expect(control.writeMemory('counter', 0x7fff_0000 - 4, new Uint8Array([1, 2, 3, 4]))).toBe(true);
        expect(control.readMemory('counter', 0x7fff_0000 - 4, 4)).toEqual([1, 2, 3, 4]);
        expect(control.readMemory('counter', 0x7fff_0000, 2)).toEqual([undefined, undefined]);
        expect(control.writeMemory('counter', 0x7fff_0000 - 2, new Uint8Array([9, 9, 9, 9]))).toBe(false);
        control.resume();
        expect(control.readRegisters('counter').x[9]).toBe(5);
        expect(() => control.writeRegister('counter', 0, 1)).toThrow(ControlError);
        expect(() => control.writeRegister('counter', 'pc', 2)).toThrow('pc 0x2 is not a multiple of 4');
        expect(() => control.step('nobody')).toThrow("there is no thread named 'nobody'");
    });

    it('patches code through writeMemory and the CPU runs the new instruction', () => {
        const system = bootTest({ components: [{ name: 'counter', source: COUNTER }] });
        const control = new KernelControl(system.kernel);
        control.step('counter');
        control.step('counter');
        // Replace `addi s1, s1, 1` (0x00148493) with `addi s1, s1, 4`: one more pass reaches 5... after 1 + 4.
        expect(control.writeMemory('counter', 0x1_0004, new Uint8Array([0x93, 0x84, 0x44, 0x00]))).toBe(true);
        control.resume();
        expect(control.readRegisters('counter').x[9]).toBe(5);
    });

    it('lists threads with their state and what they are blocked on, and holds a thread', () => {
        const system = bootTest({ components: [{ name: 'a', source: COUNTER }, { name: 'b', priority: 200, source: COUNTER }] });
        const control = new KernelControl(system.kernel);
        control.setStopped('b', true);
        control.resume();
        expect(system.console()).toBe('!');
        expect(control.threads().map(info => [info.name, info.state, info.blockedOn, info.stopped])).toEqual([
            ['a', 'blocked-on-notification', 'park', false],
            ['b', 'runnable', undefined, true]
        ]);
        control.setStopped('b', false);
        control.resume();
        expect(system.console()).toBe('!!');
        expect(control.waitFor().edges.map(edge => edge.thread)).toEqual(['a', 'b']);
    });
});
