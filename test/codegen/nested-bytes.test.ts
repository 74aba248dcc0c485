/**
 * Byte buffers inside structs, arrays and vecs in messages, end to end: a value a compiled client writes
 * arrives equal at the compiled server and back, in every direction (in, result, inout, out) and every
 * transport a vec of them takes (the message's words, the shared region, a lease); `ukc run --trace` shows
 * them as their bytes; and for random values the layout codec and the trace decoder read the words the
 * compiled stubs send exactly as the values meant.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import type { MessageLayout } from '../../src/layout/index.js';
import { decodeMessage } from '../../runtime/trace/message-decoder.js';
import { ROOT, runUkc } from '../cli/run-ukc.js';
import { build, services } from '../helpers.js';
import { Syscall, messageInfo } from '../../runtime/contract/index.js';
import { bootWithHandWritten, compileAndRun, compileSource } from './compile-helper.js';

const FIXTURE = 'test/fixtures/codegen/nested-bytes.uk';

describe('byte buffers inside structs, arrays and vecs in compiled messages', () => {
    it('travel in every direction and transport, and show as their bytes in the trace', async () => {
        const run = await runUkc(['run', '--trace', FIXTURE]);
        expect(run.code).toBe(0);
        const lines = run.stdout.split('\n');
        expect(lines.filter(line => !line.startsWith('['))).toEqual([
            'put 28', 'get 9 10 15', 'swap 2 6 5', 'server 2 1 2', 'big 3', '3 99 7 1', '2 7 15 1', ''
        ]);
        expect(lines.filter(line => line.startsWith('[')).map(line => line.slice(13).replace(/, \d+ cycles$/, ''))).toEqual([
            'p -> s  Store.put(e={key=7, data=[10, 11, 12, 13, 14, 15]}, rows={[0]=[1, 2, 3], [1]=[4, 5, 6]})  fast',
            'p <- s  Store.put = 28  fast',
            'p -> s  Store.get(key=9)  fast',
            'p <- s  Store.get = (e={key=9, data=[10, 11, 12, 13, 14, 15]})  fast',
            'p -> s  Store.swap(b=[[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]])  fast',
            'p <- s  Store.swap = (result=2, b=[[6, 7, 8, 9, 10], [1, 2, 3, 4, 5]])  fast',
            'p -> s  Store.big(b={offset=0, length=2}, entries={length=0})  fast',
            'p <- s  Store.big = (result=3, b={length=3}, entries={length=2})  fast'
        ]);
    });

    it('run the same under every kernel personality', () => {
        // The bundled command, whose worker threads start from dist/ (compare-command.test.ts).
        const run = spawnSync(process.execPath, ['bin/ukc.js', 'compare', FIXTURE], { cwd: ROOT, encoding: 'utf8' });
        expect(run.status).toBe(0);
        expect(run.stdout).toContain('outcome: the same under every personality, finished');
        expect(run.stdout).toContain('console output: the same under every personality (7 lines)');
    });
});

/** One random value of each shape the wire interface below sends. */
interface Sample {
    readonly key: number;
    readonly data: number[];
    readonly tag: number[];
    readonly rows: number[][];
    readonly blobs: number[][];
}

const WIRE = `struct Entry { key: u16, data: bytes[6], tag: bytes[1] }
interface Wire {
    a(e: Entry, rows: [bytes[3]; 2], blobs: inout vec[bytes[5]; 3]) -> (e: Entry)
    b(e: Entry, rows: [bytes[3]; 2], blobs: shared inout vec[bytes[5]; 3]) -> (e: Entry)
    c(e: Entry, rows: [bytes[3]; 2], blobs: lease inout vec[bytes[5]; 3]) -> (e: Entry)
}`;

const bytes = (count: number) => fc.array(fc.integer({ min: 0, max: 255 }), { minLength: count, maxLength: count });

function samples(seed: number): Sample[] {
    const drawn = fc.sample(fc.record({
        key: fc.integer({ min: 0, max: 65534 }), data: bytes(6), tag: bytes(1),
        rows: fc.array(bytes(3), { minLength: 2, maxLength: 2 }), blobs: fc.array(bytes(5), { maxLength: 3 })
    }), { numRuns: 8, seed });
    return [...drawn, { key: 65534, data: [255, 255, 255, 255, 255, 255], tag: [255], rows: [[255, 255, 255], [255, 255, 255]], blobs: [[255, 255, 255, 255, 255], [0, 0, 0, 0, 0], [1, 2, 3, 4, 5]] }];
}

const list = (values: readonly number[]) => `[${values.join(', ')}]`;
const entryLiteral = (sample: Sample) => `Entry { key: ${sample.key}, data: ${list(sample.data)}, tag: ${list(sample.tag)} }`;

