/**
 * The debug session model (knows nothing of the Debug Adapter Protocol): a `SystemRun` driven under
 * breakpoints and steps. Source breakpoints become address breakpoints in the components' code; function
 * breakpoints (`Interface.method`) watch the kernel's IPC deliveries and stop in the handler that receives
 * the message; faults stop as exceptions. Steps work at statement granularity with temporary address
 * breakpoints: over and in follow the line table and the unwound stack, in follows a call through an
 * endpoint into the server's handler, and out of a handler waits for its reply and stops in the client
 * where the call returns. With no breakpoint and no step, the kernel runs with its IPC fastpath inside the
 * CPU's run, as `ukc run` does.
 */
import { KernelControl, type FaultEvent, type IpcEvent, type KernelEvent, type ThreadInfo } from '../../runtime/kernel/index.js';
import { REGISTER_NAMES, disassemble as disassembleWord } from '../../runtime/machine/index.js';
import { describeWait, type RunOutcome, type SourceLocation, type SystemRun } from '../session/index.js';
import type { StateInfo } from '../codegen/index.js';
import {
    resolveLine, type Breakpoint, type InstructionBreakpointRequest, type BreakpointStatus, type FunctionBreakpoint, type FunctionBreakpointRequest, type SourceBreakpoint,
    type SourceBreakpointRequest
} from './breakpoints.js';
import { CodeMap } from './code-map.js';
import { ExpressionError, compile, evaluate, evaluateTyped, hitConditionHolds, interpolate, type NameLookup } from './expressions.js';
import { displayName, statementAt, unwind, type Frame } from './stack.js';
import { enumMembers, findPath, frameVariables, stateVariables } from './frame-variables.js';
import { viewMessage } from './message-view.js';
import { ValueError, type ValueAccess, type VariableValue } from './values.js';

export type { VariableValue } from './values.js';
import { History, type HistorySettings, type Moment } from './history.js';
import { Replayer, type AddressSet } from './replay.js';
import { componentOf } from './thread-names.js';

export type StopCause = 'entry' | 'breakpoint' | 'function breakpoint' | 'step' | 'pause' | 'exception';

export type DebugStop =
    | { readonly kind: 'stopped'; readonly cause: StopCause; readonly thread: string; readonly breakpoints: readonly number[]; readonly text?: string }
    | { readonly kind: 'ended'; readonly outcome: RunOutcome };

/**
 * What stops the run as an exception: every fault (also those a supervisor handles), unhandled faults only,
 * or a supervisor restarting a component (its thread, after a fault the supervisor took, back at its entry).
 */
export type ExceptionFilter = 'fault' | 'unhandled' | 'restarts';

export interface DebuggerSettings {
    /** Stop the run at this many emulated cycles since boot. */
    readonly maxCycles?: number;
    /** Emulated cycles run between turns of the host's event loop (default 2 million). */
    readonly sliceCycles?: number;
    /** Logpoint lines and breakpoint-condition errors. */
    readonly log?: (text: string) => void;
    /** Gives the host a turn between slices (default: a zero timeout). */
    readonly yieldToHost?: () => Promise<void>;
    /** Called after every slice (the host flushes console output). */
    readonly onSlice?: () => void;
    /**
     * Reverse execution: snapshot cadence, memory budget and what goes back with the system besides the
     * kernel and this model (the host's console log); false turns history off.
     */
    readonly history?: HistorySettings | false;
}

export interface Scope {
    readonly name: string;
    readonly variables: readonly VariableValue[];
    /** How a client may present it (the DAP's scope hints). */
    readonly presentation?: 'arguments' | 'locals' | 'registers';
}

type StepMode = 'over' | 'in' | 'out';

/** One instruction of a disassembly; only `address` where there is no code. */
export interface DisassembledInstruction {
    readonly address: number;
    readonly word?: number;
    /** objdump's form, `addi\tsp,sp,-32`. */
    readonly text?: string;
    /** The routine starting here. */
    readonly symbol?: string;
    /** The statement the instruction belongs to. */
    readonly location?: SourceLocation;
    /** Whether a statement starts here. */
    readonly statementStart?: boolean;
}

/** What the run is heading for besides user breakpoints. */
type Goal =
    | { readonly kind: 'none' }
    /** Statement step of `thread` from the frame whose entry sp is `cfa`, begun at cycle `since`. */
    | {
        readonly kind: 'step'; readonly mode: StepMode; readonly thread: string; readonly cfa: number; readonly routine: number; readonly line: number; readonly pc: number;
        readonly returnAddress?: number; readonly inHandler: boolean; readonly since: number
    }
    /** Stop when `thread` reaches any statement of its component (a handler receiving a message). */
    | { readonly kind: 'arrive'; readonly thread: string }
    /** Stop when `thread` returns to `address` with sp `sp` (a client after its call's reply). */
    | { readonly kind: 'return'; readonly thread: string; readonly address: number; readonly sp: number };

const RA = 1;
const SP = 2;
const DEFAULT_SLICE = 2_000_000;
const HOST_TURN_MS = 20;

