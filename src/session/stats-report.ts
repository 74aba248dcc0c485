/**
 * What `ukc run --stats` prints after a run: the per-method figures table (runtime/trace/figures-table.ts)
 * and a line naming the kernel personality with its notable events.
 */
import type { KernelPersonalityName, NotableEvents } from '../../runtime/kernel/index.js';
import { figuresTable, type RunFigures } from '../../runtime/trace/index.js';

export function statsReport(kernel: KernelPersonalityName, figures: RunFigures, notable: readonly NotableEvents[]): string[] {
    return [...figuresTable(figures), `kernel ${kernel}: ${notableText(notable)}`];
}

/** `18 priority changes (priority inheritance), 2 pulses (...)`, or `no notable events`. */
export function notableText(notable: readonly NotableEvents[]): string {
    return notable.length === 0 ? 'no notable events' : notable.map(event => `${event.count} ${event.what}`).join(', ');
}
