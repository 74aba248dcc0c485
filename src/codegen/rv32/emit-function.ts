/**
 * IR to RV32IM assembly for one function, after register allocation: the function's calling convention
 * (ir.ts: standard, or message for handlers and stubs; ra and s1..s11 saved by the callee, sp 16-byte
 * aligned), a frame per
 * activation holding the saved registers and spill slots, and a label before each source statement's code
 * (`.Lpos<n>`) from which the line table is built. Scratch registers t0, t1 (operands), t5 (results) and
 * t6 (addresses) are never allocated.
 */
import { OVERFLOW_SYMBOL, argumentLocation, resultLocation, type IrFunction, type SourcePosition, type ValueLocation, type VReg } from '../ir.js';
import { Syscall, panicWord } from '../../../runtime/contract/index.js';
import { allocateRegisters, type Location } from './register-allocation.js';
import type { DebugType } from '../debug-info.js';

/** A local before addresses are known: live between labels. */
export interface EmittedLocal {
    readonly name: string;
    readonly location: string;
    readonly from: string;
    readonly to?: string;
    readonly type?: DebugType;
    readonly argument: boolean;
}

export interface EmittedFunction {
    readonly lines: string[];
    /** Label of each statement's first instruction, and the position it comes from. */
    readonly positions: { readonly label: string; readonly position: SourcePosition }[];
    /**
     * Where each named local lives (a register or a stack offset from sp), for the debugger, and between
     * which labels it is live there (`from` inclusive, `to` exclusive; `to` undefined: to the function's end).
     */
    readonly locals: EmittedLocal[];
    /** Bytes of stack one activation takes. */
    readonly frameSize: number;
}

const BINARY: Record<string, string> = {
    add: 'add', sub: 'sub', mul: 'mul', mulhu: 'mulhu', div: 'div', divu: 'divu', rem: 'rem', remu: 'remu', and: 'and', or: 'or',
    xor: 'xor', sll: 'sll', srl: 'srl', sra: 'sra', slt: 'slt', sltu: 'sltu'
};

/** A symbol name the assembler accepts. */
export function asmName(name: string): string {
    return name.replace(/[^A-Za-z0-9_.]/g, '_');
}

