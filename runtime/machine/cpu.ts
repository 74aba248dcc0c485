/**
 * The RV32IM hart in user mode and its interpreter. `run(budget)` executes until a trap: an ecall, an
 * ebreak, an illegal instruction, a page fault, a misaligned jump target, or the end of the instruction
 * budget (the kernel's timer). Traps are precise: the registers and memory are exactly as the architecture
 * defines them before the trapping instruction, `pc` is that instruction's address, and it has not retired.
 * Decoded instructions are cached per physical frame and dropped when the frame is written or on fence.i.
 * A device's registers are accessed by the interpreter only, with the count of retired instructions up to
 * date, so that a device reading the time (`cycle`) sees the cycle of the accessing instruction.
 */
import { decode, Op, type Decoded } from './decode.js';
import { PAGE_MASK, PAGE_SHIFT, type PhysicalMemory } from './memory.js';
import { DEFERRED_DEVICE_ACCESS, Mmu } from './mmu.js';
import type { InterruptController } from './devices/interrupt-controller.js';
import { translateBlock, type Block, type BlockState } from './translator.js';
import { DISPATCH_SIZE, MAX_RUN, dispatchIndex } from './cpu-limits.js';

/** Trap causes, numbered as the RISC-V `mcause` exception codes; `Budget` is ukc's own. */
export const enum TrapCause {
    InstructionMisaligned = 0,
    IllegalInstruction = 2,
    Breakpoint = 3,
    UserEcall = 8,
    InstructionPageFault = 12,
    LoadPageFault = 13,
    StorePageFault = 15,
    /** The instruction budget ran out: a timer interrupt, taken between instructions. */
    Budget = 256,
    /** A device interrupt is pending (the trap's value is its line), taken between instructions. */
    Interrupt = 257,
    /** A debugger breakpoint at `pc`; the instruction there has not run. */
    Debug = 258
}

export interface Trap {
    readonly cause: TrapCause;
    /** The instruction that trapped, or for `Budget` the next one to run. */
    readonly pc: number;
    /** The faulting address, the misaligned target, or the illegal instruction word. */
    readonly value: number;
}

export const CSR_CYCLE = 0xc00;
export const CSR_TIME = 0xc01;
export const CSR_INSTRET = 0xc02;
export const CSR_CYCLEH = 0xc80;
export const CSR_TIMEH = 0xc81;
export const CSR_INSTRETH = 0xc82;

/** a0..a7 are x10..x17. */
export const REG_A0 = 10;
export const REG_SP = 2;

/** mulhu: the high word of an unsigned 32x32 product, from 16-bit halves (BigInt would be far slower). */
export function mulhu(a: number, b: number): number {
    const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
    const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    const middle = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
    return (p11 + (p01 >>> 16) + (p10 >>> 16) + (middle >>> 16)) >>> 0;
}

/** A load the MMU deferred because it reads device registers, sign- or zero-extended as `op` says. */
function deviceLoad(mmu: Mmu, op: Op, address: number): number {
    switch (op) {
        case Op.Lb: return (mmu.deviceLoad(address, 1) << 24) >> 24;
        case Op.Lbu: return mmu.deviceLoad(address, 1);
        case Op.Lh: return (mmu.deviceLoad(address, 2) << 16) >> 16;
        case Op.Lhu: return mmu.deviceLoad(address, 2);
        default: return mmu.deviceLoad(address, 4) | 0;
    }
}

export function mulh(a: number, b: number): number {
    let high = mulhu(a >>> 0, b >>> 0);
    if (a < 0) high -= b >>> 0;
    if (b < 0) high -= a >>> 0;
    return high | 0;
}

export function mulhsu(a: number, b: number): number {
    let high = mulhu(a >>> 0, b >>> 0);
    if (a < 0) high -= b >>> 0;
    return high | 0;
}

/** A non-integer stored first into a numeric field makes V8 keep the field as a double (see the Cpu constructor). */
export const DOUBLE = 0.5;

export interface CpuOptions {
    /** Translate basic blocks into JavaScript (the default); false runs the interpreter alone. */
    readonly translate?: boolean;
}

