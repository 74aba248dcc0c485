/**
 * What the trace view shows, without any drawing: the lanes (one per instance, in the order they first
 * take part), the rows that pass the filter, and which of those fit in the visible window. The webview
 * keeps one of these and redraws only the window, so that a trace of 100,000+ events stays responsive.
 */
import type { RowKind, TraceRow } from './trace-row.js';

/** Kept values per key; an empty set means "everything". */
export interface RowFilter {
    readonly instances: ReadonlySet<string>;
    readonly interfaces: ReadonlySet<string>;
    readonly methods: ReadonlySet<string>;
    readonly kinds: ReadonlySet<RowKind>;
}

export const NO_FILTER: RowFilter = { instances: new Set(), interfaces: new Set(), methods: new Set(), kinds: new Set() };

/** The values each filter key can take in this trace, for the filter menus. */
export interface Facets {
    readonly instances: readonly string[];
    readonly interfaces: readonly string[];
    /** `Interface.method`. */
    readonly methods: readonly string[];
    readonly kinds: readonly RowKind[];
}

export function rowMatches(row: TraceRow, filter: RowFilter): boolean {
    if (filter.kinds.size > 0 && !filter.kinds.has(row.kind)) return false;
    if (filter.instances.size > 0 && !filter.instances.has(row.from) && !(row.to !== undefined && filter.instances.has(row.to))) return false;
    if (filter.interfaces.size > 0 && (row.interface === undefined || !filter.interfaces.has(row.interface))) return false;
    if (filter.methods.size > 0 && (row.method === undefined || !filter.methods.has(`${row.interface}.${row.method}`))) return false;
    return true;
}

/** Rows of a window: `first` to `last` (inclusive) of the filtered rows, and where the first is drawn. */
export interface RowWindow {
    readonly first: number;
    readonly last: number;
    readonly rows: readonly TraceRow[];
    /** Pixels from the top of the scrolled content to the first row. */
    readonly top: number;
}

export class TraceViewModel {
    private readonly all: TraceRow[] = [];
    private readonly laneOrder: string[] = [];
    private readonly laneSet = new Set<string>();
    private readonly facetSets = { interfaces: new Set<string>(), methods: new Set<string>(), kinds: new Set<RowKind>() };
    /** Indices into `all` of the rows that pass the filter, in trace order. */
    private visible: number[] = [];
    private filter: RowFilter = NO_FILTER;

    /** Appends rows (they arrive in trace order) and returns how many of them pass the filter. */
    append(rows: readonly TraceRow[]): number {
        let shown = 0;
        for (const row of rows) {
            const position = this.all.length;
            this.all.push(row);
            this.addLane(row.from);
            if (row.to !== undefined) this.addLane(row.to);
            if (row.interface !== undefined) this.facetSets.interfaces.add(row.interface);
            if (row.method !== undefined) this.facetSets.methods.add(`${row.interface}.${row.method}`);
            this.facetSets.kinds.add(row.kind);
            if (rowMatches(row, this.filter)) {
                this.visible.push(position);
                shown++;
            }
        }
        return shown;
    }

    /** Forgets every row (a new run starts). */
    clear(): void {
        this.all.length = 0;
        this.laneOrder.length = 0;
        this.laneSet.clear();
        for (const set of Object.values(this.facetSets)) set.clear();
        this.visible = [];
    }

    setFilter(filter: RowFilter): void {
        this.filter = filter;
        this.visible = [];
        for (let position = 0; position < this.all.length; position++) {
            if (rowMatches(this.all[position], filter)) this.visible.push(position);
        }
    }

    get lanes(): readonly string[] {
        return this.laneOrder;
    }

    /** Rows in the whole trace. */
    get total(): number {
        return this.all.length;
    }

    /** Rows that pass the filter. */
    get count(): number {
        return this.visible.length;
    }

    facets(): Facets {
        const sorted = <T extends string>(set: ReadonlySet<T>) => [...set].sort();
        return { instances: [...this.laneOrder], interfaces: sorted(this.facetSets.interfaces), methods: sorted(this.facetSets.methods), kinds: sorted(this.facetSets.kinds) };
    }

    /** The `position`-th row that passes the filter. */
    shownRow(position: number): TraceRow | undefined {
        const index = this.visible[position];
        return index === undefined ? undefined : this.all[index];
    }

    /** A row by its index in the whole trace. */
    row(index: number): TraceRow | undefined {
        return this.all[index];
    }

    /** Where a row of the whole trace is among the filtered rows, or -1 when the filter hides it. */
    positionOf(index: number): number {
        let low = 0;
        let high = this.visible.length - 1;
        while (low <= high) {
            const middle = (low + high) >> 1;
            const value = this.visible[middle];
            if (value === index) return middle;
            if (value < index) low = middle + 1;
            else high = middle - 1;
        }
        return -1;
    }

    /**
     * The rows that a viewport of `height` pixels scrolled to `scrollTop` shows, rows being `rowHeight`
     * pixels tall, with `overscan` extra rows either side so that a small scroll needs no redraw.
     */
    window(scrollTop: number, height: number, rowHeight: number, overscan = 10): RowWindow {
        if (this.visible.length === 0 || height <= 0) return { first: 0, last: -1, rows: [], top: 0 };
        const first = Math.max(0, Math.floor(Math.max(0, scrollTop) / rowHeight) - overscan);
        const last = Math.min(this.visible.length - 1, Math.ceil((Math.max(0, scrollTop) + height) / rowHeight) + overscan - 1);
        const rows: TraceRow[] = [];
        for (let position = first; position <= last; position++) rows.push(this.all[this.visible[position]]);
        return { first, last, rows, top: first * rowHeight };
    }

    private addLane(lane: string): void {
        if (this.laneSet.has(lane)) return;
        this.laneSet.add(lane);
        this.laneOrder.push(lane);
    }
}
