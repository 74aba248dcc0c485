/**
 * The code generator's intermediate representation: functions of basic blocks over virtual registers, each
 * holding a 32-bit value. The lowering (lower/) produces it from the checked syntax tree, with every value
 * already normalised to its uk type (narrow integers zero- or sign-extended); the RV32 back end (rv32/)
 * allocates registers and emits assembly. Nothing here knows about Langium or RISC-V.
 */
import type { PanicCode } from '../../runtime/contract/index.js';
import { OVERFLOW_VALUES } from '../layout/index.js';
import type { DebugType } from './debug-info.js';

export type VReg = number;

/** Register-to-register operations, RISC-V's R-type set plus the comparisons the lowering needs. */
export type BinaryOp =
    | 'add' | 'sub' | 'mul' | 'mulhu' | 'div' | 'divu' | 'rem' | 'remu' | 'and' | 'or' | 'xor' | 'sll' | 'srl' | 'sra'
    | 'slt' | 'sltu' | 'eq' | 'ne';

/** A position in a `.uk` file (1-based line and column), for the line table and messages. */
export interface SourcePosition {
    readonly file: string;
    readonly line: number;
    readonly column: number;
}

/**
 * How arguments and results travel in registers. `standard` is the RISC-V convention (a0..a7 both ways).
 * `message` is for client stubs and handlers: arguments in a2..a7 and results in a0 (the error label)
 * then a2..a7, so that a value that travels in a message register is already where the message wants it.
 */
export type CallingConvention = 'standard' | 'message';

export function argumentRegister(convention: CallingConvention, index: number): string {
    return `a${convention === 'message' ? index + 2 : index}`;
}

export function resultRegister(convention: CallingConvention, index: number): string {
    return `a${convention === 'message' && index > 0 ? index + 1 : index}`;
}

/**
 * Arguments and results beyond a convention's registers (six values for `message`, eight for `standard`)
 * travel in the component's overflow words, OVERFLOW_SYMBOL + 4 x n: a caller stores them just before
 * the call and a callee loads its parameters on entry; results are stored just before the return and
 * loaded just after the call. One component thread, and nothing between store and load, make one area
 * enough.
 */
export const OVERFLOW_SYMBOL = '__ukc_overflow';
export const OVERFLOW_WORDS = OVERFLOW_VALUES;

export type ValueLocation = string | { readonly overflow: number };

export function argumentLocation(convention: CallingConvention, index: number): ValueLocation {
    const registers = convention === 'message' ? 6 : 8;
    return index < registers ? argumentRegister(convention, index) : { overflow: index - registers };
}

export function resultLocation(convention: CallingConvention, index: number): ValueLocation {
    // message: a0 (the error label), then six values in a2..a7.
    const registers = convention === 'message' ? 7 : 8;
    return index < registers ? resultRegister(convention, index) : { overflow: index - registers };
}

export type Instruction =
    | { readonly op: 'const'; readonly dst: VReg; readonly value: number }
    | { readonly op: 'copy'; readonly dst: VReg; readonly src: VReg }
    | { readonly op: 'binary'; readonly kind: BinaryOp; readonly dst: VReg; readonly a: VReg; readonly b: VReg }
    /** Truncates to `bits` and zero- or sign-extends back to 32: how narrow integers wrap. */
    | { readonly op: 'extend'; readonly dst: VReg; readonly src: VReg; readonly bits: number; readonly signed: boolean }
    /** The address of a data symbol (a state variable, a string). */
    | { readonly op: 'address'; readonly dst: VReg; readonly symbol: string }
    | { readonly op: 'load'; readonly dst: VReg; readonly symbol: string; readonly offset: number; readonly size: 1 | 2 | 4; readonly signed: boolean }
    | { readonly op: 'store'; readonly src: VReg; readonly symbol: string; readonly offset: number; readonly size: 1 | 2 | 4 }
    /** The address of one of the function's frame objects (local arrays). */
    | { readonly op: 'frameAddress'; readonly dst: VReg; readonly object: number }
    | { readonly op: 'loadIndirect'; readonly dst: VReg; readonly base: VReg; readonly offset: number; readonly size: 1 | 2 | 4; readonly signed: boolean }
    | { readonly op: 'storeIndirect'; readonly src: VReg; readonly base: VReg; readonly offset: number; readonly size: 1 | 2 | 4 }
    /** Calls a function; arguments and results travel as the convention says. */
    | {
        readonly op: 'call'; readonly callee: string; readonly args: readonly VReg[]; readonly results: readonly VReg[];
        readonly convention: CallingConvention;
        /** For a stub called through an endpoint value: the capability pointer, passed in a1. */
        readonly cptr?: VReg;
    }
    /**
     * Stops the component with a message (assert, division by zero): prints it, then executes the panic
     * word of `code` right here, so that the fault's pc is in the failing statement (abi.ts, PanicCode).
     */
    | { readonly op: 'panic'; readonly message: string; readonly code: PanicCode }
    /** Marks where the code of a source statement starts (the line table). */
    | { readonly op: 'position'; readonly position: SourcePosition };

