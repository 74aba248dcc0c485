/**
 * `out` and `inout` strings and vecs end to end: what compiled servers write arrives equal at compiled
 * clients in every transport (inline, shared region, lease), for random values; the layout codec and the
 * trace decoder read the reply words compiled handlers send as the values meant; a reply whose string is
 * not UTF-8, or whose length is beyond the capacity, stops the client (bad-reply-data) instead of
 * reaching its code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { Syscall, messageInfo } from '../../runtime/contract/index.js';
import { decodeMessage } from '../../runtime/trace/message-decoder.js';
import { build, services } from '../helpers.js';
import { bootWithHandWritten, compileAndRun, compileSource } from './compile-helper.js';

const SYSTEM = 'system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.e -> s badge 1 }';
/** Characters of one to four UTF-8 bytes that a uk literal may hold as they are. */
const CHARACTERS = ['a', 'Z', '0', ' ', '{', '~', 'é', 'ß', '€', '中', '😀'];
const utf8 = (text: string) => new TextEncoder().encode(text);

interface Sample { readonly text: string; readonly nums: number[] }

/** Random strings of at most `capacity` bytes of UTF-8 and vecs of at most 5 u16s, and the extremes. */
function samples(capacity: number, seed: number): Sample[] {
    const text = fc.array(fc.constantFrom(...CHARACTERS), { maxLength: capacity }).map(chars => {
        while (utf8(chars.join('')).length > capacity) chars.pop();
        return chars.join('');
    });
    const drawn = fc.sample(fc.record({ text, nums: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 5 }) }), { numRuns: 10, seed });
    return [...drawn, { text: '', nums: [] }, { text: 'x'.repeat(capacity), nums: [65535, 0, 1, 2, 3] }];
}

/** A server whose handlers write sample `id` into their out and inout parameters, after printing what came. */
function generator(method: string, values: readonly Sample[]): string {
    const cases = values.map((value, i) => `        if id == ${i} { s = "${value.text}" v = [${value.nums.join(', ')}] }`).join('\n');
    return `    on ${method}(id, s, v) {
        print("${method} got [{}] {}", s, len(v))
${cases}
        reply id
    }`;
}

describe('out and inout strings and vecs in compiled code', () => {
    it('random strings and vecs written by a server arrive equal at the client, inline, through the shared region and leased', async () => {
        const inline = samples(16, 180);
        const shared = samples(70, 181);
        const leased = samples(40, 182);
        const interfaceText = `interface Gen {
    a(id: u8, s: out string[16], v: inout vec[u16; 5]) -> u8
    b(id: u8, s: shared out string[70], v: shared inout vec[u16; 5]) -> u8
    c(id: u8, s: lease inout string[40], v: lease out vec[u16; 5]) -> u8
}`;
        const calls = (method: string, values: readonly Sample[], capacity: number) => values.map((_, i) => `
    var s${method}${i}: string[${capacity}] = "stale"
    var v${method}${i}: vec[u16; 5] = [${i}, 7]
    let r${method}${i} = e.${method}(${i}, s${method}${i}, v${method}${i})
    print("{} [{}] {}", r${method}${i}, s${method}${i}, len(v${method}${i}))
    for k in 0..len(v${method}${i}) { print("{}", v${method}${i}[k]) }`).join('');
        const run = await compileAndRun(`${interfaceText}
server S implements Gen {
${generator('a', inline)}
${generator('b', shared)}
${generator('c', leased)}
}
program P { uses e: Gen main {${calls('a', inline, 16)}${calls('b', shared, 70)}${calls('c', leased, 40)}
} }
${SYSTEM}`);
        // a and b: an out string (empty at the server) and an inout vec; c: an inout string and an out vec.
        const expected = (method: string, values: readonly Sample[]) => values.map((value, i) =>
            [method === 'c' ? 'c got [stale] 0' : `${method} got [] 2`, `${i} [${value.text}] ${value.nums.length}`, ...value.nums.map(String)].join('\n') + '\n').join('');
        expect(run.output).toBe(expected('a', inline) + expected('b', shared) + expected('c', leased));

        // The inline replies, as the layout codec and the trace decoder read them.
        const document = await build(interfaceText);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const layout = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout;
        const reply = layout.methods[0].reply;
        if (!reply) throw new Error('no reply');
        const codec = createCodec(reply, profile.wordBits);
        const replies = run.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'reply' ? [event.words] : [])).slice(0, inline.length);
        expect(replies.map(words => codec.unpack(words.map(word => BigInt(word >>> 0))))).toEqual(inline.map(({ text, nums }, i) => {
            const bytes = utf8(text);
            const values: Record<string, bigint> = { result: BigInt(i), 's.length': BigInt(bytes.length), 'v.length': BigInt(nums.length) };
            for (let w = 0; w < 4; w++) values[`s#${w}`] = BigInt(((bytes[4 * w] ?? 0) | ((bytes[4 * w + 1] ?? 0) << 8) | ((bytes[4 * w + 2] ?? 0) << 16) | ((bytes[4 * w + 3] ?? 0) << 24)) >>> 0);
            for (let k = 0; k < 5; k++) values[`v[${k}]`] = BigInt(nums[k] ?? 0);
            return values;
        }));
        expect(replies.map(words => decodeMessage(reply, words).map(value => `${value.name}=${value.text}`))).toEqual(
            inline.map(({ text, nums }, i) => [`result=${i}`, `s=${JSON.stringify(text)}`, `v=[${nums.join(', ')}]`]));
        // The shared and leased replies carry the lengths; the items are where the server wrote them.
        const bulkReply = layout.methods[1].reply;
        if (!bulkReply) throw new Error('no reply');
        const bulkReplies = run.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'reply' ? [event.words] : [])).slice(inline.length, inline.length + shared.length);
        expect(bulkReplies.map(words => decodeMessage(bulkReply, words).map(value => `${value.name}=${value.text}`).join(' '))).toEqual(
            shared.map(({ text, nums }, i) => `result=${i} s.length=${utf8(text).length} v.length=${nums.length}`));
    });

    it('an inout string travels both ways, and a handler may push onto an out vec and reply with an error, which leaves the caller\'s variables alone', async () => {
        const run = await compileAndRun(`
enum Why : u8 { Full = 1 }
interface Edit { upper(s: inout string[8], v: out vec[u8; 2], fail: bool) -> u32 raises Why }
server S implements Edit {
    on upper(s, v, fail) {
        print("server {} {}", s, len(v))
        push(v, 1)
        push(v, 2)
        if fail { raise Why.Full }
        if s == "abc" { s = "ABC" } else { s = "?" }
        reply len(s)
    }
}
program P { uses e: Edit main {
    var s: string[8] = "abc"
    var v: vec[u8; 2] = [9]
    let n = e.upper(s, v, false) catch why { print("failed") return }
    print("{} {} {} {}", n, s, len(v), v[1])
    var t: string[8] = "keep"
    var w: vec[u8; 2] = [9]
    let m = e.upper(t, w, true) catch why {
        print("caught {}: {} {} {}", why, t, len(w), w[0])
        return
    }
} }
${SYSTEM}`);
        expect(run.output).toBe('server abc 0\n3 ABC 2 2\nserver keep 0\ncaught Full: keep 1 9\n');
    });
});

