/**
 * The line encoder (the fast path of `ukc run --trace`) must write exactly what the typed trace and
 * formatTraceLine write, for every event of every example and for the events it cannot plan for.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IpcEvent, KernelEvent } from '../../../runtime/kernel/index.js';
import { OutputBuffer, TraceLineEncoder, TypedTrace, formatTraceLine } from '../../../runtime/trace/index.js';
import { type TraceMap } from '../../../runtime/contract/index.js';
import { compileSource, runCompiled } from '../../codegen/compile-helper.js';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

/** Events interleaved with console output, as `ukc run` sees them. */
type Item = { readonly event: KernelEvent } | { readonly console: string };

function viaEncoder(map: TraceMap, items: readonly Item[]): string {
    let text = '';
    const decoder = new TextDecoder();
    const out = new OutputBuffer(bytes => { text += decoder.decode(bytes, { stream: true }); });
    const encoder = new TraceLineEncoder(map, out);
    for (const item of items) {
        if ('event' in item) encoder.add(item.event);
        else out.text(item.console);
    }
    out.flush();
    return text;
}

function viaTypedTrace(map: TraceMap, items: readonly Item[]): string {
    let text = '';
    const trace = new TypedTrace(map);
    for (const item of items) {
        if (!('event' in item)) {
            text += item.console;
            continue;
        }
        const typed = trace.translate(item.event);
        if (typed) text += `${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}${formatTraceLine(typed)}\n`;
    }
    return text;
}

async function runItems(files: Record<string, string>): Promise<{ map: TraceMap; items: Item[] }> {
    const outcome = await compileSource(files);
    if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
    const items: Item[] = [];
    const run = runCompiled(outcome.compiled);
    // Console output between the events, in the order it happened.
    for (const event of run.events) items.push(event.kind === 'console' ? { console: event.text } : { event });
    return { map: outcome.compiled.trace, items };
}

const example = (folder: string, ...files: string[]) => Object.fromEntries(files.map(file => [file, readFileSync(path.join(EXAMPLES, folder, file), 'utf8')]));

describe('the line encoder writes what the typed trace writes', () => {
    for (const [name, files] of [
        ['calculator', example('calculator', 'calculator.uk')],
        ['compare-models', example('compare-models', 'models.uk')],
        ['kv-store', example('kv-store', 'kv.uk')],
        ['pipeline', example('pipeline', 'pipeline.uk', 'types.uk')],
        ['supervised-restart', example('supervised-restart', 'supervised.uk')],
        ['name-server', example('name-server', 'names.uk')],
        ['byte buffers', { 'buffers.uk': readFileSync(path.join(__dirname, '../../fixtures/codegen/buffers.uk'), 'utf8') }],
        ['inline bytes', { 'inline.uk': readFileSync(path.join(__dirname, '../../fixtures/codegen/inline.uk'), 'utf8') }]
    ] as const) {
        it(name, async () => {
            const { map, items } = await runItems(files);
            const expected = viaTypedTrace(map, items);
            expect(expected.split('\n').length).toBeGreaterThan(8);
            expect(viaEncoder(map, items)).toBe(expected);
        });
    }

    it('every kind of scalar, negative and wide values, and events it has no plan for', async () => {
        const { map, items } = await runItems({ 'main.uk': `
enum Color : u8 { Red = 1, Green = 2 }
enum Oops : u16 { Bad = 3 }
bitfield Flags : u8 { a: 1, b: 3 }
struct Pair { x: i16, y: u8 }
interface Values {
    all(a: i8, b: i16, c: i32, f: bool, g: Color, h: Flags) -> (x: i32, y: Color)
    wide(d: u64, e: i64) -> i64
    pair(p: Pair, q: [u8; 2]) -> Pair raises Oops
    oneway note(v: u32)
}
server V implements Values {
    on all(a, b, c, f, g, h) { reply (c, g) }
    on wide(d, e) { reply e }
    on pair(p, q) {
        if p.x < 0 { raise Oops.Bad }
        reply Pair { x: p.x, y: q[1] }
    }
    on note(v) { }
}
program P {
    uses v: Values
    main {
        let (x, y) = v.all(0 - 128, 0 - 32768, 0 - 2147483648, true, Color.Green, Flags { a: 1, b: 5 })
        print("{} {} {}", x, y, v.wide(18446744073709551615, 0 - 9223372036854775807))
        let p = v.pair(Pair { x: 7, y: 200 }, [3, 4]) catch e { return }
        let q = v.pair(Pair { x: 0 - 1, y: 0 }, [0, 0]) catch e { print("caught")  return }
        v.note(4294967295)
    }
}
system S {
    instance v: V { priority: 100 }
    instance p: P { priority: 50 }
    connect p.v -> v badge 3
}` });
        const known = items.flatMap(item => ('event' in item && item.event.kind === 'ipc' ? [item.event] : []));
        const call = known.find(event => event.operation === 'call') as IpcEvent;
        const extra: Item[] = [
            // A label the interface does not have, and a reply to a thread with no call outstanding.
            { event: { ...call, label: 999, cycle: 1e10 + 5 } },
            { event: { ...call, operation: 'reply', from: call.to, to: 'nobody', endpoint: '' } },
            // A reply with an error label the method does not raise.
            { console: 'no newline yet' },
            { event: { ...call, cycle: 7 } },
            { event: { ...call, operation: 'reply', from: call.to, to: call.from, endpoint: '', label: 77 } }
        ];
        const all = [...items, ...extra];
        const expected = viaTypedTrace(map, all);
        expect(expected).toContain('(a=-128, b=-32768, c=-2147483648, f=true, g=Color.Green, h=Flags { a: 1, b: 5 })');
        expect(expected).toContain('(d=18446744073709551615, e=-9223372036854775807)');
        expect(expected).toContain('p={x=-1, y=0}, q={[0]=0, [1]=0}');
        expect(expected).toContain('label 999(mr0=');
        expect(expected).toContain('error label 77');
        expect(expected).toContain('no newline yet\n[');
        expect(viaEncoder(map, all)).toBe(expected);
    });
});