export class Cpu {
    /**
     * x0..x31 as signed 32-bit values; x0 is kept at zero. A kernel switches threads by pointing this at
     * the next thread's register file (no copying); it must not be replaced during `run`.
     */
    x = new Int32Array(32);
    /**
     * Debugger breakpoints (virtual addresses in the current address space): `run` stops with a `Debug`
     * trap before executing an instruction at one of them. While any is set, `run` interprets instruction
     * by instruction so that none is skipped inside a translated block.
     */
    get breakpoints(): ReadonlySet<number> {
        return this.breakpointSet;
    }

    set breakpoints(addresses: ReadonlySet<number>) {
        this.breakpointSet = addresses;
        this.watchBreakpoints = addresses.size > 0;
    }

    private breakpointSet: ReadonlySet<number> = new Set<number>();
    /**
     * A kernel's handler for `ecall`s met in translated code, called inside `run` with the CPU's state
     * current (pc at the ecall, instructions counted). It returns how many more instructions to run — for
     * whichever thread the kernel left in the CPU (it may have replaced `x`, `pc` and the address space,
     * the way an IPC fastpath switches threads) — or 0 to make `run` return with a `Budget` trap (the call
     * is handled either way). This saves a trip out of `run` and back for every system call.
     */
    onEcall: (() => number) | undefined;
    /** Whether any breakpoint is set (read once per `run`; set the breakpoints again after changing the set). */
    private watchBreakpoints = false;
    pc = 0;
    /** Instructions retired (`instret`). */
    instret = 0;
    /** Extra cycles charged by the kernel (system call costs); `cycle` = instret + this. */
    extraCycles = 0;
    readonly mmu: Mmu;
    readonly translate: boolean;
    private readonly decoded: (Decoded[] | undefined)[];
    /** Translated blocks per frame, by word index; null marks an instruction the interpreter must run. */
    private readonly blocks: ((Block | null | undefined)[] | undefined)[];
    private readonly blockState: BlockState;
    /**
     * The dispatch table: translated blocks by virtual pc, direct-mapped, shared by every address space and
     * tagged by pc and by the space's mapping generation (unique across spaces, renewed by every change
     * of mappings; memory.ts). A context switch therefore costs it nothing, and an entry made under older
     * mappings never matches. Going from one block to the next skips translation and the frame tables.
     * Emptied when decoded code is dropped.
     */
    private readonly dispatchPc = new Int32Array(DISPATCH_SIZE).fill(-1);
    private readonly dispatchGeneration = new Float64Array(DISPATCH_SIZE);
    private readonly dispatchBlock = new Array<Block | undefined>(DISPATCH_SIZE);

    constructor(readonly memory: PhysicalMemory, options: CpuOptions = {}) {
        // The counters pass V8's small-integer range (2^30) in long runs, and a field whose representation
        // changes mid-run deoptimises every function that reads it: make them doubles from the start.
        this.instret = DOUBLE;
        this.instret = 0;
        this.extraCycles = DOUBLE;
        this.extraCycles = 0;
        this.mmu = new Mmu(memory);
        this.translate = options.translate ?? true;
        this.decoded = new Array(memory.frames);
        this.blocks = new Array(memory.frames);
        this.mmu.onCodeWrite = frame => this.forgetCode(frame);
        this.blockState = {
            mmu: this.mmu, view: memory.view, bytes: memory.bytes,
            words: new Int32Array(memory.bytes.buffer), halves: new Uint16Array(memory.bytes.buffer),
            pc: 0, cause: -1, value: 0, stop: false, mulh, mulhu, mulhsu
        };
    }

    /** An interrupt may be pending, or an exit was requested: `run` looks at the next instruction boundary. */
    private attentionRequested = false;
    private exitRequested = false;
    private interrupts: InterruptController | undefined;

    /** Connects the interrupt controller: a pending unmasked line stops `run` at the next instruction boundary. */
    attachInterrupts(controller: InterruptController): void {
        this.interrupts = controller;
        controller.onPending = () => {
            this.attentionRequested = true;
            this.blockState.stop = true;
        };
        if (controller.pendingLine() !== undefined) controller.onPending();
    }

