/**
 * `ukc run SYSTEM.uk`: compiles the system (or reads an image directory), boots it through the session
 * library, forwards console output, and reports how the run ended — finished, a fault, a deadlock (who
 * waits for whom, at which source line), --max-cycles, --timeout or Ctrl-C — with a one-line reason and
 * its own exit code. `--trace` and its siblings send the typed trace to the terminal or to files; `--gdb PORT`
 * lets GDB attach to the run (src/cli/gdb-server.ts).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { OutputBuffer, parseFilters } from '../../runtime/trace/index.js';
import {
    BootError, ImageError, RunExit, TraceSinks, bootRunnable, outcomeReport, personalityBootSettings, readPersonalityRequest, statsReport,
    type PersonalitySettingNames, type RunOutcome, type RunnableSystem, type SystemRun
} from '../session/index.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { compileFile } from './compile-command.js';
import { isImageDirectory, readImageFolder } from './image-directory.js';
import { InputError } from './input-files.js';

/** How `ukc run` ends, besides the general exit codes (0, 1, 2, 70): the session's statuses. */
export { RunExit };

export interface RunOptions {
    readonly trace?: boolean;
    readonly traceJsonl?: string;
    readonly traceChrome?: string;
    readonly traceOnly?: readonly string[];
    readonly traceLast?: string;
    readonly stats?: boolean;
    readonly maxCycles?: string;
    readonly timeout?: string;
    readonly system?: string;
    /** A TCP port to serve GDB's remote protocol on (0: any free port). */
    readonly gdb?: string;
    /** The kernel personality to run under (KERNEL_PERSONALITIES); the system's `kernel:` line, or seL4, unless given. */
    readonly kernel?: string;
    /** RC 4000's pool of kernel message buffers: how many (only with --kernel rc4000). */
    readonly buffers?: string;
}

/** How `ukc run` names the personality's settings in what it refuses. */
const OPTION_NAMES: PersonalitySettingNames = { kernel: '--kernel', buffers: '--buffers', kernelSetTo: name => `--kernel ${name}` };

function positiveNumber(text: string | undefined, option: string): number | undefined {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new InputError(`${option} needs a positive number, not '${text}'`);
    return value;
}

/** A TCP port from the command line: 0 (any free port) to 65535. */
export function parsePort(text: string): number {
    const port = Number(text);
    if (!/^\d+$/.test(text) || port > 65535) throw new InputError(`--gdb needs a TCP port (0 to 65535; 0 picks a free one), not '${text}'`);
    return port;
}

/** Runs `file`; `onInterrupt` receives the function that stops the run (the command line wires it to Ctrl-C). */
export async function runRun(file: string, options: RunOptions, io: CliIO, onInterrupt: (stop: () => void) => void = () => {}): Promise<number> {
    const maxCycles = positiveNumber(options.maxCycles, '--max-cycles');
    const timeout = positiveNumber(options.timeout, '--timeout');
    const last = positiveNumber(options.traceLast, '--trace-last');
    const filter = parseFilters(options.traceOnly ?? []);
    if (typeof filter === 'string') throw new InputError(filter);
    const gdbPort = options.gdb !== undefined ? parsePort(options.gdb) : undefined;
    const personality = readPersonalityRequest(options, OPTION_NAMES);
    // A debugged run waits for its debugger, so wall time says nothing about it.
    if (gdbPort !== undefined && timeout !== undefined) throw new InputError('--timeout cannot be combined with --gdb');
    const system = await loadSystem(file, options, io);
    if (typeof system === 'number') return system;
    const chosen = personalityBootSettings(personality, system, OPTION_NAMES);
    const decoder = new TextDecoder();
    const out = new OutputBuffer(bytes => (io.stdoutBytes ? io.stdoutBytes(bytes) : io.stdout(decoder.decode(bytes, { stream: true }))));
    let run: SystemRun;
    try {
        run = bootRunnable(system, { console: out, ...chosen });
    } catch (error) {
        if (!(error instanceof BootError)) throw error;
        io.stderr(`ukc: system ${system.name} cannot boot: ${error.message}\n`);
        return RunExit.BootFailure;
    }
    // Standard input (when it is not a terminal) is what the first UART receives.
    run.input(await io.readStdin?.() ?? new Uint8Array());
    const jsonlFile = options.traceJsonl !== undefined ? openSync(path.resolve(io.cwd, options.traceJsonl), 'w') : undefined;
    const sinks = new TraceSinks(run, {
        lines: options.trace ? out : undefined,
        filter,
        last,
        jsonl: jsonlFile !== undefined ? bytes => writeSync(jsonlFile, bytes) : undefined,
        chrome: options.traceChrome !== undefined,
        stats: options.stats
    });
    try {
        let outcome: RunOutcome;
        if (gdbPort !== undefined) {
            // The GDB stub and the debugger under it load only for a run that serves GDB.
            const { serveGdb } = await import('./gdb-server.js');
            outcome = await serveGdb(run, { port: gdbPort, maxCycles, onSlice: () => out.flush() }, io, onInterrupt);
        } else {
            onInterrupt(() => run.stop('interrupted'));
            outcome = await run.run({
                maxCycles,
                timeoutMs: timeout !== undefined ? timeout * 1000 : undefined,
                yieldToHost: () => new Promise(resolve => setImmediate(resolve))
            });
        }
        return report(outcome, system.name, { maxCycles, timeout }, io);
    } finally {
        out.flush();
        const results = sinks.finish();
        if (jsonlFile !== undefined) closeSync(jsonlFile);
        if (results.chrome && options.traceChrome !== undefined) {
            await writeFile(path.resolve(io.cwd, options.traceChrome), JSON.stringify(results.chrome) + '\n');
        }
        if (results.figures) {
            const personality = run.kernel.personality;
            for (const line of statsReport(personality.name, results.figures, personality.notableEvents?.() ?? [])) io.stderr(line + '\n');
        }
    }
}

/** The system to run: an image directory read back, or the file compiled now (its errors printed). */
export async function loadSystem(file: string, options: { readonly system?: string }, io: CliIO): Promise<RunnableSystem | number> {
    const target = path.resolve(io.cwd, file);
    if (await isImageDirectory(target)) {
        try {
            return await readImageFolder(target, file);
        } catch (error) {
            if (!(error instanceof ImageError)) throw error;
            io.stderr(`ukc: ${error.message}\n`);
            return RunExit.IncompatibleImage;
        }
    }
    const compiled = await compileFile(file, options.system, io);
    return compiled.kind === 'compiled' ? compiled.system : ExitCode.Diagnostics;
}

function report(outcome: RunOutcome, name: string, limits: { maxCycles?: number; timeout?: number }, io: CliIO): number {
    const report = outcomeReport(outcome, name, { cycleLimit: `--max-cycles ${limits.maxCycles}`, timeout: `--timeout ${limits.timeout} s` });
    for (const line of report.lines) io.stderr(line.text + '\n');
    return report.exitStatus;
}
