/**
 * Chrome trace-event JSON (the format chrome://tracing and Perfetto open): one track per thread, every
 * served call a complete ("X") slice on the server's track and a waiting slice on the caller's, and flow
 * arrows from the call to the server and from the reply back. Time is emulated cycles on a 1 GHz clock:
 * one cycle is one nanosecond, and `ts`/`dur` are in microseconds as the format wants.
 */
import type { TypedEvent } from './typed-trace.js';
import type { DecodedValue } from './message-decoder.js';

export interface ChromeEvent {
    readonly name: string;
    readonly ph: 'X' | 'i' | 's' | 'f' | 'M';
    readonly ts: number;
    readonly pid: number;
    readonly tid: number;
    readonly dur?: number;
    readonly cat?: string;
    readonly id?: number;
    readonly bp?: 'e';
    readonly s?: 't';
    readonly args?: Record<string, string | number | boolean>;
}

const PID = 1;

function micros(cycle: number): number {
    return cycle / 1000;
}

function record(values: readonly DecodedValue[]): Record<string, string> {
    return Object.fromEntries(values.map(value => [value.name, value.text]));
}

interface OpenCall {
    readonly caller: string;
    readonly server: string;
    readonly name: string;
    readonly cycle: number;
    readonly args: Record<string, string>;
}

export class ChromeTraceBuilder {
    private readonly events: ChromeEvent[] = [];
    private readonly threads = new Map<string, number>();
    private readonly open = new Map<string, OpenCall>();
    private nextFlow = 1;
    private lastCycle = 0;

    add(event: TypedEvent): void {
        this.lastCycle = Math.max(this.lastCycle, event.cycle);
        switch (event.kind) {
            case 'call': {
                const name = `${event.interface}.${event.method}`;
                const where: Record<string, string> = {};
                if (event.site) where.site = event.site;
                if (event.handler) where.handler = event.handler;
                if (event.primitive !== undefined) where.primitive = `${event.primitive} (${event.bytesCopied ?? 0} bytes)`;
                this.open.set(event.from, { caller: event.from, server: event.to, name, cycle: event.cycle, args: { ...record(event.args), ...where } });
                this.flow(name, event.from, event.to, event.cycle);
                return;
            }
            case 'send': {
                const name = `${event.interface}.${event.method}`;
                this.flow(name, event.from, event.to, event.cycle);
                this.events.push({ name, ph: 'i', s: 't', ts: micros(event.cycle), pid: PID, tid: this.track(event.to), cat: 'oneway', args: record(event.args) });
                return;
            }
            case 'reply': {
                const call = this.open.get(event.to);
                this.open.delete(event.to);
                if (!call) return;
                this.flow(`${call.name} reply`, event.from, event.to, event.cycle);
                const outcome = event.error !== undefined ? { error: event.error } : record(event.results);
                const model: Record<string, string> = event.primitive === undefined ? {} : { reply: `${event.primitive} (${event.bytesCopied ?? 0} bytes)` };
                this.slices(call, event.cycle, { ...call.args, ...outcome, fastpath: event.fastpath, ...model });
                return;
            }
            case 'event': {
                // An emit is an arrow from the server to the client's track (a drop an instant on it); a take an instant.
                const name = `${event.interface}.${event.method}`;
                const args = { ...record(event.args), queued: event.queued, ...(event.dropped !== undefined ? { dropped: event.dropped } : {}) };
                if (event.operation === 'queue') this.flow(name, event.from, event.to, event.cycle);
                const what = event.operation === 'queue' ? 'queued' : event.operation === 'drop' ? 'dropped' : 'taken';
                this.events.push({ name: `${name} ${what}`, ph: 'i', s: 't', ts: micros(event.cycle), pid: PID, tid: this.track(event.to), cat: 'event', args });
                return;
            }
            case 'fault':
                this.events.push({ name: `fault: ${event.panic ?? event.fault}`, ph: 'i', s: 't', ts: micros(event.cycle), pid: PID, tid: this.track(event.thread), cat: 'fault', args: { pc: `0x${event.pc.toString(16)}`, handled: event.handled } });
                return;
            default:
                return;
        }
    }

    /** The trace so far; calls still waiting for their reply end at the last event seen. */
    build(): { traceEvents: ChromeEvent[]; displayTimeUnit: 'ns' } {
        const unfinished = [...this.open.values()].map(call => ({ call, args: { ...call.args, unfinished: true } }));
        const events = [...this.events];
        for (const { call, args } of unfinished) {
            const duration = micros(Math.max(0, this.lastCycle - call.cycle));
            events.push({ name: call.name, ph: 'X', ts: micros(call.cycle), dur: duration, pid: PID, tid: this.track(call.server), cat: 'call', args });
            events.push({ name: `waiting for ${call.name}`, ph: 'X', ts: micros(call.cycle), dur: duration, pid: PID, tid: this.track(call.caller), cat: 'wait', args });
        }
        const metadata: ChromeEvent[] = [...this.threads].map(([thread, tid]) => ({ name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid, args: { name: thread } }));
        return { traceEvents: [...metadata, ...events], displayTimeUnit: 'ns' };
    }

    private slices(call: OpenCall, end: number, args: Record<string, string | number | boolean>): void {
        const duration = micros(end - call.cycle);
        this.events.push({ name: call.name, ph: 'X', ts: micros(call.cycle), dur: duration, pid: PID, tid: this.track(call.server), cat: 'call', args });
        this.events.push({ name: `waiting for ${call.name}`, ph: 'X', ts: micros(call.cycle), dur: duration, pid: PID, tid: this.track(call.caller), cat: 'wait', args });
    }

    /** A flow arrow from one thread's track to another's at one moment. */
    private flow(name: string, from: string, to: string, cycle: number): void {
        const id = this.nextFlow++;
        this.events.push({ name, ph: 's', ts: micros(cycle), pid: PID, tid: this.track(from), cat: 'ipc', id });
        this.events.push({ name, ph: 'f', bp: 'e', ts: micros(cycle), pid: PID, tid: this.track(to), cat: 'ipc', id });
    }

    private track(thread: string): number {
        let tid = this.threads.get(thread);
        if (tid === undefined) {
            tid = this.threads.size + 1;
            this.threads.set(thread, tid);
        }
        return tid;
    }
}
