/**
 * `ukc run SYSTEM.uk`: compiles the system, boots it under the bundled kernel, forwards console output,
 * and stops when the system is idle, at --max-cycles, at --timeout, or on Ctrl-C — with a one-line reason
 * and its own exit code. `--trace` prints every message as a typed call or reply. When the system stops
 * with a call that can never complete, it prints who waits for whom, at which source line.
 */
import { ElfError, parseElf, type ElfImage, type Uart } from '../../runtime/machine/index.js';
import { ManifestError, bootSystem, parseManifest, type BootedSystem, type KernelEvent, type WaitForEdge } from '../../runtime/kernel/index.js';
import { closeSync, openSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
    ChromeTraceBuilder, OutputBuffer, TraceLineEncoder, TraceStats, TypedTrace, formatJsonLine, formatTraceLine, matches, parseFilters, type SiteLocator,
    type TraceFilter
} from '../../runtime/trace/index.js';
import type { LineTableEntry } from '../codegen/index.js';
import { ImageError, isImageDirectory, readImageDirectory, type RunnableSystem } from './image-directory.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { compileFile } from './compile-command.js';
import { InputError } from './workspace-loader.js';

/** How `ukc run` ends, besides the general exit codes (0, 1, 2, 70). */
export const RunExit = {
    /** A component faulted and nothing restarted it; the rest finished. */
    Fault: 3,
    /** Some thread waits for something that can never happen. */
    Deadlock: 4,
    /** --max-cycles was reached. */
    CycleLimit: 5,
    /** --timeout was reached. */
    Timeout: 6,
    /** The image directory is from an incompatible version of ukc, or damaged. */
    IncompatibleImage: 7,
    /** The system cannot boot (its manifest does not fit the machine). */
    BootFailure: 8,
    /** Interrupted (Ctrl-C). */
    Interrupted: 130
} as const;

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
}

/** Cycles per slice between checks of the wall clock and of Ctrl-C. */
const SLICE = 20_000_000;

function positiveNumber(text: string | undefined, option: string): number | undefined {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new InputError(`${option} needs a positive number, not '${text}'`);
    return value;
}

export async function runRun(file: string, options: RunOptions, io: CliIO, interrupted: () => boolean = () => false): Promise<number> {
    const maxCycles = positiveNumber(options.maxCycles, '--max-cycles');
    const timeout = positiveNumber(options.timeout, '--timeout');
    const last = positiveNumber(options.traceLast, '--trace-last');
    const filter = parseFilters(options.traceOnly ?? []);
    if (typeof filter === 'string') throw new InputError(filter);
    let system: RunnableSystem;
    const target = path.resolve(io.cwd, file);
    if (await isImageDirectory(target)) {
        try {
            system = await readImageDirectory(target, file);
        } catch (error) {
            if (!(error instanceof ImageError)) throw error;
            io.stderr(`ukc: ${error.message}\n`);
            return RunExit.IncompatibleImage;
        }
    } else {
        const compiled = await compileFile(file, options.system, io);
        if (typeof compiled === 'number') return compiled;
        system = { name: compiled.name, ...compiled.system };
    }
    const decoder = new TextDecoder();
    const out = new OutputBuffer(bytes => (io.stdoutBytes ? io.stdoutBytes(bytes) : io.stdout(decoder.decode(bytes, { stream: true }))));
    let booted: BootedSystem;
    try {
        const images = new Map<string, ElfImage>(system.images.map(image => [image.file, parseElf(image.elf)]));
        booted = bootSystem(parseManifest(JSON.parse(JSON.stringify(system.manifest))), images, {
            uartOutput: (_device, byte) => out.byte(byte)
        });
    } catch (error) {
        if (!(error instanceof ManifestError) && !(error instanceof ElfError)) throw error;
        io.stderr(`ukc: system ${system.name} cannot boot: ${error.message}\n`);
        return RunExit.BootFailure;
    }
    const kernel = booted.kernel;
    kernel.consoleOutput = bytes => out.bytes(bytes);
    // Standard input (when it is not a terminal) is what the first UART receives.
    const input = await io.readStdin?.();
    const uart = [...booted.devices.values()].find(device => device.kind === 'uart');
    if (input && input.length > 0 && uart) (uart.device as Uart).receive(input);

    const lines = lineTables(system);
    // A call's site: the caller is in a client stub, a leaf function, whose return address is the call.
    const site = (thread: string) => {
        const ra = booted.threads.get(thread)?.regs[1];
        return ra === undefined ? undefined : lineOf(lines.get(thread) ?? [], (ra - 4) >>> 0);
    };
    const sinks = new TraceSinks(system, options, io, out, last, filter, site);
    const faults: Extract<KernelEvent, { kind: 'fault' }>[] = [];
    // Scheduling decisions are the most frequent events and no trace output shows them: not asked for.
    kernel.events.subscribe(event => {
        if (event.kind === 'fault') faults.push(event);
        sinks.add(event);
    }, ['ipc', 'fault', 'signal', 'interrupt', 'resume']);
    try {
        return await runUntilDone(system.name, system, booted, { maxCycles, timeout, interrupted }, faults, out, io);
    } finally {
        out.flush();
        await sinks.finish();
    }
}