export class SystemDebugger {
    readonly control: KernelControl;
    private readonly code = new Map<string, CodeMap>();
    /** Each component's state variables, and the enum members its expressions may name. */
    private readonly state = new Map<string, readonly StateInfo[]>();
    private readonly enums = new Map<string, ReadonlyMap<string, bigint>>();
    /** Faults a handler (a supervisor) took, per thread: each is a restart (docs/LANGUAGE.md, `supervise`). */
    private readonly handledFaults = new Map<string, number>();
    /** Threads a supervisor is restarting, watched at their entries under the restarts filter. */
    private readonly restarting = new Map<string, string>();
    private readonly sourceBreakpoints = new Map<string, SourceBreakpoint[]>();
    private functionBreakpoints: FunctionBreakpoint[] = [];
    /** Breakpoints at instructions (the disassembly view's), one address of one component each. */
    private instructionBreakpoints: SourceBreakpoint[] = [];
    private exceptionFilters = new Set<ExceptionFilter>();
    private nextBreakpointId = 1;
    private goal: Goal = { kind: 'none' };
    /** Threads a function breakpoint's message was delivered to, waiting to reach their handler. */
    private readonly arrivals = new Map<string, FunctionBreakpoint>();
    /** The stops made at function breakpoints, by cycle: a backward search finds them again there. */
    private readonly functionStops = new Map<number, { readonly thread: string; readonly breakpoint: FunctionBreakpoint }>();
    /** The function breakpoint whose message replay just saw reach its handler (`passed`), and where. */
    private replayedArrival: { readonly cycle: number; readonly thread: string; readonly breakpoint: FunctionBreakpoint } | undefined;
    /** A stop decided inside an event listener (a fault), reported when the kernel returns. */
    private pendingStop: DebugStop | undefined;
    private pauseWanted = false;
    private ended: RunOutcome | undefined;
    /** Address breakpoints installed in the kernel, per component. */
    private readonly installed = new Map<string, Set<number>>();
    /** The last message delivered to each thread (a call or send it received, or a reply). */
    private readonly lastDelivered = new Map<string, IpcEvent>();
    /** The last call each thread made (so that a reply to it can be typed). */
    private readonly lastCall = new Map<string, IpcEvent>();
    /** `Interface.method` of each endpoint's method labels. */
    private readonly methodNames = new Map<string, Map<number, string>>();
    private readonly unsubscribe: () => void;
    /** The run's past (snapshots), when reverse execution is on. */
    readonly history: History | undefined;
    private readonly replayer: Replayer | undefined;
    /** Set while a replay re-executes the past: kernel events are old news (replay.ts). */
    private replaying = false;
    /** The addresses hits are counted at (user breakpoints, handlers messages are on their way to); made again when undefined. */
    private counted: AddressSet | undefined;

    constructor(readonly run: SystemRun, private readonly settings: DebuggerSettings = {}) {
        this.control = new KernelControl(run.kernel);
        const byFile = new Map(run.system.images.map(image => [image.file, image]));
        const messageTypes = Object.values(run.system.trace.endpoints).flatMap(entry => entry.interface.methods)
            .flatMap(method => [method.request, ...(method.reply ? [method.reply] : [])]).flatMap(layout => layout.scalars.map(scalar => scalar.type));
        for (const component of run.system.manifest.components) {
            const image = byFile.get(component.image);
            if (!image) continue;
            this.code.set(component.name, new CodeMap(image));
            this.state.set(component.name, image.state);
            this.enums.set(component.name, enumMembers(image.functions, image.state, messageTypes));
        }
        for (const [endpoint, entry] of Object.entries(run.system.trace.endpoints)) {
            const short = entry.interface.name.slice(entry.interface.name.lastIndexOf('.') + 1);
            this.methodNames.set(endpoint, new Map(entry.interface.methods.map(method => [method.ordinal, `${short}.${method.name}`])));
        }
        this.unsubscribe = run.subscribe(event => this.observe(event), ['ipc', 'fault']);
        if (settings.history !== false) {
            const participants = [() => run.mark(), () => this.markMessages(), () => this.markHits(), ...(settings.history?.participants ?? [])];
            this.history = new History(run.kernel, { ...settings.history, participants });
            this.replayer = new Replayer(this.history, {
                kernel: run.kernel,
                install: wanted => this.applyBreakpoints(wanted),
                setReplaying: on => { this.replaying = on; },
                counted: () => this.countedAddresses(),
                passed: (thread, pc) => {
                    const arrival = this.countHits(thread, pc).arrival;
                    this.replayedArrival = arrival && { cycle: run.kernel.cycle, thread, breakpoint: arrival };
                    return arrival !== undefined;
                }
            });
        }
    }

    dispose(): void {
        this.unsubscribe();
    }

    // ------------------------------------------------------------ breakpoints

    /** Replaces the breakpoints of one source file (named by path); says where each went. */
    setSourceBreakpoints(path: string, requests: readonly SourceBreakpointRequest[]): BreakpointStatus[] {
        const statuses: BreakpointStatus[] = [];
        const breakpoints: SourceBreakpoint[] = [];
        for (const request of requests) {
            const id = this.nextBreakpointId++;
            const problem = checkExpressions(request.condition, request.hitCondition);
            const resolved = resolveLine(this.code, path, request.line);
            if (problem || !resolved) {
                statuses.push({ id, verified: false, line: request.line, message: problem ?? `no code on line ${request.line} or after it in a function` });
                continue;
            }
            breakpoints.push({ id, condition: request.condition, hitCondition: request.hitCondition, logMessage: request.logMessage, hits: 0, addresses: resolved.addresses });
            statuses.push({ id, verified: true, line: resolved.line });
        }
        this.sourceBreakpoints.set(path, breakpoints);
        this.counted = undefined;
        this.installBreakpoints();
        return statuses;
    }

