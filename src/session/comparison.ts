/**
 * `ukc compare`'s result: the measurements of one system under several kernel personalities
 * (run-measurement.ts) set side by side — per method and in total, each figure under each personality —
 * and where their behaviour differed: console output, how the run ended, and the notable events each
 * personality reported. As text (one table, then the differences) and as JSON, both deterministic: the
 * same measurements give the same bytes.
 */
import type { KernelPersonalityName, NotableEvents } from '../../runtime/kernel/index.js';
import { NO_METHOD, alignColumns, type MethodFigures } from '../../runtime/trace/index.js';
import type { MeasuredOutcome, RunMeasurement } from './run-measurement.js';
import { notableText } from './stats-report.js';

/** The figures compared, in the table's order, with the names the table gives them. */
const FIGURES = [
    { name: 'messages', cell: (f: ComparedFigures) => String(f.messages) },
    { name: 'bytes copied', cell: (f: ComparedFigures) => String(f.bytesCopied) },
    { name: 'context switches', cell: (f: ComparedFigures) => String(f.contextSwitches) },
    { name: 'kernel entries', cell: (f: ComparedFigures) => String(f.kernelEntries) },
    { name: 'cycles/round trip', cell: (f: ComparedFigures) => (f.cyclesPerRoundTrip === null ? '-' : String(f.cyclesPerRoundTrip)) }
] as const;

/** Shown after `messages` only when some run had a message refused (RC 4000's buffers ran out). */
const REFUSED = { name: 'refused', cell: (f: ComparedFigures) => String(f.refused) } as const;

/** One figure of one method under one personality, as JSON gives it. */
export interface ComparedFigures {
    readonly messages: number;
    readonly bytesCopied: number;
    readonly contextSwitches: number;
    readonly kernelEntries: number;
    /** null when nothing was answered (one-way messages only). */
    readonly cyclesPerRoundTrip: number | null;
    /** Calls and one-way messages the kernel refused to take. */
    readonly refused: number;
}

export interface ComparedMethod {
    readonly method: string;
    /** Per personality; a personality under which the method was never used has zeros. */
    readonly figures: Readonly<Record<string, ComparedFigures>>;
}

export interface Comparison {
    readonly system: string;
    readonly kernels: readonly KernelPersonalityName[];
    /** Every method any run used, sorted, `(no method)` last. */
    readonly methods: readonly ComparedMethod[];
    readonly total: ComparedMethod;
    readonly outcomes: Readonly<Record<string, MeasuredOutcome>>;
    readonly console: Readonly<Record<string, string>>;
    readonly notable: Readonly<Record<string, readonly NotableEvents[]>>;
    /** Where behaviour differed, one sentence each (console output, outcome); empty when it did not. */
    readonly differences: readonly string[];
}

const ZERO: ComparedFigures = { messages: 0, bytesCopied: 0, contextSwitches: 0, kernelEntries: 0, cyclesPerRoundTrip: null, refused: 0 };

function compared(figures: MethodFigures | undefined): ComparedFigures {
    if (!figures) return ZERO;
    const { messages, bytesCopied, contextSwitches, kernelEntries, cyclesPerRoundTrip, refused } = figures;
    return { messages, bytesCopied, contextSwitches, kernelEntries, cyclesPerRoundTrip: cyclesPerRoundTrip ?? null, refused };
}

/** Sets the runs side by side, in the order given. */
export function compareRuns(system: string, runs: readonly RunMeasurement[]): Comparison {
    const names = new Set<string>();
    for (const run of runs) for (const method of run.figures.methods) names.add(method.method);
    const sorted = [...names].filter(name => name !== NO_METHOD).sort((a, b) => a.localeCompare(b));
    if (names.has(NO_METHOD)) sorted.push(NO_METHOD);
    const perKernel = (pick: (run: RunMeasurement) => MethodFigures | undefined) => Object.fromEntries(runs.map(run => [run.kernel, compared(pick(run))]));
    return {
        system,
        kernels: runs.map(run => run.kernel),
        methods: sorted.map(method => ({ method, figures: perKernel(run => run.figures.methods.find(row => row.method === method)) })),
        total: { method: 'total', figures: perKernel(run => run.figures.total) },
        outcomes: Object.fromEntries(runs.map(run => [run.kernel, run.outcome])),
        console: Object.fromEntries(runs.map(run => [run.kernel, run.console])),
        notable: Object.fromEntries(runs.map(run => [run.kernel, run.notable])),
        differences: [...outcomeDifference(runs), ...consoleDifferences(runs)]
    };
}