interface Limits {
    readonly maxCycles?: number;
    readonly timeout?: number;
    readonly interrupted: () => boolean;
}

async function runUntilDone(name: string, system: RunnableSystem, booted: BootedSystem, limits: Limits,
    faults: readonly Extract<KernelEvent, { kind: 'fault' }>[], out: OutputBuffer, io: CliIO): Promise<number> {
    const kernel = booted.kernel;
    const started = Date.now();
    const limit = limits.maxCycles ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
        const result = kernel.run(Math.min(SLICE, limit - kernel.cycle));
        out.flush();
        const where = `at cycle ${kernel.cycle}`;
        if (result.reason === 'idle') {
            const lines = lineTables(system);
            for (const fault of faults.filter(candidate => candidate.handler === undefined)) {
                io.stderr(`fault: ${fault.thread}: ${fault.panic ?? fault.fault} ${describePc(booted, lines, fault.thread, fault.pc)}\n`);
            }
            const stuck = (result.waitFor?.edges ?? []).filter(isStuck);
            const faulted = faults.some(fault => fault.handler === undefined);
            if (stuck.length > 0) {
                io.stderr(`deadlock ${where}: ${stuck.length === 1 ? 'a thread waits' : 'threads wait'} for what can never happen:\n`);
                for (const edge of stuck) io.stderr(`  ${describeWait(edge, booted, lines)}\n`);
                // A fault is the first cause of what waits on the stopped component: the run ends as a fault.
                if (!faulted) return RunExit.Deadlock;
            }
            if (faulted) {
                io.stderr(`system ${name} stopped ${where} after a fault\n`);
                return RunExit.Fault;
            }
            io.stderr(`system ${name} finished ${where}\n`);
            return ExitCode.Ok;
        }
        if (kernel.cycle >= limit) {
            io.stderr(`stopped ${where}: --max-cycles ${limits.maxCycles} reached\n`);
            return RunExit.CycleLimit;
        }
        if (limits.timeout !== undefined && Date.now() - started > limits.timeout * 1000) {
            io.stderr(`stopped ${where}: --timeout ${limits.timeout} s reached\n`);
            return RunExit.Timeout;
        }
        // Let Ctrl-C (and other events) through between slices.
        await new Promise(resolve => setImmediate(resolve));
        if (limits.interrupted()) {
            io.stderr(`stopped ${where}: interrupted\n`);
            return RunExit.Interrupted;
        }
    }
}

/**
 * Where the trace goes: readable lines (or the last N of them), JSON Lines, a Chrome trace, stats. Plain
 * readable lines, the common case, take the line encoder's fast path; filters, the ring and the other
 * formats work on typed events.
 */
class TraceSinks {
    private readonly typed: TypedTrace | undefined;
    private readonly lines: TraceLineEncoder | undefined;
    private readonly ring: string[] | undefined;
    private readonly jsonl: OutputBuffer | undefined;
    private readonly jsonlFile: number | undefined;
    private readonly chrome: ChromeTraceBuilder | undefined;
    private readonly stats: TraceStats | undefined;
    /** Whether readable lines come from typed events (with a filter or a ring) rather than the encoder. */
    private readonly typedLines: boolean;

    constructor(
        system: RunnableSystem,
        private readonly options: RunOptions,
        private readonly io: CliIO,
        private readonly out: OutputBuffer,
        private readonly last: number | undefined,
        private readonly filter: TraceFilter,
        site: SiteLocator
    ) {
        this.typedLines = options.trace === true && (filter.size > 0 || last !== undefined);
        this.lines = options.trace && !this.typedLines ? new TraceLineEncoder(system.trace, out) : undefined;
        const wanted = this.typedLines || options.traceJsonl !== undefined || options.traceChrome !== undefined || options.stats;
        this.typed = wanted ? new TypedTrace(system.trace, site) : undefined;
        this.ring = options.trace && last !== undefined ? [] : undefined;
        if (options.traceJsonl !== undefined) {
            const file = openSync(path.resolve(io.cwd, options.traceJsonl), 'w');
            this.jsonlFile = file;
            this.jsonl = new OutputBuffer(bytes => writeSync(file, bytes));
        }
        this.chrome = options.traceChrome !== undefined ? new ChromeTraceBuilder() : undefined;
        this.stats = options.stats ? new TraceStats(system.trace) : undefined;
    }