export type Terminator =
    | { readonly op: 'jump'; readonly target: string }
    | { readonly op: 'branch'; readonly condition: VReg; readonly ifTrue: string; readonly ifFalse: string }
    /** Returns the values in the function's result registers. */
    | { readonly op: 'return'; readonly values: readonly VReg[] }
    /** Control never gets here (after a panic). */
    | { readonly op: 'unreachable' };

export interface BasicBlock {
    readonly label: string;
    readonly instructions: Instruction[];
    terminator: Terminator;
}

export interface IrFunction {
    readonly name: string;
    readonly params: readonly VReg[];
    readonly convention: CallingConvention;
    readonly blocks: BasicBlock[];
    /** How many virtual registers it uses (0..count-1). */
    registerCount: number;
    /** Where the function is declared, for its symbol and line table. */
    readonly position?: SourcePosition;
    /** Locals and parameters by name with their register or frame object (structs, arrays, 64-bit, bytes), for the debugger. */
    readonly locals: IrLocal[];
    /** Sizes in bytes of the frame objects (local arrays), word-aligned. */
    readonly frameObjects: number[];
}

/** A named value of a function as a debugger sees it. */
export type IrLocal = { readonly name: string; readonly type?: DebugType; readonly argument: boolean } & ({ readonly register: VReg } | { readonly object: number });

/** Builds one function: appends to the current block, makes new blocks and registers. */
export class FunctionBuilder {
    readonly fn: IrFunction;
    private current: BasicBlock;
    private labelCounter = 0;

    constructor(name: string, paramCount: number, convention: CallingConvention, position?: SourcePosition) {
        const params = Array.from({ length: paramCount }, (_, i) => i);
        this.fn = { name, params, convention, blocks: [], registerCount: paramCount, position, locals: [], frameObjects: [] };
        this.current = this.newBlock('entry');
        this.fn.blocks.push(this.current);
    }

    register(): VReg {
        return this.fn.registerCount++;
    }

    /** A block not yet placed; `place` appends it to the function and makes it current. */
    newBlock(hint: string): BasicBlock {
        return { label: `${this.fn.name}.${hint}${this.labelCounter++}`, instructions: [], terminator: { op: 'unreachable' } };
    }

    place(block: BasicBlock): void {
        this.fn.blocks.push(block);
        this.current = block;
    }

    /** Whether the current block has been closed by a terminator (code after it is unreachable). */
    get closed(): boolean {
        return this.current.terminator.op !== 'unreachable' || this.current.instructions.some(i => i.op === 'panic');
    }

    emit(instruction: Instruction): void {
        this.current.instructions.push(instruction);
    }

    terminate(terminator: Terminator): void {
        if (this.current.terminator.op === 'unreachable' && !this.current.instructions.some(i => i.op === 'panic')) {
            this.current.terminator = terminator;
        }
    }

    constant(value: number): VReg {
        const dst = this.register();
        this.emit({ op: 'const', dst, value: value | 0 });
        return dst;
    }

    binary(kind: BinaryOp, a: VReg, b: VReg): VReg {
        const dst = this.register();
        this.emit({ op: 'binary', kind, dst, a, b });
        return dst;
    }
}
