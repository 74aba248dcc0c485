/**
 * The run's past, for reverse execution: snapshots of the whole system (runtime/kernel/snapshot.ts) taken
 * every `interval` instructions or more (below) and at every debugger stop, ordered by emulated cycle, within a memory
 * budget. Any earlier moment is reached by restoring the last snapshot at or before it and running forward:
 * the machine and kernel are deterministic, so the re-execution repeats the first one exactly. When the
 * snapshots outgrow the budget, old ones are thinned first, so that the recent past stays dense (cheap to
 * step back in) and the distant past sparse (a longer replay). The boot snapshot is always kept.
 *
 * A snapshot walks the kernel's objects and compares the RAM pages written, about a millisecond, while the
 * CPU runs a million instructions in a few: periodic snapshots would cost a system as much as its run. So
 * their spacing adapts: it doubles (up to `MAX_SPACING` intervals) while a snapshot costs more than
 * `COST_SHARE` of the time run since the one before, and halves back towards `interval` when it costs far
 * less (a slow run, a run with breakpoints to check). Where snapshots fall changes nothing but the cost of
 * going back: any moment is reached by replay from whichever snapshot precedes it.
 *
 * Cycles order moments: an instruction retired or a kernel entry charged adds at least one, so two different
 * points of a run never share a cycle count.
 */
import { captureKernel, restoreKernel, type Kernel, type KernelSnapshot } from '../../runtime/kernel/index.js';

/**
 * Something outside the kernel that must go back with it (the console so far, a debugger's record of the
 * last messages): called when a snapshot is taken, it returns the function that puts its state back.
 */
export type Participant = () => () => void;

export interface HistorySettings {
    /** Instructions between periodic snapshots (default 1 million). */
    readonly interval?: number;
    /** The most bytes snapshots may hold (default 48 MiB). */
    readonly budgetBytes?: number;
    /** What goes back with the system besides the kernel. */
    readonly participants?: readonly Participant[];
    /** Cycles back from now a step back first looks for the previous statement in, doubling (default 20,000; replay.ts). */
    readonly searchWindow?: number;
    /** Milliseconds, for what periodic snapshots cost against the run (default `performance.now`). */
    readonly clock?: () => number;
}

/** A debugger stop: the moment a thread stood at an address, before the instruction there ran. */
export interface Moment {
    readonly cycle: number;
    readonly thread: string;
    readonly pc: number;
}

export interface HistoryEntry {
    readonly snapshot: KernelSnapshot;
    readonly restorers: readonly (() => void)[];
    /** Set when the snapshot was taken at a debugger stop. */
    stop?: Moment;
}

export const DEFAULT_INTERVAL = 1_000_000;
export const DEFAULT_BUDGET = 48 << 20;
export const DEFAULT_SEARCH_WINDOW = 20_000;
/** The share of run time periodic snapshots may take. */
const COST_SHARE = 0.05;
/** The most intervals between periodic snapshots (bounds the replay a reverse search may need beyond its span). */
const MAX_SPACING = 4;

export class History {
    /** By cycle, earliest first; the first is the boot snapshot. */
    private readonly entries: HistoryEntry[] = [];
    /** How many entries hold each RAM page (pages are shared between snapshots). */
    private readonly pageUsers = new Map<Int32Array, number>();
    private pageBytes = 0;
    private recordBytes = 0;
    readonly interval: number;
    readonly budgetBytes: number;
    readonly searchWindow: number;
    private readonly participants: readonly Participant[];
    /** Instructions between periodic snapshots now: `interval` to `MAX_SPACING` times that. */
    private spacing: number;
    private readonly clock: () => number;
    /** When the last periodic snapshot was taken. */
    private lastPeriodic: number;

    constructor(private readonly kernel: Kernel, settings: HistorySettings = {}) {
        this.interval = settings.interval ?? DEFAULT_INTERVAL;
        this.budgetBytes = settings.budgetBytes ?? DEFAULT_BUDGET;
        this.participants = settings.participants ?? [];
        this.spacing = this.interval;
        this.clock = settings.clock ?? (() => performance.now());
        this.lastPeriodic = this.clock();
        this.searchWindow = settings.searchWindow ?? DEFAULT_SEARCH_WINDOW;
        this.record();
    }

    /** Bytes the snapshots hold now: distinct RAM pages and object records. */
    get bytes(): number {
        return this.pageBytes + this.recordBytes;
    }

    get count(): number {
        return this.entries.length;
    }

    /** The cycle of every snapshot, earliest first. */
    cycles(): number[] {
        return this.entries.map(entry => entry.snapshot.cycle);
    }

