/**
 * Going back to an earlier moment by deterministic replay. A backward search ("the last moment before now
 * when ...") replays the windows between snapshots, latest first, with the breakpoints that can mark such a
 * moment installed, and keeps the last accepted hit of the first window that has one; going to a moment
 * restores the last snapshot at or before it and replays to the hit at exactly its cycle. Replay runs the
 * kernel directly, never the debugger's stop logic: the session model is told (`replaying`) so that its
 * listeners only keep their record of messages. What the model counts along the way (breakpoint hits) it
 * counts during replay too: its counted addresses stay installed and each stop there is reported
 * (`passed`), so that a moment reached again has the counts it had the first time. A stop there that the
 * model says would have stopped the run (a function breakpoint's message reaching its handler) is a
 * candidate for the search as well, wherever it is.
 */
import type { Kernel } from '../../runtime/kernel/index.js';
import type { History, Moment } from './history.js';
import { componentOf } from './thread-names.js';

/** Breakpoint addresses by component. */
export type AddressSet = ReadonlyMap<string, ReadonlySet<number>>;

const NOTHING: AddressSet = new Map();

/** What replay needs from the session model. */
export interface ReplayHost {
    readonly kernel: Kernel;
    /** Installs exactly these breakpoints in the kernel. */
    install(wanted: AddressSet): void;
    /** Called with true before a replay and false after: kernel events are then old news, no reason to stop. */
    setReplaying(on: boolean): void;
    /**
     * Addresses the model counts arrivals at (user breakpoints' hits), installed during replay besides what
     * is searched for; the same object until it changes.
     */
    counted(): AddressSet;
    /**
     * A thread stood at an installed address during replay (before `accept` is asked): the model counts it,
     * and says whether the run would have stopped there for a reason of its own (a message that a function
     * breakpoint watches reached its handler), which makes the moment a candidate even where not `wanted`.
     */
    passed(thread: string, pc: number): boolean;
}

/** Whether a thread standing at an address (in the state replay has reached) is what a search looks for. */
export type Accept = (thread: string, pc: number) => boolean;

export class Replayer {
    constructor(private readonly history: History, private readonly host: ReplayHost) {}

    /**
     * The last moment before `now` (a cycle) at which a thread stood at one of `wanted` (or where the host
     * would have stopped of its own, or at an earlier stop) and `accept` said yes; undefined when there is none since boot. Leaves the system in some earlier state: go to the
     * answer (or back to `now`) next.
     *
     * `narrow` (cycles) is for searches whose breakpoints return often (every statement of a component, to
     * step back): replaying a whole window between snapshots with them would stop at each of its
     * statements. Instead the window is searched from its end, `narrow` cycles first and twice as many each
     * time: the run goes there without them (only what is counted stays installed) and the history keeps a
     * snapshot there, so that the moment found, and the next step back, are a short replay away.
     */
    findLast(now: number, wanted: AddressSet, accept: Accept, narrow?: number): Moment | undefined {
        let end = now;
        let width = narrow ?? Number.MAX_SAFE_INTEGER;
        // The stop the window being searched ends at (none for the first: now is not before now).
        let boundary: Moment | undefined;
        for (let entry = this.history.latestBefore(end); entry !== undefined; entry = this.history.latestBefore(end)) {
            this.history.restore(entry);
            if (end - entry.snapshot.cycle > width) {
                this.replay(NOTHING, end - width, () => false);
                width *= 2;
                const reached = this.host.kernel.cycle;
                if (reached > entry.snapshot.cycle && reached < end) {
                    this.history.record();
                    continue;
                }
                this.history.restore(entry);
            }
            let found: Moment | undefined;
            // A snapshot taken at a stop resumes past that stop's breakpoint: the stop itself is looked at here
            // (whatever stopped it then; `accept` says whether it is what is searched for).
            if (entry.stop && entry.stop.cycle < end && accept(entry.stop.thread, entry.stop.pc)) found = entry.stop;
            found = this.searchWindow(wanted, end, boundary, accept) ?? found;
            if (found) return found;
            end = entry.snapshot.cycle;
            boundary = entry.stop?.cycle === end ? entry.stop : undefined;
        }
        return undefined;
    }

