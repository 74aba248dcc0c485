/**
 * A booted system and its run: boot from a `RunnableSystem`, run in slices of emulated cycles (with a cycle
 * budget, a wall-clock limit, pause and stop), feed the UART, watch kernel events or typed trace events,
 * and say how the run ended — finished, an unhandled fault (with its source position), a deadlock (who
 * waits for whom, and where), the cycle limit, or stopped. Nothing here knows of terminals or files.
 */
import { ElfError, parseElf, type ElfImage, type Uart } from '../../runtime/machine/index.js';
import {
    ManifestError, bootSystem, parseManifest, type BootedSystem, type FaultEvent, type Kernel, type KernelEvent, type KernelEventListener, type KernelPersonalityName, type PersonalitySettings,
    type RunResult, type WaitForEdge
} from '../../runtime/kernel/index.js';
import { TypedTrace, type TypedEvent } from '../../runtime/trace/index.js';
import type { RunnableSystem } from './runnable-system.js';
import { SourceMap, type SourceLocation } from './source-map.js';

/** Where a system's console bytes (kernel debug output and UART transmissions) go, in order. */
export interface ConsoleSink {
    byte(value: number): void;
    bytes(values: Uint8Array): void;
    /** Called after every slice of a `run`: a buffering sink passes on what it holds. */
    flush?(): void;
}

export interface BootSettings {
    readonly console?: ConsoleSink;
    /** The kernel personality (IPC model) to run under; seL4's unless told. */
    readonly kernel?: KernelPersonalityName;
    /** What the run sets about its personality (`ukc run --buffers`: RC 4000's pool size). */
    readonly personalitySettings?: PersonalitySettings;
}

/** The system's manifest or images do not fit the machine. */
export class BootError extends Error {}

export interface FaultReport {
    readonly thread: string;
    /** The kind of fault, as the kernel names it (`page-fault`, `illegal-instruction`, ...). */
    readonly fault: string;
    /** Why compiled code stopped itself, when the fault is a panic (`index-out-of-bounds`, `server-failed`, ...). */
    readonly panic?: string;
    readonly pc: number;
    /** The statement that faulted, when the pc (or the caller of the routine it is in) has a line. */
    readonly location?: SourceLocation;
}

export interface WaitReport {
    readonly thread: string;
    /** The kernel's thread state: blocked-on-reply, blocked-on-send, blocked-on-receive, blocked-on-notification. */
    readonly state: string;
    /** The endpoint or notification it waits on (`reply` while waiting for an answer). */
    readonly on: string;
    /** Threads that could end the wait; empty when nobody can. */
    readonly waitsFor: readonly string[];
    /** The call or wait in the source the thread is blocked in. */
    readonly location?: SourceLocation;
}

export type RunOutcome =
    | { readonly kind: 'finished'; readonly cycle: number }
    /** A component faulted and nothing restarted it; the rest finished. */
    | { readonly kind: 'fault'; readonly cycle: number; readonly faults: readonly FaultReport[] }
    /** Some thread waits for something that can never happen (faults that may have caused it included). */
    | { readonly kind: 'deadlock'; readonly cycle: number; readonly waits: readonly WaitReport[]; readonly faults: readonly FaultReport[] }
    | { readonly kind: 'cycle-limit'; readonly cycle: number; readonly maxCycles: number }
    /** Stopped from outside: `stop()`, a wall-clock timeout, or an interruption the host reported. */
    | { readonly kind: 'stopped'; readonly cycle: number; readonly reason: StopRequest };

export type StopRequest = 'stop' | 'timeout' | 'interrupted';

export interface RunSettings {
    /** Stop at this many emulated cycles since boot. */
    readonly maxCycles?: number;
    /** Stop after this much wall time (milliseconds). */
    readonly timeoutMs?: number;
    /** Emulated cycles per slice, between which the host gets control (default 20 million). */
    readonly sliceCycles?: number;
    /** Gives the host's event loop a turn between slices (default: a zero timeout). */
    readonly yieldToHost?: () => Promise<void>;
    /** Called after every slice, with the cycle reached (progress for a status bar). */
    readonly onSlice?: (cycle: number) => void;
}

const DEFAULT_SLICE = 20_000_000;