/** What the handler does (below): the entry comes back with key + 1 and its first byte the last row's last; the vec gains its tag and its first element's last byte is the tag. */
function answered(sample: Sample): { e: Sample; blobs: number[][] } {
    const data = [sample.rows[1][2], ...sample.data.slice(1)];
    const blobs = sample.blobs.map(blob => [...blob]);
    if (blobs.length < 3) blobs.push(Array(5).fill(sample.tag[0]));
    blobs[0][4] = sample.tag[0];
    return { e: { ...sample, key: sample.key + 1, data }, blobs };
}

/** Words of a buffer four bytes to a word, little-endian, as the layout flattens it (`#0`, `#1`, ...). */
function bufferWords(path: string, values: readonly number[], into: Record<string, bigint>): void {
    for (let w = 0; 4 * w < values.length; w++) {
        into[`${path}#${w}`] = BigInt(values.slice(4 * w, 4 * w + 4).reduce((word, byte, i) => word | (byte << (8 * i)), 0) >>> 0);
    }
}

function entryWords(sample: Sample, into: Record<string, bigint>): void {
    into['e.key'] = BigInt(sample.key);
    bufferWords('e.data', sample.data, into);
    bufferWords('e.tag', sample.tag, into);
}

function blobWords(blobs: readonly number[][], into: Record<string, bigint>): void {
    into['blobs.length'] = BigInt(blobs.length);
    // Elements past the length travel as zeros.
    for (let i = 0; i < 3; i++) bufferWords(`blobs[${i}]`, blobs[i] ?? [0, 0, 0, 0, 0], into);
}

async function wireLayouts(): Promise<{ request: MessageLayout; reply: MessageLayout }[]> {
    const document = await build(WIRE);
    const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
    return layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profileOrDefault('ukvm32')).layout.methods.map(method => {
        if (!method.reply) throw new Error('no reply');
        return { request: method.request, reply: method.reply };
    });
}

describe('nested byte buffers on the wire, for random values', () => {
    it('arrive equal at the server and back through the compiled stubs, and the codec and the trace decoder read the words they send', async () => {
        const drawn = { a: samples(1801), b: samples(1802), c: samples(1803) };
        const handler = (method: string) => `    on ${method}(e, rows, blobs) {
        print("${method} {} {} {}", e.key, e.data[0], e.data[5])
        print("tag {} rows {} {} {} {} {} {}", e.tag[0], rows[0][0], rows[0][1], rows[0][2], rows[1][0], rows[1][1], rows[1][2])
        for i in 0..len(blobs) { print("blob {} {} {} {} {}", blobs[i][0], blobs[i][1], blobs[i][2], blobs[i][3], blobs[i][4]) }
        var r = e
        r.key = e.key + 1
        r.data[0] = rows[1][2]
        if len(blobs) < 3 { push(blobs, [e.tag[0]; 5]) }
        blobs[0][4] = e.tag[0]
        reply r
    }`;
        const calls = (method: string, values: readonly Sample[]) => values.map((sample, i) => `
        var b${method}${i}: vec[bytes[5]; 3] = [${sample.blobs.map(list).join(', ')}]
        let r${method}${i} = w.${method}(${entryLiteral(sample)}, [${sample.rows.map(list).join(', ')}], b${method}${i})
        print("back {} {} {} {} {} {} {} {}", r${method}${i}.key, r${method}${i}.data[0], r${method}${i}.data[1], r${method}${i}.data[2], r${method}${i}.data[3], r${method}${i}.data[4], r${method}${i}.data[5], r${method}${i}.tag[0])
        for k in 0..len(b${method}${i}) { print("blob {} {} {} {} {}", b${method}${i}[k][0], b${method}${i}[k][1], b${method}${i}[k][2], b${method}${i}[k][3], b${method}${i}[k][4]) }`).join('');
        const run = await compileAndRun(`${WIRE}
server S implements Wire {
${handler('a')}
${handler('b')}
${handler('c')}
}
program P { uses w: Wire main {${calls('a', drawn.a)}${calls('b', drawn.b)}${calls('c', drawn.c)}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.w -> s badge 1 }`);
        const blobLines = (blobs: readonly number[][]) => blobs.map(blob => `blob ${blob.join(' ')}`);
        const expected = (method: string, values: readonly Sample[]) => values.flatMap(sample => {
            const { e, blobs } = answered(sample);
            return [
                `${method} ${sample.key} ${sample.data[0]} ${sample.data[5]}`, `tag ${sample.tag[0]} rows ${[...sample.rows[0], ...sample.rows[1]].join(' ')}`, ...blobLines(sample.blobs),
                `back ${e.key} ${e.data.join(' ')} ${e.tag[0]}`, ...blobLines(blobs)
            ];
        });
        expect(run.output).toBe([...expected('a', drawn.a), ...expected('b', drawn.b), ...expected('c', drawn.c)].join('\n') + '\n');

        // The inline method's request and reply words, as the layout codec and the trace decoder read them.
        const [{ request, reply }] = await wireLayouts();
        const requestCodec = createCodec(request, 32);
        const replyCodec = createCodec(reply, 32);
        const messages = (operation: 'call' | 'reply') => run.events.flatMap(event => (event.kind === 'ipc' && event.operation === operation ? [event.words] : [])).slice(0, drawn.a.length);
        const unpack = (codec: typeof requestCodec, words: readonly number[]) => codec.unpack(words.map(word => BigInt(word >>> 0)));
        expect(messages('call').map(words => unpack(requestCodec, words))).toEqual(drawn.a.map(sample => {
            const values: Record<string, bigint> = {};
            entryWords(sample, values);
            bufferWords('rows[0]', sample.rows[0], values);
            bufferWords('rows[1]', sample.rows[1], values);
            blobWords(sample.blobs, values);
            return values;
        }));
        expect(messages('reply').map(words => unpack(replyCodec, words))).toEqual(drawn.a.map(sample => {
            const { e, blobs } = answered(sample);
            const values: Record<string, bigint> = {};
            entryWords(e, values);
            blobWords(blobs, values);
            return values;
        }));
        const decoded = (layout: MessageLayout, words: readonly number[]) => Object.fromEntries(decodeMessage(layout, words).map(value => [value.name, value.text]));
        expect(messages('call').map(words => decoded(request, words))).toEqual(drawn.a.map(sample => ({
            'e.key': String(sample.key), 'e.data': list(sample.data), 'e.tag': list(sample.tag),
            'rows[0]': list(sample.rows[0]), 'rows[1]': list(sample.rows[1]), blobs: `[${sample.blobs.map(list).join(', ')}]`
        })));
        // And the codec packs what compiled stubs pack: the same words back from the values.
        expect(messages('call').map(words => requestCodec.pack(unpack(requestCodec, words)).map(Number))).toEqual(messages('call').map(words => words.map(word => word >>> 0)));
    });
});