    /** Replaces the function breakpoints; a name that is no method of an endpoint of the system is unverified. */
    setFunctionBreakpoints(requests: readonly FunctionBreakpointRequest[]): BreakpointStatus[] {
        const known = new Set([...this.methodNames.values()].flatMap(methods => [...methods.values()]));
        this.functionBreakpoints = [];
        return requests.map(request => {
            const id = this.nextBreakpointId++;
            const problem = checkExpressions(request.condition, request.hitCondition);
            if (problem) return { id, verified: false, message: problem };
            if (!known.has(request.name)) {
                return { id, verified: false, message: `no endpoint of this system serves '${request.name}' (known: ${[...known].sort().join(', ')})` };
            }
            this.functionBreakpoints.push({ id, name: request.name, condition: request.condition, hitCondition: request.hitCondition, hits: 0 });
            return { id, verified: true };
        });
    }

    /** Replaces the instruction breakpoints; an address that is not code of the component is unverified. */
    setInstructionBreakpoints(requests: readonly InstructionBreakpointRequest[]): BreakpointStatus[] {
        this.instructionBreakpoints = [];
        this.counted = undefined;
        return requests.map(request => {
            const id = this.nextBreakpointId++;
            const problem = checkExpressions(request.condition, request.hitCondition);
            if (problem) return { id, verified: false, message: problem };
            if (this.code.get(request.component)?.word(request.address) === undefined) {
                return { id, verified: false, message: `0x${(request.address >>> 0).toString(16)} is not code of ${request.component}` };
            }
            this.instructionBreakpoints.push({ id, condition: request.condition, hitCondition: request.hitCondition, hits: 0, addresses: new Map([[request.component, [request.address >>> 0]]]) });
            return { id, verified: true };
        });
    }

    setExceptionFilters(filters: readonly ExceptionFilter[]): void {
        this.exceptionFilters = new Set(filters);
        if (!this.exceptionFilters.has('restarts')) this.restarting.clear();
    }

    // ------------------------------------------------------------ running

    /** Runs until a breakpoint, a fault the filters catch, a pause, or the end of the run. */
    continue(): Promise<DebugStop> {
        this.goal = { kind: 'none' };
        return this.runToStop();
    }

    /** One statement of `thread`: over calls, into them (also through an endpoint), or out of the function. */
    step(thread: string, mode: StepMode): Promise<DebugStop> {
        const frames = this.stack(thread);
        const top = frames[0];
        const code = this.codeOf(thread);
        if (!top?.routine?.function || !code) {
            // Outside compiled code (a stub, the dispatcher): go on to the next statement this thread reaches.
            this.goal = { kind: 'arrive', thread };
            return this.runToStop();
        }
        const cfa = this.frameBase(thread) ?? 0;
        const caller = frames[1];
        this.goal = {
            kind: 'step', mode, thread, cfa, routine: top.routine.start, line: top.location?.line ?? 0, pc: top.pc,
            returnAddress: caller?.routine?.function ? caller.pc : undefined, inHandler: caller === undefined, since: this.run.kernel.cycle
        };
        return this.runToStop();
    }

    /**
     * One instruction of `thread` (a system call counts as one). A thread that cannot run (it waits for a
     * message or a reply) goes on to the next statement it reaches instead.
     */
    async stepInstruction(thread: string): Promise<DebugStop> {
        if (this.ended) return { kind: 'ended', outcome: this.ended };
        const info = this.threads().find(candidate => candidate.name === thread);
        if (info?.state !== 'runnable') {
            this.goal = { kind: 'arrive', thread };
            return this.runToStop();
        }
        this.control.step(thread);
        this.settings.onSlice?.();
        return this.noteStop({ kind: 'stopped', cause: 'step', thread, breakpoints: [] });
    }

    /** Instructions around an address of a component's code, with the statement each starts, if any. */
    disassemble(component: string, address: number, instructionOffset: number, count: number): DisassembledInstruction[] {
        const code = this.code.get(component);
        const instructions: DisassembledInstruction[] = [];
        for (let i = 0; i < count; i++) {
            const at = (address + 4 * (instructionOffset + i)) >>> 0;
            const word = code?.word(at);
            if (word === undefined || !code) {
                instructions.push({ address: at });
                continue;
            }
            const routine = code.routineAt(at);
            const statement = code.lines.find(entry => entry.address === at)?.position;
            instructions.push({
                address: at, word, text: disassembleWord(word, at), symbol: routine?.start === at ? routine.name : undefined,
                location: routine ? statementAt(code, routine, at) : undefined, statementStart: statement !== undefined
            });
        }
        return instructions;
    }

    /** Asks a running `continue` or `step` to stop (it answers with a `pause` stop). */
    pause(): void {
        this.pauseWanted = true;
        this.run.kernel.pause();
    }

    /** The stop for `stopOnEntry`: before the first instruction, on the thread that runs first. */
    entryStop(): DebugStop {
        const first = this.threads().find(thread => thread.state === 'running' || thread.state === 'runnable') ?? this.threads()[0];
        return this.noteStop({ kind: 'stopped', cause: 'entry', thread: first?.name ?? '', breakpoints: [] });
    }

    // ------------------------------------------------------------ going back

    /**
     * Back to the statement `thread` stood at before this one, in this function or one that called it (the
     * reverse of a step over); at the first statement since boot it stays where it is.
     */
    async stepBack(thread: string): Promise<DebugStop> {
        const code = this.codeOf(thread);
        const replayer = this.replayer;
        if (!replayer || !code || this.ended) return { kind: 'stopped', cause: 'step', thread, breakpoints: [] };
        const now = this.run.kernel.cycle;
        const here = this.frameBase(thread);
        const statements: AddressSet = new Map([[componentOf(thread), new Set(code.lines.map(entry => entry.address))]]);
        const target = replayer.findLast(now, statements, (candidate, pc) => candidate === thread && this.isStatementStart(thread, pc)
            && (here === undefined || (this.frameBase(thread) ?? -1) >= here), this.history?.searchWindow);
        if (!target) {
            this.returnTo(now);
            return { kind: 'stopped', cause: 'step', thread, breakpoints: [] };
        }
        return this.arriveAt(target, 'step', () => []);
    }