/** Boots a system on a fresh machine and kernel; a manifest or image the machine cannot take is a `BootError`. */
export function bootRunnable(system: RunnableSystem, settings: BootSettings = {}): SystemRun {
    try {
        const images = new Map<string, ElfImage>(system.images.map(image => [image.file, parseElf(image.elf)]));
        // The manifest is checked as the kernel would check one read from disk, whatever its origin.
        const booted = bootSystem(parseManifest(JSON.parse(JSON.stringify(system.manifest))), images, {
            uartOutput: settings.console ? (_device, byte) => settings.console?.byte(byte) : undefined,
            personality: settings.kernel,
            personalitySettings: settings.personalitySettings
        });
        return new SystemRun(system, booted, settings);
    } catch (error) {
        if (error instanceof ManifestError || error instanceof ElfError) throw new BootError(error.message);
        throw error;
    }
}

export class SystemRun {
    readonly kernel: Kernel;
    readonly sourceMap: SourceMap;
    private readonly faults: FaultEvent[] = [];
    private stopRequest: StopRequest | undefined;
    private lastResult: RunResult | undefined;
    private readonly console: ConsoleSink | undefined;

    constructor(readonly system: RunnableSystem, readonly booted: BootedSystem, settings: BootSettings) {
        this.kernel = booted.kernel;
        this.sourceMap = new SourceMap(system);
        const console = settings.console;
        this.console = console;
        if (console) this.kernel.consoleOutput = bytes => console.bytes(bytes);
        this.kernel.events.subscribe(event => {
            if (event.kind === 'fault') this.faults.push(event);
        }, ['fault']);
    }

    get name(): string {
        return this.system.name;
    }

    /** Emulated cycles since boot. */
    get cycle(): number {
        return this.kernel.cycle;
    }

    /** Kernel events as they happen (all, or only `kinds`); returns the function that stops listening. */
    subscribe(listener: KernelEventListener, kinds?: readonly KernelEvent['kind'][]): () => void {
        return this.kernel.events.subscribe(listener, kinds);
    }

    /** Calls, sends, replies and faults decoded by the message layouts, with call sites and handlers. */
    subscribeTyped(listener: (event: TypedEvent) => void): () => void {
        const typed = this.typedTrace();
        return this.subscribe(event => {
            const translated = typed.translate(event);
            if (translated) listener(translated);
        }, ['ipc', 'event', 'fault', 'signal', 'interrupt', 'resume']);
    }

    /** A decoder of this system's kernel events into typed ones, with call sites (for trace writers). */
    typedTrace(): TypedTrace {
        return new TypedTrace(this.system.trace, thread => this.callSite(thread));
    }

    /** Bytes for the first UART's receive queue (what a user types). */
    input(bytes: Uint8Array): void {
        const uart = [...this.booted.devices.values()].find(device => device.kind === 'uart');
        if (uart && bytes.length > 0) (uart.device as Uart).receive(bytes);
    }

    /**
     * Where a thread is in the source while it waits in a system call: its ecall is in a stub (a leaf
     * routine), so the statement is the caller's, found from the return address.
     */
    callSite(thread: string): string | undefined {
        const location = this.callSiteLocation(thread);
        return location ? SourceMap.format(location) : undefined;
    }

    private callSiteLocation(thread: string): SourceLocation | undefined {
        const ra = this.booted.threads.get(thread)?.regs[1];
        return ra === undefined ? undefined : this.sourceMap.callerOf(thread, ra);
    }

    /** Asks a running `run` to end at its next slice boundary (or a running slice to return early). */
    stop(reason: StopRequest = 'stop'): void {
        this.stopRequest ??= reason;
        this.kernel.pause();
    }

    /**
     * Runs at most `cycles` more emulated cycles (never past `maxCycles` since boot). Returns how the run
     * ended, or undefined when it may go on (the slice was used up, or a pause ended it).
     */
    slice(cycles: number, maxCycles = Number.MAX_SAFE_INTEGER): RunOutcome | undefined {
        if (this.stopRequest) return { kind: 'stopped', cycle: this.cycle, reason: this.stopRequest };
        const result = this.kernel.run(Math.max(0, Math.min(cycles, maxCycles - this.kernel.cycle)));
        this.lastResult = result;
        if (result.reason === 'idle') return this.explainIdle(result.waitFor?.edges ?? []);
        if (this.stopRequest) return { kind: 'stopped', cycle: this.cycle, reason: this.stopRequest };
        if (this.kernel.cycle >= maxCycles) return { kind: 'cycle-limit', cycle: this.cycle, maxCycles };
        return undefined;
    }

    /** Why the kernel's last run returned (a debugger tells a breakpoint from a pause by it). */
    get lastStop(): RunResult | undefined {
        return this.lastResult;
    }

