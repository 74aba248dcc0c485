/**
 * Where a run's trace goes: readable lines (all, or the last N at the end) interleaved with console output,
 * JSON Lines, a Chrome trace, per-method figures (run-figures.ts). Plain readable lines, the common case, take the line
 * encoder's fast path; filters, the ring and the other formats work on typed events. Writers are
 * callbacks, so the host decides where bytes end up (a terminal, a file, a webview).
 */
import type { KernelEvent } from '../../runtime/kernel/index.js';
import {
    ChromeTraceBuilder, FIGURE_EVENT_KINDS, FiguresRecorder, OutputBuffer, TraceLineEncoder, formatJsonLine, formatTraceLine, matches, type TraceFilter, type TypedTrace
} from '../../runtime/trace/index.js';
import type { RunFigures } from '../../runtime/trace/index.js';
import type { SystemRun } from './system-run.js';

export interface TraceSettings {
    /** Readable lines into the console's buffer (so that they interleave with the program's output). */
    readonly lines?: OutputBuffer;
    /** Only events matching every key of this filter are written (stats count them all). */
    readonly filter?: TraceFilter;
    /** With `lines`: keep only the last N lines and write them at the end. */
    readonly last?: number;
    /** JSON Lines, one event per line. */
    readonly jsonl?: (bytes: Uint8Array) => void;
    readonly chrome?: boolean;
    readonly stats?: boolean;
}

/** What only exists once the run has ended. */
export interface TraceResults {
    /** The Chrome trace-event document, with `chrome`. */
    readonly chrome?: ReturnType<ChromeTraceBuilder['build']>;
    /** Per method and in total, what the run cost, with `stats`. */
    readonly figures?: RunFigures;
}

export class TraceSinks {
    private readonly typed: TypedTrace | undefined;
    private readonly encoder: TraceLineEncoder | undefined;
    private readonly ring: string[] | undefined;
    private readonly jsonl: OutputBuffer | undefined;
    private readonly chrome: ChromeTraceBuilder | undefined;
    private readonly figures: FiguresRecorder | undefined;
    private readonly filter: TraceFilter;
    /** Whether readable lines come from typed events (with a filter or a ring) rather than the encoder. */
    private readonly typedLines: boolean;
    private readonly unsubscribe: () => void;
    private readonly unsubscribeFigures: () => void;

    constructor(run: SystemRun, private readonly settings: TraceSettings) {
        this.filter = settings.filter ?? new Map();
        this.typedLines = settings.lines !== undefined && (this.filter.size > 0 || settings.last !== undefined);
        this.encoder = settings.lines && !this.typedLines ? new TraceLineEncoder(run.system.trace, settings.lines) : undefined;
        const typedWanted = this.typedLines || settings.jsonl !== undefined || settings.chrome === true;
        this.typed = typedWanted ? run.typedTrace() : undefined;
        this.ring = this.typedLines && settings.last !== undefined ? [] : undefined;
        this.jsonl = settings.jsonl ? new OutputBuffer(settings.jsonl) : undefined;
        this.chrome = settings.chrome ? new ChromeTraceBuilder() : undefined;
        this.figures = settings.stats ? new FiguresRecorder(run.system.trace) : undefined;
        // Scheduling decisions are the most frequent events and no trace output shows them: not asked for.
        this.unsubscribe = this.encoder || this.typed ? run.subscribe(event => this.add(event), ['ipc', 'event', 'fault', 'signal', 'interrupt', 'resume']) : () => {};
        // The figures need scheduling decisions and system calls too, which only they ask for.
        const figures = this.figures;
        this.unsubscribeFigures = figures ? run.subscribe(event => figures.add(event), FIGURE_EVENT_KINDS) : () => {};
    }

    private add(event: KernelEvent): void {
        this.encoder?.add(event);
        const typed = this.typed?.translate(event);
        if (!typed) return;
        if (this.filter.size > 0 && !matches(typed, this.filter)) return;
        const lines = this.settings.lines;
        if (this.typedLines && lines) {
            const line = formatTraceLine(typed);
            if (this.ring) {
                this.ring.push(line);
                if (this.ring.length > (this.settings.last ?? 0)) this.ring.shift();
            } else {
                // A trace line starts on a line of its own, even when program output has not ended its line.
                lines.text(lines.midLine ? `\n${line}\n` : `${line}\n`);
            }
        }
        this.jsonl?.text(formatJsonLine(typed) + '\n');
        this.chrome?.add(typed);
    }

    /** Stops listening, writes what waited for the end (the ring's lines) and flushes every writer. */
    finish(): TraceResults {
        this.unsubscribe();
        this.unsubscribeFigures();
        const lines = this.settings.lines;
        if (this.ring && lines) {
            lines.text(this.ring.map(line => line + '\n').join(''));
            lines.flush();
        }
        this.jsonl?.flush();
        return { chrome: this.chrome?.build(), figures: this.figures?.finish() };
    }
}