    /**
     * Back to the last moment before now at which a breakpoint would have stopped the run: a source or
     * instruction breakpoint (its condition holding; logpoints never stop), or a function breakpoint's
     * message reaching its handler; with none since boot, back to the start.
     */
    async reverseContinue(): Promise<DebugStop> {
        const replayer = this.replayer;
        const history = this.history;
        if (!replayer || !history || this.ended) return { kind: 'stopped', cause: 'pause', thread: this.currentThread(), breakpoints: [] };
        const wanted = new Map<string, Set<number>>();
        for (const breakpoint of this.addressBreakpoints()) {
            for (const [component, addresses] of breakpoint.addresses) {
                const set = wanted.get(component) ?? new Set<number>();
                for (const address of addresses) set.add(address);
                wanted.set(component, set);
            }
        }
        const hits = (thread: string, pc: number) => this.addressBreakpoints()
            .filter(breakpoint => breakpoint.addresses.get(componentOf(thread))?.includes(pc) && this.wouldStop(breakpoint, thread))
            .map(breakpoint => breakpoint.id);
        // What stopped the run at each candidate moment (by cycle), so that the one found is reported as it was.
        const stops = new Map<number, DebugStop>();
        const accept = (thread: string, pc: number): boolean => {
            const cycle = this.run.kernel.cycle;
            const ids = hits(thread, pc);
            const arrival = this.functionStopAt(cycle, thread);
            const stop: DebugStop | undefined = ids.length > 0 ? { kind: 'stopped', cause: 'breakpoint', thread, breakpoints: ids }
                : arrival ? { kind: 'stopped', cause: 'function breakpoint', thread, breakpoints: [arrival.id], text: `${arrival.name} received` }
                : undefined;
            if (stop) stops.set(cycle, stop);
            return stop !== undefined;
        };
        const target = replayer.findLast(this.run.kernel.cycle, wanted, accept);
        if (!target) {
            history.restore(history.atOrBefore(0));
            this.forgetPlans();
            return this.entryStop();
        }
        const stop = stops.get(target.cycle);
        this.replayer?.goTo(target);
        this.forgetPlans();
        return this.noteStop(stop ?? { kind: 'stopped', cause: 'breakpoint', thread: target.thread, breakpoints: hits(target.thread, target.pc) });
    }

    /**
     * The function breakpoint that stops `thread` at this cycle: one whose message replay just saw reach its
     * handler, or one the run stopped at before (a snapshot there is past its arrival); still set.
     */
    private functionStopAt(cycle: number, thread: string): FunctionBreakpoint | undefined {
        const seen = this.replayedArrival?.cycle === cycle && this.replayedArrival.thread === thread ? this.replayedArrival : this.functionStops.get(cycle);
        if (!seen || seen.thread !== thread || !this.functionBreakpoints.includes(seen.breakpoint)) return undefined;
        return seen.breakpoint;
    }

    /** Brings the system to a moment a backward search found and stops there. */
    private arriveAt(moment: Moment, cause: StopCause, breakpoints: () => number[]): DebugStop {
        this.replayer?.goTo(moment);
        this.forgetPlans();
        return this.noteStop({ kind: 'stopped', cause, thread: moment.thread, breakpoints: breakpoints() });
    }

    /** Back to the stop at `cycle` after a search found nothing (every stop has a snapshot). */
    private returnTo(cycle: number): void {
        const entry = this.history?.atOrBefore(cycle);
        if (!entry?.stop || entry.snapshot.cycle !== cycle) throw new Error(`no snapshot of the stop at cycle ${cycle}`);
        this.replayer?.goTo(entry.stop);
        this.forgetPlans();
    }

    /**
     * After going back: no step is under way, and the kernel holds the user's breakpoints again. Messages on
     * their way to a function breakpoint's handler are those of that moment (`markHits` put them back).
     */
    private forgetPlans(): void {
        this.goal = { kind: 'none' };
        this.pendingStop = undefined;
        this.installBreakpoints();
    }

    /**
     * Whether a breakpoint hit already counted (replay counts as it goes) stops: its hit condition and
     * condition; a logpoint never does. Logs nothing.
     */
    private wouldStop(breakpoint: Breakpoint, thread: string): boolean {
        if (breakpoint.logMessage !== undefined) return false;
        if (breakpoint.hitCondition !== undefined && !hitConditionHolds(breakpoint.hitCondition, breakpoint.hits)) return false;
        if (breakpoint.condition === undefined) return true;
        try {
            return evaluate(breakpoint.condition, this.lookupIn(thread, 0)) !== 0n;
        } catch (error) {
            if (!(error instanceof ExpressionError)) throw error;
            return true;
        }
    }

    /** A stop is a moment the user may come back to: the history keeps a snapshot of each. */
    private noteStop(stop: DebugStop): DebugStop {
        if (stop.kind === 'stopped' && this.history && stop.thread !== '') {
            this.history.record({ cycle: this.run.kernel.cycle, thread: stop.thread, pc: this.control.readRegisters(stop.thread).pc >>> 0 });
            const breakpoint = stop.cause === 'function breakpoint' ? this.functionBreakpoints.find(candidate => candidate.id === stop.breakpoints[0]) : undefined;
            if (breakpoint) this.functionStops.set(this.run.kernel.cycle, { thread: stop.thread, breakpoint });
        }
        return stop;
    }