/** The outcomes, when they are not all of one kind with one exit status. */
function outcomeDifference(runs: readonly RunMeasurement[]): string[] {
    const [first] = runs;
    if (runs.every(run => run.outcome.kind === first.outcome.kind && run.outcome.exitStatus === first.outcome.exitStatus)) return [];
    return [`outcome: ${runs.map(run => `${run.kernel} ${outcomeWords(run.outcome)}`).join('; ')}`];
}

function outcomeWords(outcome: MeasuredOutcome): string {
    return `${outcome.kind} at cycle ${outcome.cycle} (exit ${outcome.exitStatus})`;
}

/** Each run whose console output is not the first run's: the first line where they part. */
function consoleDifferences(runs: readonly RunMeasurement[]): string[] {
    const [first] = runs;
    const base = first.console.split('\n');
    return runs.slice(1).filter(run => run.console !== first.console).map(run => {
        const lines = run.console.split('\n');
        let line = 0;
        while (line < base.length && line < lines.length && base[line] === lines[line]) line++;
        const shown = (text: string | undefined) => (text === undefined ? 'nothing' : JSON.stringify(text));
        return `console output: ${run.kernel} differs from ${first.kernel} at line ${line + 1}: ${first.kernel} printed ${shown(base[line])}, ${run.kernel} ${shown(lines[line])}`;
    });
}

/** The comparison as `ukc compare` prints it. */
export function comparisonText(comparison: Comparison): string[] {
    const { kernels } = comparison;
    const rows: string[][] = [['method', 'figure', ...kernels]];
    const figures = kernels.some(kernel => comparison.total.figures[kernel].refused > 0) ? [FIGURES[0], REFUSED, ...FIGURES.slice(1)] : FIGURES;
    for (const method of [...comparison.methods, comparison.total]) {
        figures.forEach((figure, index) => {
            rows.push([index === 0 ? method.method : '', figure.name, ...kernels.map(kernel => figure.cell(method.figures[kernel]))]);
        });
    }
    const lines = [`system ${comparison.system} under ${kernels.join(', ')}`, '', ...alignColumns(rows, 2), ''];
    const outcomes = kernels.map(kernel => `${kernel} at cycle ${comparison.outcomes[kernel].cycle}`).join(', ');
    const sameOutcome = !comparison.differences.some(difference => difference.startsWith('outcome:'));
    if (sameOutcome) lines.push(`outcome: the same under every personality, ${comparison.outcomes[kernels[0]].kind} (${outcomes})`);
    const consoleText = comparison.console[kernels[0]];
    const consoleLines = consoleText.split('\n').length - (consoleText === '' || consoleText.endsWith('\n') ? 1 : 0);
    if (!comparison.differences.some(difference => difference.startsWith('console output:'))) {
        lines.push(`console output: the same under every personality (${consoleLines} ${consoleLines === 1 ? 'line' : 'lines'})`);
    }
    lines.push(...comparison.differences);
    // With outcomes that differ, what `ukc run` would have said of each run that did not finish.
    if (!sameOutcome) {
        for (const kernel of kernels) {
            if (comparison.outcomes[kernel].kind !== 'finished') lines.push(...comparison.outcomes[kernel].lines.map(line => `  ${kernel}: ${line}`));
        }
    }
    lines.push('notable events:');
    const width = Math.max(...kernels.map(kernel => kernel.length));
    for (const kernel of kernels) {
        lines.push(`  ${kernel.padEnd(width)}  ${notableText(comparison.notable[kernel])}`);
    }
    return lines;
}
