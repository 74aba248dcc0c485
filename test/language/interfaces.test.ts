import { describe, expect, test } from 'vitest';
import { build, buildFiles, describeDiagnostics, diagnosticsWithText } from '../helpers.js';
import { methodOrdinals } from '../../src/language/index.js';
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
            "6:16 error Error enum 'Taken' has member 'Mine' = 0xffffd, a reply label reserved for 32-bit error codes and errors every method may get (ServerFailed and others); give it another value. @ Taken",
            "7:19 error Oneway method 'f' cannot have results: nobody waits for a reply. @ u32",
            "8:23 error Oneway method 'g' cannot raise errors: nobody receives the reply. @ Err",
            "9:10 error 'lease' applies only to bulk data (bytes, strings, vecs or arrays), not to u32. @ lease",
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
            "8:64 error The request of 'd' carries 4 capabilities (p, q, r, s), but ukvm32 allows 3 per message; 's' is the first past the limit. @ s",
            "9:7 error Only scalar parameters and results can be pinned; 'pair' is Pair. @ @mr(0)",
            "10:28 error The pin of 's' overlaps 'r' in word 0. @ @mr(0, 0..7)"
        ]);
    });
});

describe('in, out and inout name things outside a parameter\'s direction', () => {
    test('parameters, handler parameters, helpers and loop variables named in, out, inout check clean', async () => {
        expect(await diagnosticsWithText(`interface Codec {
            c(in: u32) -> u32
            n(out: u32, inout: u8) -> u32
        }
        server S implements Codec {
            fn helper(out: u32) -> u32 { return out + 1 }
            on c(in) { reply helper(in) }
            on n(out, inout) { var in = out for out in 0..3 { in += out } reply in + (inout as u32) }
        }`)).toEqual([]);
    });

    test('a direction before a type named like one is still a direction', async () => {
        const document = await build(`struct in { x: u8 }
            interface I { m(a: out in, b: in, c: inout bytes[4]) }`);
        // The direction was read as one: the checker says where directions apply.
        expect(describeDiagnostics(document)).toEqual(["2:32 error 'out' applies only to bulk data (bytes, strings, vecs or arrays), not to in. @ out"]);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        expect(iface.methods[0].params.map(param => [param.name, param.direction, param.type.$type])).toEqual([
            ['a', 'out', 'NamedTypeRef'], ['b', undefined, 'NamedTypeRef'], ['c', 'inout', 'BytesTypeRef']
        ]);
    });
});

describe('error enums travel in the 20-bit reply label, or as 32-bit codes', () => {
    test('negative error values, values beyond 32 bits and the reserved labels are reported at raises', async () => {
        expect(await diagnosticsWithText(`enum Big : u64 { Fine = 0xf_fffb, Wide = 0xffff_ffff, Huge = 0x1_0000_0000, Marker = 0xf_fffc }
enum E : i32 { Bad = -1, Ok = 1 }
enum Neg : i8 { Minus = -5, Plus = 5 }
interface I {
    a() raises Big
    b() raises E
    c(n: Neg) -> Neg
}`)).toEqual([
            "5:16 error Error enum 'Big' has member 'Huge' = 4294967296, which an error reply cannot carry: error values are 1..4294967295 (32-bit codes). @ Big",
            "5:16 error Error enum 'Big' has member 'Marker' = 0xffffc, a reply label reserved for 32-bit error codes and errors every method may get (ServerFailed and others); give it another value. @ Big",
            "6:16 error Error enum 'E' has member 'Bad' = -1, which an error reply cannot carry: error values are 1..4294967295 (32-bit codes). @ E"
        ]);
    });
});