    /**
     * Replays from the current state to `end` and answers the last accepted moment. When the window ends at
     * a stop, that stop is reached too, as the run first reached it: what the host counts there before a
     * stop (a function breakpoint's message reaching its handler) is only seen from before it, and a
     * breakpoint set since the stop may have hit there.
     */
    private searchWindow(wanted: AddressSet, end: number, boundary: Moment | undefined, accept: Accept): Moment | undefined {
        let found: Moment | undefined;
        const atBoundary = (thread: string, pc: number) => boundary !== undefined && this.host.kernel.cycle === boundary.cycle && thread === boundary.thread && pc === boundary.pc;
        const installed = boundary ? union(wanted, new Map([[componentOf(boundary.thread), new Set([boundary.pc])]])) : wanted;
        this.replay(installed, boundary ? end + 1 : end, (thread, pc) => {
            if (this.host.kernel.cycle >= end && !atBoundary(thread, pc)) return false;
            if (accept(thread, pc)) found = { cycle: this.host.kernel.cycle, thread, pc };
            return atBoundary(thread, pc);
        });
        return found;
    }

    /** Brings the system to a moment a search found (or a stop the run made before). */
    goTo(moment: Moment): void {
        const entry = this.history.atOrBefore(moment.cycle);
        this.history.restore(entry);
        if (entry.snapshot.cycle === moment.cycle && entry.stop?.thread === moment.thread) return;
        const component = componentOf(moment.thread);
        const reached = this.replay(new Map([[component, new Set([moment.pc])]]), moment.cycle + 1,
            (thread, pc) => this.host.kernel.cycle === moment.cycle && thread === moment.thread && pc === moment.pc);
        if (!reached) throw new Error(`replay did not reach ${moment.thread} at 0x${moment.pc.toString(16)} in cycle ${moment.cycle}: the run is not deterministic`);
    }

    /**
     * Runs from the current state until cycle `end` with `wanted` installed, calling `hit` at every
     * breakpoint stop before `end`; stops early (true) when `hit` says so.
     */
    private replay(wanted: AddressSet, end: number, hit: (thread: string, pc: number) => boolean): boolean {
        const kernel = this.host.kernel;
        this.host.setReplaying(true);
        let counted: AddressSet | undefined;
        try {
            while (kernel.cycle < end) {
                // Again when what is counted changed (a message on its way to a handler): the host hands out a new set then.
                if (counted !== this.host.counted()) {
                    counted = this.host.counted();
                    this.host.install(union(wanted, counted));
                }
                const result = kernel.run(end - kernel.cycle);
                if (result.reason === 'idle') return false;
                if (result.reason !== 'breakpoint' || result.thread === undefined || result.pc === undefined || kernel.cycle >= end) continue;
                const stopsOfItsOwn = this.host.passed(result.thread, result.pc);
                if ((stopsOfItsOwn || isWanted(wanted, { thread: result.thread, pc: result.pc })) && hit(result.thread, result.pc)) return true;
            }
            return false;
        } finally {
            this.host.setReplaying(false);
        }
    }
}

function union(a: AddressSet, b: AddressSet): AddressSet {
    if (b.size === 0) return a;
    const all = new Map<string, Set<number>>();
    for (const set of [a, b]) {
        for (const [component, addresses] of set) all.set(component, new Set([...(all.get(component) ?? []), ...addresses]));
    }
    return all;
}

function isWanted(wanted: AddressSet, moment: Pick<Moment, 'thread' | 'pc'>): boolean {
    return wanted.get(componentOf(moment.thread))?.has(moment.pc) ?? false;
}
