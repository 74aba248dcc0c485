/**
 * `string[N]` and `vec[T; N]` end to end: what compiled clients send arrives equal at compiled servers
 * (inline, through the shared region, leased), the layout codec and the trace decoder read the words
 * compiled stubs send as the values meant, and a server refuses what no compiled client sends (invalid
 * UTF-8, a length beyond the capacity) before a handler sees it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { BAD_BULK_LABEL, Syscall, messageInfo } from '../../runtime/contract/index.js';
import { decodeMessage } from '../../runtime/trace/message-decoder.js';
import { build, services } from '../helpers.js';
import { compileAndRun, compileSource, outputUnderEveryPersonality, runRawClient } from './compile-helper.js';

const SYSTEM = 'system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.e -> s badge 1 }';

describe('strings and vecs in compiled code', () => {
    it('builds lists of strings of different lengths as the type their place expects, under every personality', async () => {
        const outcome = await compileSource({ 'main.uk': `
struct Pair { names: [string[6]; 2] }
interface Names { put(names: vec[string[4]; 3], pair: Pair) -> [string[5]; 2] }
server S implements Names {
    var kept: [string[8]; 2] = ["x", "state"]
    on put(names, pair) {
        print("{} {}: {}|{}|{} {}|{} {}|{}", len(names), len(names[1]), names[0], names[1], names[2], pair.names[0], pair.names[1], kept[0], kept[1])
        kept = ["", "longest!"]
        reply ["five!", "4"]
    }
}
program P { uses e: Names main {
    let names: [string[8]; 2] = ["ab", "xyz"]
    print("{} {} {} {}", names[0], names[1], len(names[0]), len(names[1]))
    let back = e.put(["a", "bcd", ""], Pair { names: ["hello", "x"] })
    print("{} {} {}", back[0], back[1], len(back[1]))
    let again = e.put(["abcd", "", "ab"], Pair { names: ["", "six..."] })
    print("{} {}", again[0], again[1])
} }
${SYSTEM}` });
        expect(outcome.problems).toEqual([]);
        const expected = 'ab xyz 2 3\n3 3: a|bcd| hello|x x|state\nfive! 4 1\n3 0: abcd||ab |six... |longest!\nfive! 4\n';
        expect(outputUnderEveryPersonality(outcome.compiled!)).toEqual(['sel4', 'qnx', 'rc4000', 'mach'].map(() => expected));
    });

    it('builds, compares, measures and prints strings, and pushes onto and indexes vecs', async () => {
        const run = await compileAndRun(`
interface Echo { put(key: string[16], nums: vec[u16; 4]) -> (key: string[16], count: u32) }
server S implements Echo {
    var last: string[16] = "none"
    on put(key, nums) {
        print("last {}, key {} ({} bytes), alpha? {}", last, key, len(key), key == "alpha")
        last = key
        var sum: u32 = 0
        for i in 0..len(nums) { sum += nums[i] as u32 }
        reply (key, sum)
    }
}
program P { uses e: Echo main {
    var nums: vec[u16; 4] = [1, 2]
    push(nums, 30)
    let (k, n) = e.put("alpha", nums)
    print("{} {} {}", k, n, k != "alpha")
    let (k2, n2) = e.put("bé€", [])
    print("{} {} {}", k2, n2, len(k2))
} }
${SYSTEM}`);
        expect(run.output).toBe('last none, key alpha (5 bytes), alpha? true\nalpha 33 false\n'
            + 'last alpha, key bé€ (6 bytes), alpha? false\nbé€ 0 6\n');
    });

    it('sends long strings and vecs through the shared region and a lease', async () => {
        const run = await compileAndRun(`
struct Pt { x: u8, y: i16 }
interface Bulk { put(text: string[100], page: lease string[40], many: vec[Pt; 20]) -> u32 }
server S implements Bulk {
    on put(text, page, many) {
        print("{} | {} | {} {} {}", text, page, len(many), many[0].y, many[len(many) - 1].x)
        reply len(text) + len(page)
    }
}
program P { uses e: Bulk main {
    var many: vec[Pt; 20]
    for i in 0..20 { push(many, Pt { x: i as u8, y: 0 - (i as i16) - 1 }) }
    print("{}", e.put("a longer string, ünïcödé included, past the inline limit", "leased", many))
} }
${SYSTEM}`);
        expect(run.output).toBe('a longer string, ünïcödé included, past the inline limit | leased | 20 -1 19\n66\n');
    });

    it('reads a string\'s UTF-8 bytes by index, in a variable and in a received string, for random strings', async () => {
        const strings = fc.sample(fc.array(fc.constantFrom(...CHARACTERS), { minLength: 0, maxLength: 6 }).map(chars => chars.join('')), { numRuns: 12, seed: 1818 })
            .filter(text => new TextEncoder().encode(text).length <= 16);
        const run = await compileAndRun(`
interface Echo { put(key: string[16]) -> u32 }
fn dump(s: string[16]) {
    var i: u32 = 0
    while i < len(s) {
        print("{:x}", s[i])
        i += 1
    }
}
server S implements Echo {
    on put(key) {
        var sum: u32 = 0
        for i in 0..len(key) { sum += key[i] as u32 }
        reply sum
    }
}
program P { uses e: Echo main {
${strings.map(text => `    dump("${text}")
    print("sum {}", e.put("${text}"))`).join('\n')}
} }
${SYSTEM}`);
        const utf8 = (text: string) => [...new TextEncoder().encode(text)];
        expect(run.output).toBe(strings.map(text => [...utf8(text).map(byte => `${byte.toString(16)}\n`), `sum ${utf8(text).reduce((sum, byte) => sum + byte, 0)}\n`].join('')).join(''));
    });

    it('stops a component that indexes past a vec\'s length or pushes onto a full one', async () => {
        const index = await compileAndRun(`program P { main { var v: vec[u8; 4] = [1]
 print("{}", v[1]) } }
system Y { instance p: P { priority: 1 } }`);
        expect(index.output).toBe('index out of bounds (vec) at main.uk:2:14\n');
        const full = await compileAndRun(`program P { main { var v: vec[u8; 2] = [1, 2]
 push(v, 3) } }
system Y { instance p: P { priority: 1 } }`);
        expect(full.output).toBe('push onto a full vec (capacity 2) at main.uk:2:7\n');
        const string = await compileAndRun(`program P { main { var s: string[8] = "hé"
 print("{}", s[2]) print("{}", s[3]) } }
system Y { instance p: P { priority: 1 } }`);
        expect(string.output).toBe('169\nindex out of bounds (string) at main.uk:2:32\n');
    });
});

const ECHO = `interface Echo { put(key: string[16], nums: vec[u16; 5]) -> u32 }`;
/** Characters of one to four UTF-8 bytes that a uk literal may hold as they are. */
const CHARACTERS = ['a', 'Z', '0', ' ', '{', '~', 'é', 'ß', '€', '中', '😀'];

