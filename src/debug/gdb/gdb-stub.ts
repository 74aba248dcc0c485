/**
 * A GDB remote-serial-protocol stub over the debug session model: GDB attaches to the system's kernel
 * threads at instruction level (registers, memory, breakpoints, single step, continue), as seL4 and QEMU
 * users attach to theirs. The stub only translates: running, stopping, breakpoints and stepping are
 * `SystemDebugger`'s, registers and memory the kernel control API's. It talks to GDB through a byte
 * channel (a TCP socket on the command line, anything in a test) and never throws on what GDB sends.
 *
 * GDB sees one process whose threads are the kernel's threads (thread ids are kernel object ids; the
 * extra info names the instance and what it waits for). The threads live in different address spaces:
 * registers, memory and breakpoints are those of the selected thread (`Hg`, GDB's `thread N`). GDB
 * removes its breakpoints at every stop and inserts them again before it resumes, whichever thread is
 * selected then; so a breakpoint stays in the address space it was first inserted into for as long as
 * GDB keeps inserting it.
 */
import { ControlError, type FaultEvent } from '../../../runtime/kernel/index.js';
import type { RunOutcome } from '../../session/index.js';
import { componentOf, type DebugStop, type SystemDebugger } from '../system-debugger.js';
import { hexBytes, hexText, hexWord, parseHexBytes, parseHexNumber, parseHexWord } from './hex.js';
import { ACK_BYTES, MAX_PACKET_SIZE, RspReader, encodePacket, escapeBinary, unescapeBinary, type RspInput } from './rsp-framing.js';
import { parseBreakpoint, parseRange, parseResumeActions, parseThreadSelector, type ThreadSelector } from './packet-arguments.js';
import { Signal, faultSignal } from './signals.js';
import { PC_REGISTER, REGISTER_COUNT, TARGET_XML } from './target-description.js';

/** The connection to GDB: where the stub's bytes go. */
export interface ByteChannel {
    write(bytes: Uint8Array): void;
}

/** How a GDB session ended: the run ended (and GDB was told), GDB detached (the run goes on alone), or GDB killed the run. */
export type GdbSessionEnd =
    | { readonly kind: 'ended'; readonly outcome: RunOutcome }
    | { readonly kind: 'detached' }
    | { readonly kind: 'killed' };

export interface GdbStubSettings {
    /** The exit status GDB is told when the run ends (`ukc run`'s). */
    readonly exitStatusOf: (outcome: RunOutcome) => number;
    /** Errors inside the stub that GDB only sees as `E01` (an internal error, for the host's log). */
    readonly log?: (text: string) => void;
}

const ERROR = 'E01';
/** EFAULT, as gdbserver answers an unreadable address. */
const MEMORY_ERROR = 'E14';

interface InsertedBreakpoint {
    readonly component: string;
    readonly address: number;
    readonly hardware: boolean;
}

export class GdbStub {
    /** Resolves once, when the session ends. */
    readonly done: Promise<GdbSessionEnd>;
    private finish: (end: GdbSessionEnd) => void = () => {};
    private readonly reader: RspReader;
    private readonly queue: string[] = [];
    private running = false;
    private ended: RunOutcome | undefined;
    private closed = false;
    private lastStop: DebugStop;
    private lastSent: Uint8Array | undefined;
    private acknowledging = true;
    /** `Hg`: the thread registers and memory are read from; undefined means the thread that stopped. */
    private generalThread: number | undefined;
    /** `Hc`: the thread `s` steps. */
    private continueThread: number | undefined;
    private breakpoints: InsertedBreakpoint[] = [];
    /** The component each breakpoint address was first inserted into, kept while GDB re-inserts it. */
    private readonly boundTo = new Map<number, string>();
    private readonly lastFault = new Map<string, FaultEvent>();
    private readonly unsubscribe: () => void;

    constructor(private readonly debug: SystemDebugger, private readonly channel: ByteChannel, private readonly settings: GdbStubSettings) {
        this.done = new Promise(resolve => { this.finish = resolve; });
        this.reader = new RspReader(ack => this.channel.write(ACK_BYTES[ack]));
        this.lastStop = debug.entryStop();
        // Unhandled faults stop the run, as a signal GDB names.
        debug.setExceptionFilters(['unhandled']);
        this.unsubscribe = debug.run.subscribe(event => {
            if (event.kind === 'fault') this.lastFault.set(event.thread, event);
        }, ['fault']);
    }

