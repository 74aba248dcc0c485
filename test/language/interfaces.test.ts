import { describe, expect, test } from 'vitest';
import { build, diagnosticsWithText } from '../helpers.js';
import { methodOrdinals } from '../../src/language/validation/interface-checks.js';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';

const TYPES = `
enum Status : u8 { Ok = 0, NotFound = 1 }
enum StoreError : u8 { Full = 1, ReadOnly = 2 }
bitfield PutFlags : u8 { create: 1, overwrite: 1, ttl: 4 }
struct Key { hi: u32, lo: u16 }
interface Callback { done(code: u32) }
`;

describe('interfaces', () => {
    test('every method form: tuple and single results, oneway, raises, caps, bulk, pins, ordinals', async () => {
        expect(await diagnosticsWithText(TYPES + `
interface KeyValue {
    get(key: Key) -> (status: Status, value: u32)
    put(key: Key, value: u32, flags: PutFlags) -> Status raises StoreError
    oneway flush()
    @ordinal(7) read(key: Key, into: lease out bytes[256]) -> (len: u16)
    write(data: shared in bytes[4096], len: u16)
    small(data: inline inout [u8; 8])
    subscribe(cb: endpoint<Callback>, events: notification)
    ping(@mr(0, 0..7) tag: u8) -> (@mr(0, 8..15) echo: u8)
    wide(a: u64, b: i64) -> u64
}`)).toEqual([]);
    });

    test('oneway with results or errors, zero-valued error enums, bad transfer modes, duplicates', async () => {
        expect(await diagnosticsWithText(`
enum Err : u8 { Bad = 1 }
enum Zero : u8 { None = 0, Bad = 1 }
enum Taken : u32 { Mine = 0xffffd }
interface I {
    t() raises Taken
    oneway f() -> u32
    oneway g() raises Err
    h(x: lease u32, x: u8) raises Zero
    k() -> (a: out bytes[4], b: u8, b: u8)
    h()
    oneway m(a: inline out bytes[4], b: inline inout bytes[4], c: inline in bytes[4], d: shared out bytes[4])
}`)).toEqual([
            "6:16 error Error enum 'Taken' has member 'Mine' = 0xffffd, a reply label reserved for errors every method may get (ServerFailed and others); give it a smaller value. @ Taken",
            "7:19 error Oneway method 'f' cannot have results: nobody waits for a reply. @ u32",
            "8:23 error Oneway method 'g' cannot raise errors: nobody receives the reply. @ Err",
            "9:10 error 'lease' applies only to bulk data (bytes or arrays), not to u32. @ lease",
            "9:21 error Duplicate parameter 'x'; the first is on line 9. @ x",
            "9:35 error Error enum 'Zero' has member 'None' = 0, but 0 in a reply label means success; give every error a non-zero value. @ Zero",
            "10:16 error Result 'a' cannot have a transfer mode or direction; declare bulk results as 'out' parameters. @ out",
            "10:37 error Duplicate result 'b'; the first is on line 10. @ b",
            "11:5 error Duplicate method 'h'; the first is on line 9. @ h",
            "12:24 error Oneway method 'm' cannot pass inline bytes out: they would come back in a reply, and there is none. @ out",
            "12:48 error Oneway method 'm' cannot pass inline bytes inout: they would come back in a reply, and there is none. @ inout"
        ]);
    });

    test('annotations: unknown names, bad ordinals, duplicate ordinals, bad pins', async () => {
        expect(await diagnosticsWithText(`
interface I {
    @ordinal(3) a()
    @ordinal(3) b()
    @ordinal(0) c()
    @ordinal(2, 3) c2()
    @foo d(@mr(200) p: u8, @mr(0, 0..3) q: u16, @bar r: u8, @mr(1, 9..2) s: u8)
}
interface Empty { }`)).toEqual([
            "4:5 error Ordinal 3 is already used by method 'a' (line 3). @ @ordinal(3)",
            "5:5 error @ordinal takes one number between 1 and 1048575 (the 20-bit message label; 0 is never a method). @ @ordinal(0)",
            "6:5 error @ordinal takes one number between 1 and 1048575 (the 20-bit message label; 0 is never a method). @ @ordinal(2, 3)",
            "7:6 error Unknown method annotation '@foo'; methods take @ordinal(n). @ foo",
            "7:12 error @mr takes a message word between 0 and 119, then optionally a bit range lo..hi. @ @mr(200)",
            "7:35 error Bits 0..3 hold 4 bits, but 'q: u16' needs 16. @ 0..3",
            "7:50 error Unknown parameter annotation '@bar'; parameters and results take @mr(word) or @mr(word, lo..hi). @ bar",
            "7:68 error The bit range of @mr must be lo..hi with lo <= hi < 64. @ 9..2",
            "9:11 warning Interface 'Empty' has no methods. @ Empty"
        ]);
    });

    test('ordinals: explicit ones are kept, the others count from 1 skipping them', async () => {
        const document = await build(`
interface I {
    a()
    @ordinal(2) b()
    c()
    @ordinal(1) d()
    e()
}`);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const ordinals = methodOrdinals(iface);
        expect(iface.methods.map(method => `${method.name}=${ordinals.get(method)}`)).toEqual(['a=3', 'b=2', 'c=4', 'd=1', 'e=5']);
    });

    test('layout problems on the bundled machine: overlapping pins, pins past a word, messages too long, too many caps', async () => {
        expect(await diagnosticsWithText(`
struct Pair { a: u8, b: u8 }
interface Peer { hi() }
interface I {
    a(@mr(0, 0..7) x: u8, @mr(0, 4..11) y: u8)
    b(@mr(1, 32..39) z: u8)
    c(big: [u32; 121])
    d(p: endpoint<Peer>, q: endpoint<Peer>, r: endpoint<Peer>, s: notification)
    e(@mr(0) pair: Pair)
    f() -> (@mr(0) r: u32, @mr(0, 0..7) s: u8)
}`)).toEqual([
            "5:27 error The pin of 'y' overlaps 'x' in word 0. @ @mr(0, 4..11)",
            "6:7 error 'z' is pinned to bits 32..39, but a ukvm32 word has 32 bits. @ @mr(1, 32..39)",
            "7:5 error The request of 'c' needs 121 message words, but ukvm32 allows 120. @ c",
            "8:5 error The request of 'd' carries 4 capabilities, but ukvm32 allows 3 per message. @ d",
            "9:7 error Only scalar parameters and results can be pinned; 'pair' is Pair. @ @mr(0)",
            "10:28 error The pin of 's' overlaps 'r' in word 0. @ @mr(0, 0..7)"
        ]);
    });
});
