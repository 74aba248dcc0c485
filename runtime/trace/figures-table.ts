/**
 * The figures of a run as the text table `ukc run --stats` prints: one row per method, a row for what
 * served no method, and a total. Columns are as wide as their widest cell, so the same figures give the
 * same bytes. A `refused` column follows `calls` only in a run where the kernel refused a message (RC
 * 4000's buffers ran out), so that runs without refusals keep their table as it is.
 */
import type { MethodFigures, RunFigures } from './run-figures.js';

/** A table's cells, the first `textColumns` columns left-aligned and the rest (numbers) right-aligned, two spaces apart. */
export function alignColumns(rows: readonly (readonly string[])[], textColumns = 1): string[] {
    const widths = rows[0].map((_, column) => Math.max(...rows.map(row => row[column].length)));
    return rows.map(row => row.map((cell, column) => (column < textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
}

/** A cycles-per-round-trip cell: `-` for a method nothing answered (one-way messages). */
export function roundTripCell(figures: MethodFigures): string {
    return figures.cyclesPerRoundTrip === undefined ? '-' : String(figures.cyclesPerRoundTrip);
}

export function figuresTable(figures: RunFigures): string[] {
    const refusals = figures.total.refused > 0;
    const rows = [['method', 'calls', ...(refusals ? ['refused'] : []), 'messages', 'bytes', 'switches', 'entries', 'cycles/rt', 'registers', 'fastpath']];
    const row = (f: MethodFigures, registers: string) => [
        f.method, String(f.calls), ...(refusals ? [String(f.refused)] : []), String(f.messages), String(f.bytesCopied), String(f.contextSwitches), String(f.kernelEntries),
        roundTripCell(f), registers, percent(f.fastpath, f.messages)
    ];
    for (const method of figures.methods) rows.push(row(method, method.messages === 0 ? '' : method.registerOnly ? 'yes' : 'no'));
    rows.push(row(figures.total, ''));
    return alignColumns(rows);
}

function percent(part: number, whole: number): string {
    return whole === 0 ? '-' : `${Math.round((100 * part) / whole)}%`;
}
