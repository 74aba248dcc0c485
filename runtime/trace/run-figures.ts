/**
 * What a run cost, per method (`Interface.method`) and in total: messages, bytes the kernel copied,
 * context switches, kernel entries, and emulated cycles from a call to its reply — the figures `ukc run
 * --stats` prints and `ukc compare` sets side by side. Derived from the events the kernel already emits,
 * so that the kernel counts nothing on seL4's fastpath:
 *
 * - a kernel entry is a system call off the fastpath (`syscall`), a message the fastpath delivered (its
 *   `ipc` event), an interrupt or a fault;
 * - a context switch is a scheduling decision that gives the CPU to a thread (`schedule` with a `to`);
 * - each entry, and the switches it causes, is charged to the method in whose service it happens: the
 *   message the entry delivers, else the message its thread is handling (the last call or one-way message
 *   it received and has not answered), else to no method (a client's own waits, console output, boot).
 *
 * A message the kernel refused to take (RC 4000's buffers ran out: a `syscall-error` event naming its
 * endpoint and label) is counted as refused under its method; it was never delivered.
 *
 * A round trip runs from the call to its reply as the caller sees it: from the call's delivery, or, for a
 * call that waited in the endpoint's queue (a server busy, or not yet receiving), from the caller's system
 * call — the wait is part of what the model costs it (the typed trace's `elapsed` starts at the delivery).
 *
 * The fastpath switches before it reports its message, the general paths after: a direct switch is held
 * until the next event says which entry it belongs to.
 */
import type { InterfaceLayout, TraceMap } from '../contract/index.js';
import type { IpcEvent, KernelEvent } from '../kernel/index.js';
import { TypedTrace } from './typed-trace.js';

/** The kernel events the figures are made of (a host subscribes to these for them). */
export const FIGURE_EVENT_KINDS: readonly KernelEvent['kind'][] = ['ipc', 'syscall', 'schedule', 'interrupt', 'fault', 'syscall-error'];

/** The row of what served no method. */
export const NO_METHOD = '(no method)';

export interface MethodFigures {
    /** `Interface.method`, or NO_METHOD. */
    readonly method: string;
    /** Calls and one-way messages sent. */
    readonly calls: number;
    readonly replies: number;
    /** Calls, one-way messages and replies the kernel delivered. */
    readonly messages: number;
    readonly bytesCopied: number;
    readonly contextSwitches: number;
    readonly kernelEntries: number;
    /** Emulated cycles from each call to its reply, summed. */
    readonly roundTripCycles: number;
    /** roundTripCycles per reply, rounded; undefined when nothing was answered. */
    readonly cyclesPerRoundTrip: number | undefined;
    /** Messages the fastpath delivered. */
    readonly fastpath: number;
    /** Calls and one-way messages the kernel refused to take (RC 4000: no message buffer for them). */
    readonly refused: number;
    /** Whether the method's request and reply fit in registers (by the layout). */
    readonly registerOnly: boolean;
}

export interface RunFigures {
    /** Sorted by method name; NO_METHOD last, when anything was charged to it. */
    readonly methods: readonly MethodFigures[];
    readonly total: MethodFigures;
}

interface Counts {
    calls: number;
    replies: number;
    messages: number;
    bytesCopied: number;
    contextSwitches: number;
    kernelEntries: number;
    roundTripCycles: number;
    fastpath: number;
    refused: number;
}

interface Entry {
    readonly thread: string | undefined;
    /** The method charged; a message the entry delivers replaces the one its thread was handling. */
    method: string | undefined;
    carriesMessage: boolean;
    switches: number;
}

const zero = (): Counts => ({ calls: 0, replies: 0, messages: 0, bytesCopied: 0, contextSwitches: 0, kernelEntries: 0, roundTripCycles: 0, fastpath: 0, refused: 0 });

export class FiguresRecorder {
    private readonly typed: TypedTrace;
    private readonly counts = new Map<string, Counts>();
    private readonly registerOnly = new Map<string, boolean>();
    /** Per endpoint, its methods' names (`Interface.method`) by label. */
    private readonly methodNames = new Map<string, ReadonlyMap<number, string>>();
    /** Per server thread, the method of the message it is handling. */
    private readonly handling = new Map<string, string>();
    /** Per thread, the cycle of its last system call off the fastpath. */
    private readonly entered = new Map<string, number>();
    /** Per caller waiting for a reply, the cycle its round trip started. */
    private readonly started = new Map<string, number>();
    private open: Entry | undefined;
    /** Direct switches not yet given to an entry. */
    private heldDirect = 0;

    constructor(map: TraceMap) {
        this.typed = new TypedTrace(map);
        for (const [endpoint, { interface: layout }] of Object.entries(map.endpoints)) this.learn(endpoint, layout);
    }

