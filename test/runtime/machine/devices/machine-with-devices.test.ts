/**
 * Devices seen by a program: a UART mapped into the address space, driven by assembly; its receive
 * interrupt stops the CPU at an instruction boundary; a timer bounds the run slices exactly, reads the
 * exact cycle, and ends a run when its deadline is written.
 */
import { describe, expect, test } from 'vitest';
import { assemble } from '../../../../runtime/machine/asm/assembler.js';
import { Cpu, TrapCause } from '../../../../runtime/machine/cpu.js';
import {
    InterruptController, TIMER_CONTROL, TIMER_DEADLINE_LO, TIMER_NOW_HI, TIMER_NOW_LO, Timer, Uart
} from '../../../../runtime/machine/devices/index.js';
import { AddressSpace, PAGE_SIZE, PhysicalMemory } from '../../../../runtime/machine/memory.js';

const UART_BASE = 0x1000_0000;

const TIMER_BASE = 0x1000_1000;

/** Maps a timer on the machine's clock, whose deadline changes end the CPU's run (as the kernel wires it). */
function timerAt(base: number) {
    return (cpu: Cpu, space: AddressSpace, controller: InterruptController) => {
        const timer = new Timer(() => cpu.cycle, { controller, line: 5 }, () => cpu.requestExit());
        space.map(base >>> 12, { frame: 0, read: true, write: true, execute: false, device: timer });
    };
}

function machine(source: string, translate: boolean, addDevice?: (cpu: Cpu, space: AddressSpace, controller: InterruptController) => void) {
    const memory = new PhysicalMemory(16 * PAGE_SIZE);
    const cpu = new Cpu(memory, { translate });
    const controller = new InterruptController();
    cpu.attachInterrupts(controller);
    const output: number[] = [];
    const uart = new Uart(byte => output.push(byte), { controller, line: 10 });
    const space = new AddressSpace();
    space.map(1, { frame: 0, read: true, write: false, execute: true });
    space.map(UART_BASE >>> 12, { frame: 0, read: true, write: true, execute: false, device: uart });
    addDevice?.(cpu, space, controller);
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

    test("a timer's NOW register reads the cycle of the reading instruction, as rdcycle does", () => {
        const { cpu, symbols } = machine(`
    li t0, ${TIMER_BASE}
    rdcycle s0
    lw s1, ${TIMER_NOW_LO}(t0)
    li t1, 100
loop:
    addi t1, t1, -1
    bnez t1, loop
    lw s2, ${TIMER_NOW_LO}(t0)
    lw s3, ${TIMER_NOW_HI}(t0)
    rdcycle s4
    ebreak
`, translate, timerAt(TIMER_BASE));
        expect(cpu.run(10_000)).toEqual({ cause: TrapCause.Breakpoint, pc: cpu.pc, value: 0 });
        expect(symbols.get('loop')).toBe(0x1010);
        // s0 is read by the second instruction; each register read happens at its instruction's own cycle.
        expect([cpu.x[8], cpu.x[9], cpu.x[18], cpu.x[19], cpu.x[20]]).toEqual([1, 2, 204, 0, 206]);
    });

    test('a write to the timer ends the run at once, so that the kernel bounds the next one by the new deadline', () => {
        const { cpu, symbols } = machine(`
    li t0, ${TIMER_BASE}
    li t1, 50
    sw t1, ${TIMER_DEADLINE_LO}(t0)
after_deadline:
    li t1, 1
    sw t1, ${TIMER_CONTROL}(t0)
after_control:
    j after_control
`, translate, timerAt(TIMER_BASE));
        expect(cpu.run(10_000)).toEqual({ cause: TrapCause.Budget, pc: symbols.get('after_deadline'), value: 0 });
        expect(cpu.cycle).toBe(3);
        expect(cpu.run(10_000)).toEqual({ cause: TrapCause.Budget, pc: symbols.get('after_control'), value: 0 });
        expect(cpu.cycle).toBe(5);
    });
});