describe('strings and vecs on the wire', () => {
    it('the codec and the trace decoder read what compiled stubs send, and the server gets it, for random values with lengths 0 to N', async () => {
        const document = await build(ECHO);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const request = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0].request;
        const codec = createCodec(request, profile.wordBits);
        const utf8 = (text: string) => new TextEncoder().encode(text);
        const text = fc.array(fc.constantFrom(...CHARACTERS), { maxLength: 16 }).map(chars => {
            while (utf8(chars.join('')).length > 16) chars.pop();
            return chars.join('');
        });
        const sent = fc.sample(fc.record({ key: text, nums: fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 5 }) }), { numRuns: 30, seed: 18 });
        sent.push({ key: '', nums: [] }, { key: 'sixteen bytes!!!', nums: [65535, 0, 1, 2, 3] }, { key: '😀😀😀😀', nums: [7] });
        const run = await compileAndRun(`${ECHO}
server S implements Echo { on put(key, nums) {
    print("[{}] {}", key, len(nums))
    for i in 0..len(nums) { print("{}", nums[i]) }
    reply len(key)
} }
program P { uses e: Echo main {
${sent.map(({ key, nums }) => `    e.put("${key}", [${nums.join(', ')}])`).join('\n')}
} }
${SYSTEM}`);
        expect(run.output).toBe(sent.map(({ key, nums }) => [`[${key}] ${nums.length}`, ...nums.map(String)].join('\n') + '\n').join(''));
        const calls = run.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'call' ? [event.words] : []));
        const expected = sent.map(({ key, nums }) => {
            const bytes = utf8(key);
            const values: Record<string, bigint> = { 'key.length': BigInt(bytes.length), 'nums.length': BigInt(nums.length) };
            for (let i = 0; i < 4; i++) values[`key#${i}`] = BigInt(((bytes[4 * i] ?? 0) | ((bytes[4 * i + 1] ?? 0) << 8) | ((bytes[4 * i + 2] ?? 0) << 16) | ((bytes[4 * i + 3] ?? 0) << 24)) >>> 0);
            for (let i = 0; i < 5; i++) values[`nums[${i}]`] = BigInt(nums[i] ?? 0);
            return values;
        });
        expect(calls.map(words => codec.unpack(words.map(word => BigInt(word >>> 0))))).toEqual(expected);
        expect(calls.map(words => decodeMessage(request, words).map(value => `${value.name}=${value.text}`))).toEqual(
            sent.map(({ key, nums }) => [`key=${JSON.stringify(key)}`, `nums=[${nums.join(', ')}]`]));
    });

    it('refuses invalid UTF-8 and a length beyond the capacity with the bad-bulk error, before the handler runs', async () => {
        const compiled = (await compileSource({ 'main.uk': `interface Names { put(key: string[8]) -> u32 }
server S implements Names { on put(key) { print("handled {}", len(key)) reply len(key) } }
system Y { instance s: S { priority: 100 } }` })).compiled;
        if (!compiled) throw new Error('not compiled');
        const profile = profileOrDefault('ukvm32');
        const document = await build('interface Names { put(key: string[8]) -> u32 }');
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const request = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0].request;
        const codec = createCodec(request, profile.wordBits);
        // Each request: its bytes and its length field; the last one is valid and must be served.
        const requests: { bytes: number[]; length: number }[] = [
            { bytes: [0xc0, 0x80], length: 2 },              // an overlong NUL
            { bytes: [0xed, 0xa0, 0x80], length: 3 },        // a surrogate
            { bytes: [0xf4, 0x90, 0x80, 0x80], length: 4 },  // above U+10FFFF
            { bytes: [0x61, 0xe2, 0x82], length: 3 },        // cut short
            { bytes: [0xff], length: 1 },
            { bytes: [0x61], length: 9 },                    // longer than string[8]
            { bytes: [0xe2, 0x82, 0xac, 0x61], length: 4 }   // "€a"
        ];
        const calls = requests.map(({ bytes, length }) => {
            const word = (i: number) => BigInt(((bytes[4 * i] ?? 0) | ((bytes[4 * i + 1] ?? 0) << 8) | ((bytes[4 * i + 2] ?? 0) << 16) | ((bytes[4 * i + 3] ?? 0) << 24)) >>> 0);
            const words = codec.pack({ 'key.length': BigInt(length), 'key#0': word(0), 'key#1': word(1) });
            return [
                ...words.map((value, i) => `    li a${2 + i}, ${Number(value) | 0}`),
                `    li a0, 1`, `    li a1, ${messageInfo(1, words.length)}`, `    li a7, ${Syscall.Call}`, '    ecall'
            ].join('\n');
        });
        const { labels, output } = runRawClient(compiled, `
${calls.join('\n')}
`);
        expect(labels).toEqual([BAD_BULK_LABEL, BAD_BULK_LABEL, BAD_BULK_LABEL, BAD_BULK_LABEL, BAD_BULK_LABEL, BAD_BULK_LABEL, 0]);
        expect(output).toBe('handled 4\n');
    });
});