    add(event: KernelEvent): void {
        if (event.kind === 'syscall-error') {
            // Not an entry of its own (its system call's is open): only a refused message counts.
            const method = event.endpoint === undefined ? undefined : this.methodNames.get(event.endpoint)?.get(event.label ?? -1);
            if (method !== undefined) this.row(method).refused++;
            return;
        }
        if (event.kind === 'schedule') {
            if (event.to === undefined) return;
            if (event.reason === 'direct') this.heldDirect++;
            else if (this.open) this.open.switches++;
            else this.row(NO_METHOD).contextSwitches++;
            return;
        }
        if (event.kind === 'ipc' && event.fastpath) {
            const method = this.message(event, event.cycle);
            this.close({ thread: event.from, method, carriesMessage: true, switches: this.heldDirect });
            this.heldDirect = 0;
            return;
        }
        if (this.heldDirect > 0) {
            if (this.open) this.open.switches += this.heldDirect;
            else this.row(NO_METHOD).contextSwitches += this.heldDirect;
            this.heldDirect = 0;
        }
        switch (event.kind) {
            case 'syscall':
                this.entered.set(event.thread, event.cycle);
                this.close({ thread: event.thread, method: this.handling.get(event.thread), carriesMessage: false, switches: 0 });
                return;
            case 'fault':
                this.close({ thread: event.thread, method: this.handling.get(event.thread), carriesMessage: false, switches: 0 });
                return;
            case 'interrupt':
                this.close({ thread: undefined, method: undefined, carriesMessage: false, switches: 0 });
                return;
            case 'ipc': {
                const open = this.open;
                const ownEntry = open !== undefined && open.thread === event.from;
                const method = this.message(event, ownEntry ? event.cycle : this.entered.get(event.from) ?? event.cycle);
                if (open && ownEntry && !open.carriesMessage && method !== undefined) {
                    open.method = method;
                    open.carriesMessage = true;
                }
                return;
            }
        }
    }

    /** The figures, once the run has ended (the last entry is closed: call it once). */
    finish(): RunFigures {
        this.close(undefined);
        const names = [...this.counts.keys()].filter(name => name !== NO_METHOD).sort((a, b) => a.localeCompare(b));
        if (this.counts.has(NO_METHOD)) names.push(NO_METHOD);
        const methods = names.map(name => this.figure(name, this.counts.get(name) as Counts));
        const total = zero();
        for (const counts of this.counts.values()) for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += counts[key];
        return { methods, total: this.figure('total', total) };
    }

    /** Counts a delivered message (a call's round trip starting at `start`); returns its method (undefined for a fault message). */
    private message(event: IpcEvent, start: number): string | undefined {
        const typed = this.typed.translate(event);
        if (!typed || (typed.kind !== 'call' && typed.kind !== 'send' && typed.kind !== 'reply')) return undefined;
        const method = `${typed.interface}.${typed.method}`;
        const row = this.row(method);
        row.messages++;
        row.bytesCopied += event.bytesCopied ?? 0;
        if (event.fastpath) row.fastpath++;
        if (typed.kind === 'reply') {
            const started = this.started.get(event.to);
            this.started.delete(event.to);
            row.replies++;
            row.roundTripCycles += started === undefined ? typed.elapsed ?? 0 : event.cycle - started;
            this.handling.delete(event.from);
        } else {
            if (typed.kind === 'call') this.started.set(event.from, start);
            row.calls++;
            this.handling.set(event.to, method);
        }
        return method;
    }

    /** Charges the open entry and makes `next` the open one. */
    private close(next: Entry | undefined): void {
        const open = this.open;
        if (open) {
            const row = this.row(open.method ?? NO_METHOD);
            row.kernelEntries++;
            row.contextSwitches += open.switches;
        }
        this.open = next;
    }

    private row(method: string): Counts {
        let counts = this.counts.get(method);
        if (!counts) this.counts.set(method, counts = zero());
        return counts;
    }

    private figure(method: string, counts: Counts): MethodFigures {
        return {
            method, ...counts,
            cyclesPerRoundTrip: counts.replies > 0 ? Math.round(counts.roundTripCycles / counts.replies) : undefined,
            registerOnly: this.registerOnly.get(method) ?? false
        };
    }

    private learn(endpoint: string, layout: InterfaceLayout): void {
        const name = layout.name.slice(layout.name.lastIndexOf('.') + 1);
        const names = new Map<number, string>();
        for (const method of layout.methods) {
            const inRegisters = method.request.memoryWords === 0 && (method.reply?.memoryWords ?? 0) === 0;
            this.registerOnly.set(`${name}.${method.name}`, inRegisters);
            names.set(method.ordinal, `${name}.${method.name}`);
        }
        this.methodNames.set(endpoint, names);
    }
}