    /**
     * For the history: the last message each thread received and call it made, and the faults supervisors
     * took, and how to put them back.
     */
    private markMessages(): () => void {
        const delivered = [...this.lastDelivered];
        const calls = [...this.lastCall];
        const handled = [...this.handledFaults];
        return () => {
            this.handledFaults.clear();
            for (const [thread, count] of handled) this.handledFaults.set(thread, count);
            this.lastDelivered.clear();
            for (const [thread, event] of delivered) this.lastDelivered.set(thread, event);
            this.lastCall.clear();
            for (const [thread, event] of calls) this.lastCall.set(thread, event);
        };
    }

    /**
     * For the history: every breakpoint's hit count and the messages on their way to a function
     * breakpoint's handler, and how to put them back (a breakpoint set since counts from 0), so that a
     * hit condition behaves after going back as it did the first time.
     */
    private markHits(): () => void {
        const hits = new Map<Breakpoint, number>(this.allBreakpoints().map(breakpoint => [breakpoint, breakpoint.hits]));
        const arrivals = [...this.arrivals];
        return () => {
            for (const breakpoint of this.allBreakpoints()) breakpoint.hits = hits.get(breakpoint) ?? 0;
            this.arrivals.clear();
            for (const [thread, breakpoint] of arrivals) if (this.functionBreakpoints.includes(breakpoint)) this.arrivals.set(thread, breakpoint);
            this.counted = undefined;
        };
    }

    /** Where hits are counted: every address breakpoint, and every statement of a thread a message is on its way to. */
    private countedAddresses(): AddressSet {
        if (this.counted) return this.counted;
        const counted = new Map<string, Set<number>>();
        const want = (component: string, addresses: Iterable<number>) => {
            const set = counted.get(component) ?? new Set<number>();
            for (const address of addresses) set.add(address);
            counted.set(component, set);
        };
        for (const breakpoint of this.addressBreakpoints()) for (const [component, addresses] of breakpoint.addresses) want(component, addresses);
        for (const thread of this.arrivals.keys()) want(componentOf(thread), this.codeOf(thread)?.lines.map(entry => entry.address) ?? []);
        return this.counted = counted;
    }

    /**
     * Counts the hits of a thread standing at an address, as a stop there does: the address breakpoints
     * (each decides whether it stops), and when none stops, a function breakpoint's message reaching its
     * handler. Says which of them stop the run.
     */
    private countHits(thread: string, pc: number): { readonly breakpoints: readonly number[]; readonly arrival?: FunctionBreakpoint } {
        const component = componentOf(thread);
        const breakpoints: number[] = [];
        for (const breakpoint of this.addressBreakpoints()) {
            if (!breakpoint.addresses.get(component)?.includes(pc)) continue;
            if (this.shouldStop(breakpoint, thread)) breakpoints.push(breakpoint.id);
        }
        if (breakpoints.length > 0) return { breakpoints };
        const arrival = this.arrivals.get(thread);
        if (!arrival || !this.isStatementStart(thread, pc)) return { breakpoints };
        this.arrivals.delete(thread);
        this.counted = undefined;
        return { breakpoints, arrival: this.shouldStop(arrival, thread) ? arrival : undefined };
    }

    /** The entry sp of the function `thread` is in (its frame's base), from its registers now. */
    private frameBase(thread: string): number | undefined {
        const code = this.codeOf(thread);
        const { pc, x } = this.control.readRegisters(thread);
        const routine = code?.routineAt(pc);
        if (!code || !routine?.function) return undefined;
        const layout = code.frameLayout(routine);
        return (x[SP] + (pc >= layout.bodyStart ? layout.size : 0)) >>> 0;
    }

    private async runToStop(): Promise<DebugStop> {
        return this.noteStop(await this.runUntilStop());
    }

    private async runUntilStop(): Promise<DebugStop> {
        if (this.ended) return { kind: 'ended', outcome: this.ended };
        this.installBreakpoints();
        const yieldToHost = this.settings.yieldToHost ?? (() => new Promise<void>(resolve => setTimeout(resolve, 0)));
        let lastTurn = Date.now();
        for (;;) {
            if (this.pauseWanted) {
                this.pauseWanted = false;
                this.goal = { kind: 'none' };
                this.installBreakpoints();
                return { kind: 'stopped', cause: 'pause', thread: this.currentThread(), breakpoints: [] };
            }
            // Slices end where a periodic snapshot is due, so that it is taken between kernel runs.
            const slice = Math.min(this.settings.sliceCycles ?? DEFAULT_SLICE, this.history?.cyclesToNext() ?? Number.MAX_SAFE_INTEGER);
            const outcome = this.run.slice(slice, this.settings.maxCycles);
            this.history?.recordIfDue();
            this.settings.onSlice?.();
            const pending = this.pendingStop;
            if (pending) {
                this.pendingStop = undefined;
                this.goal = { kind: 'none' };
                this.installBreakpoints();
                return pending;
            }
            if (outcome) {
                this.ended = outcome;
                return { kind: 'ended', outcome };
            }
            const result = this.run.lastStop;
            if (result?.reason === 'breakpoint' && result.thread !== undefined && result.pc !== undefined) {
                const stop = this.atBreakpoint(result.thread, result.pc);
                if (stop) {
                    this.installBreakpoints();
                    return stop;
                }
            }
            // A listener paused the kernel to change what is watched (a goal moved to another thread).
            this.installBreakpoints();
            // The host gets a turn after every slice, and at least every few milliseconds while breakpoints
            // that do not stop (conditions, logpoints, other threads' steps) keep returning.
            if (result?.reason === 'cycle-limit' || Date.now() - lastTurn > HOST_TURN_MS) {
                await yieldToHost();
                lastTurn = Date.now();
            }
        }
    }