describe('a reply the client cannot trust', () => {
    /** A hand-written server in place of `s`: receives one call, answers with `words`, and waits for another. */
    async function answeredWith(words: readonly number[], source: string): Promise<{ output: string; panic: string | undefined; thread: string | undefined }> {
        const compiled = (await compileSource({ 'main.uk': source })).compiled;
        if (!compiled) throw new Error('not compiled');
        const booted = bootWithHandWritten(compiled, {
            name: 'raw', priority: 50, replaces: 's', source: `
_start:
    li a0, 1
    li a7, ${Syscall.Recv}
    ecall
${words.map((word, i) => `    li a${2 + i}, ${word | 0}`).join('\n')}
    li a1, ${messageInfo(0, words.length)}
    li a7, ${Syscall.Reply}
    ecall
    li a0, 1
    li a7, ${Syscall.Recv}
    ecall
`,
            caps: [{ slot: 1, endpoint: 's.endpoint', rights: 'rw' }]
        });
        let output = '';
        const events: { kind: string; panic?: string; thread?: string }[] = [];
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        booted.kernel.events.subscribe(event => events.push(event as { kind: string }));
        booted.kernel.run(2_000_000);
        const fault = events.find(event => event.kind === 'fault');
        return { output, panic: fault?.panic, thread: fault?.thread };
    }
    const client = (param: string) => `interface Names { get(into: ${param}) -> u8 }
server S implements Names { on get(into) { reply 0 } }
program P { uses e: Names main {
    var name: string[8]
    let r = e.get(name)
    print("got {} {}", r, name)
} }
system Y { instance s: S { priority: 100 } instance p: P { priority: 10 } connect p.e -> s badge 1 }`;

    // Reply words of get(into: out string[8]) -> u8 on ukvm32: into#0, into#1, then result (0..7) and into.length (8..11).
    const word = (bytes: readonly number[]) => (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8) | ((bytes[2] ?? 0) << 16) | ((bytes[3] ?? 0) << 24);
    for (const [what, bytes, length] of [
        ['an overlong NUL', [0xc0, 0x80], 2],
        ['a surrogate', [0xed, 0xa0, 0x80], 3],
        ['a sequence cut short', [0x61, 0xe2, 0x82], 3],
        ['a length beyond string[8]', [0x61], 9]
    ] as const) {
        it(`an out string with ${what} stops the client with bad-reply-data`, async () => {
            const outcome = await answeredWith([word(bytes), word(bytes.slice(4)), length << 8], client('out string[8]'));
            expect(outcome.output).toBe("bad reply: the string 'into' is not UTF-8 or longer than 8 bytes at main.uk:5:13\n");
            expect([outcome.thread, outcome.panic]).toEqual(['p', 'bad-reply-data']);
        });
    }

    it('a well-formed one is taken', async () => {
        const outcome = await answeredWith([word([0xe2, 0x82, 0xac, 0x61]), 0, (4 << 8) | 7], client('out string[8]'));
        expect(outcome.output).toBe('got 7 €a\n');
        expect(outcome.panic).toBeUndefined();
    });

    it('a leased out string whose length is beyond its capacity stops the client too', async () => {
        // get(into: lease out string[8]) -> u8: the reply's result at 0..7, into.length at 8..11.
        const outcome = await answeredWith([12 << 8], client('lease out string[8]'));
        expect(outcome.output).toBe("bad reply: the string 'into' is not UTF-8 or longer than 8 bytes at main.uk:5:13\n");
        expect([outcome.thread, outcome.panic]).toEqual(['p', 'bad-reply-data']);
    });
});
