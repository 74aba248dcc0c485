/**
 * The CPU's dispatch table is shared by all address spaces and indexed by a hash of the pc and the space's
 * mapping generation. These tests drive two states into the same entry on purpose (remapping until the
 * index collides) and check that neither ever runs the other's code.
 */
import { describe, expect, it } from 'vitest';
import { encode } from '../../../runtime/machine/asm/encoder.js';
import { dispatchIndex } from '../../../runtime/machine/cpu-limits.js';
import { Cpu, TrapCause } from '../../../runtime/machine/cpu.js';
import { Op } from '../../../runtime/machine/decode.js';
import { AddressSpace, PAGE_SHIFT, PAGE_SIZE, PhysicalMemory } from '../../../runtime/machine/memory.js';

const CODE = 0x1_0000;

/** Frame `frame` holds `li a0, value; ebreak`. */
function writeProgram(memory: PhysicalMemory, frame: number, value: number): void {
    memory.view.setUint32(frame * PAGE_SIZE, encode({ op: Op.Addi, rd: 10, rs1: 0, imm: value }), true);
    memory.view.setUint32(frame * PAGE_SIZE + 4, encode({ op: Op.Ebreak }), true);
}

function mapCode(space: AddressSpace, frame: number): void {
    space.unmap(CODE >>> PAGE_SHIFT);
    space.map(CODE >>> PAGE_SHIFT, { frame, read: true, write: false, execute: true });
}

/** Runs the code at CODE in `space`; returns a0. */
function runIn(cpu: Cpu, space: AddressSpace): number {
    cpu.mmu.setAddressSpace(space);
    cpu.pc = CODE;
    cpu.x[10] = 0;
    expect(cpu.run(100).cause).toBe(TrapCause.Breakpoint);
    return cpu.x[10];
}

/** Remaps `space` (renewing its generation) until its entry for CODE is `entry`. */
function remapUntilEntry(space: AddressSpace, frame: number, entry: number): void {
    for (let tries = 0; dispatchIndex(CODE, space.generation) !== entry; tries++) {
        if (tries > 100_000) throw new Error('no colliding generation found');
        mapCode(space, frame);
    }
}

/** A CPU over memory whose frame 1 holds a program that sets a0 to 111, and frame 2 one that sets 222. */
function twoProgramMachine(): Cpu {
    const memory = new PhysicalMemory(8 * PAGE_SIZE);
    writeProgram(memory, 1, 111);
    writeProgram(memory, 2, 222);
    return new Cpu(memory);
}

describe('the dispatch table', () => {
    it('keeps apart two address spaces whose code at the same pc lands in the same entry', () => {
        const cpu = twoProgramMachine();
        const first = new AddressSpace();
        const second = new AddressSpace();
        mapCode(first, 1);
        mapCode(second, 2);
        remapUntilEntry(second, 2, dispatchIndex(CODE, first.generation));
        expect([runIn(cpu, first), runIn(cpu, second), runIn(cpu, first), runIn(cpu, second)]).toEqual([111, 222, 111, 222]);
    });

    it('never runs a block translated under an address space\'s older mappings', () => {
        const cpu = twoProgramMachine();
        const space = new AddressSpace();
        mapCode(space, 1);
        const before = runIn(cpu, space);
        const oldEntry = dispatchIndex(CODE, space.generation);
        mapCode(space, 2);
        remapUntilEntry(space, 2, oldEntry);
        expect([before, runIn(cpu, space)]).toEqual([111, 222]);
    });
});
