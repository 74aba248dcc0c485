/**
 * One run of a system to its end under one kernel personality, measured: its console output, how it
 * ended, what it cost per method (runtime/trace/run-figures.ts) and the personality's notable events.
 * `ukc compare` makes one per personality (each in a worker thread) and sets them side by side
 * (comparison.ts). Plain data, so that it crosses a worker boundary as it is.
 */
import type { KernelPersonalityName, NotableEvents } from '../../runtime/kernel/index.js';
import type { RunFigures } from '../../runtime/trace/index.js';
import { outcomeReport } from './outcome-report.js';
import type { RunnableSystem } from './runnable-system.js';
import { bootRunnable, type RunOutcome } from './system-run.js';
import { TraceSinks } from './trace-sinks.js';

export interface MeasuredOutcome {
    readonly kind: RunOutcome['kind'];
    readonly cycle: number;
    /** The status `ukc run` would exit with. */
    readonly exitStatus: number;
    /** What `ukc run` would print after the run. */
    readonly lines: readonly string[];
}

export interface RunMeasurement {
    readonly kernel: KernelPersonalityName;
    readonly console: string;
    readonly outcome: MeasuredOutcome;
    readonly figures: RunFigures;
    readonly notable: readonly NotableEvents[];
}

export interface MeasureSettings {
    readonly kernel: KernelPersonalityName;
    readonly maxCycles?: number;
    /** What the first UART receives. */
    readonly input?: Uint8Array;
    /** How the host names the cycle limit in the outcome's lines (`--max-cycles 5000`). */
    readonly cycleLimitName?: string;
}

/** Boots `system` under one personality and runs it to its end (a `BootError` when it cannot boot). */
export async function measureRun(system: RunnableSystem, settings: MeasureSettings): Promise<RunMeasurement> {
    const chunks: Uint8Array[] = [];
    const run = bootRunnable(system, {
        kernel: settings.kernel,
        console: { byte: value => chunks.push(Uint8Array.of(value)), bytes: values => chunks.push(values.slice()) }
    });
    if (settings.input) run.input(settings.input);
    const sinks = new TraceSinks(run, { stats: true });
    const outcome = await run.run({ maxCycles: settings.maxCycles });
    const figures = sinks.finish().figures as RunFigures;
    const report = outcomeReport(outcome, system.name, { cycleLimit: settings.cycleLimitName ?? `${settings.maxCycles} cycles`, timeout: 'the timeout' });
    const decoder = new TextDecoder();
    return {
        kernel: run.kernel.personality.name,
        console: chunks.map(chunk => decoder.decode(chunk, { stream: true })).join('') + decoder.decode(),
        outcome: { kind: outcome.kind, cycle: outcome.cycle, exitStatus: report.exitStatus, lines: report.lines.map(line => line.text) },
        figures,
        notable: run.kernel.personality.notableEvents?.() ?? []
    };
}