    /** Runs slice after slice until the run ends, giving the host a turn in between. */
    async run(settings: RunSettings = {}): Promise<RunOutcome> {
        const started = Date.now();
        const yieldToHost = settings.yieldToHost ?? (() => new Promise<void>(resolve => setTimeout(resolve, 0)));
        const maxCycles = settings.maxCycles ?? Number.MAX_SAFE_INTEGER;
        for (;;) {
            const outcome = this.slice(settings.sliceCycles ?? DEFAULT_SLICE, maxCycles);
            this.console?.flush?.();
            settings.onSlice?.(this.cycle);
            if (outcome) return outcome;
            if (settings.timeoutMs !== undefined && Date.now() - started > settings.timeoutMs) return { kind: 'stopped', cycle: this.cycle, reason: 'timeout' };
            await yieldToHost();
        }
    }

    /**
     * What the run has recorded of the system so far (its faults), and how to put it back to now: for a
     * debugger taking the system back to an earlier moment.
     */
    mark(): () => void {
        const faults = this.faults.length;
        return () => { this.faults.length = faults; };
    }

    /** Unhandled faults so far, with their source positions. */
    unhandledFaults(): FaultReport[] {
        return this.faults.filter(fault => fault.handler === undefined).map(fault => this.faultReport(fault));
    }

    private faultReport(fault: FaultEvent): FaultReport {
        // Compiled code faults in its own statements (a panic is inline), or in a leaf routine (a stub's
        // panic) whose caller's statement is where the return address points.
        const ra = this.booted.threads.get(fault.thread)?.regs[1] ?? 0;
        const location = this.sourceMap.locate(fault.thread, fault.pc) ?? this.sourceMap.callerOf(fault.thread, ra);
        return { thread: fault.thread, fault: fault.fault, panic: fault.panic, pc: fault.pc, location };
    }

    private explainIdle(edges: readonly WaitForEdge[]): RunOutcome {
        const faults = this.unhandledFaults();
        const stuck = edges.filter(edge => isStuck(edge, edges));
        if (stuck.length > 0) {
            const waits = stuck.map(edge => ({ thread: edge.thread, state: edge.state, on: edge.on, waitsFor: edge.waitsFor, location: this.callSiteLocation(edge.thread) }));
            return { kind: 'deadlock', cycle: this.cycle, waits, faults };
        }
        if (faults.length > 0) return { kind: 'fault', cycle: this.cycle, faults };
        return { kind: 'finished', cycle: this.cycle };
    }
}

/**
 * Whether a blocked thread is stuck rather than idle: a server (or the supervisor) waiting for its next
 * message is idle; a call that cannot complete is stuck, and so is a wait on a notification nobody can
 * signal. A call whose answer a server keeps (a deferred reply, CNodeSaveCaller) while that server waits
 * for a device's interrupt waits for the device, as a wait on an interrupt does: a UART driver's `getc`
 * when no more input comes.
 */
function isStuck(edge: WaitForEdge, edges: readonly WaitForEdge[]): boolean {
    if (edge.state === 'blocked-on-receive') return false;
    if (edge.state === 'blocked-on-notification') return edge.waitsFor.length === 0 && edge.interrupts.length === 0;
    if (edge.state === 'blocked-on-reply') return !edge.waitsFor.some(holder => waitsForInterrupt(holder, edges));
    return true;
}

function waitsForInterrupt(thread: string, edges: readonly WaitForEdge[]): boolean {
    const edge = edges.find(candidate => candidate.thread === thread);
    return edge !== undefined && edge.state === 'blocked-on-receive' && edge.interrupts.length > 0;
}

/** One line of what a waiting thread waits for, as `ukc run` prints it after a deadlock. */
export function describeWait(wait: WaitReport): string {
    const others = wait.waitsFor.length > 0 ? wait.waitsFor.join(' or ') : 'nobody';
    let what: string;
    switch (wait.state) {
        case 'blocked-on-reply': what = `waits for the reply from ${others}`; break;
        case 'blocked-on-send': what = `waits for ${others} to receive on ${wait.on}`; break;
        case 'blocked-on-receive': what = `waits for a message on ${wait.on} from ${others}`; break;
        default: what = `waits for a signal on ${wait.on} from ${others}`;
    }
    return `${wait.thread} ${what}${wait.location ? ` at ${SourceMap.format(wait.location)}` : ''}`;
}

/** One line for an unhandled fault, as `ukc run` prints it. */
export function describeFault(fault: FaultReport): string {
    return `${fault.thread}: ${fault.panic ?? fault.fault} at ${fault.location ? SourceMap.format(fault.location) : `pc 0x${fault.pc.toString(16)}`}`;
}