export function emitFunction(fn: IrFunction, nextPosition: () => number, panicString: (message: string) => { symbol: string; length: number }): EmittedFunction {
    const allocation = allocateRegisters(fn);
    const saved = ['ra', ...allocation.usedRegisters];
    const spillBase = 4 * saved.length;
    const objectBase = spillBase + 4 * allocation.spillSlots;
    const objectOffsets: number[] = [];
    let objectEnd = objectBase;
    for (const size of fn.frameObjects) {
        objectOffsets.push(objectEnd);
        objectEnd += Math.ceil(size / 4) * 4;
    }
    const frame = Math.ceil(objectEnd / 16) * 16;
    const lines: string[] = [];
    const positions: { label: string; position: SourcePosition }[] = [];
    const out = (line: string) => lines.push(`    ${line}`);
    const where = (v: VReg): Location => allocation.locations.get(v) ?? { register: 'zero' };
    const slotOffset = (slot: number) => spillBase + 4 * slot;
    /** The register holding `v` for reading, loading it into `scratch` if it is spilled. */
    const use = (v: VReg, scratch: string): string => {
        const location = where(v);
        if ('register' in location) return location.register;
        out(`lw ${scratch}, ${slotOffset(location.slot)}(sp)`);
        return scratch;
    };
    /**
     * `offset(base)` for a load or store; an offset beyond a 12-bit immediate (a byte past 2 KiB of a
     * large buffer) is added to the base in t2 first.
     */
    const reachable = (base: string, offset: number): string => {
        if (offset >= -2048 && offset <= 2047) return `${offset}(${base})`;
        out(`li t2, ${offset}`);
        out(`add t2, ${base}, t2`);
        return '0(t2)';
    };
    /** Writes `v` from a computation into `target(register)`. */
    const define = (v: VReg, compute: (register: string) => void): void => {
        const location = where(v);
        if ('register' in location) {
            compute(location.register);
        } else {
            compute('t5');
            out(`sw t5, ${slotOffset(location.slot)}(sp)`);
        }
    };
    const move = (to: string, v: VReg) => {
        const location = where(v);
        if ('register' in location) out(`mv ${to}, ${location.register}`);
        else out(`lw ${to}, ${slotOffset(location.slot)}(sp)`);
    };
    /** Puts `v` where a value travels: its register, or its overflow word (through t5 and t6). */
    const moveTo = (location: ValueLocation, v: VReg) => {
        if (typeof location === 'string') {
            move(location, v);
            return;
        }
        move('t5', v);
        out(`la t6, ${OVERFLOW_SYMBOL}`);
        out(`sw t5, ${4 * location.overflow}(t6)`);
    };
    /** Defines `v` from where a value travels. */
    const defineFrom = (v: VReg, location: ValueLocation) => define(v, register => {
        if (typeof location === 'string') {
            out(`mv ${register}, ${location}`);
        } else {
            out(`la t6, ${OVERFLOW_SYMBOL}`);
            out(`lw ${register}, ${4 * location.overflow}(t6)`);
        }
    });
    /** sp += amount; a frame larger than an immediate (local arrays) goes through t5. */
    const adjustSp = (amount: number) => {
        if (amount >= -2048 && amount <= 2047) {
            out(`addi sp, sp, ${amount}`);
        } else {
            out(`li t5, ${amount}`);
            out('add sp, sp, t5');
        }
    };
    const epilogue = () => {
        saved.forEach((register, i) => out(`lw ${register}, ${i * 4}(sp)`));
        adjustSp(frame);
        out('ret');
    };

    lines.push(`${asmName(fn.name)}:`);
    adjustSp(-frame);
    saved.forEach((register, i) => out(`sw ${register}, ${i * 4}(sp)`));
    fn.params.forEach((param, i) => defineFrom(param, argumentLocation(fn.convention, i)));

    // Labels by IR position, so that live intervals can be turned into address ranges: the function's
    // entry, each block's start and each statement's start.
    const labelsAt: { position: number; label: string }[] = [{ position: -1, label: asmName(fn.name) }];
    let position = 0;
    fn.blocks.forEach((block, b) => {
        if (b > 0) {
            lines.push(`${asmName(block.label)}:`);
            labelsAt.push({ position, label: asmName(block.label) });
        }
        for (const instruction of block.instructions) {
            const here = position++;
            switch (instruction.op) {
                case 'position': {
                    const label = `.Lpos${nextPosition()}`;
                    lines.push(`${label}:`);
                    positions.push({ label, position: instruction.position });
                    labelsAt.push({ position: here, label });
                    break;
                }
                case 'const': define(instruction.dst, register => out(`li ${register}, ${instruction.value}`)); break;
                case 'copy': {
                    const source = use(instruction.src, 't0');
                    define(instruction.dst, register => { if (register !== source) out(`mv ${register}, ${source}`); });
                    break;
                }
                case 'binary': {
                    const a = use(instruction.a, 't0');
                    const b2 = use(instruction.b, 't1');
                    define(instruction.dst, register => {
                        if (instruction.kind === 'eq' || instruction.kind === 'ne') {
                            out(`xor ${register}, ${a}, ${b2}`);
                            out(`${instruction.kind === 'eq' ? 'seqz' : 'snez'} ${register}, ${register}`);
                        } else {
                            out(`${BINARY[instruction.kind]} ${register}, ${a}, ${b2}`);
                        }
                    });
                    break;
                }
                case 'extend': {
                    const source = use(instruction.src, 't0');
                    const shift = 32 - instruction.bits;
                    define(instruction.dst, register => {
                        if (!instruction.signed && instruction.bits <= 11) {
                            out(`andi ${register}, ${source}, ${(1 << instruction.bits) - 1}`);
                        } else {
                            out(`slli ${register}, ${source}, ${shift}`);
                            out(`${instruction.signed ? 'srai' : 'srli'} ${register}, ${register}, ${shift}`);
                        }
                    });
                    break;
                }
                case 'address': define(instruction.dst, register => out(`la ${register}, ${asmName(instruction.symbol)}`)); break;
                case 'load': {
                    const mnemonic = instruction.size === 4 ? 'lw' : instruction.size === 2 ? (instruction.signed ? 'lh' : 'lhu') : (instruction.signed ? 'lb' : 'lbu');
                    out(`la t6, ${asmName(instruction.symbol)}`);
                    define(instruction.dst, register => out(`${mnemonic} ${register}, ${instruction.offset}(t6)`));
                    break;
                }
                case 'store': {
                    const source = use(instruction.src, 't0');
                    const mnemonic = instruction.size === 4 ? 'sw' : instruction.size === 2 ? 'sh' : 'sb';
                    out(`la t6, ${asmName(instruction.symbol)}`);
                    out(`${mnemonic} ${source}, ${instruction.offset}(t6)`);
                    break;
                }
                case 'call': {
                    instruction.args.forEach((arg, i) => moveTo(argumentLocation(instruction.convention, i), arg));
                    if (instruction.cptr !== undefined) move('a1', instruction.cptr);
                    out(`call ${asmName(instruction.callee)}`);
                    instruction.results.forEach((result, i) => defineFrom(result, resultLocation(instruction.convention, i)));
                    break;
                }
                case 'frameAddress': define(instruction.dst, register => {
                    const offset = objectOffsets[instruction.object];
                    if (offset <= 2047) {
                        out(`addi ${register}, sp, ${offset}`);
                    } else {
                        out(`li ${register}, ${offset}`);
                        out(`add ${register}, sp, ${register}`);
                    }
                }); break;
                case 'loadIndirect': {
                    const mnemonic = instruction.size === 4 ? 'lw' : instruction.size === 2 ? (instruction.signed ? 'lh' : 'lhu') : (instruction.signed ? 'lb' : 'lbu');
                    const address = reachable(use(instruction.base, 't0'), instruction.offset);
                    define(instruction.dst, register => out(`${mnemonic} ${register}, ${address}`));
                    break;
                }
                case 'storeIndirect': {
                    const source = use(instruction.src, 't0');
                    const address = reachable(use(instruction.base, 't1'), instruction.offset);
                    const mnemonic = instruction.size === 4 ? 'sw' : instruction.size === 2 ? 'sh' : 'sb';
                    out(`${mnemonic} ${source}, ${address}`);
                    break;
                }
                case 'panic': {
                    // Inline, so that the fault's pc is in this statement and its word says why.
                    const message = panicString(instruction.message);
                    out(`la a0, ${message.symbol}`);
                    out(`li a1, ${message.length}`);
                    out(`li a7, ${Syscall.DebugWrite}`);
                    out('ecall');
                    out(`.word ${panicWord(instruction.code)}`);
                    break;
                }
            }
        }
        position++;
        const terminator = block.terminator;
        const next = fn.blocks[b + 1]?.label;
        switch (terminator.op) {
            case 'jump':
                if (terminator.target !== next) out(`j ${asmName(terminator.target)}`);
                break;
            case 'branch': {
                const condition = use(terminator.condition, 't0');
                if (terminator.ifTrue === next) {
                    out(`beqz ${condition}, ${asmName(terminator.ifFalse)}`);
                } else {
                    out(`bnez ${condition}, ${asmName(terminator.ifTrue)}`);
                    if (terminator.ifFalse !== next) out(`j ${asmName(terminator.ifFalse)}`);
                }
                break;
            }
            case 'return':
                terminator.values.forEach((value, i) => moveTo(resultLocation(fn.convention, i), value));
                epilogue();
                break;
            case 'unreachable':
                break;
        }
    });

    const locals = fn.locals.map(local => {
        const described = { name: local.name, type: local.type, argument: local.argument };
        // A frame object is where it is for the whole activation.
        if ('object' in local) return { ...described, location: `sp+${objectOffsets[local.object]}`, from: asmName(fn.name) };
        const location = where(local.register);
        const interval = allocation.intervals.get(local.register) ?? { start: -1, end: position };
        // From the last label at or before the interval's start, to the first label after its end.
        const from = [...labelsAt].reverse().find(entry => entry.position <= interval.start)?.label ?? asmName(fn.name);
        const to = labelsAt.find(entry => entry.position > interval.end)?.label;
        return { ...described, location: 'register' in location ? location.register : `sp+${slotOffset(location.slot)}`, from, to };
    });
    return { lines, positions, locals, frameSize: frame };
}
