/**
 * How a run ended, in words and as an exit status: the lines `ukc run` prints after a run (every host —
 * the command line, the extension's terminal, the debug adapter's exited event — says the same), each with
 * the source location it is about, and the status a process would exit with.
 */
import { SourceMap, type SourceLocation } from './source-map.js';
import { describeFault, describeWait, type RunOutcome } from './system-run.js';

/** Exit statuses of a run, besides 0 (finished) and the general ones of a command (1, 2, 70). */
export const RunExit = {
    /** A component faulted and nothing restarted it; the rest finished (or waits on it). */
    Fault: 3,
    /** Some thread waits for something that can never happen. */
    Deadlock: 4,
    /** The cycle limit was reached. */
    CycleLimit: 5,
    /** The wall-clock limit was reached. */
    Timeout: 6,
    /** The image directory is from an incompatible version of ukc, or damaged. */
    IncompatibleImage: 7,
    /** The system cannot boot (its manifest does not fit the machine). */
    BootFailure: 8,
    /** Interrupted (Ctrl-C) or stopped. */
    Interrupted: 130
} as const;

export interface OutcomeLine {
    readonly text: string;
    /** `file:line:column` of the statement the line is about (a fault, a blocked call). */
    readonly location?: string;
}

/** How the host names its limits in the last line: `--max-cycles 5000`, `ukc.run.maxCycles 5000`, `--timeout 3 s`. */
export interface LimitNames {
    readonly cycleLimit: string;
    readonly timeout: string;
}

export interface OutcomeReport {
    readonly lines: readonly OutcomeLine[];
    readonly exitStatus: number;
}

export function outcomeReport(outcome: RunOutcome, name: string, limits: LimitNames): OutcomeReport {
    const where = `at cycle ${outcome.cycle}`;
    const at = (location: SourceLocation | undefined) => (location ? SourceMap.format(location) : undefined);
    const faults: OutcomeLine[] = outcome.kind === 'fault' || outcome.kind === 'deadlock'
        ? outcome.faults.map(fault => ({ text: `fault: ${describeFault(fault)}`, location: at(fault.location) }))
        : [];
    const afterFault = { text: `system ${name} stopped ${where} after a fault` };
    switch (outcome.kind) {
        case 'finished':
            return { lines: [{ text: `system ${name} finished ${where}` }], exitStatus: 0 };
        case 'fault':
            return { lines: [...faults, afterFault], exitStatus: RunExit.Fault };
        case 'deadlock': {
            const waits = [
                { text: `deadlock ${where}: ${outcome.waits.length === 1 ? 'a thread waits' : 'threads wait'} for what can never happen:` },
                ...outcome.waits.map(wait => ({ text: `  ${describeWait(wait)}`, location: at(wait.location) }))
            ];
            // A fault is the first cause of what waits on the stopped component: the run ends as a fault.
            if (outcome.faults.length === 0) return { lines: waits, exitStatus: RunExit.Deadlock };
            return { lines: [...faults, ...waits, afterFault], exitStatus: RunExit.Fault };
        }
        case 'cycle-limit':
            return { lines: [{ text: `stopped ${where}: ${limits.cycleLimit} reached` }], exitStatus: RunExit.CycleLimit };
        case 'stopped':
            if (outcome.reason === 'timeout') return { lines: [{ text: `stopped ${where}: ${limits.timeout} reached` }], exitStatus: RunExit.Timeout };
            return { lines: [{ text: `stopped ${where}: ${outcome.reason === 'interrupted' ? 'interrupted' : 'stopped'}` }], exitStatus: RunExit.Interrupted };
    }
}
