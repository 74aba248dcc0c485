/**
 * One component's code as a debugger needs it: which routine any address is in (from the ELF symbols,
 * block labels folded into their routine), which routines are compiled `.uk` functions (with their
 * locals' locations), each function's statement starts, and the frame layout its prologue sets up.
 */
import { Op, decode, parseElf } from '../../runtime/machine/index.js';
import { FAILED_SERVER_ENTRY, type LineTableEntry, type VariableInfo } from '../codegen/index.js';
import type { RunnableImage } from '../session/index.js';

/** A routine: a compiled function, a client stub, the dispatcher or a runtime-library routine. */
export interface Routine {
    readonly name: string;
    readonly start: number;
    /** Exclusive. */
    readonly end: number;
    /** Present for compiled `.uk` functions (handlers, helpers, `main`). */
    readonly function?: VariableInfo;
}

/** What a compiled function's prologue does: `addi sp, sp, -size`, then `sw reg, offset(sp)` per saved register. */
export interface FrameLayout {
    readonly size: number;
    /** Saved register number -> offset from the lowered sp. */
    readonly saved: ReadonlyMap<number, number>;
    /** Address of the first instruction after the prologue. */
    readonly bodyStart: number;
}

const SP = 2;
const T5 = 30;

export class CodeMap {
    readonly routines: readonly Routine[];
    /** Sorted by address. */
    readonly lines: readonly LineTableEntry[];
    /** Where a restarted thread begins: the image's entry, and a server's failed-server loop. */
    readonly entries: readonly number[];
    private readonly code = new Map<number, number>();
    private readonly layouts = new Map<number, FrameLayout>();

    constructor(image: RunnableImage) {
        const elf = parseElf(image.elf);
        for (const segment of elf.segments) {
            if ((segment.flags & 1) === 0) continue;
            for (let offset = 0; offset + 4 <= segment.data.length; offset += 4) {
                const d = segment.data;
                this.code.set(segment.vaddr + offset, (d[offset] | (d[offset + 1] << 8) | (d[offset + 2] << 16) | (d[offset + 3] << 24)) >>> 0);
            }
        }
        const codeEnd = Math.max(0, ...elf.segments.filter(segment => (segment.flags & 1) !== 0).map(segment => segment.vaddr + segment.memSize));
        const functions = new Map(image.functions.map(info => [info.address, info]));
        const symbols = elf.symbols.filter(symbol => symbol.kind === 'function' || this.code.has(symbol.value))
            .sort((a, b) => a.value - b.value || a.name.length - b.name.length);
        const starts: { name: string; start: number }[] = [];
        for (const symbol of symbols) {
            const open = starts[starts.length - 1];
            // A block label (`handler.Calc.add.then1`) belongs to the routine it is named after.
            if (open && (symbol.name.startsWith(`${open.name}.`) || symbol.value === open.start)) continue;
            starts.push({ name: symbol.name, start: symbol.value });
        }
        this.routines = starts.map((routine, i) => ({
            ...routine, end: starts[i + 1]?.start ?? codeEnd, function: functions.get(routine.start)
        }));
        this.lines = image.lineTable;
        const failed = elf.symbols.find(symbol => symbol.name === FAILED_SERVER_ENTRY)?.value;
        this.entries = failed === undefined ? [elf.entry] : [elf.entry, failed];
    }

    /** The instruction word at an address of the image's code, if it is code. */
    word(address: number): number | undefined {
        return this.code.get(address >>> 0);
    }

    routineAt(pc: number): Routine | undefined {
        let low = 0;
        let high = this.routines.length - 1;
        while (low <= high) {
            const middle = (low + high) >> 1;
            const routine = this.routines[middle];
            if (pc < routine.start) high = middle - 1;
            else if (pc >= routine.end) low = middle + 1;
            else return routine;
        }
        return undefined;
    }

    /** Statement starts inside a routine. */
    linesIn(routine: Routine): LineTableEntry[] {
        return this.lines.filter(entry => entry.address >= routine.start && entry.address < routine.end);
    }

    /** The frame a compiled function's prologue builds, read from its instructions. */
    frameLayout(routine: Routine): FrameLayout {
        const known = this.layouts.get(routine.start);
        if (known) return known;
        let address = routine.start;
        let size = 0;
        const first = decode(this.word(address) ?? 0);
        if (first.op === Op.Addi && first.rd === SP && first.rs1 === SP) {
            size = -first.imm;
            address += 4;
        } else if (first.op === Op.Lui || first.op === Op.Addi) {
            // A frame beyond an immediate: `li t5, -size` (one or two instructions), then `add sp, sp, t5`.
            let value = 0;
            for (let d = first; d.rd === T5 && (d.op === Op.Lui || d.op === Op.Addi); d = decode(this.word(address) ?? 0)) {
                value = d.op === Op.Lui ? d.imm : (d.rs1 === T5 ? value : 0) + d.imm;
                address += 4;
            }
            const add = decode(this.word(address) ?? 0);
            if (add.op === Op.Add && add.rd === SP && add.rs1 === SP && add.rs2 === T5) {
                size = -value | 0;
                address += 4;
            } else {
                address = routine.start;
            }
        }
        const saved = new Map<number, number>();
        for (let d = decode(this.word(address) ?? 0); d.op === Op.Sw && d.rs1 === SP && size > 0; d = decode(this.word(address) ?? 0)) {
            saved.set(d.rs2, d.imm);
            address += 4;
        }
        const layout = { size, saved, bodyStart: address };
        this.layouts.set(routine.start, layout);
        return layout;
    }
}
