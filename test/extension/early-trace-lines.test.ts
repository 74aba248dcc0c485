/**
 * A traced run's terminal while the Trace view loads: the first events as `ukc run --trace` writes them
 * (the same text, checked against the command line's encoder on a real run), at most the limit, a line of
 * their own even after unfinished program output, and a closing note once the view is there or the limit
 * is reached; nothing at all when the view is already there.
 */
import * as path from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { beforeAll, expect, test } from 'vitest';
import { formatTraceLine, OutputBuffer, type TypedEvent } from '../../runtime/trace/index.js';
import { Session, SourceMap, TraceSinks, bootRunnable, type ConsoleSink } from '../../src/session/index.js';
import { EARLY_LINES_LIMIT, EarlyTraceLines } from '../../extension/src/session-commands/early-trace-lines.js';
import { rowOf } from '../../extension/src/trace-model/trace-row.js';

const ROOT = path.resolve(__dirname, '../..');

/** The calculator's events that are rows of the Trace view (what the runner hands EarlyTraceLines). */
let events: TypedEvent[] = [];
/** What `ukc run --trace` writes for the same run (the line encoder), with the program's output. */
let commandLine = '';
/** The same run's program output and EarlyTraceLines with no limit, the view never there. */
let terminal = '';

function textOf(write: (out: OutputBuffer) => void): string {
    const decoder = new TextDecoder();
    let text = '';
    const out = new OutputBuffer(bytes => { text += decoder.decode(bytes, { stream: true }); });
    write(out);
    out.flush();
    return text;
}

beforeAll(async () => {
    const session = new Session(NodeFileSystem.fileSystemProvider());
    const file = 'examples/calculator/calculator.uk';
    const compiled = await session.compile({ uri: URI.file(path.join(ROOT, file)), shownAs: file });
    if (compiled.kind !== 'compiled') throw new Error(`${file} did not compile`);
    const decoder = new TextDecoder();
    const cli = new OutputBuffer(bytes => { commandLine += decoder.decode(bytes, { stream: true }); });
    const early = new OutputBuffer(bytes => { terminal += decoder.decode(bytes, { stream: true }); });
    // One run, two consoles: the command line's (with its trace) and the terminal's.
    const both: ConsoleSink = {
        byte: value => { cli.byte(value); early.byte(value); },
        bytes: values => { cli.bytes(values); early.bytes(values); }
    };
    const run = bootRunnable(compiled.system, { console: both });
    const sinks = new TraceSinks(run, { lines: cli });
    const lines = new EarlyTraceLines(early, () => false, Number.MAX_SAFE_INTEGER);
    const faultSite = (thread: string, pc: number) => {
        const location = run.sourceMap.locate(thread, pc);
        return location && SourceMap.format(location);
    };
    run.subscribeTyped(event => {
        if (rowOf(event, events.length, faultSite)) {
            events.push(event);
            lines.add(event);
        }
    });
    expect((await run.run()).kind).toBe('finished');
    sinks.finish();
    cli.flush();
    early.flush();
});

test('with the view never there and no limit, the terminal reads as `ukc run --trace`', () => {
    expect(events.length).toBe(18);
    expect(commandLine).toContain('Calculator.div(a=1, b=0)');
    expect(terminal).toBe(commandLine);
});

test('at most the limit of lines, then one note, then nothing', () => {
    const text = textOf(out => {
        const lines = new EarlyTraceLines(out, () => false, 3);
        for (const event of events) lines.add(event);
    });
    expect(text).toBe([
        ...events.slice(0, 3).map(formatTraceLine),
        'ukc: the Trace view is still loading: it will show every event; the terminal shows the first 3',
        ''
    ].join('\n'));
    expect(EARLY_LINES_LIMIT).toBe(100);
});

test('once the view is there, one note and nothing more', () => {
    let showing = false;
    const text = textOf(out => {
        const lines = new EarlyTraceLines(out, () => showing);
        lines.add(events[0] as TypedEvent);
        lines.add(events[1] as TypedEvent);
        showing = true;
        for (const event of events.slice(2)) lines.add(event);
    });
    expect(text).toBe(`${formatTraceLine(events[0] as TypedEvent)}\n${formatTraceLine(events[1] as TypedEvent)}\nukc: the Trace view is open: the trace goes on there\n`);
});

test('a view already there: the terminal gets no trace line', () => {
    const text = textOf(out => {
        const lines = new EarlyTraceLines(out, () => true);
        for (const event of events) lines.add(event);
    });
    expect(text).toBe('');
});

test('a line of its own after program output that has not ended its line', () => {
    const text = textOf(out => {
        out.text('result: ');
        new EarlyTraceLines(out, () => false).add(events[0] as TypedEvent);
        out.text('7\n');
    });
    expect(text).toBe(`result: \n${formatTraceLine(events[0] as TypedEvent)}\n7\n`);
});
