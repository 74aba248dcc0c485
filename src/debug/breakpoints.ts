/**
 * Breakpoints as the user sets them (by file and line, or by `Interface.method`), resolved to addresses of
 * components' code, with their conditions, hit conditions, logpoint messages and hit counts.
 */
import type { CodeMap } from './code-map.js';

export interface SourceBreakpointRequest {
    readonly line: number;
    readonly condition?: string;
    readonly hitCondition?: string;
    /** A logpoint: print this (with `{expression}` holes filled) instead of stopping. */
    readonly logMessage?: string;
}

export interface FunctionBreakpointRequest {
    /** `Interface.method`. */
    readonly name: string;
    readonly condition?: string;
    readonly hitCondition?: string;
}

/** A breakpoint at one instruction of one component's code. */
export interface InstructionBreakpointRequest {
    readonly component: string;
    readonly address: number;
    readonly condition?: string;
    readonly hitCondition?: string;
}

/** What a breakpoint became: verified at a line (maybe not the one asked for), or not, with the reason. */
export interface BreakpointStatus {
    readonly id: number;
    readonly verified: boolean;
    readonly line?: number;
    readonly message?: string;
}

export interface Breakpoint {
    readonly id: number;
    readonly condition?: string;
    readonly hitCondition?: string;
    readonly logMessage?: string;
    hits: number;
}

export interface SourceBreakpoint extends Breakpoint {
    /** Per component, the statement starts it stops at. */
    readonly addresses: ReadonlyMap<string, readonly number[]>;
}

export interface FunctionBreakpoint extends Breakpoint {
    readonly name: string;
}

/** Whether a line table's file name is the file a client names by path. */
export function sameFile(tableFile: string, path: string): boolean {
    const normalized = path.replace(/\\/g, '/');
    return normalized === tableFile || normalized.endsWith(`/${tableFile}`);
}

/**
 * Where a breakpoint at `line` of `path` goes: the first line at or after it that has code in some
 * component, within the same function (a breakpoint on a blank line or a comment moves down to the next
 * statement, never into the next function). Undefined when no component has code there.
 */
export function resolveLine(components: ReadonlyMap<string, CodeMap>, path: string, line: number): { line: number; addresses: Map<string, number[]> } | undefined {
    let best: number | undefined;
    for (const code of components.values()) {
        for (const routine of code.routines) {
            if (!routine.function) continue;
            const lines = code.linesIn(routine).filter(entry => sameFile(entry.position.file, path));
            if (lines.length === 0) continue;
            const first = Math.min(...lines.map(entry => entry.position.line));
            const last = Math.max(...lines.map(entry => entry.position.line));
            // The line just above the function's first statement (its header) still belongs to it.
            if (line > last || line < first - 1) continue;
            const candidate = Math.min(...lines.filter(entry => entry.position.line >= line).map(entry => entry.position.line));
            if (best === undefined || candidate < best) best = candidate;
        }
    }
    if (best === undefined) return undefined;
    const addresses = new Map<string, number[]>();
    for (const [component, code] of components) {
        // Every statement that starts on the line (a line may hold several), first of each run.
        const found = code.lines.filter(entry => entry.position.line === best && sameFile(entry.position.file, path)).map(entry => entry.address);
        if (found.length > 0) addresses.set(component, firstOfRuns(code, found));
    }
    return { line: best, addresses };
}

/**
 * Of several statement starts on one line, those that begin execution of the line: a start directly
 * after another start of the same line (`if cond { raise ... }`) is a continuation, not a new entry.
 */
function firstOfRuns(code: CodeMap, addresses: readonly number[]): number[] {
    const set = new Set(addresses);
    return addresses.filter(address => {
        const index = code.lines.findIndex(entry => entry.address === address);
        const previous = code.lines[index - 1];
        return !(previous && set.has(previous.address) && code.routineAt(previous.address) === code.routineAt(address));
    });
}
