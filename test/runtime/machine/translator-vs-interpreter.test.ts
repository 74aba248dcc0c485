/**
 * The block translator against the interpreter, its reference, on many generated programs: arithmetic,
 * loads and stores (some of them faulting), forward branches and jumps. Both must end in the same trap
 * with the same registers, memory and instruction count, under any instruction budget.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encode, type Instruction } from '../../../runtime/machine/asm/encoder.js';
import { Cpu } from '../../../runtime/machine/cpu.js';
import { Op } from '../../../runtime/machine/decode.js';
import { translateBlock } from '../../../runtime/machine/translator.js';
import { AddressSpace, PAGE_SIZE, PhysicalMemory } from '../../../runtime/machine/memory.js';

const CODE = 0x1000;
const DATA = 0x2000;
const BASE = 14; // holds DATA throughout; never a destination

const alu = [Op.Add, Op.Sub, Op.Sll, Op.Slt, Op.Sltu, Op.Xor, Op.Srl, Op.Sra, Op.Or, Op.And, Op.Mul, Op.Mulh, Op.Mulhsu, Op.Mulhu, Op.Div, Op.Divu, Op.Rem, Op.Remu];
const immediate = [Op.Addi, Op.Slti, Op.Sltiu, Op.Xori, Op.Ori, Op.Andi];
const shifts = [Op.Slli, Op.Srli, Op.Srai];
const loads = [Op.Lb, Op.Lh, Op.Lw, Op.Lbu, Op.Lhu];
const stores = [Op.Sb, Op.Sh, Op.Sw];
const branches = [Op.Beq, Op.Bne, Op.Blt, Op.Bge, Op.Bltu, Op.Bgeu];

const reg = fc.integer({ min: 0, max: 13 });
const dest = fc.integer({ min: 1, max: 13 });

/** One instruction at position `index` of a program of `length` (branches only go forward, inside it). */
function instruction(index: number, length: number): fc.Arbitrary<Instruction> {
    const forward = fc.integer({ min: 1, max: Math.max(1, length - index) }).map(words => words * 4);
    return fc.oneof(
        { weight: 6, arbitrary: fc.record({ op: fc.constantFrom(...alu), rd: dest, rs1: reg, rs2: reg }) },
        { weight: 4, arbitrary: fc.record({ op: fc.constantFrom(...immediate), rd: dest, rs1: reg, imm: fc.integer({ min: -2048, max: 2047 }) }) },
        { weight: 2, arbitrary: fc.record({ op: fc.constantFrom(...shifts), rd: dest, rs1: reg, imm: fc.integer({ min: 0, max: 31 }) }) },
        { weight: 1, arbitrary: fc.record({ op: fc.constantFrom(Op.Lui, Op.Auipc), rd: dest, imm: fc.integer({ min: -524288, max: 524287 }).map(v => v * 4096) }) },
        { weight: 3, arbitrary: fc.record({ op: fc.constantFrom(...loads), rd: dest, rs1: fc.constant(BASE), imm: fc.integer({ min: -64, max: 2 * PAGE_SIZE + 64 }).filter(v => v <= 2047) }) },
        { weight: 3, arbitrary: fc.record({ op: fc.constantFrom(...stores), rs1: fc.constant(BASE), rs2: reg, imm: fc.integer({ min: -64, max: 2047 }) }) },
        { weight: 2, arbitrary: fc.record({ op: fc.constantFrom(...branches), rs1: reg, rs2: reg, imm: forward }) },
        { weight: 1, arbitrary: fc.record({ op: fc.constant(Op.Jal), rd: dest, imm: forward }) }
    );
}

const program = fc.integer({ min: 1, max: 40 }).chain(length =>
    fc.tuple(...Array.from({ length }, (_, i) => instruction(i, length))));

function execute(instructions: readonly Instruction[], registers: readonly number[], translate: boolean, budget: number) {
    const memory = new PhysicalMemory(16 * PAGE_SIZE);
    const cpu = new Cpu(memory, { translate });
    const space = new AddressSpace();
    space.map(CODE >>> 12, { frame: 0, read: true, write: false, execute: true });
    space.map(DATA >>> 12, { frame: 1, read: true, write: true, execute: false }); // DATA + 4 KiB is unmapped
    [...instructions, { op: Op.Ebreak }].forEach((instruction, i) => memory.view.setUint32(i * 4, encode(instruction), true));
    for (let i = 0; i < PAGE_SIZE; i++) memory.bytes[PAGE_SIZE + i] = (i * 37 + 11) & 0xff;
    registers.forEach((value, i) => { cpu.x[i + 1] = value; });
    cpu.x[BASE] = DATA;
    cpu.mmu.setAddressSpace(space);
    cpu.pc = CODE;
    const traps = [];
    // Run in slices, as the kernel does with its timer, to exercise budgets that end inside blocks.
    for (let slice = 0; slice < 200; slice++) {
        const trap = cpu.run(budget);
        traps.push(trap);
        if (trap.cause !== 256) break;
    }
    return { traps, x: [...cpu.x], pc: cpu.pc, instret: cpu.instret, data: [...memory.bytes.subarray(PAGE_SIZE, 2 * PAGE_SIZE)] };
}