describe('errors that carry a payload', () => {
    test('payload fields are scalars, named once, and not the code field', async () => {
        expect(await diagnosticsWithText(`enum E : u8 { Bad = 1 }
struct Key { hi: u32 }
interface I {
    a() raises E { code: u32, code: u8, error: u16 }
    b() raises E { key: Key, data: bytes[4], peer: endpoint<I> }
    c() raises E { ok: bool, n: i64, e: E }
}`)).toEqual([
            "4:31 error Duplicate error payload field 'code'; the first is on line 4. @ code",
            "4:41 error 'error' cannot name an error payload field: it names the error code in the message. @ error",
            "5:25 error Error payload field 'key' is Key, but an error payload carries only integers, bools, enums and bitfields. @ Key",
            "5:36 error Error payload field 'data' is bytes[4], but an error payload carries only integers, bools, enums and bitfields. @ bytes[4]",
            "5:52 error Error payload field 'peer' is endpoint<I>, but an error payload carries only integers, bools, enums and bitfields. @ endpoint<I>"
        ]);
    });

    test('a raise gives every payload field once, with its type; a payload where the method has none', async () => {
        expect(await diagnosticsWithText(`enum E : u8 { Bad = 1 }
interface I {
    a(x: u32) -> u32 raises E { code: u32, at: u64 }
    b() raises E
}
server S implements I {
    on a(x) {
        if x == 0 { raise E.Bad { code: 1 } }
        if x == 1 { raise E.Bad { code: 1, at: 2, code: 3 } }
        if x == 2 { raise E.Bad { code: true, at: 2 } }
        if x == 3 { raise E.Bad { code: 1, where: 2 } }
        if x == 4 { raise E.Bad }
        raise E.Bad { at: x as u64, code: x }
    }
    on b() { raise E.Bad { code: 1 } }
}`)).toEqual([
            "8:21 error The error of 'a' carries field at; give it: 'raise E.X { code: ..., at: ... }'. @ raise E.Bad { code: 1 }",
            "9:51 error Field 'code' is given twice. @ code",
            "10:41 error Field 'code' must be u32, not bool. @ true",
            "11:21 error The error of 'a' carries field at; give it: 'raise E.X { code: ..., at: ... }'. @ raise E.Bad { code: 1, where: 2 }",
            "11:44 error The error payload of E has no field 'where'. @ where",
            "12:21 error The error of 'a' carries fields code, at; give them: 'raise E.X { code: ..., at: ... }'. @ raise E.Bad",
            "15:26 error Method 'b' raises E without a payload; remove the '{ ... }'. @ { code: 1 }"
        ]);
    });

    test('caught errors read their payload; try needs the same payload; a deferred call raises with the method\'s payload', async () => {
        expect(await diagnosticsWithText(`enum E : u8 { Bad = 1 }
enum W : u32 { Big = 0x8000_0000 }
interface Back { get() -> u32 raises E { code: u32 } }
interface I {
    a() -> u32 raises E { code: u32 }
    b() -> u32 raises E { code: u16 }
    c() raises W
}
server S implements I {
    uses back: Back
    var later: reply<I.a>
    var other: reply<I.c>
    on a() { later = defer }
    on b() { reply try back.get() }
    on c() {
        let v = back.get() catch e { print("{} {}", e.code, e.missing) raise W.Big }
        later.raise(E.Bad)
        other = defer
        other.raise(W.Big)
    }
    fn f1() { later.raise(E.Bad { code: 1, nope: 2 }) }
    fn f2() { later.raise(E.Bad { code: 1 }) }
    fn f3() { later.reply(5 { code: 1 }) }
    fn f4() { other.raise(W.Big { code: 1 }) }
}`)).toEqual([
            "14:20 error 'try' passes the error of 'get' on with its payload {code: u32}, but 'b' raises E with {code: u16}; use 'catch' and raise it. @ try back.get()",
            "16:63 error A value of type E has no member 'missing'. @ missing",
            "17:9 error The error of 'a' carries field code; give it: 'later.raise(E.X { code: ... })'. @ later.raise(E.Bad)",
            "21:44 error The error payload of E has no field 'nope'. @ nope",
            "23:29 error '.reply' answers with results; an error payload '{ ... }' goes with '.raise(E.X { ... })'. @ { code: 1 }",
            "24:33 error Method 'c' raises W without a payload; remove the '{ ... }'. @ { code: 1 }"
        ]);
    });
});

describe('what compiled code cannot do with leases is reported at the method (compile-limits.test.ts has the other limits; two leases, and a lease beside a capability, compile)', () => {
    const iface = `interface Log { w() }
interface I {
    two(a: lease in bytes[64], b: lease out bytes[64])
    withCap(a: lease in bytes[64], log: endpoint<Log>)
    big(a: lease in bytes[8192])
    fine(a: lease inout bytes[4096], n: u32) -> u32
}
`;
    const components = `server S implements I { on two(a, b) { reply } on withCap(a, l) { reply } on big(a) { reply } on fine(a, n) { reply n } }
program P { uses i: I main { } }
`;

    test('a lease of more than a page: once, at the method', async () => {
        expect(await diagnosticsWithText(iface + components)).toEqual([
            '5:5 error The code generator does not support leases of more than a page yet. @ big'
        ]);
    });

    test('an interface no component uses is only a layout, and may do more', async () => {
        expect(await diagnosticsWithText(iface)).toEqual([]);
    });

    test('from another file, at the implements and the port, naming the method', async () => {
        const [, uses] = await buildFiles({ 'types.uk': iface, 'uses.uk': `import "types.uk"\n${components}` });
        expect(describeDiagnostics(uses)).toEqual([
            '2:21 error The code generator does not support leases of more than a page yet (method I.big). @ I',
            '3:21 error The code generator does not support leases of more than a page yet (method I.big). @ I'
        ]);
    });
});