    add(event: KernelEvent): void {
        this.lines?.add(event);
        const typed = this.typed?.translate(event);
        if (!typed) return;
        this.stats?.add(typed);
        if (this.filter.size > 0 && !matches(typed, this.filter)) return;
        if (this.typedLines) {
            const line = formatTraceLine(typed);
            if (this.ring) {
                this.ring.push(line);
                if (this.ring.length > (this.last ?? 0)) this.ring.shift();
            } else {
                // A trace line starts on a line of its own, even when program output has not ended its line.
                this.out.text(this.out.midLine ? `\n${line}\n` : `${line}\n`);
            }
        }
        this.jsonl?.text(formatJsonLine(typed) + '\n');
        this.chrome?.add(typed);
    }

    async finish(): Promise<void> {
        if (this.ring) {
            this.out.text(this.ring.map(line => line + '\n').join(''));
            this.out.flush();
        }
        if (this.jsonl && this.jsonlFile !== undefined) {
            this.jsonl.flush();
            closeSync(this.jsonlFile);
        }
        if (this.chrome && this.options.traceChrome !== undefined) {
            await writeFile(path.resolve(this.io.cwd, this.options.traceChrome), JSON.stringify(this.chrome.build()) + '\n');
        }
        if (this.stats) for (const line of this.stats.table()) this.io.stderr(line + '\n');
    }
}

/**
 * Whether a blocked thread is stuck rather than idle: a server (or the supervisor) waiting for its next
 * message is idle; a call that cannot complete is stuck, and so is a wait on a notification nobody can
 * signal.
 */
function isStuck(edge: WaitForEdge): boolean {
    if (edge.state === 'blocked-on-receive') return false;
    if (edge.state === 'blocked-on-notification') return edge.waitsFor.length === 0 && edge.interrupts.length === 0;
    return true;
}

/** Line tables by instance (thread) name. */
function lineTables(system: RunnableSystem): Map<string, readonly LineTableEntry[]> {
    const byFile = new Map(system.images.map(image => [image.file, image.lineTable]));
    return new Map(system.manifest.components.map(component => [component.name, byFile.get(component.image) ?? []]));
}

/** The source statement an address belongs to: the last line-table entry at or before it (binary search). */
function lineOf(table: readonly LineTableEntry[], address: number): string | undefined {
    let low = 0;
    let high = table.length - 1;
    let found: LineTableEntry | undefined;
    while (low <= high) {
        const middle = (low + high) >> 1;
        if (table[middle].address <= address) {
            found = table[middle];
            low = middle + 1;
        } else {
            high = middle - 1;
        }
    }
    return found ? `${found.position.file}:${found.position.line}:${found.position.column}` : undefined;
}

function describePc(booted: BootedSystem, lines: Map<string, readonly LineTableEntry[]>, thread: string, pc: number): string {
    const table = lines.get(thread) ?? [];
    // Compiled code faults in the runtime library (panic) or a stub: the caller's line is where ra points.
    const ra = booted.threads.get(thread)?.regs[1] ?? 0;
    const at = lineOf(table, pc) ?? lineOf(table, (ra - 4) >>> 0);
    return at ? `at ${at}` : `at pc 0x${pc.toString(16)}`;
}

function describeWait(edge: WaitForEdge, booted: BootedSystem, lines: Map<string, readonly LineTableEntry[]>): string {
    // The blocked ecall is in a stub; the call in the source is where the stub returns to.
    const ra = booted.threads.get(edge.thread)?.regs[1] ?? 0;
    const at = lineOf(lines.get(edge.thread) ?? [], (ra - 4) >>> 0);
    const others = edge.waitsFor.length > 0 ? edge.waitsFor.join(' or ') : 'nobody';
    let what: string;
    switch (edge.state) {
        case 'blocked-on-reply': what = `waits for the reply from ${others}`; break;
        case 'blocked-on-send': what = `waits for ${others} to receive on ${edge.on}`; break;
        case 'blocked-on-receive': what = `waits for a message on ${edge.on} from ${others}`; break;
        default: what = `waits for a signal on ${edge.on} from ${others}`;
    }
    return `${edge.thread} ${what}${at ? ` at ${at}` : ''}`;
}