    /** Bytes from GDB. */
    receive(bytes: Uint8Array): void {
        if (this.closed) return;
        for (const input of this.reader.read(bytes)) this.accept(input);
        this.drain();
    }

    /** The connection closed without `D` or `k`: the run goes on without the debugger, as after `D`. */
    disconnected(): void {
        if (this.closed) return;
        if (this.running) this.debug.pause();
        this.end(this.ended ? { kind: 'ended', outcome: this.ended } : { kind: 'detached' });
    }

    private accept(input: RspInput): void {
        if (input.kind === 'interrupt') {
            // Ctrl-C: a running continue or step answers with a pause stop (SIGINT).
            if (this.running) this.debug.pause();
        } else if (input.kind === 'resend') {
            if (this.lastSent) this.channel.write(this.lastSent);
        } else {
            this.queue.push(input.payload);
        }
    }

    /** Answers queued packets in order; a resuming packet holds the rest until the run stops. */
    private drain(): void {
        while (!this.running && !this.closed && this.queue.length > 0) {
            const packet = this.queue.shift() ?? '';
            try {
                this.handle(packet);
            } catch (error) {
                if (!(error instanceof ControlError)) this.settings.log?.(`gdb stub: '${packet.slice(0, 40)}': ${error instanceof Error ? error.message : String(error)}\n`);
                this.reply(ERROR);
            }
        }
    }

    private reply(payload: string): void {
        if (this.closed) return;
        const packet = encodePacket(payload);
        this.lastSent = this.acknowledging ? packet : undefined;
        this.channel.write(packet);
    }

    private end(how: GdbSessionEnd): void {
        if (this.closed) return;
        this.closed = true;
        this.queue.length = 0;
        if (how.kind !== 'ended') {
            this.breakpoints = [];
            this.debug.setInstructionBreakpoints([]);
            this.debug.setExceptionFilters([]);
        }
        this.unsubscribe();
        this.finish(how);
    }

    // ------------------------------------------------------------ packets

    private handle(packet: string): void {
        const command = packet.charAt(0);
        const rest = packet.slice(1);
        if (this.ended && !'?qDkvH'.includes(command)) {
            this.reply(ERROR);
            return;
        }
        switch (command) {
            case '?': this.reply(this.stopReply(this.lastStop)); return;
            case 'q': this.reply(this.query(rest)); return;
            case 'Q': this.setting(rest); return;
            case 'H': this.reply(this.selectThread(rest)); return;
            case 'T': this.reply(this.threadId(parseThreadSelector(rest)) !== undefined ? 'OK' : ERROR); return;
            case 'g': this.reply(this.readRegisters()); return;
            case 'G': this.reply(this.writeRegisters(rest)); return;
            case 'p': this.reply(this.readRegister(rest)); return;
            case 'P': this.reply(this.writeRegister(rest)); return;
            case 'm': this.reply(this.readMemory(rest)); return;
            case 'M': this.reply(this.writeMemory(rest)); return;
            case 'X': this.reply(this.writeBinaryMemory(rest)); return;
            case 'Z': this.reply(this.insertBreakpoint(rest)); return;
            case 'z': this.reply(this.removeBreakpoint(rest)); return;
            case 'c': case 'C': this.resumeWithAddress(command, rest, 'continue'); return;
            case 's': case 'S': this.resumeWithAddress(command, rest, 'step'); return;
            case 'v': this.verbose(packet); return;
            case 'D':
                this.reply('OK');
                this.end(this.ended ? { kind: 'ended', outcome: this.ended } : { kind: 'detached' });
                return;
            // GDB expects no answer to `k` (GDB manual, "Packets").
            case 'k': this.end(this.ended ? { kind: 'ended', outcome: this.ended } : { kind: 'killed' }); return;
            default: this.reply('');
        }
    }

    private query(text: string): string {
        const [name, ...fields] = text.split(':');
        switch (name) {
            case 'Supported':
                return `PacketSize=${MAX_PACKET_SIZE.toString(16)};qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+`;
            case 'Xfer': return this.transfer(fields);
            case 'C': {
                const id = this.stoppedThreadId();
                return id === undefined ? '' : `QC${id.toString(16)}`;
            }
            case 'fThreadInfo': return `m${this.debug.threads().map(thread => thread.id.toString(16)).join(',')}`;
            case 'sThreadInfo': return 'l';
            case 'Attached': return '0';
            default:
                if (text.startsWith('ThreadExtraInfo,')) return this.threadExtraInfo(text.slice('ThreadExtraInfo,'.length));
                return '';
        }
    }