    /** A thread reached an installed address: a user breakpoint, a step's target, or a handler a message arrived at. */
    private atBreakpoint(thread: string, pc: number): DebugStop | undefined {
        const restarted = this.restarting.get(thread);
        if (restarted !== undefined && this.codeOf(thread)?.entries.includes(pc)) {
            this.restarting.delete(thread);
            this.goal = { kind: 'none' };
            return { kind: 'stopped', cause: 'exception', thread, breakpoints: [], text: restarted };
        }
        const hits = this.countHits(thread, pc);
        if (hits.breakpoints.length > 0) {
            this.goal = { kind: 'none' };
            return { kind: 'stopped', cause: 'breakpoint', thread, breakpoints: hits.breakpoints };
        }
        if (hits.arrival) {
            this.goal = { kind: 'none' };
            return { kind: 'stopped', cause: 'function breakpoint', thread, breakpoints: [hits.arrival.id], text: `${hits.arrival.name} received` };
        }
        if (this.goalReached(thread, pc)) {
            this.goal = { kind: 'none' };
            return { kind: 'stopped', cause: 'step', thread, breakpoints: [] };
        }
        return undefined;
    }

    private goalReached(thread: string, pc: number): boolean {
        const goal = this.goal;
        if (goal.kind === 'none' || goal.thread !== thread) return false;
        const regs = this.control.readRegisters(thread).x;
        if (goal.kind === 'return') return pc === goal.address && regs[SP] >>> 0 === goal.sp;
        if (goal.kind === 'arrive') return this.isStatementStart(thread, pc);
        if (pc === goal.returnAddress) return regs[SP] >>> 0 === goal.cfa;
        if (!this.isStatementStart(thread, pc)) return false;
        const code = this.codeOf(thread);
        const routine = code?.routineAt(pc);
        if (!code || !routine?.function) return false;
        const cfa = (regs[SP] + code.frameLayout(routine).size) >>> 0;
        // The stack grows down: a larger entry sp is an outer frame (the step returned), a smaller one deeper.
        if (cfa > goal.cfa) return true;
        if (cfa < goal.cfa) return goal.mode === 'in';
        if (goal.mode === 'out') return routine.start !== goal.routine;
        if (routine.start !== goal.routine) return true;
        const line = code.lines.find(entry => entry.address === pc)?.position.line;
        return line !== goal.line || pc <= goal.pc;
    }

    private isStatementStart(thread: string, pc: number): boolean {
        return this.codeOf(thread)?.lines.some(entry => entry.address === pc) ?? false;
    }

    /**
     * Counts a hit and decides: the hit condition, then the condition; a logpoint logs and never stops.
     * Replay counts without logging (the log was written the first time).
     */
    private shouldStop(breakpoint: Breakpoint, thread: string): boolean {
        breakpoint.hits++;
        if (breakpoint.hitCondition !== undefined && !hitConditionHolds(breakpoint.hitCondition, breakpoint.hits)) return false;
        const lookup = this.lookupIn(thread, 0);
        if (breakpoint.condition !== undefined) {
            try {
                if (evaluate(breakpoint.condition, lookup) === 0n) return false;
            } catch (error) {
                if (!(error instanceof ExpressionError)) throw error;
                if (!this.replaying) this.settings.log?.(`breakpoint condition '${breakpoint.condition}': ${error.message}\n`);
                return true;
            }
        }
        if (breakpoint.logMessage !== undefined) {
            if (!this.replaying) this.settings.log?.(interpolate(breakpoint.logMessage, lookup) + '\n');
            return false;
        }
        return true;
    }

    /** Kernel events: function breakpoints and steps follow messages; faults stop as exceptions. */
    private observe(event: KernelEvent): void {
        if (event.kind === 'fault') {
            this.onFault(event);
            return;
        }

        if (event.kind !== 'ipc' || event.operation === 'fault') return;
        this.lastDelivered.set(event.to, event);
        if (event.operation === 'reply' && this.replaying) return;
        if (event.operation === 'reply') {
            const goal = this.goal;
            // Out of (or over the end of) a handler: the client resumes where its call returns.
            if (goal.kind === 'step' && goal.thread === event.from && goal.inHandler) this.returnToClient(event.to);
            return;
        }
        if (event.operation === 'call') this.lastCall.set(event.from, event);
        const name = this.methodNames.get(event.endpoint)?.get(event.label);
        const breakpoint = name === undefined ? undefined : this.functionBreakpoints.find(candidate => candidate.name === name);
        if (breakpoint) {
            this.arrivals.set(event.to, breakpoint);
            this.counted = undefined;
            this.run.kernel.pause();
        }
        // Replay only counts: a step's plans were made the first time.
        if (this.replaying) return;
        const goal = this.goal;
        // A message the thread sent before this step (queued by RC 4000 or Mach, taken only now) is not the step's call.
        if (goal.kind === 'step' && goal.mode === 'in' && goal.thread === event.from && (event.sentAt ?? goal.since) >= goal.since) {
            this.goal = { kind: 'arrive', thread: event.to };
            this.run.kernel.pause();
        }
    }

    private returnToClient(client: string): void {
        const regs = this.control.readRegisters(client).x;
        // The client waits in its stub, a leaf routine: the call returns to where ra points, sp as it is.
        this.goal = { kind: 'return', thread: client, address: regs[RA] >>> 0, sp: regs[SP] >>> 0 };
        this.run.kernel.pause();
    }

