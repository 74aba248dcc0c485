/**
 * Unions and optionals wider than 64 bits in messages: random values travel across three message words
 * each (the tag, then the variant's region, as the layout engine lays it out), arrive equal at the server
 * and come back equal; the words are the codec's and the trace shows the values. A bad tag in a request gets
 * the bad-message reply before the handler; a bad tag in a reply is the bad-message error at the client.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { BAD_BULK_LABEL, IPC_BUFFER, IPC_MSG, Syscall, messageInfo } from '../../runtime/contract/index.js';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { build, services } from '../helpers.js';
import { bootWithHandWritten, compileSource, runCompiled, runRawClient } from './compile-helper.js';

// Wide is 80 bits; Big is a 2-bit tag and an 80-bit region (82 bits), Wide? a 1-bit tag and 80 bits (81).
const DECLARATIONS = `struct Wide { a: u32, b: i32, c: u16 }
union Big { wide: Wide, id: u64, empty }
enum Oops : u8 { Bad = 1 }
interface Far {
    swap(x: Big, o: Wide?, n: u8) -> (x: Big, o: Wide?)
    fetch() -> Big raises Oops
    plain() -> Big
}`;

interface WideValue { a: number; b: number; c: number }
type Big = { variant: 'wide'; value: WideValue } | { variant: 'id'; value: bigint } | { variant: 'empty' };
interface Sent { x: Big; o: WideValue | null; n: number }

const wide: fc.Arbitrary<WideValue> = fc.record({
    a: fc.integer({ min: 0, max: 0xffff_ffff }), b: fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff }), c: fc.integer({ min: 0, max: 0xffff })
});
const big: fc.Arbitrary<Big> = fc.oneof(
    fc.record({ variant: fc.constant('wide' as const), value: wide }),
    fc.record({ variant: fc.constant('id' as const), value: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }),
    fc.constant({ variant: 'empty' as const })
);

const wideSource = (w: WideValue) => `Wide { a: ${w.a}, b: ${w.b}, c: ${w.c} }`;
function bigSource(x: Big): string {
    switch (x.variant) {
        case 'wide': return `Big.wide(${wideSource(x.value)})`;
        case 'id': return `Big.id(${x.value})`;
        case 'empty': return 'Big.empty';
    }
}
const optionalSource = (o: WideValue | null) => (o === null ? 'none' : wideSource(o));
const optionalText = (o: WideValue | null) => (o === null ? 'none' : `some(${wideSource(o)})`);

/** The region's bits of a Wide: a, then b (two's complement), then c. */
const wideBits = (w: WideValue) => BigInt(w.a) | (BigInt(w.b >>> 0) << 32n) | (BigInt(w.c) << 64n);
function bigBits(x: Big): bigint {
    switch (x.variant) {
        case 'wide': return 0n | (wideBits(x.value) << 2n);
        case 'id': return 1n | (x.value << 2n);
        case 'empty': return 2n;
    }
}
const optionalBits = (o: WideValue | null) => (o === null ? 0n : 1n | (wideBits(o) << 1n));

async function farLayout() {
    const document = await build(DECLARATIONS);
    const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
    const profile = profileOrDefault('ukvm32');
    return { layout: layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout, wordBits: profile.wordBits };
}

