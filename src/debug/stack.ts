/**
 * A thread's call stack, unwound from its registers and memory by the frame layout each compiled
 * function's prologue sets up (no frame pointer: the prologue says how far sp moved and where ra and the
 * callee-saved registers went). A routine that is not a compiled function (a client stub, a runtime
 * routine) is a leaf: its caller is where ra points. Unwinding stops below the outermost compiled function
 * (`main`, or a handler called by the dispatcher).
 */
import type { SourceLocation } from '../session/index.js';
import type { CodeMap, Routine } from './code-map.js';

export interface Frame {
    /** The pc in the top frame; the return address in the others. */
    readonly pc: number;
    readonly routine?: Routine;
    /** The statement being executed (for an outer frame, the one whose call is under way). */
    readonly location?: SourceLocation;
    /** x0..x31 as they are in this frame (callee-saved registers restored). */
    readonly regs: readonly number[];
}

const RA = 1;
const SP = 2;
const MAX_FRAMES = 64;
const RET = 0x00008067;

/** Reads a word of the thread's memory (undefined where nothing is mapped). */
export type WordReader = (address: number) => number | undefined;

export function unwind(code: CodeMap, pc: number, registers: readonly number[], read: WordReader): Frame[] {
    const frames: Frame[] = [];
    let regs = [...registers];
    let here = pc >>> 0;
    for (let depth = 0; depth < MAX_FRAMES; depth++) {
        const routine = code.routineAt(here);
        if (!routine || (depth > 0 && !routine.function)) break;
        frames.push({ pc: here, routine, location: statementAt(code, routine, depth === 0 ? here : here - 4), regs });
        const caller = [...regs];
        if (routine.function && here !== routine.start && code.word(here) !== RET) {
            const layout = code.frameLayout(routine);
            const sp = regs[SP] >>> 0;
            if (here >= layout.bodyStart) {
                for (const [register, offset] of layout.saved) {
                    const saved = read(sp + offset);
                    if (saved === undefined) return frames;
                    caller[register] = saved;
                }
            }
            caller[SP] = (sp + layout.size) >>> 0;
        }
        here = caller[RA] >>> 0;
        regs = caller;
        if (here === 0) break;
    }
    return frames;
}

/** The statement of a compiled function that `pc` is in (the last start at or before it, in its routine). */
export function statementAt(code: CodeMap, routine: Routine, pc: number): SourceLocation | undefined {
    if (!routine.function) return undefined;
    let found: SourceLocation | undefined;
    for (const entry of code.lines) {
        if (entry.address > pc) break;
        if (entry.address >= routine.start) found = entry.position;
    }
    return found ? { ...found, function: routine.function.function } : undefined;
}

/** How a frame's function reads in a stack trace: `Calc.add`, `Calc.addOverflows`, `Client.main`. */
export function displayName(routine: Routine | undefined): string {
    if (!routine) return '??';
    const name = routine.function?.function ?? routine.name;
    const [kind, ...rest] = name.split('.');
    switch (kind) {
        case 'handler': case 'fn': return rest.join('.');
        case 'main': return `${rest.join('.')}.main`;
        default: return name;
    }
}
