/**
 * Register allocation by linear scan (Poletto and Sarkar). Liveness comes from a backward dataflow pass
 * over the basic blocks; each virtual register gets one interval from its first to its last live point in
 * block order (loops stretch it over the whole loop). Intervals get the callee-saved registers s1..s11, so
 * values survive calls without saving around them; when they run out, the interval that ends last goes to
 * a stack slot.
 */
import type { IrFunction, Instruction, Terminator, VReg } from '../ir.js';

export const ALLOCATABLE = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11'] as const;

export type Location = { readonly register: string } | { readonly slot: number };

export interface Allocation {
    readonly locations: ReadonlyMap<VReg, Location>;
    /** Callee-saved registers the function uses (the prologue saves them). */
    readonly usedRegisters: readonly string[];
    readonly spillSlots: number;
    /**
     * Each register's live interval in positions: block b's instruction i is position start(b) + i, its
     * terminator start(b) + length (blocks in order). Parameters start at -1.
     */
    readonly intervals: ReadonlyMap<VReg, { readonly start: number; readonly end: number }>;
}

export function instructionUses(instruction: Instruction): VReg[] {
    switch (instruction.op) {
        case 'copy': return [instruction.src];
        case 'binary': return [instruction.a, instruction.b];
        case 'extend': return [instruction.src];
        case 'store': return [instruction.src];
        case 'loadIndirect': return [instruction.base];
        case 'storeIndirect': return [instruction.src, instruction.base];
        case 'call': return instruction.cptr === undefined ? [...instruction.args] : [...instruction.args, instruction.cptr];
        default: return [];
    }
}

export function instructionDefs(instruction: Instruction): VReg[] {
    switch (instruction.op) {
        case 'const': case 'copy': case 'binary': case 'extend': case 'address': case 'load': case 'frameAddress': case 'loadIndirect':
            return [instruction.dst];
        case 'call': return [...instruction.results];
        default: return [];
    }
}

function terminatorUses(terminator: Terminator): VReg[] {
    if (terminator.op === 'branch') return [terminator.condition];
    if (terminator.op === 'return') return [...terminator.values];
    return [];
}

export function successors(terminator: Terminator): string[] {
    if (terminator.op === 'jump') return [terminator.target];
    if (terminator.op === 'branch') return [terminator.ifTrue, terminator.ifFalse];
    return [];
}

export function allocateRegisters(fn: IrFunction): Allocation {
    const blocks = fn.blocks;
    const index = new Map(blocks.map((block, i) => [block.label, i]));
    // Positions: block b's instructions, then its terminator, numbered in block order.
    const starts: number[] = [];
    let position = 0;
    for (const block of blocks) {
        starts.push(position);
        position += block.instructions.length + 1;
    }
    const uses = blocks.map(block => {
        const used = new Set<VReg>();
        const defined = new Set<VReg>();
        for (const instruction of block.instructions) {
            for (const v of instructionUses(instruction)) if (!defined.has(v)) used.add(v);
            for (const v of instructionDefs(instruction)) defined.add(v);
        }
        for (const v of terminatorUses(block.terminator)) if (!defined.has(v)) used.add(v);
        return { used, defined };
    });
    const liveIn = blocks.map(() => new Set<VReg>());
    const liveOut = blocks.map(() => new Set<VReg>());
    for (let changed = true; changed;) {
        changed = false;
        for (let b = blocks.length - 1; b >= 0; b--) {
            const out = liveOut[b];
            for (const label of successors(blocks[b].terminator)) {
                const successor = index.get(label);
                if (successor === undefined) continue;
                for (const v of liveIn[successor]) if (!out.has(v)) { out.add(v); changed = true; }
            }
            const inSet = liveIn[b];
            for (const v of uses[b].used) if (!inSet.has(v)) { inSet.add(v); changed = true; }
            for (const v of out) if (!uses[b].defined.has(v) && !inSet.has(v)) { inSet.add(v); changed = true; }
        }
    }

    const start = new Map<VReg, number>();
    const end = new Map<VReg, number>();
    const touch = (v: VReg, at: number) => {
        start.set(v, Math.min(start.get(v) ?? at, at));
        end.set(v, Math.max(end.get(v) ?? at, at));
    };
    for (const param of fn.params) touch(param, -1);
    blocks.forEach((block, b) => {
        const first = starts[b];
        const last = first + block.instructions.length;
        for (const v of liveIn[b]) touch(v, first);
        for (const v of liveOut[b]) touch(v, last);
        block.instructions.forEach((instruction, i) => {
            for (const v of [...instructionUses(instruction), ...instructionDefs(instruction)]) touch(v, first + i);
        });
        for (const v of terminatorUses(block.terminator)) touch(v, last);
    });

    const intervals = [...start.keys()].map(v => ({ v, start: start.get(v) as number, end: end.get(v) as number }))
        .sort((a, b) => a.start - b.start || a.v - b.v);
    const locations = new Map<VReg, Location>();
    const free: string[] = [...ALLOCATABLE];
    const used = new Set<string>();
    let active: { v: VReg; end: number; register: string }[] = [];
    let spillSlots = 0;
    for (const interval of intervals) {
        active = active.filter(other => {
            if (other.end >= interval.start) return true;
            free.push(other.register);
            return false;
        });
        free.sort((a, b) => ALLOCATABLE.indexOf(a as typeof ALLOCATABLE[number]) - ALLOCATABLE.indexOf(b as typeof ALLOCATABLE[number]));
        const register = free.shift();
        if (register !== undefined) {
            locations.set(interval.v, { register });
            used.add(register);
            active.push({ v: interval.v, end: interval.end, register });
            continue;
        }
        // No register left: spill whichever of the active intervals and this one ends last.
        active.sort((a, b) => b.end - a.end);
        const victim = active[0];
        if (victim && victim.end > interval.end) {
            locations.set(victim.v, { slot: spillSlots++ });
            locations.set(interval.v, { register: victim.register });
            active[0] = { v: interval.v, end: interval.end, register: victim.register };
        } else {
            locations.set(interval.v, { slot: spillSlots++ });
        }
    }
    const live = new Map(intervals.map(interval => [interval.v, { start: interval.start, end: interval.end }]));
    return { locations, usedRegisters: ALLOCATABLE.filter(register => used.has(register)), spillSlots, intervals: live };
}