describe('unions wider than 64 bits in messages', () => {
    it('random values arrive equal and come back equal; the words are the codec\'s, and the trace shows the values', async () => {
        const sent: Sent[] = fc.sample(fc.record({ x: big, o: fc.option(wide, { nil: null }), n: fc.integer({ min: 0, max: 255 }) }), { numRuns: 16, seed: 18 });
        sent.push({ x: { variant: 'wide', value: { a: 0xffff_ffff, b: -0x8000_0000, c: 0xffff } }, o: { a: 0, b: -1, c: 0xffff }, n: 255 });
        const outcome = await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Far {
    on swap(x, o, n) {
        print("server {} {} {}", x, o, n)
        reply (x, o)
    }
    on fetch() { reply Big.empty }
    on plain() { reply Big.empty }
}
program P { uses f: Far main {
${sent.map((value, i) => `    let (x${i}, o${i}) = f.swap(${bigSource(value.x)}, ${optionalSource(value.o)}, ${value.n})
    print("client {} {} {}", x${i}, o${i}, x${i} == ${bigSource(value.x)})`).join('\n')}
} }
system Y { instance s: S { priority: 100 } instance p: P { priority: 50 } connect p.f -> s badge 1 }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe(sent.map(value => `server ${bigSource(value.x)} ${optionalText(value.o)} ${value.n}\n`
            + `client ${bigSource(value.x)} ${optionalText(value.o)} true\n`).join(''));

        const { layout, wordBits } = await farLayout();
        const swap = layout.methods[0];
        // Three whole words each, and the byte in a word of its own: seven words, three past the registers.
        expect(swap.request.scalars.map(scalar => [scalar.path, scalar.placement.word, scalar.placement.bits])).toEqual([['x', 0, 82], ['o', 3, 81], ['n', 6, 8]]);
        const codec = createCodec(swap.request, wordBits);
        const replyCodec = createCodec(swap.reply ?? swap.request, wordBits);
        const words = (operation: string) => run.events.flatMap(event => (event.kind === 'ipc' && event.operation === operation ? [event.words.map(word => BigInt(word >>> 0))] : []));
        expect(words('call').map(request => codec.unpack(request))).toEqual(sent.map(value => ({ x: bigBits(value.x), o: optionalBits(value.o), n: BigInt(value.n) })));
        expect(words('reply').map(reply => replyCodec.unpack(reply))).toEqual(sent.map(value => ({ x: bigBits(value.x), o: optionalBits(value.o) })));

        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = run.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'call' && typed?.kind !== 'reply') return [];
            return [formatTraceLine(typed).replace(/^\[ *\d+\] /, '').replace(/ {2}(fast|slow|\d+ cycles).*$/, '')];
        });
        const last = sent[sent.length - 1];
        expect(lines.slice(-2)).toEqual([
            `p -> s  Far.swap(x=${bigSource(last.x)}, o=${optionalText(last.o)}, n=${last.n})`,
            `p <- s  Far.swap = (x=${bigSource(last.x)}, o=${optionalText(last.o)})`
        ]);
    });

    it('refuses a request whose tag names no variant with the bad-message reply, before the handler runs', async () => {
        const compiled = (await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Far {
    on swap(x, o, n) { print("handled {} {} {}", x, o, n) reply (x, o) }
    on fetch() { reply Big.empty }
    on plain() { reply Big.empty }
}
system Y { instance s: S { priority: 100 } }` })).compiled;
        if (!compiled) throw new Error('not compiled');
        const { layout, wordBits } = await farLayout();
        const codec = createCodec(layout.methods[0].request, wordBits);
        // Big has three variants, so tag 3 of its two bits names none, whatever the region holds.
        const requests = [
            { x: 3n, o: 0n, n: 1n },
            { x: 3n | (0xffffn << 66n), o: optionalBits({ a: 1, b: 2, c: 3 }), n: 2n },
            { x: bigBits({ variant: 'id', value: (1n << 64n) - 1n }), o: 0n, n: 3n }
        ];
        const calls = requests.map(values => {
            const packed = codec.pack(values);
            return [
                ...packed.map((value, i) => (i < 4 ? `    li a${2 + i}, ${Number(value) | 0}` : `    li t0, ${Number(value) | 0}\n    sw t0, ${IPC_MSG + 4 * i}(s1)`)),
                '    li a0, 1', `    li a1, ${messageInfo(1, packed.length)}`, `    li a7, ${Syscall.Call}`, '    ecall'
            ].join('\n');
        });
        const { labels, output } = runRawClient(compiled, `
    li s1, ${IPC_BUFFER}
${calls.join('\n')}
`);
        expect(labels).toEqual([BAD_BULK_LABEL, BAD_BULK_LABEL, 0]);
        expect(output).toBe('handled Big.id(18446744073709551615) none 3\n');
    });

    it('makes a reply whose tag names no variant the bad-message error at the client: caught, or the component stops', async () => {
        const outcome = (await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Far {
    on swap(x, o, n) { reply (x, o) }
    on fetch() { reply Big.empty }
    on plain() { reply Big.empty }
}
program P { uses f: Far main {
    let a = f.fetch() catch e { print("caught {}", e as u32) return }
    print("fetched {}", a)
    f.fetch() catch e { print("caught {}", e as u32) }
    let c = f.plain()
    print("plain {}", c)
    let d = f.plain()
    print("never {}", d)
} }
system Y { instance s: S { priority: 100 } instance p: P { priority: 50 } connect p.f -> s badge 1 }` }));
        expect(outcome.problems).toEqual([]);
        const compiled = outcome.compiled;
        if (!compiled) throw new Error('not compiled');
        const { layout, wordBits } = await farLayout();
        const fetchReply = createCodec(layout.methods[1].reply ?? layout.methods[1].request, wordBits);
        const plainReply = createCodec(layout.methods[2].reply ?? layout.methods[2].request, wordBits);
        const reply = (words: readonly bigint[]) => [
            ...words.map((value, i) => `    li a${2 + i}, ${Number(value) | 0}`),
            '    li a0, 1', `    li a1, ${messageInfo(0, words.length)}`, `    li a7, ${Syscall.ReplyRecv}`, '    ecall'
        ].join('\n');
        // In order: a good fetch, a fetch with tag 3 (caught), a good plain, a plain with tag 3 (nothing catches it).
        const replies = [
            reply(fetchReply.pack({ result: bigBits({ variant: 'id', value: 7n }) })),
            reply(fetchReply.pack({ result: 3n | (5n << 2n) })),
            reply(plainReply.pack({ result: bigBits({ variant: 'wide', value: { a: 4, b: -5, c: 6 } }) })),
            reply([3n, 0n, 0n])
        ];
        const booted = bootWithHandWritten(compiled, {
            name: 'raw', priority: 100, replaces: 's', source: `
_start:
    li a0, 1
    li a7, ${Syscall.Recv}
    ecall
${replies.join('\n')}
park:
    j park
`,
            caps: [{ slot: 1, endpoint: 's.endpoint', rights: 'r' }]
        });
        let output = '';
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        booted.kernel.run(5_000_000);
        expect(output).toBe([
            'fetched Big.id(7)', `caught ${BAD_BULK_LABEL}`, 'plain Big.wide(Wide { a: 4, b: -5, c: 6 })',
            'call failed: a malformed reply (a union tag that names no variant) at main.uk:20:13', ''
        ].join('\n'));
    });
});