    /** `qXfer:features:read:target.xml:OFFSET,LENGTH`: a window of the target description, `l` on the last. */
    private transfer(fields: readonly string[]): string {
        const [object, operation, annex, window] = fields;
        if (object !== 'features' || operation !== 'read' || fields.length !== 4) return '';
        if (annex !== 'target.xml') return ERROR;
        const [offsetText = '', lengthText = ''] = (window ?? '').split(',');
        const offset = parseHexNumber(offsetText);
        const length = parseHexNumber(lengthText);
        if (offset === undefined || length === undefined) return ERROR;
        const chunk = TARGET_XML.slice(offset, offset + Math.min(length, MAX_PACKET_SIZE / 2));
        return (offset + chunk.length >= TARGET_XML.length ? 'l' : 'm') + escapeBinary(chunk);
    }

    private threadExtraInfo(idText: string): string {
        const selector = parseThreadSelector(idText);
        const id = this.threadId(selector);
        const label = id === undefined ? undefined : this.debug.threadLabels().get(id);
        return label === undefined ? ERROR : hexText(label);
    }

    private setting(text: string): void {
        if (text === 'StartNoAckMode') {
            this.reply('OK');
            // The answer above is the last packet acknowledged (GDB manual, "Packet Acknowledgment").
            this.acknowledging = false;
            this.lastSent = undefined;
            this.reader.stopAcknowledging();
            return;
        }
        this.reply('');
    }

    private selectThread(text: string): string {
        const operation = text.charAt(0);
        const selector = parseThreadSelector(text.slice(1));
        if ((operation !== 'g' && operation !== 'c') || !selector) return ERROR;
        const id = selector.kind === 'thread' ? selector.id : undefined;
        if (id !== undefined && this.threadName(id) === undefined) return ERROR;
        if (operation === 'g') this.generalThread = id;
        else this.continueThread = id;
        return 'OK';
    }

    // ------------------------------------------------------------ registers and memory

    private readRegisters(): string {
        const thread = this.selectedThread();
        if (thread === undefined) return ERROR;
        const registers = this.debug.control.readRegisters(thread);
        return registers.x.map(hexWord).join('') + hexWord(registers.pc);
    }

    private writeRegisters(text: string): string {
        const thread = this.selectedThread();
        if (thread === undefined || text.length !== REGISTER_COUNT * 8) return ERROR;
        const values: number[] = [];
        for (let i = 0; i < REGISTER_COUNT; i++) {
            const value = parseHexWord(text.slice(8 * i, 8 * i + 8));
            if (value === undefined) return ERROR;
            values.push(value);
        }
        const pc = values[PC_REGISTER];
        if ((pc & 3) !== 0) return ERROR;
        values.slice(1, 32).forEach((value, i) => this.debug.control.writeRegister(thread, i + 1, value));
        this.debug.control.writeRegister(thread, 'pc', pc);
        return 'OK';
    }

    private readRegister(text: string): string {
        const thread = this.selectedThread();
        const index = parseHexNumber(text);
        if (thread === undefined || index === undefined || index >= REGISTER_COUNT) return ERROR;
        const registers = this.debug.control.readRegisters(thread);
        return hexWord(index === PC_REGISTER ? registers.pc : registers.x[index]);
    }

    private writeRegister(text: string): string {
        const thread = this.selectedThread();
        const [indexText = '', valueText = ''] = text.split('=');
        const index = parseHexNumber(indexText);
        const value = parseHexWord(valueText);
        if (thread === undefined || index === undefined || value === undefined || index >= REGISTER_COUNT) return ERROR;
        // x0 is hard-wired to zero: writing it changes nothing, as on the hardware.
        if (index !== 0) this.debug.control.writeRegister(thread, index === PC_REGISTER ? 'pc' : index, value);
        return 'OK';
    }

