/**
 * Rows of a live run, as the Trace view gets them: the supervised-restart example run through the
 * session library shows its calls, the fault, the error reply to the call it cut short, and the calls after
 * the restart; every row says what the command line's trace line says.
 */
import * as path from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { expect, test } from 'vitest';
import { formatTraceLine, type TypedEvent } from '../../../runtime/trace/index.js';
import { Session, SourceMap, bootRunnable } from '../../../src/session/index.js';
import { rowOf, type TraceRow } from '../../../extension/src/trace-model/trace-row.js';

const ROOT = path.resolve(__dirname, '../../..');

async function runExample(file: string): Promise<{ events: TypedEvent[]; rows: TraceRow[] }> {
    const session = new Session(NodeFileSystem.fileSystemProvider());
    const compiled = await session.compile({ uri: URI.file(path.join(ROOT, file)), shownAs: file });
    if (compiled.kind !== 'compiled') throw new Error(`${file} did not compile`);
    const run = bootRunnable(compiled.system);
    const events: TypedEvent[] = [];
    const rows: TraceRow[] = [];
    // As the extension's runner finds a fault's statement.
    const faultSite = (thread: string, pc: number) => {
        const location = run.sourceMap.locate(thread, pc);
        return location && SourceMap.format(location);
    };
    run.subscribeTyped(event => {
        events.push(event);
        const row = rowOf(event, rows.length, faultSite);
        if (row) rows.push(row);
    });
    const outcome = await run.run();
    expect(outcome.kind).toBe('finished');
    return { events, rows };
}

test('a faulting, restarted server: calls, the fault, the error reply to the call it cut short, calls after the restart', async () => {
    const { events, rows } = await runExample('examples/supervised-restart/supervised.uk');
    expect(rows.length).toBe(events.length);
    const fault = rows.findIndex(row => row.kind === 'fault');
    const faultEvent = events[fault];
    if (faultEvent.kind !== 'fault') throw new Error('the fault row comes from the fault event');
    expect(rows[fault]).toMatchObject({ from: 'counter', label: 'fault: index-out-of-bounds (handled)', details: [`pc = 0x${faultEvent.pc.toString(16)}`, 'handled = true'] });
    expect(rows[fault - 1]).toMatchObject({ kind: 'call', from: 'driver', to: 'counter', label: 'Counter.increment(by=5)', fastpath: true });
    // The supervisor answers the call the fault cut short with an error, restarts the server, and calls go on.
    expect(rows.slice(fault + 1, fault + 3).map(row => [row.label, row.error ?? false])).toEqual([['Counter.increment = error ServerFailed', true], ['Counter.increment(by=6)', false]]);
    // Each row says what `ukc run --trace` prints for its event, less the stamp and the arrow.
    for (const [index, row] of rows.entries()) {
        const line = formatTraceLine(events[index]);
        if (row.kind === 'call' || row.kind === 'send' || row.kind === 'reply') expect(line, line).toContain(`  ${row.label}`);
        expect(line).toContain(`[${String(row.cycle).padStart(10)}]`);
    }
});

// A panic is inline in the statement that fails (docs/ABI.md), so the fault's pc has that statement's line:
// `history[calls] = by`, which indexes past the end on the fifth call.
test('the fault row names the statement that faulted', async () => {
    const { rows } = await runExample('examples/supervised-restart/supervised.uk');
    expect(rows.find(row => row.kind === 'fault')?.site).toBe('supervised.uk:19:9');
});