    /**
     * Makes `run` return with a `Budget` trap at the next instruction boundary: a device changed what
     * bounds the run (a timer's deadline, by which the kernel sizes its runs).
     */
    requestExit(): void {
        this.exitRequested = true;
        this.attentionRequested = true;
        this.blockState.stop = true;
    }

    get cycle(): number {
        return this.instret + this.extraCycles;
    }

    /** Called after something other than the CPU (the kernel) wrote into a frame: drops code decoded from it. */
    frameWritten(frame: number): void {
        if (this.decoded[frame] || this.blocks[frame]) this.forgetCode(frame);
    }

    /** Drops every decoded instruction (fence.i, or a change of mappings by the kernel). */
    forgetAllCode(): void {
        for (let frame = 0; frame < this.decoded.length; frame++) {
            if (this.decoded[frame] || this.blocks[frame]) this.forgetCode(frame);
        }
    }

    private forgetCode(frame: number): void {
        this.decoded[frame] = undefined;
        this.blocks[frame] = undefined;
        this.blockState.stop = true;
        this.dispatchPc.fill(-1);
        this.mmu.unmarkCode(frame);
    }

    /** A counter CSR's value, given the instructions retired so far; `time` counts cycles too. */
    readCsr(csr: number, instret = this.instret): number | undefined {
        const cycle = instret + this.extraCycles;
        switch (csr) {
            case CSR_CYCLE: case CSR_TIME: return cycle | 0;
            case CSR_INSTRET: return instret | 0;
            case CSR_CYCLEH: case CSR_TIMEH: return Math.floor(cycle / 0x1_0000_0000) | 0;
            case CSR_INSTRETH: return Math.floor(instret / 0x1_0000_0000) | 0;
            default: return undefined;
        }
    }

    /**
     * The translated block for `pc`: from the dispatch table, else translated (and cached) now. Null when
     * the instruction there needs the interpreter or cannot be fetched; the interpreter then reports the
     * fault, so a fault costs a second fetch, which keeps the common path to one. Translated code relies on
     * this lookup to keep its TLB true: after a change of the current space's mappings (a system call),
     * the next lookup misses (a new generation) and `fetchAddress` flushes the stale TLB before any
     * region runs.
     */
    private blockAt(pc: number): Block | null {
        const generation = this.mmu.addressSpace.generation;
        const entry = dispatchIndex(pc, generation);
        if (this.dispatchPc[entry] === pc && this.dispatchGeneration[entry] === generation) return this.dispatchBlock[entry] as Block;
        if ((pc & 3) !== 0) return null;
        const pa = this.mmu.fetchAddress(pc);
        if (pa < 0) return null;
        const frame = pa >>> PAGE_SHIFT;
        let frameBlocks = this.blocks[frame];
        if (!frameBlocks) {
            frameBlocks = new Array<Block | null | undefined>(1024);
            this.blocks[frame] = frameBlocks;
            this.mmu.markCode(frame);
        }
        const slot = (pa & PAGE_MASK) >>> 2;
        let block = frameBlocks[slot];
        if (block === undefined || (block !== null && block.pc !== pc)) {
            block = translateBlock(this.memory.view, pc, pa) ?? null;
            frameBlocks[slot] = block;
        }
        if (block !== null) {
            this.dispatchPc[entry] = pc;
            this.dispatchGeneration[entry] = generation;
            this.dispatchBlock[entry] = block;
        }
        return block;
    }