    /** Cycles a run may go on before the next periodic snapshot is due (at least 1). */
    cyclesToNext(): number {
        const last = this.atOrBefore(this.kernel.cycle);
        return Math.max(1, last.snapshot.instret + this.spacing - this.kernel.cpu.instret);
    }

    /** Instructions between periodic snapshots now (see the header). */
    get periodicSpacing(): number {
        return this.spacing;
    }

    /** Takes the periodic snapshot when it is due (between kernel runs), and adapts the spacing to its cost. */
    recordIfDue(): void {
        if (this.kernel.cpu.instret - this.atOrBefore(this.kernel.cycle).snapshot.instret < this.spacing) return;
        const started = this.clock();
        this.record();
        const ended = this.clock();
        const cost = ended - started;
        const ran = started - this.lastPeriodic;
        this.lastPeriodic = ended;
        if (cost > COST_SHARE * ran) this.spacing = Math.min(this.spacing * 2, this.interval * MAX_SPACING);
        else if (cost < (COST_SHARE / 4) * ran) this.spacing = Math.max(this.spacing / 2, this.interval);
    }

    /**
     * Takes a snapshot now (between kernel runs), `stop` when the debugger stopped here; a moment that has
     * one already keeps it (the run is deterministic: it is the same state).
     */
    record(stop?: Moment): void {
        const cycle = this.kernel.cycle;
        const index = this.entries.findIndex(entry => entry.snapshot.cycle >= cycle);
        const existing = index >= 0 ? this.entries[index] : undefined;
        if (existing?.snapshot.cycle === cycle) {
            existing.stop ??= stop;
            return;
        }
        const at = index >= 0 ? index : this.entries.length;
        const previous = this.entries[at - 1]?.snapshot;
        const entry: HistoryEntry = { snapshot: captureKernel(this.kernel, previous), restorers: this.participants.map(capture => capture()), stop };
        this.entries.splice(at, 0, entry);
        this.account(entry, 1);
        this.thin();
    }

    /** The latest snapshot at or before a cycle (the boot snapshot at the earliest). */
    atOrBefore(cycle: number): HistoryEntry {
        for (let i = this.entries.length - 1; i > 0; i--) if (this.entries[i].snapshot.cycle <= cycle) return this.entries[i];
        return this.entries[0];
    }

    /** The latest snapshot before a cycle: where the window of a backward search that ends there starts. */
    latestBefore(cycle: number): HistoryEntry | undefined {
        for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i].snapshot.cycle < cycle) return this.entries[i];
        return undefined;
    }

    /** Puts the system (and every participant) back into a snapshot's state. */
    restore(entry: HistoryEntry): void {
        restoreKernel(this.kernel, entry.snapshot);
        for (const restore of entry.restorers) restore();
    }

    /** Forgets the snapshots after a cycle: the state was changed by hand, so that future is no longer the run's. */
    forgetAfter(cycle: number): void {
        for (let i = this.entries.length - 1; i > 0 && this.entries[i].snapshot.cycle > cycle; i--) {
            this.account(this.entries[i], -1);
            this.entries.splice(i, 1);
        }
    }

    /** Drops snapshots until the rest fit the budget: the one whose loss widens the gaps least, relative to its age. */
    private thin(): void {
        while (this.bytes > this.budgetBytes && this.entries.length > 2) {
            const now = this.kernel.cpu.instret;
            let victim = -1;
            let best = Infinity;
            for (let i = 1; i < this.entries.length - 1; i++) {
                // The moment the system is at stays: a search that finds nothing comes back to it.
                if (this.entries[i].snapshot.cycle === this.kernel.cycle) continue;
                const gap = this.entries[i + 1].snapshot.instret - this.entries[i - 1].snapshot.instret;
                const age = Math.abs(now - this.entries[i].snapshot.instret) + this.interval;
                const cost = gap / age;
                if (cost < best) {
                    best = cost;
                    victim = i;
                }
            }
            if (victim < 0) return;
            this.account(this.entries[victim], -1);
            this.entries.splice(victim, 1);
        }
    }

    /** Adds (1) or removes (-1) an entry's pages and records from the byte count. */
    private account(entry: HistoryEntry, sign: 1 | -1): void {
        this.recordBytes += sign * 8 * entry.snapshot.graph.newValues;
        for (const page of entry.snapshot.ram.pages) {
            if (page === undefined) continue;
            const users = (this.pageUsers.get(page) ?? 0) + sign;
            if (users === 0) {
                this.pageUsers.delete(page);
                this.pageBytes -= page.byteLength;
            } else {
                if (users === 1 && sign === 1) this.pageBytes += page.byteLength;
                this.pageUsers.set(page, users);
            }
        }
    }
}
