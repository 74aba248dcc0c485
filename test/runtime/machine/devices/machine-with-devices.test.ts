/**
 * Devices seen by a program: a UART mapped into the address space, driven by assembly; its receive
 * interrupt stops the CPU at an instruction boundary; a timer bounds the run slices exactly.
 */
import { describe, expect, test } from 'vitest';
import { assemble } from '../../../../runtime/machine/asm/assembler.js';
import { Cpu, TrapCause } from '../../../../runtime/machine/cpu.js';
import { InterruptController, Timer, Uart } from '../../../../runtime/machine/devices/index.js';
import { AddressSpace, PAGE_SIZE, PhysicalMemory } from '../../../../runtime/machine/memory.js';

const UART_BASE = 0x1000_0000;

function machine(source: string, translate: boolean) {
    const memory = new PhysicalMemory(16 * PAGE_SIZE);
    const cpu = new Cpu(memory, { translate });
    const controller = new InterruptController();
    cpu.attachInterrupts(controller);
    const output: number[] = [];
    const uart = new Uart(byte => output.push(byte), { controller, line: 10 });
    const space = new AddressSpace();
    space.map(1, { frame: 0, read: true, write: false, execute: true });
    space.map(UART_BASE >>> 12, { frame: 0, read: true, write: true, execute: false, device: uart });
    const program = assemble(source, { sectionAddresses: { '.text': 0x1000 } });
    expect(program.errors).toEqual([]);
    memory.bytes.set(program.sections[0].bytes, 0);
    cpu.mmu.setAddressSpace(space);
    cpu.pc = 0x1000;
    return { cpu, controller, uart, output, symbols: program.symbols };
}

const ECHO = `
    li t0, ${UART_BASE}
    li t1, 'h'
    sb t1, 0(t0)
    li t1, 'i'
    sb t1, 0(t0)
    li t1, 1
    sb t1, 1(t0)          # IER: interrupt when input waits
spin:
    lbu t2, 5(t0)         # LSR
    andi t2, t2, 1
    beqz t2, spin
    lbu a0, 0(t0)         # RBR
    ebreak
`;

describe.each([false, true])('devices (translate: %s)', translate => {
    test('a UART driver writes, then its receive interrupt stops the CPU where it spins', () => {
        const { cpu, controller, uart, output, symbols } = machine(ECHO, translate);
        const first = cpu.run(500);
        expect(first.cause).toBe(TrapCause.Budget);
        expect(String.fromCharCode(...output)).toBe('hi');
        uart.receive([0x78]);
        const interrupt = cpu.run(500);
        expect(interrupt).toEqual({ cause: TrapCause.Interrupt, pc: interrupt.pc, value: 10 });
        const spin = symbols.get('spin') as number;
        expect(interrupt.pc >= spin && interrupt.pc < spin + 12).toBe(true);
        // The kernel masks the line and lets the driver run; it reads the byte and stops.
        controller.mask(10);
        expect(cpu.run(500).cause).toBe(TrapCause.Breakpoint);
        expect(cpu.x[10]).toBe(0x78);
    });

    test('a timer bounds the slices so that its interrupt comes at its deadline exactly', () => {
        const { cpu, controller } = machine('loop:\n    addi a0, a0, 1\n    j loop', translate);
        const timer = new Timer(() => cpu.cycle, { controller, line: 5 });
        timer.write(0x08, 4, 1000);
        timer.write(0x14, 4, 1);
        let trap = cpu.run(0);
        for (let slices = 0; slices < 10 && trap.cause !== TrapCause.Interrupt; slices++) {
            const budget = Math.min(300, timer.cyclesUntilDeadline() ?? 300);
            trap = cpu.run(budget);
            timer.update();
            if (trap.cause === TrapCause.Budget && controller.pendingLine() !== undefined) trap = cpu.run(1);
        }
        expect(trap).toEqual({ cause: TrapCause.Interrupt, pc: trap.pc, value: 5 });
        expect(cpu.cycle).toBe(1000);
    });
});