    /**
     * Runs at most `budget` instructions; returns the trap that stopped it. `resumingFromBreakpoint` lets
     * the first instruction run even when a breakpoint is set on it (continuing after the debugger stopped).
     * Translated code runs unless breakpoints are being watched (the interpreter checks them per instruction).
     */
    run(budget: number, resumingFromBreakpoint = false): Trap {
        if (!this.translate || this.watchBreakpoints) return this.interpret(budget, resumingFromBreakpoint);
        // The dispatch loop over translated regions. An instruction no region covers (a CSR access,
        // fence.i, a fetch that faults) goes to `interpret` one at a time. The interpreter is a function of
        // its own so that this loop, which V8 optimises early, never contains code that has not run yet:
        // reaching such code for the first time would throw the optimised loop away (deoptimise it).
        budget = budget > MAX_RUN ? MAX_RUN : budget | 0;
        let x = this.x;
        let pc = this.pc;
        let retired = 0;
        let trap: Trap | undefined;
        while (retired < budget) {
            if (this.attentionRequested && (trap = this.takeAttention(pc)) !== undefined) break;
            const block = this.blockAt(pc);
            if (block === null || block.length > budget - retired) {
                this.pc = pc;
                this.instret += retired;
                budget -= retired + 1;
                retired = 0;
                const stopped = this.interpret(1, false);
                x = this.x;
                pc = this.pc;
                if (stopped.cause !== TrapCause.Budget) return stopped;
                continue;
            }
            const state = this.blockState;
            state.cause = -1;
            state.stop = false;
            retired += block.run(x, state, budget - retired);
            pc = state.pc;
            if (state.cause < 0) continue;
            if (state.cause === TrapCause.UserEcall && this.onEcall !== undefined) {
                this.pc = pc;
                this.instret += retired;
                retired = 0;
                const more = this.onEcall();
                x = this.x;
                pc = this.pc;
                if (more > 0) {
                    budget = more > MAX_RUN ? MAX_RUN : more | 0;
                    continue;
                }
                trap = { cause: TrapCause.Budget, pc, value: 0 };
                break;
            }
            if (this.mmu.fault === DEFERRED_DEVICE_ACCESS && (state.cause === TrapCause.LoadPageFault || state.cause === TrapCause.StorePageFault)) {
                // A device access, which regions leave to the interpreter (the file's header says why).
                this.pc = pc;
                this.instret += retired;
                budget -= retired + 1;
                retired = 0;
                const stopped = this.interpret(1, false);
                x = this.x;
                pc = this.pc;
                if (stopped.cause !== TrapCause.Budget) return stopped;
                continue;
            }
            trap = { cause: state.cause as TrapCause, pc, value: state.value >>> 0 };
            break;
        }
        x[0] = 0;
        this.pc = pc;
        this.instret += retired;
        return trap ?? { cause: TrapCause.Budget, pc, value: 0 };
    }

    /**
     * After a device asked for attention: the trap for the interrupt pending at the controller, if any, else
     * a `Budget` trap if an exit was requested (either returns to the kernel, which then looks at the devices).
     */
    private takeAttention(pc: number): Trap | undefined {
        this.attentionRequested = false;
        const exit = this.exitRequested;
        this.exitRequested = false;
        const line = this.interrupts?.pendingLine();
        if (line !== undefined) return { cause: TrapCause.Interrupt, pc, value: line };
        return exit ? { cause: TrapCause.Budget, pc, value: 0 } : undefined;
    }

