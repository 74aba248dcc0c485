/**
 * Per-method statistics of a run: calls, cycles between call and reply, and the share of messages that
 * stayed in registers (by the layout) and that took the kernel's fastpath (as it happened).
 */
import type { InterfaceLayout, TraceMap } from '../contract/index.js';
import type { TypedEvent } from './typed-trace.js';

export interface MethodStats {
    readonly method: string;
    calls: number;
    replies: number;
    cycles: number;
    fastpath: number;
    messages: number;
    readonly registerOnly: boolean;
}

export class TraceStats {
    private readonly methods = new Map<string, MethodStats>();
    private readonly registerOnly = new Map<string, boolean>();

    constructor(map: TraceMap) {
        for (const { interface: layout } of Object.values(map.endpoints)) this.learn(layout);
    }

    add(event: TypedEvent): void {
        if (event.kind !== 'call' && event.kind !== 'send' && event.kind !== 'reply') return;
        const key = `${event.interface}.${event.method}`;
        let stats = this.methods.get(key);
        if (!stats) {
            stats = { method: key, calls: 0, replies: 0, cycles: 0, fastpath: 0, messages: 0, registerOnly: this.registerOnly.get(key) ?? false };
            this.methods.set(key, stats);
        }
        stats.messages++;
        if (event.fastpath) stats.fastpath++;
        if (event.kind === 'reply') {
            stats.replies++;
            stats.cycles += event.elapsed ?? 0;
        } else {
            stats.calls++;
        }
    }

    /** Rows sorted by method name, and a total. */
    table(): string[] {
        const rows = [...this.methods.values()].sort((a, b) => a.method.localeCompare(b.method));
        const lines = [`${'method'.padEnd(32)} ${'calls'.padStart(8)} ${'cycles'.padStart(12)} ${'per call'.padStart(9)}  registers  fastpath`];
        for (const row of rows) {
            const perCall = row.replies > 0 ? Math.round(row.cycles / row.replies) : 0;
            lines.push(`${row.method.padEnd(32)} ${String(row.calls).padStart(8)} ${String(row.cycles).padStart(12)} ${String(perCall).padStart(9)}  ${(row.registerOnly ? 'yes' : 'no').padEnd(9)}  ${percent(row.fastpath, row.messages).padStart(8)}`);
        }
        const messages = rows.reduce((sum, row) => sum + row.messages, 0);
        const fast = rows.reduce((sum, row) => sum + row.fastpath, 0);
        const inRegisters = rows.filter(row => row.registerOnly).reduce((sum, row) => sum + row.messages, 0);
        lines.push(`${messages} messages: ${percent(inRegisters, messages)} register-only, ${percent(fast, messages)} on the fastpath`);
        return lines;
    }

    private learn(layout: InterfaceLayout): void {
        const name = layout.name.slice(layout.name.lastIndexOf('.') + 1);
        for (const method of layout.methods) {
            const inRegisters = method.request.memoryWords === 0 && (method.reply?.memoryWords ?? 0) === 0;
            this.registerOnly.set(`${name}.${method.name}`, inRegisters);
        }
    }
}

function percent(part: number, whole: number): string {
    return whole === 0 ? '-' : `${Math.round((100 * part) / whole)}%`;
}