    /** `m ADDR,LENGTH`: the readable bytes from ADDR on (fewer when a page is unmapped), EFAULT when none are. */
    private readMemory(text: string): string {
        const thread = this.selectedThread();
        const range = parseRange(text);
        if (thread === undefined || !range) return ERROR;
        const bytes = this.debug.control.readMemory(thread, range.address, Math.min(range.length, MAX_PACKET_SIZE / 2));
        const readable = bytes.indexOf(undefined);
        const found = (readable < 0 ? bytes : bytes.slice(0, readable)) as number[];
        if (found.length === 0 && range.length > 0) return MEMORY_ERROR;
        return hexBytes(found);
    }

    private writeMemory(text: string): string {
        const colon = text.indexOf(':');
        const range = parseRange(colon < 0 ? '' : text.slice(0, colon));
        const bytes = parseHexBytes(text.slice(colon + 1));
        if (!range || !bytes || bytes.length !== range.length) return ERROR;
        return this.write(range.address, bytes);
    }

    private writeBinaryMemory(text: string): string {
        const colon = text.indexOf(':');
        const range = parseRange(colon < 0 ? '' : text.slice(0, colon));
        const bytes = unescapeBinary(text.slice(colon + 1));
        if (!range || bytes.length !== range.length) return ERROR;
        return this.write(range.address, Uint8Array.from(bytes));
    }

    private write(address: number, bytes: Uint8Array): string {
        const thread = this.selectedThread();
        if (thread === undefined) return ERROR;
        if (bytes.length === 0) return 'OK';
        return this.debug.control.writeMemory(thread, address, bytes) ? 'OK' : MEMORY_ERROR;
    }

    // ------------------------------------------------------------ breakpoints

    /** `Z0`/`Z1,ADDR,KIND`: a breakpoint in the selected thread's address space. */
    private insertBreakpoint(text: string): string {
        const request = parseBreakpoint(text);
        if (!request) return '';
        const thread = this.selectedThread();
        if (thread === undefined) return ERROR;
        const component = this.boundTo.get(request.address) ?? componentOf(thread);
        if (this.breakpoints.some(breakpoint => breakpoint.component === component && breakpoint.address === request.address)) return 'OK';
        const candidate = [...this.breakpoints, { component, address: request.address, hardware: request.hardware }];
        const statuses = this.debug.setInstructionBreakpoints(candidate.map(breakpoint => ({ component: breakpoint.component, address: breakpoint.address })));
        if (statuses[statuses.length - 1]?.verified !== true) {
            this.debug.setInstructionBreakpoints(this.breakpoints.map(breakpoint => ({ component: breakpoint.component, address: breakpoint.address })));
            return ERROR;
        }
        this.breakpoints = candidate;
        this.boundTo.set(request.address, component);
        return 'OK';
    }

    /** `z0`/`z1,ADDR,KIND`: removes the breakpoint at ADDR, preferring the selected thread's address space. */
    private removeBreakpoint(text: string): string {
        const request = parseBreakpoint(text);
        if (!request) return '';
        const thread = this.selectedThread();
        const component = thread === undefined ? undefined : componentOf(thread);
        const atAddress = this.breakpoints.filter(breakpoint => breakpoint.address === request.address);
        const removed = atAddress.find(breakpoint => breakpoint.component === component) ?? atAddress[0];
        if (!removed) return 'OK';
        this.breakpoints = this.breakpoints.filter(breakpoint => breakpoint !== removed);
        this.debug.setInstructionBreakpoints(this.breakpoints.map(breakpoint => ({ component: breakpoint.component, address: breakpoint.address })));
        return 'OK';
    }

    // ------------------------------------------------------------ running

    private verbose(packet: string): void {
        if (packet === 'vCont?') {
            // GDB uses vCont only when c, C, s and S are all offered; signals to deliver are not (the kernel
            // has already handed a fault to its handler), so C and S resume as c and s.
            this.reply('vCont;c;C;s;S');
            return;
        }
        if (packet.startsWith('vCont;')) {
            const actions = parseResumeActions(packet.slice('vCont;'.length));
            if (!actions) {
                this.reply(ERROR);
                return;
            }
            const step = actions.find(action => action.step);
            if (step) {
                const thread = step.thread === undefined ? this.threadName(this.continueThread ?? this.stoppedThreadId() ?? 0) : this.threadName(step.thread);
                if (thread === undefined) this.reply(ERROR);
                else this.resume(() => this.debug.stepInstruction(thread));
            } else {
                this.resume(() => this.debug.continue());
            }
            return;
        }
        this.reply('');
    }