describe('the trace decoder and values inside a vec\'s elements', () => {
    it('shows a buffer or a string inside an element within it, once', async () => {
        const document = await build(`struct Named { id: u8, name: string[4], raw: bytes[2] }
interface I { put(v: vec[Named; 2], s: vec[string[3]; 2], b: vec[bytes[3]; 2]) }`);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const request = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profileOrDefault('ukvm32')).layout.methods[0].request;
        // Every field zero but those named: items past a length travel as zeros.
        const zeros = Object.fromEntries(request.scalars.map(scalar => [scalar.path, 0n]));
        const words = createCodec(request, 32).pack({
            ...zeros, 'v.length': 1n, 'v[0].id': 1n, 'v[0].name.length': 2n, 'v[0].name#0': 0x6261n, 'v[0].raw#0': 0x0807n,
            's.length': 2n, 's[0].length': 1n, 's[0]#0': 0x78n, 's[1].length': 2n, 's[1]#0': 0x7a79n,
            'b.length': 2n, 'b[0]#0': 0x030201n, 'b[1]#0': 0xff0000n
        }).map(Number);
        expect(decodeMessage(request, words).map(value => `${value.name}=${value.text}`)).toEqual([
            'v=[{id=1, name="ab", raw=[7, 8]}]', 's=["x", "yz"]', 'b=[[1, 2, 3], [0, 0, 255]]'
        ]);
    });
});

describe('what a server takes of a nested buffer from a message', () => {
    it('only the buffer\'s bytes: bits a sender sets above its last word\'s width never reach the handler\'s value', async () => {
        // Pair's data is MR0 (bytes 0..3) and MR1 bits 0..15 (bytes 4, 5); MR1's bits 16..31 belong to nothing.
        const source = `struct Pair { data: bytes[6] }
interface I { same(p: Pair) -> bool }
server S implements I { on same(p) {
    print("{} {}", p.data[4], p.data[5])
    reply p == Pair { data: [1, 2, 3, 4, 5, 6] }
} }
system Y { instance s: S { priority: 100 } }`;
        const compiled = (await compileSource({ 'main.uk': source })).compiled;
        if (!compiled) throw new Error('not compiled');
        const call = (mr1: number) => [
            `    li a2, ${0x0403_0201}`, `    li a3, ${mr1 | 0}`,
            '    li a0, 1', `    li a1, ${messageInfo(1, 2)}`, `    li a7, ${Syscall.Call}`, '    ecall'
        ].join('\n');
        const booted = bootWithHandWritten(compiled, {
            name: 'raw', priority: 50, source: `
_start:
${call(0x0000_0605)}
${call(0xffff_0605)}
${call(0x0000_0705)}
park:
    j park
`,
            caps: [{ slot: 1, endpoint: 's.endpoint', rights: 'w' }]
        });
        let output = '';
        const replies: number[][] = [];
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        booted.kernel.events.subscribe(event => {
            if (event.kind === 'ipc' && event.operation === 'reply') replies.push([event.label, event.words[0]]);
        });
        booted.kernel.run(2_000_000);
        expect(output).toBe('5 6\n5 6\n5 7\n');
        expect(replies).toEqual([[0, 1], [0, 1], [0, 0]]);
    });
});