    private onFault(event: FaultEvent): void {
        const unhandled = event.handler === undefined;
        // Replay counts restarts as the run did (a snapshot taken during replay keeps them), and plans nothing.
        if (this.replaying) {
            if (!unhandled) this.handledFaults.set(event.thread, (this.handledFaults.get(event.thread) ?? 0) + 1);
            return;
        }
        if (!unhandled) {
            const count = (this.handledFaults.get(event.thread) ?? 0) + 1;
            this.handledFaults.set(event.thread, count);
            // The supervisor restarts the thread at its entry (kernel TCB invocations, no event of their own).
            if (this.exceptionFilters.has('restarts')) {
                this.restarting.set(event.thread, `${event.thread} restarted after ${event.panic ?? event.fault} (restart ${count}, by ${event.handler})`);
                // The run returns to install the watch before the supervisor gets to run.
                this.run.kernel.pause();
            }
        }
        if (!this.exceptionFilters.has('fault') && !(unhandled && this.exceptionFilters.has('unhandled'))) return;
        // A fault in a runtime routine (a panic) is placed at the statement that called it.
        const where = this.frames(event.thread).find(frame => frame.location)?.location;
        const text = `${event.fault} in ${event.thread}${where ? ` at ${where.file}:${where.line}` : ''}${unhandled ? ' (unhandled)' : ` (handled by ${event.handler})`}`;
        this.pendingStop ??= { kind: 'stopped', cause: 'exception', thread: event.thread, breakpoints: [], text };
        this.run.kernel.pause();
    }

    private allBreakpoints(): Breakpoint[] {
        return [...this.addressBreakpoints(), ...this.functionBreakpoints];
    }

    private addressBreakpoints(): SourceBreakpoint[] {
        return [...[...this.sourceBreakpoints.values()].flat(), ...this.instructionBreakpoints];
    }

    /** Puts into the kernel exactly the addresses user breakpoints, the goal and pending arrivals need. */
    private installBreakpoints(): void {
        const wanted = new Map<string, Set<number>>();
        const want = (component: string, addresses: Iterable<number>) => {
            let set = wanted.get(component);
            if (!set) wanted.set(component, set = new Set());
            for (const address of addresses) set.add(address);
        };
        for (const breakpoint of this.addressBreakpoints()) {
            for (const [component, addresses] of breakpoint.addresses) want(component, addresses);
        }
        const allLines = (thread: string) => want(componentOf(thread), this.codeOf(thread)?.lines.map(entry => entry.address) ?? []);
        for (const thread of this.arrivals.keys()) allLines(thread);
        for (const thread of this.restarting.keys()) want(componentOf(thread), this.codeOf(thread)?.entries ?? []);
        const goal = this.goal;
        if (goal.kind === 'arrive') allLines(goal.thread);
        if (goal.kind === 'return') want(componentOf(goal.thread), [goal.address]);
        if (goal.kind === 'step') {
            const code = this.codeOf(goal.thread);
            const routine = code?.routineAt(goal.routine);
            // Into: any statement may come next. Over and out: this function's statements (a handler's
            // next message lands in a handler, so a handler steps watch all of them) and the return address.
            if (goal.mode === 'in' || goal.inHandler) allLines(goal.thread);
            else if (goal.mode === 'over' && code && routine) want(componentOf(goal.thread), code.linesIn(routine).map(entry => entry.address));
            if (goal.returnAddress !== undefined) want(componentOf(goal.thread), [goal.returnAddress]);
        }
        this.applyBreakpoints(wanted);
    }

    /** Makes the kernel's breakpoints exactly `wanted` (by component), changing only what differs. */
    private applyBreakpoints(wanted: AddressSet): void {
        for (const component of new Set([...wanted.keys(), ...this.installed.keys()])) {
            const thread = this.firstThreadOf(component);
            if (!thread) continue;
            const now = this.installed.get(component) ?? new Set<number>();
            const next = wanted.get(component) ?? new Set<number>();
            for (const address of now) if (!next.has(address)) this.control.clearBreakpoint(thread, address);
            for (const address of next) if (!now.has(address)) this.control.setBreakpoint(thread, address);
            if (next.size > 0) this.installed.set(component, new Set(next));
            else this.installed.delete(component);
        }
    }

    // ------------------------------------------------------------ inspecting

    threads(): ThreadInfo[] {
        return this.control.threads();
    }

    /**
     * How a thread reads in a thread list: `calc (runnable)`, or for a blocked thread what it waits for,
     * worded as `ukc run` words a deadlock (`client waits for the reply from calc`).
     */
    threadLabels(): Map<number, string> {
        const edges = new Map(this.control.waitFor().edges.map(edge => [edge.thread, edge]));
        return new Map(this.threads().map(thread => {
            const edge = edges.get(thread.name);
            return [thread.id, edge ? describeWait(edge) : `${thread.name} (${thread.state})`];
        }));
    }

    /** A thread's frames, innermost first. */
    stack(thread: string): Frame[] {
        return this.frames(thread);
    }

    private frames(thread: string): Frame[] {
        const code = this.codeOf(thread);
        if (!code) return [];
        const registers = this.control.readRegisters(thread);
        return unwind(code, registers.pc, registers.x, address => this.readWord(thread, address));
    }

    /**
     * Arguments, Locals, the component's state, the message the thread is working on (decoded and typed by
     * its layout), Registers and the message's registers.
     */
    scopes(thread: string, frameIndex: number): Scope[] {
        const frame = this.frames(thread)[frameIndex];
        if (!frame) return [];
        const variables = this.variablesOf(thread, frame, frameIndex);
        const scopes: Scope[] = [
            { name: 'Arguments', variables: variables.arguments, presentation: 'arguments' },
            { name: 'Locals', variables: variables.locals, presentation: 'locals' }
        ];
        if (variables.state.length > 0) scopes.push({ name: this.isServer(componentOf(thread)) ? 'Server state' : 'Program state', variables: variables.state });
        const message = this.message(thread, frame);
        if (message) scopes.push({ name: 'Message', variables: message.values });
        scopes.push({
            name: 'Registers', presentation: 'registers', variables: [
                { name: 'pc', value: hex(frame.pc) },
                ...frame.regs.map((value, i) => ({ name: `x${i} (${REGISTER_NAMES[i]})`, value: hex(value) }))
            ]
        });
        if (message) scopes.push({ name: 'Message registers', variables: message.registers });
        return scopes;
    }