describe('translator and interpreter agree', () => {
    test('on generated programs, under any budget', () => {
        const registers = fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { minLength: 13, maxLength: 13 });
        fc.assert(fc.property(program, registers, fc.integer({ min: 1, max: 60 }), (instructions, values, budget) => {
            const interpreted = execute(instructions, values, false, budget);
            const translated = execute(instructions, values, true, budget);
            expect(translated).toEqual(interpreted);
        }), { numRuns: 1000 });
    });
});

const COUNTER = 13; // the loop counter in looping programs; never a destination there

/** A body instruction that writes no register but 1..12 and only branches forward inside its body. */
function bodyInstruction(index: number, length: number): fc.Arbitrary<Instruction> {
    return instruction(index, length).map(candidate => ('rd' in candidate && candidate.rd === COUNTER ? { ...candidate, rd: 12 } : candidate));
}

const body = (min: number, max: number) => fc.integer({ min, max }).chain(length =>
    length === 0 ? fc.constant([] as Instruction[]) : fc.tuple(...Array.from({ length }, (_, i) => bodyInstruction(i, length))));

/**
 * A loop whose body ends in an ecall, as IPC loops do: `li counter, n; loop: body; ecall; addi counter,
 * -1; tail; bne counter, zero, loop; ebreak`. Resuming after the ecall enters a region in the middle of
 * the loop, which the translator extends back to the loop's start.
 */
const loopingProgram = fc.tuple(fc.integer({ min: 1, max: 5 }), body(1, 10), body(0, 5)).map(([count, head, tail]): Instruction[] => [
    { op: Op.Addi, rd: COUNTER, rs1: 0, imm: count },
    ...head,
    { op: Op.Ecall },
    { op: Op.Addi, rd: COUNTER, rs1: COUNTER, imm: -1 },
    ...tail,
    { op: Op.Bne, rs1: COUNTER, rs2: 0, imm: -4 * (head.length + tail.length + 2) }
]);

function executeLoop(instructions: readonly Instruction[], registers: readonly number[], translate: boolean, budget: number) {
    const memory = new PhysicalMemory(16 * PAGE_SIZE);
    const cpu = new Cpu(memory, { translate });
    const space = new AddressSpace();
    space.map(CODE >>> 12, { frame: 0, read: true, write: false, execute: true });
    space.map(DATA >>> 12, { frame: 1, read: true, write: true, execute: false });
    [...instructions, { op: Op.Ebreak }].forEach((instruction, i) => memory.view.setUint32(i * 4, encode(instruction), true));
    registers.forEach((value, i) => { cpu.x[i + 1] = value; });
    cpu.x[BASE] = DATA;
    cpu.mmu.setAddressSpace(space);
    cpu.pc = CODE;
    const traps = [];
    for (let slice = 0; slice < 400; slice++) {
        const trap = cpu.run(budget);
        traps.push({ ...trap, x: [...cpu.x] });
        // An ecall is a system call that returns at once: go on after it.
        if (trap.cause === 8) cpu.pc = (trap.pc + 4) | 0;
        else if (trap.cause !== 256) break;
    }
    return { traps, pc: cpu.pc, instret: cpu.instret, data: [...memory.bytes.subarray(PAGE_SIZE, 2 * PAGE_SIZE)] };
}

describe('translator and interpreter agree on loops entered in the middle', () => {
    test('after an ecall, under any budget', () => {
        const registers = fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { minLength: 13, maxLength: 13 });
        fc.assert(fc.property(loopingProgram, registers, fc.integer({ min: 1, max: 60 }), (instructions, values, budget) => {
            const interpreted = executeLoop(instructions, values, false, budget);
            const translated = executeLoop(instructions, values, true, budget);
            expect(translated).toEqual(interpreted);
            // The program ended (at the final ebreak, or a faulting access), not at the slice limit.
            expect(interpreted.traps[interpreted.traps.length - 1].cause).not.toBe(256);
        }), { numRuns: 500 });
    });
});

test('a region entered after an ecall covers its loop back to the loop\'s start, and only there', () => {
    const memory = new PhysicalMemory(PAGE_SIZE);
    const loop: Instruction[] = [
        { op: Op.Addi, rd: 10, rs1: 0, imm: 1 },
        { op: Op.Ecall },
        { op: Op.Addi, rd: COUNTER, rs1: COUNTER, imm: -1 },
        { op: Op.Bne, rs1: COUNTER, rs2: 0, imm: -12 },
        { op: Op.Ebreak }
    ];
    loop.forEach((instruction, i) => memory.view.setUint32(0x100 + 4 * i, encode(instruction), true));
    // Entered at the addi after the ecall: the bne's target is two instructions back.
    expect(translateBlock(memory.view, CODE + 0x108, 0x108)?.length).toBe(5);
    // Entered elsewhere (not where a call or trap returns to): no prefix, the loop head has its own region.
    expect(translateBlock(memory.view, CODE + 0x10c, 0x10c)?.length).toBe(2);
    // A target behind an instruction that needs the interpreter is left out.
    memory.view.setUint32(0x100, 0, true);
    expect(translateBlock(memory.view, CODE + 0x108, 0x108)?.length).toBe(3);
});
