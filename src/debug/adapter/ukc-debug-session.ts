/**
 * The Debug Adapter Protocol face of `SystemDebugger`: it translates requests into the session model's
 * calls and its answers into responses and events, and does nothing else. Loading the program (compiling
 * a `.uk` file or reading an image folder) is the host's `ProgramLoader`, so that the same adapter runs
 * standalone (`ukc debug-adapter`) and inline in the VS Code extension.
 */
import { DebugSession, ExitedEvent, InitializedEvent, OutputEvent, StoppedEvent, TerminatedEvent, Thread, type Response } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
    InputError, bootRunnable, personalityBootSettings, readPersonalityRequest, type PersonalityRequest, type PersonalitySettingNames, type RunOutcome, type RunnableSystem, type SystemRun
} from '../../session/index.js';
import { ConsoleLog } from '../console-log.js';
import { ExpressionError } from '../expressions.js';
import { SystemDebugger, componentOf, type DebugStop, type ExceptionFilter } from '../system-debugger.js';
import { ValueError, type VariableValue } from '../values.js';

/** How a debug session is launched (`type: "ukc"` in launch.json). */
export interface UkcLaunchArguments extends DebugProtocol.LaunchRequestArguments {
    /** A `.uk` file or an image folder. */
    readonly program: string;
    /** The system to run, when the file declares several. */
    readonly system?: string;
    readonly stopOnEntry?: boolean;
    /** Stop the run at this many emulated cycles. */
    readonly maxCycles?: number;
    /** The kernel personality to run under, as `ukc run --kernel` (the system's `kernel:` line, or seL4, unless given). */
    readonly kernel?: string;
    /** RC 4000's number of kernel message buffers, as `ukc run --buffers` (only under rc4000). */
    readonly buffers?: number;
}

/** How a launch configuration names the personality's settings in what the adapter refuses. */
const LAUNCH_NAMES: PersonalitySettingNames = { kernel: "'kernel'", buffers: "'buffers'", kernelSetTo: name => `"kernel": "${name}"` };

/** A loaded program: the system, and where its sources are (line tables name files without folders). */
export interface LoadedProgram {
    readonly system: RunnableSystem;
    /** The path a line table's file name stands for. */
    readonly sourcePath: (file: string) => string;
}

/** Loads a program, or says why not (diagnostics, an unreadable input) in text for the debug console. */
export type ProgramLoader = (args: UkcLaunchArguments) => Promise<LoadedProgram | { readonly error: string }>;

/** The exit status `ukc run` gives each outcome (the CLI's `RunExit`, which the host passes in). */
export type ExitCodeOf = (outcome: RunOutcome) => number;

const FRAMES_PER_THREAD = 1000;

export class UkcDebugSession extends DebugSession {
    private debugger: SystemDebugger | undefined;
    private run: SystemRun | undefined;
    private program: LoadedProgram | undefined;
    private configured: () => void = () => {};
    private readonly configurationDone = new Promise<void>(resolve => { this.configured = resolve; });
    /** Variables of the current stop, by reference (references start at 1): scopes and values that expand. */
    private containers: (() => readonly VariableValue[])[] = [];
    /** What the session was launched with, and the breakpoints set since, for a restart. */
    private launched: UkcLaunchArguments | undefined;
    private readonly sourceBreakpoints = new Map<string, DebugProtocol.SetBreakpointsArguments>();
    private functionBreakpoints: DebugProtocol.SetFunctionBreakpointsArguments = { breakpoints: [] };
    private instructionBreakpoints: DebugProtocol.SetInstructionBreakpointsArguments = { breakpoints: [] };
    /** Counts launches: answers of a run that a restart replaced are dropped. */
    private generation = 0;
    private running = false;
    private finished = false;
    private exceptionFilters: ExceptionFilter[] = ['unhandled'];
    private readonly decoder = new TextDecoder();
    /** The run's console so far; it goes back with the system, and shows the user each byte once. */
    private readonly console = new ConsoleLog();

    constructor(private readonly load: ProgramLoader, private readonly exitCodeOf: ExitCodeOf) {
        super();
        this.setDebuggerLinesStartAt1(true);
        this.setDebuggerColumnsStartAt1(true);
    }

    protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
        response.body = {
            supportsConfigurationDoneRequest: true,
            supportsFunctionBreakpoints: true,
            supportsConditionalBreakpoints: true,
            supportsHitConditionalBreakpoints: true,
            supportsLogPoints: true,
            supportsEvaluateForHovers: true,
            supportsTerminateRequest: true,
            supportsDisassembleRequest: true,
            supportsInstructionBreakpoints: true,
            supportsSteppingGranularity: true,
            supportsSetVariable: true,
            supportsRestartRequest: true,
            supportsStepBack: true,
            exceptionBreakpointFilters: [
                { filter: 'fault', label: 'All faults', description: 'Stop at every fault, also those a supervisor handles', default: false },
                { filter: 'unhandled', label: 'Unhandled faults', description: 'Stop at faults nothing handles', default: true },
                { filter: 'restarts', label: 'Restarts', description: 'Stop when a supervisor restarts a component after a fault', default: false }
            ]
        };
        this.sendResponse(response);
    }

    protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
        this.configured();
        this.sendResponse(response);
    }

    protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: UkcLaunchArguments): Promise<void> {
        if (!await this.boot(response, args)) return;
        this.sendEvent(new InitializedEvent());
        await this.configurationDone;
        this.sendResponse(response);
        this.begin(args);
    }

    /**
     * Launches again what the session launched (the program read and compiled again), with the breakpoints
     * and filters set so far: the machine and kernel are deterministic, so the run repeats itself.
     */
    protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
        // A client may send no arguments at all (then the last launch's are used).
        const given = (args as DebugProtocol.RestartArguments | undefined)?.arguments as UkcLaunchArguments | undefined;
        const launch = given?.program !== undefined ? given : this.launched;
        if (!launch) {
            this.sendErrorResponse(response, { id: 7, format: 'there is no launched program to restart' });
            return;
        }
        this.run?.stop('interrupted');
        this.debugger?.dispose();
        this.debugger = undefined;
        this.running = false;
        this.finished = false;
        const debug = await this.boot(response, launch);
        if (!debug) return;
        for (const [path, breakpoints] of this.sourceBreakpoints) debug.setSourceBreakpoints(path, this.sourceRequests(breakpoints));
        debug.setFunctionBreakpoints(this.functionBreakpoints.breakpoints);
        debug.setInstructionBreakpoints(this.instructionRequests(this.instructionBreakpoints));
        this.sendResponse(response);
        this.begin(launch);
    }

    /** Loads and boots a program under a new debugger; undefined (with the error answered) when it cannot. */
    private async boot(response: Response, args: UkcLaunchArguments): Promise<SystemDebugger | undefined> {
        this.generation++;
        this.launched = args;
        let request: PersonalityRequest;
        try {
            request = readPersonalityRequest(args, LAUNCH_NAMES);
        } catch (error) {
            if (!(error instanceof InputError)) throw error;
            this.refuseLaunch(response, args, error);
            return undefined;
        }
        const loaded = await this.load(args);
        if ('error' in loaded) {
            this.sendEvent(new OutputEvent(loaded.error, 'stderr'));
            this.sendErrorResponse(response, { id: 1, format: `cannot debug ${args.program}: {_reason}`, variables: { _reason: firstLine(loaded.error) }, showUser: true });
            return undefined;
        }
        this.program = loaded;
        let personality: ReturnType<typeof personalityBootSettings>;
        try {
            personality = personalityBootSettings(request, loaded.system, LAUNCH_NAMES);
        } catch (error) {
            if (!(error instanceof InputError)) throw error;
            this.refuseLaunch(response, args, error);
            return undefined;
        }
        try {
            this.run = bootRunnable(loaded.system, { console: this.console, ...personality });
        } catch (error) {
            this.sendErrorResponse(response, { id: 2, format: `system ${loaded.system.name} cannot boot: {_reason}`, variables: { _reason: String((error as Error).message) }, showUser: true });
            return undefined;
        }
        this.debugger = new SystemDebugger(this.run, {
            maxCycles: args.maxCycles,
            log: text => this.sendEvent(new OutputEvent(text, 'console')),
            onSlice: () => this.flushConsole(),
            yieldToHost: () => new Promise(resolve => setImmediate(resolve)),
            history: { participants: [this.console.participant] }
        });
        this.debugger.setExceptionFilters(this.exceptionFilters);
        return this.debugger;
    }

    /** A launch configuration whose settings cannot be met: the reason, as `ukc run` gives it for its options. */
    private refuseLaunch(response: Response, args: UkcLaunchArguments, error: InputError): void {
        this.sendErrorResponse(response, { id: 3, format: `cannot debug ${args.program}: {_reason}`, variables: { _reason: error.message }, showUser: true });
    }

    private begin(args: UkcLaunchArguments): void {
        if (!this.debugger) return;
        if (args.stopOnEntry) this.report(this.debugger.entryStop());
        else this.drive(debug => debug.continue());
    }

    protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
        const debug = this.debugger;
        const path = args.source.path ?? args.source.name ?? '';
        this.sourceBreakpoints.set(path, args);
        const requests = this.sourceRequests(args);
        const statuses = debug ? debug.setSourceBreakpoints(path, requests) : requests.map((request, i) => ({ id: i + 1, verified: false, line: request.line, message: 'the program is not loaded yet' }));
        response.body = {
            breakpoints: statuses.map(status => ({
                id: status.id, verified: status.verified, message: status.message, source: args.source,
                line: status.line === undefined ? undefined : this.convertDebuggerLineToClient(status.line)
            }))
        };
        this.sendResponse(response);
    }

    protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
        this.functionBreakpoints = args;
        const statuses = this.debugger?.setFunctionBreakpoints(args.breakpoints) ?? [];
        response.body = { breakpoints: statuses.map(status => ({ id: status.id, verified: status.verified, message: status.message })) };
        this.sendResponse(response);
    }

    protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
        this.exceptionFilters = args.filters.filter((filter): filter is ExceptionFilter => filter === 'fault' || filter === 'unhandled' || filter === 'restarts');
        this.debugger?.setExceptionFilters(this.exceptionFilters);
        this.sendResponse(response);
    }

    protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
        this.instructionBreakpoints = args;
        const requests = this.instructionRequests(args);
        const statuses = this.debugger?.setInstructionBreakpoints(requests) ?? [];
        response.body = {
            breakpoints: statuses.map((status, i) => ({
                id: status.id, verified: status.verified, message: status.message, instructionReference: memoryReference(requests[i].component, requests[i].address)
            }))
        };
        this.sendResponse(response);
    }

    protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
        const reference = parseMemoryReference(args.memoryReference);
        if (!reference || !this.debugger) {
            this.sendErrorResponse(response, { id: 5, format: 'not a memory reference of this debugger: {_reason}', variables: { _reason: args.memoryReference } });
            return;
        }
        const instructions = this.debugger.disassemble(reference.component, reference.address + (args.offset ?? 0), args.instructionOffset ?? 0, args.instructionCount);
        response.body = {
            instructions: instructions.map(instruction => ({
                address: `0x${instruction.address.toString(16).padStart(8, '0')}`,
                instruction: instruction.text ?? '??',
                instructionBytes: instruction.word === undefined ? undefined : instruction.word.toString(16).padStart(8, '0'),
                symbol: instruction.symbol,
                location: instruction.location && this.program ? { name: instruction.location.file, path: this.program.sourcePath(instruction.location.file) } : undefined,
                line: instruction.location ? this.convertDebuggerLineToClient(instruction.location.line) : undefined,
                presentationHint: instruction.text === undefined ? 'invalid' : undefined
            }))
        };
        this.sendResponse(response);
    }

    protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
        const labels = this.debugger?.threadLabels() ?? new Map<number, string>();
        response.body = { threads: [...labels].map(([id, label]) => new Thread(id, label)) };
        this.sendResponse(response);
    }

    protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
        const name = this.threadName(args.threadId);
        const frames = name !== undefined && this.debugger ? this.debugger.stack(name) : [];
        const start = args.startFrame ?? 0;
        const shown = frames.slice(start, args.levels ? start + args.levels : undefined);
        response.body = {
            totalFrames: frames.length,
            stackFrames: shown.map((frame, i) => {
                const location = frame.location;
                return {
                    id: args.threadId * FRAMES_PER_THREAD + start + i,
                    name: SystemDebugger.frameName(frame),
                    source: location && this.program ? { name: location.file, path: this.program.sourcePath(location.file) } : undefined,
                    line: location ? this.convertDebuggerLineToClient(location.line) : 0,
                    column: location ? this.convertDebuggerColumnToClient(location.column) : 0,
                    instructionPointerReference: memoryReference(componentOf(name ?? ''), frame.pc),
                    presentationHint: location ? 'normal' : 'subtle'
                };
            })
        };
        this.sendResponse(response);
    }

    protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
        const { thread, index } = this.frameOf(args.frameId);
        const scopes = thread !== undefined && this.debugger ? this.debugger.scopes(thread, index) : [];
        response.body = {
            scopes: scopes.map(scope => ({
                name: scope.name, variablesReference: this.container(() => scope.variables), expensive: false, presentationHint: scope.presentation
            }))
        };
        this.sendResponse(response);
    }

    protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
        const variables = this.containers[args.variablesReference - 1]?.() ?? [];
        response.body = { variables: variables.map(variable => this.variable(variable)) };
        this.sendResponse(response);
    }

    protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
        const variable = this.containers[args.variablesReference - 1]?.().find(candidate => candidate.name === args.name);
        if (!variable?.set) {
            this.sendErrorResponse(response, { id: 6, format: '{_reason}', variables: { _reason: variable ? `${args.name} cannot be set: only scalars of locals, arguments and state can` : `there is no variable ${args.name} here` } });
            return;
        }
        try {
            const written = this.variable(variable.set(args.value));
            response.body = { value: written.value, type: written.type, variablesReference: written.variablesReference };
            this.sendResponse(response);
        } catch (error) {
            if (!(error instanceof ValueError)) throw error;
            this.sendErrorResponse(response, { id: 6, format: '{_reason}', variables: { _reason: error.message } });
        }
    }

    protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
        const { thread, index } = args.frameId === undefined ? { thread: undefined, index: 0 } : this.frameOf(args.frameId);
        if (thread === undefined || !this.debugger) {
            this.sendErrorResponse(response, { id: 3, format: 'expressions are evaluated in a stack frame of a stopped thread' });
            return;
        }
        try {
            const value = this.variable(this.debugger.evaluate(thread, index, args.expression));
            response.body = { result: value.value, type: value.type, variablesReference: value.variablesReference };
            this.sendResponse(response);
        } catch (error) {
            if (!(error instanceof ExpressionError)) throw error;
            this.sendErrorResponse(response, { id: 4, format: '{_reason}', variables: { _reason: error.message } });
        }
    }

    protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
        response.body = { allThreadsContinued: true };
        this.sendResponse(response);
        this.drive(debug => debug.continue());
    }

    protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
        this.stepRequest(response, args.threadId, args.granularity === 'instruction' ? 'instruction' : 'over');
    }

    protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
        this.stepRequest(response, args.threadId, args.granularity === 'instruction' ? 'instruction' : 'in');
    }

    protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
        this.stepRequest(response, args.threadId, 'out');
    }

    protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
        const thread = this.threadName(args.threadId);
        this.sendResponse(response);
        if (thread !== undefined) this.drive(debug => debug.stepBack(thread));
    }

    protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
        this.sendResponse(response);
        this.drive(debug => debug.reverseContinue());
    }

    protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
        this.debugger?.pause();
        this.sendResponse(response);
    }

    protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
        this.stopRun();
        this.sendResponse(response);
    }

    protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
        this.stopRun();
        this.debugger?.dispose();
        this.sendResponse(response);
    }

    // ------------------------------------------------------------ driving the model

    private stepRequest(response: Response, threadId: number, mode: 'over' | 'in' | 'out' | 'instruction'): void {
        const thread = this.threadName(threadId);
        this.sendResponse(response);
        if (thread === undefined) return;
        this.drive(debug => (mode === 'instruction' ? debug.stepInstruction(thread) : debug.step(thread, mode)));
    }

    private drive(action: (debug: SystemDebugger) => Promise<DebugStop>): void {
        const debug = this.debugger;
        if (!debug || this.running || this.finished) return;
        this.running = true;
        this.containers = [];
        const generation = this.generation;
        action(debug).then(stop => {
            if (generation !== this.generation) return;
            this.running = false;
            this.report(stop);
        }, (error: unknown) => {
            if (generation !== this.generation) return;
            this.running = false;
            this.sendEvent(new OutputEvent(`ukc: internal error in the debugger: ${(error as Error).message}\n`, 'stderr'));
            this.end(70);
        });
    }

    private report(stop: DebugStop): void {
        this.flushConsole();
        if (stop.kind === 'ended') {
            this.end(this.exitCodeOf(stop.outcome));
            return;
        }
        const threadId = this.debugger?.threads().find(thread => thread.name === stop.thread)?.id;
        const event = new StoppedEvent(stop.cause, threadId, stop.text) as DebugProtocol.StoppedEvent;
        event.body.allThreadsStopped = true;
        if (stop.breakpoints.length > 0) event.body.hitBreakpointIds = [...stop.breakpoints];
        if (stop.text !== undefined) event.body.description = stop.text;
        this.sendEvent(event);
    }

    private end(code: number): void {
        if (this.finished) return;
        this.finished = true;
        this.sendEvent(new ExitedEvent(code));
        this.sendEvent(new TerminatedEvent());
    }

    private stopRun(): void {
        if (!this.run || this.finished) return;
        this.run.stop('interrupted');
        // A running `continue` ends by itself (and reports); a stopped session ends here.
        if (!this.running) this.end(this.exitCodeOf({ kind: 'stopped', cycle: this.run.cycle, reason: 'interrupted' }));
    }

    private flushConsole(): void {
        const text = this.decoder.decode(this.console.unseen(), { stream: true });
        if (text !== '') this.sendEvent(new OutputEvent(text, 'stdout'));
    }

    /** A reference for variables to be listed on request. */
    private container(list: () => readonly VariableValue[]): number {
        this.containers.push(list);
        return this.containers.length;
    }

    private variable(variable: VariableValue): DebugProtocol.Variable {
        const children = variable.children;
        return { name: variable.name, value: variable.value, type: variable.type, variablesReference: children ? this.container(children) : 0 };
    }

    private sourceRequests(args: DebugProtocol.SetBreakpointsArguments) {
        return (args.breakpoints ?? []).map(breakpoint => ({
            line: this.convertClientLineToDebugger(breakpoint.line), condition: breakpoint.condition, hitCondition: breakpoint.hitCondition, logMessage: breakpoint.logMessage
        }));
    }

    private instructionRequests(args: DebugProtocol.SetInstructionBreakpointsArguments) {
        return args.breakpoints.map(breakpoint => {
            const reference = parseMemoryReference(breakpoint.instructionReference);
            return { component: reference?.component ?? '', address: (reference?.address ?? 0) + (breakpoint.offset ?? 0), condition: breakpoint.condition, hitCondition: breakpoint.hitCondition };
        });
    }

    private threadName(id: number): string | undefined {
        return this.debugger?.threads().find(thread => thread.id === id)?.name;
    }

    private frameOf(frameId: number): { thread: string | undefined; index: number } {
        return { thread: this.threadName(Math.floor(frameId / FRAMES_PER_THREAD)), index: frameId % FRAMES_PER_THREAD };
    }
}

/** Instructions are named `component@0xaddress`: addresses alone do not say which address space. */
function memoryReference(component: string, address: number): string {
    return `${component}@0x${(address >>> 0).toString(16)}`;
}

function parseMemoryReference(reference: string): { component: string; address: number } | undefined {
    const match = /^([^@]+)@0x([0-9a-fA-F]+)$/.exec(reference);
    return match ? { component: match[1], address: parseInt(match[2], 16) } : undefined;
}

function firstLine(text: string): string {
    return text.split('\n').find(line => line.trim() !== '') ?? text;
}
