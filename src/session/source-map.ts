/**
 * Machine addresses back to `.uk` source: which statement and which function any pc of any component is
 * in, from the line tables and function tables the compiler emits. Threads are named as kernel events
 * name them (`component` or `component.thread`).
 */
import type { LineTableEntry, VariableInfo } from '../codegen/index.js';
import type { RunnableSystem } from './runnable-system.js';

export interface SourceLocation {
    /** The source file's name as the compiler recorded it (images hold no paths). */
    readonly file: string;
    readonly line: number;
    readonly column: number;
    /** The function (handler, helper, `main`) the address is in, by its symbol, when known. */
    readonly function?: string;
}

interface ComponentTables {
    readonly lines: readonly LineTableEntry[];
    /** Sorted by address. */
    readonly functions: readonly VariableInfo[];
}

export class SourceMap {
    private readonly components = new Map<string, ComponentTables>();

    constructor(system: RunnableSystem) {
        const byFile = new Map(system.images.map(image => [image.file, {
            lines: image.lineTable,
            functions: [...image.functions].sort((a, b) => a.address - b.address)
        }]));
        for (const component of system.manifest.components) {
            this.components.set(component.name, byFile.get(component.image) ?? { lines: [], functions: [] });
        }
    }

    /** The statement `pc` belongs to in `thread`'s component: the last line-table entry at or before it. */
    locate(thread: string, pc: number): SourceLocation | undefined {
        const tables = this.tablesOf(thread);
        if (!tables) return undefined;
        const entry = lastAtOrBefore(tables.lines, pc >>> 0);
        if (!entry) return undefined;
        const fn = lastAtOrBefore(tables.functions, pc >>> 0);
        return { ...entry.position, function: fn?.function };
    }

    /**
     * Where a thread stopped inside a leaf routine (a client stub, the runtime library's panic) was called
     * from: the statement of the instruction before its return address.
     */
    callerOf(thread: string, returnAddress: number): SourceLocation | undefined {
        return this.locate(thread, (returnAddress - 4) >>> 0);
    }

    /** `file:line:column`, the form trace lines and messages use. */
    static format(location: SourceLocation): string {
        return `${location.file}:${location.line}:${location.column}`;
    }

    private tablesOf(thread: string): ComponentTables | undefined {
        const exact = this.components.get(thread);
        if (exact) return exact;
        const dot = thread.indexOf('.');
        return dot > 0 ? this.components.get(thread.slice(0, dot)) : undefined;
    }
}

/** Binary search in a table sorted by `address`. */
function lastAtOrBefore<T extends { readonly address: number }>(table: readonly T[], address: number): T | undefined {
    let low = 0;
    let high = table.length - 1;
    let found: T | undefined;
    while (low <= high) {
        const middle = (low + high) >> 1;
        if (table[middle].address <= address) {
            found = table[middle];
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return found;
}