    /** `c [ADDR]`, `C SIG[;ADDR]`, `s [ADDR]`, `S SIG[;ADDR]`: resume there (from ADDR when given). */
    private resumeWithAddress(command: string, text: string, how: 'continue' | 'step'): void {
        const addressText = command === 'C' || command === 'S' ? text.split(';')[1] : text;
        const thread = this.threadName(this.continueThread ?? this.stoppedThreadId() ?? 0);
        if (thread === undefined) {
            this.reply(ERROR);
            return;
        }
        if (addressText !== undefined && addressText !== '') {
            const address = parseHexNumber(addressText);
            if (address === undefined || (address & 3) !== 0) {
                this.reply(ERROR);
                return;
            }
            this.debug.control.writeRegister(thread, 'pc', address);
        }
        this.resume(() => (how === 'step' ? this.debug.stepInstruction(thread) : this.debug.continue()));
    }

    private resume(run: () => Promise<DebugStop>): void {
        // What GDB inserted for this resume is all it still wants: bindings of deleted breakpoints go.
        for (const address of [...this.boundTo.keys()]) {
            if (!this.breakpoints.some(breakpoint => breakpoint.address === address)) this.boundTo.delete(address);
        }
        this.running = true;
        run().then(stop => {
            this.running = false;
            this.lastStop = stop;
            // Hg and Hc stay as they were: GDB remembers what it selected and does not select it again.
            if (stop.kind === 'ended') this.ended = stop.outcome;
            this.reply(this.stopReply(stop));
            // GDB is told; the host decides when to close (later packets are still answered).
            if (stop.kind === 'ended') this.finish({ kind: 'ended', outcome: stop.outcome });
            this.drain();
        }, (error: unknown) => {
            this.running = false;
            this.settings.log?.(`gdb stub: the run failed: ${error instanceof Error ? error.message : String(error)}\n`);
            this.reply(`T${hex2(Signal.ABRT)}`);
            this.drain();
        });
    }

    /** `T` with the signal, the thread and (for breakpoints) swbreak/hwbreak; `W` with the exit status when the run ended. */
    private stopReply(stop: DebugStop): string {
        if (stop.kind === 'ended') return `W${hex2(this.settings.exitStatusOf(stop.outcome) & 0xff)}`;
        const id = this.idOf(stop.thread);
        const thread = id === undefined ? '' : `thread:${id.toString(16)};`;
        switch (stop.cause) {
            case 'pause': return `T${hex2(Signal.INT)}${thread}`;
            case 'exception': {
                const fault = this.lastFault.get(stop.thread);
                return `T${hex2(fault ? faultSignal(fault) : Signal.SEGV)}${thread}`;
            }
            case 'breakpoint': {
                const pc = this.debug.control.readRegisters(stop.thread).pc;
                const component = componentOf(stop.thread);
                const hardware = this.breakpoints.find(breakpoint => breakpoint.component === component && breakpoint.address === pc)?.hardware ?? false;
                return `T${hex2(Signal.TRAP)}${hardware ? 'hwbreak' : 'swbreak'}:;${thread}`;
            }
            default: return `T${hex2(Signal.TRAP)}${thread}`;
        }
    }

    // ------------------------------------------------------------ threads

    private threadId(selector: ThreadSelector | undefined): number | undefined {
        if (!selector || selector.kind !== 'thread') return undefined;
        return this.threadName(selector.id) === undefined ? undefined : selector.id;
    }

    private threadName(id: number): string | undefined {
        return this.debug.threads().find(thread => thread.id === id)?.name;
    }

    private idOf(name: string): number | undefined {
        return this.debug.threads().find(thread => thread.name === name)?.id;
    }

    private stoppedThreadId(): number | undefined {
        return this.lastStop.kind === 'stopped' ? this.idOf(this.lastStop.thread) : undefined;
    }

    /** The thread registers, memory and breakpoints refer to: `Hg`'s, else the one that stopped. */
    private selectedThread(): string | undefined {
        const id = this.generalThread ?? this.stoppedThreadId();
        return id === undefined ? undefined : this.threadName(id);
    }
}

function hex2(value: number): string {
    return value.toString(16).padStart(2, '0');
}