    /**
     * The value of an expression in a frame's scope: a variable or a path into one (`key.hi`, `keys[2]`)
     * as the variables view shows it, typed and expandable; any other expression as an integer.
     */
    evaluate(thread: string, frameIndex: number, expression: string): VariableValue {
        const frame = this.frames(thread)[frameIndex];
        const variables = frame ? this.variablesOf(thread, frame, frameIndex) : undefined;
        const found = variables ? findPath([variables.locals, variables.arguments, variables.state], expression.trim()) : undefined;
        if (found) return { ...found, name: expression };
        const result = evaluateTyped(expression, this.lookupIn(thread, frameIndex));
        return { name: expression, value: result.value, type: result.type };
    }

    /** Where a thread is: its top frame's statement. */
    location(thread: string): SourceLocation | undefined {
        return this.frames(thread)[0]?.location;
    }

    /** A frame's name as a stack trace shows it. */
    static frameName(frame: Frame): string {
        return displayName(frame.routine);
    }

    private variablesOf(thread: string, frame: Frame, frameIndex: number): { arguments: readonly VariableValue[]; locals: readonly VariableValue[]; state: readonly VariableValue[] } {
        const access = this.accessIn(thread, frame, frameIndex);
        // An outer frame is inside the call that precedes its return address.
        const at = frameIndex === 0 ? frame.pc : frame.pc - 4;
        const inFrame = frameVariables(frame.routine?.function, at, frame.regs[SP] >>> 0, access);
        return { ...inFrame, state: stateVariables(this.state.get(componentOf(thread)) ?? [], access) };
    }

    /** A value set by hand: the snapshots after now recorded a future the run no longer has. */
    private changedByHand(): void {
        this.history?.forgetAfter(this.run.kernel.cycle);
        for (const cycle of this.functionStops.keys()) if (cycle > this.run.kernel.cycle) this.functionStops.delete(cycle);
    }

    /** Reading and writing a frame's values: memory of the thread's address space, the frame's registers. */
    private accessIn(thread: string, frame: Frame, frameIndex: number): ValueAccess {
        return {
            read: (address, length) => this.control.readMemory(thread, address, length),
            write: (address, bytes) => {
                const written = this.control.writeMemory(thread, address, bytes);
                if (written) this.changedByHand();
                return written;
            },
            // The innermost frame's registers are the thread's, read again after a write.
            register: index => (frameIndex === 0 ? this.control.readRegisters(thread).x[index] : frame.regs[index]),
            writeRegister: (index, value) => {
                if (frameIndex !== 0) throw new ValueError(`a variable in a register can be set in the innermost frame only (it is in ${REGISTER_NAMES[index]})`);
                this.control.writeRegister(thread, index, value);
                this.changedByHand();
            }
        };
    }

    /** Names in expressions: variables and paths into them (innermost scope first), then enum members. */
    private lookupIn(thread: string, frameIndex: number): NameLookup {
        const frame = this.frames(thread)[frameIndex];
        const variables = frame ? this.variablesOf(thread, frame, frameIndex) : undefined;
        const enums = this.enums.get(componentOf(thread));
        return name => {
            const found = variables ? findPath([variables.locals, variables.arguments, variables.state], name) : undefined;
            return found ? found.number : enums?.get(name);
        };
    }

    private isServer(component: string): boolean {
        return Object.values(this.run.system.trace.endpoints).some(entry => entry.server === component);
    }

    /** In a handler: the message it received; elsewhere: the last reply the thread received. */
    private message(thread: string, frame: Frame): ReturnType<typeof viewMessage> {
        const delivered = this.lastDelivered.get(thread);
        if (!delivered) return undefined;
        const inHandler = frame.routine?.function?.function.startsWith('handler.') ?? false;
        if (delivered.operation === 'reply' && inHandler) return undefined;
        return viewMessage(this.run.system.trace, delivered, this.lastCall.get(thread));
    }

    private readWord(thread: string, address: number): number | undefined {
        const bytes = this.control.readMemory(thread, address, 4);
        if (bytes.some(byte => byte === undefined)) return undefined;
        const [a, b, c, d] = bytes as number[];
        return (a | (b << 8) | (c << 16) | (d << 24)) >>> 0;
    }

    private codeOf(thread: string): CodeMap | undefined {
        return this.code.get(componentOf(thread));
    }

    private firstThreadOf(component: string): string | undefined {
        return this.run.kernel.threads.find(thread => componentOf(thread.name) === component)?.name;
    }

    private currentThread(): string {
        return this.run.kernel.current?.name ?? this.threads()[0]?.name ?? '';
    }
}

export { componentOf };

function hex(value: number): string {
    return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** A condition or hit condition that cannot be parsed, as a reason for an unverified breakpoint. */
function checkExpressions(condition: string | undefined, hitCondition: string | undefined): string | undefined {
    try {
        if (condition !== undefined) compile(condition);
        if (hitCondition !== undefined) hitConditionHolds(hitCondition, 1);
        return undefined;
    } catch (error) {
        if (error instanceof ExpressionError) return error.message;
        throw error;
    }
}