    /** The interpreter: decodes (once per word) and executes at most `budget` instructions. */
    private interpret(budget: number, resumingFromBreakpoint: boolean): Trap {
        const x = this.x;
        const mmu = this.mmu;
        let pc = this.pc;
        let retired = 0;
        let trap: Trap | undefined;
        const watchBreakpoints = this.watchBreakpoints;
        while (retired < budget) {
            if (watchBreakpoints && this.breakpointSet.has(pc >>> 0) && !(resumingFromBreakpoint && retired === 0)) {
                trap = { cause: TrapCause.Debug, pc, value: pc >>> 0 };
                break;
            }
            if (this.attentionRequested && (trap = this.takeAttention(pc)) !== undefined) break;
            if ((pc & 3) !== 0) {
                trap = { cause: TrapCause.InstructionMisaligned, pc, value: pc };
                break;
            }
            const pa = mmu.fetchAddress(pc);
            if (pa < 0) {
                trap = { cause: TrapCause.InstructionPageFault, pc, value: pc };
                break;
            }
            const frame = pa >>> PAGE_SHIFT;
            let page = this.decoded[frame];
            if (!page) {
                page = new Array<Decoded>(1024);
                this.decoded[frame] = page;
                mmu.markCode(frame);
            }
            const index = (pa >>> 2) & 1023;
            let d = page[index];
            if (!d) {
                d = decode(this.memory.view.getInt32(pa, true));
                page[index] = d;
            }
            let next = (pc + 4) | 0;
            switch (d.op) {
                case Op.Lui: x[d.rd] = d.imm; break;
                case Op.Auipc: x[d.rd] = (pc + d.imm) | 0; break;
                case Op.Jal: {
                    const target = (pc + d.imm) | 0;
                    if (target & 3) { trap = { cause: TrapCause.InstructionMisaligned, pc, value: target >>> 0 }; break; }
                    x[d.rd] = next;
                    next = target;
                    break;
                }
                case Op.Jalr: {
                    const target = (x[d.rs1] + d.imm) & ~1;
                    if (target & 3) { trap = { cause: TrapCause.InstructionMisaligned, pc, value: target >>> 0 }; break; }
                    x[d.rd] = next;
                    next = target;
                    break;
                }
                case Op.Beq: if (x[d.rs1] === x[d.rs2]) next = (pc + d.imm) | 0; break;
                case Op.Bne: if (x[d.rs1] !== x[d.rs2]) next = (pc + d.imm) | 0; break;
                case Op.Blt: if (x[d.rs1] < x[d.rs2]) next = (pc + d.imm) | 0; break;
                case Op.Bge: if (x[d.rs1] >= x[d.rs2]) next = (pc + d.imm) | 0; break;
                case Op.Bltu: if ((x[d.rs1] >>> 0) < (x[d.rs2] >>> 0)) next = (pc + d.imm) | 0; break;
                case Op.Bgeu: if ((x[d.rs1] >>> 0) >= (x[d.rs2] >>> 0)) next = (pc + d.imm) | 0; break;
                case Op.Lb: case Op.Lh: case Op.Lw: case Op.Lbu: case Op.Lhu: {
                    const address = (x[d.rs1] + d.imm) | 0;
                    mmu.fault = undefined;
                    let value: number;
                    switch (d.op) {
                        case Op.Lb: value = (mmu.load8(address) << 24) >> 24; break;
                        case Op.Lbu: value = mmu.load8(address); break;
                        case Op.Lh: value = (mmu.load16(address) << 16) >> 16; break;
                        case Op.Lhu: value = mmu.load16(address); break;
                        default: value = mmu.load32(address);
                    }
                    if (mmu.fault) {
                        if (mmu.fault !== DEFERRED_DEVICE_ACCESS) { trap = { cause: TrapCause.LoadPageFault, pc, value: address >>> 0 }; break; }
                        // A device register: count what ran so far first, so that the device sees this cycle.
                        this.instret += retired;
                        budget -= retired;
                        retired = 0;
                        value = deviceLoad(mmu, d.op, address);
                    }
                    x[d.rd] = value;
                    break;
                }
                case Op.Sb: case Op.Sh: case Op.Sw: {
                    const address = (x[d.rs1] + d.imm) | 0;
                    const ok = d.op === Op.Sw ? mmu.store32(address, x[d.rs2])
                        : d.op === Op.Sh ? mmu.store16(address, x[d.rs2]) : mmu.store8(address, x[d.rs2]);
                    if (!ok) {
                        if (mmu.fault !== DEFERRED_DEVICE_ACCESS) { trap = { cause: TrapCause.StorePageFault, pc, value: address >>> 0 }; break; }
                        // As for loads: the device sees the cycle of this instruction.
                        this.instret += retired;
                        budget -= retired;
                        retired = 0;
                        mmu.deviceStore(address, d.op === Op.Sw ? 4 : d.op === Op.Sh ? 2 : 1, x[d.rs2]);
                    }
                    break;
                }
                case Op.Addi: x[d.rd] = x[d.rs1] + d.imm; break;
                case Op.Slti: x[d.rd] = x[d.rs1] < d.imm ? 1 : 0; break;
                case Op.Sltiu: x[d.rd] = (x[d.rs1] >>> 0) < (d.imm >>> 0) ? 1 : 0; break;
                case Op.Xori: x[d.rd] = x[d.rs1] ^ d.imm; break;
                case Op.Ori: x[d.rd] = x[d.rs1] | d.imm; break;
                case Op.Andi: x[d.rd] = x[d.rs1] & d.imm; break;
                case Op.Slli: x[d.rd] = x[d.rs1] << d.imm; break;
                case Op.Srli: x[d.rd] = x[d.rs1] >>> d.imm; break;
                case Op.Srai: x[d.rd] = x[d.rs1] >> d.imm; break;
                case Op.Add: x[d.rd] = x[d.rs1] + x[d.rs2]; break;
                case Op.Sub: x[d.rd] = x[d.rs1] - x[d.rs2]; break;
                // JavaScript masks shift counts to 5 bits, as RV32 does.
                case Op.Sll: x[d.rd] = x[d.rs1] << x[d.rs2]; break;
                case Op.Slt: x[d.rd] = x[d.rs1] < x[d.rs2] ? 1 : 0; break;
                case Op.Sltu: x[d.rd] = (x[d.rs1] >>> 0) < (x[d.rs2] >>> 0) ? 1 : 0; break;
                case Op.Xor: x[d.rd] = x[d.rs1] ^ x[d.rs2]; break;
                case Op.Srl: x[d.rd] = x[d.rs1] >>> x[d.rs2]; break;
                case Op.Sra: x[d.rd] = x[d.rs1] >> x[d.rs2]; break;
                case Op.Or: x[d.rd] = x[d.rs1] | x[d.rs2]; break;
                case Op.And: x[d.rd] = x[d.rs1] & x[d.rs2]; break;
                case Op.Mul: x[d.rd] = Math.imul(x[d.rs1], x[d.rs2]); break;
                case Op.Mulh: x[d.rd] = mulh(x[d.rs1], x[d.rs2]); break;
                case Op.Mulhsu: x[d.rd] = mulhsu(x[d.rs1], x[d.rs2]); break;
                case Op.Mulhu: x[d.rd] = mulhu(x[d.rs1] >>> 0, x[d.rs2] >>> 0); break;
                case Op.Div: {
                    const a = x[d.rs1], b = x[d.rs2];
                    x[d.rd] = b === 0 ? -1 : (a === -0x80000000 && b === -1) ? a : (a / b) | 0;
                    break;
                }
                case Op.Divu: {
                    const a = x[d.rs1] >>> 0, b = x[d.rs2] >>> 0;
                    x[d.rd] = b === 0 ? -1 : (a / b) | 0;
                    break;
                }
                case Op.Rem: {
                    const a = x[d.rs1], b = x[d.rs2];
                    x[d.rd] = b === 0 ? a : (a === -0x80000000 && b === -1) ? 0 : a % b;
                    break;
                }
                case Op.Remu: {
                    const a = x[d.rs1] >>> 0, b = x[d.rs2] >>> 0;
                    x[d.rd] = b === 0 ? a : a % b;
                    break;
                }
                case Op.Fence: break;
                case Op.FenceI: this.forgetAllCode(); break;
                case Op.Ecall: trap = { cause: TrapCause.UserEcall, pc, value: 0 }; break;
                case Op.Ebreak: trap = { cause: TrapCause.Breakpoint, pc, value: 0 }; break;
                case Op.Csrrw: case Op.Csrrs: case Op.Csrrc: case Op.Csrrwi: case Op.Csrrsi: case Op.Csrrci: {
                    // Only the read-only counters exist in user mode; reading them is allowed, writing is not.
                    const writes = d.op === Op.Csrrw || d.op === Op.Csrrwi || d.rs1 !== 0;
                    const value = this.readCsr(d.imm, this.instret + retired);
                    if (value === undefined || writes) { trap = { cause: TrapCause.IllegalInstruction, pc, value: d.word >>> 0 }; break; }
                    x[d.rd] = value;
                    break;
                }
                default:
                    trap = { cause: TrapCause.IllegalInstruction, pc, value: d.word >>> 0 };
            }
            if (trap) break;
            // A taken branch to an address that is not a multiple of 4 traps on the branch itself (jumps
            // check before writing their link register).
            if ((next & 3) !== 0) {
                trap = { cause: TrapCause.InstructionMisaligned, pc, value: next >>> 0 };
                break;
            }
            x[0] = 0;
            pc = next;
            retired++;
        }
        x[0] = 0;
        this.pc = pc;
        this.instret += retired;
        return trap ?? { cause: TrapCause.Budget, pc, value: 0 };
    }

}
