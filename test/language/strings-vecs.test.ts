/** Checks on `string[N]`, `vec[T; N]`, string literals and the builtins that work on them. */
import { describe, expect, test } from 'vitest';
import { build, coveredText, diagnosticsWithText, format } from '../helpers.js';

describe('strings and vecs', () => {
    test('a key-value store with string keys checks clean', async () => {
        expect(await diagnosticsWithText(`
struct Entry { key: string[16], value: u32 }
interface Store {
    put(key: string[16], value: u32) -> bool
    keys() -> vec[string[16]; 4]
    oneway big(text: string[1000], page: lease string[64], all: shared vec[u32; 8])
}
server S implements Store {
    var entries: vec[Entry; 4]
    var greeting: string[8] = "hi"
    on put(key, value) {
        for i in 0..len(entries) {
            if entries[i].key == key { entries[i].value = value reply true }
        }
        if len(entries) == 4 { reply false }
        push(entries, Entry { key: key, value: value })
        print("{} {}", key, greeting)
        reply true
    }
    on keys() {
        var out: vec[string[16]; 4] = []
        for i in 0..len(entries) { push(out, entries[i].key) }
        reply out
    }
    on big(text, page, all) { }
}`)).toEqual([]);
    });

    test('capacities out of range, literals too long, and what is not a string or vec', async () => {
        expect(await diagnosticsWithText(`
struct W { a: string[0], b: vec[u8; 1 << 30], c: vec[endpoint<I>; 2] }
interface I { m(s: string[4], v: out vec[u8; 2]) }
fn f() {
    let a: string[4] = "hello"
    let b: string[4] = "héé"
    let c: vec[u8; 2] = [1, 2, 3]
    var d: vec[u8; 2] = [300]
    let e: string[8] = a
    let g: string[2] = a
    push(a, 1)
    var h: [u8; 2] = [1, 2]
    push(h, 1)
    var v: vec[u8; 2]
    push(v, true)
    print("{} {}", len(b), v == c)
    let empty = []
    let byte: bool = a[0]
    var s: string[4] = "ab"
    s[0] = 65
    print("{}", s[4])
}`)).toEqual([
            "2:22 error A string capacity must be between 1 and 16777216, not 0. @ 0",
            "2:37 error A vec capacity must be between 1 and 16777216, not 1073741824. @ 1 << 30",
            "2:54 error A vec holds data, not endpoint<I>. @ endpoint<I>",
            "5:24 error This string is 5 bytes of UTF-8, but string[4] holds at most 4. @ \"hello\"",
            "6:24 error This string is 5 bytes of UTF-8, but string[4] holds at most 4. @ \"héé\"",
            "7:25 error This list has 3 elements, but vec[u8; 2] holds at most 2. @ [1, 2, 3]",
            "8:26 error Constant 300 does not fit u8 (0..255). @ 300",
            "10:24 error The value of 'g' must be string[2], not string[4]. @ a",
            "11:10 error push() needs a vec, not string[4]. @ a",
            "13:10 error push() needs a vec, not [u8; 2]. @ h",
            "15:13 error The element pushed onto vec[u8; 2] must be u8, not bool. @ true",
            "17:17 error An empty list needs a type: write 'let empty: vec[T; N] = []'. @ []",
            "18:22 error The value of 'byte' must be bool, not u8. @ a[0]",
            "20:5 error A string's bytes are read-only; assign the whole string. @ s[0]",
            "21:19 error Index 4 is out of bounds for string[4]. @ 4"
        ]);
    });

    test('out and inout strings and vecs: written by handlers, refused for oneway methods, beside a result of their name, into a variable of another type, and for deferral', async () => {
        expect(await diagnosticsWithText(`
interface I {
    ok(a: out string[8], b: inout vec[u16; 4], c: lease out string[40]) -> u8
    oneway tell(s: inline out string[8], t: shared inout vec[u8; 100])
    clash(s: out string[8]) -> (s: u8)
    unnamed(result: inout vec[u8; 2]) -> u8
}
server S implements I {
    var later: reply<I.unnamed>
    on ok(a, b, c) {
        a = "hé"
        push(b, 1)
        c = a
        reply 1
    }
    on tell(s, t) { }
    on clash(s) { reply 0 }
    on unnamed(result) { later = defer }
}
program P { uses i: I main {
    var a: string[8]
    var b: vec[u16; 4]
    var c: string[40]
    let x = i.ok(a, b, c)
    var short: string[4]
    var wide: vec[u32; 4]
    let y = i.ok(short, wide, "literal")
} }`)).toEqual([
            "4:27 error Oneway method 'tell' cannot pass a string out: its length comes back in a reply, and there is none. @ out",
            "4:52 error Oneway method 'tell' cannot pass a vec inout: its length comes back in a reply, and there is none. @ inout",
            "5:11 error 's' is both an 'out' string and a result of 'clash'; both come back in the reply, so give them different names. @ s",
            "6:13 error 'result' is both an 'inout' vec and a result of 'unnamed'; both come back in the reply, so give them different names. @ result",
            "9:24 error Calls of 'unnamed' cannot be deferred: an 'inout' vec goes back with the reply of the call being served. @ unnamed",
            "27:18 error Argument 'a' of I.ok is 'out' string[8]: pass a variable of that type to be written into, not string[4]. @ short",
            "27:25 error Argument 'b' of I.ok must be vec[u16; 4], not vec[u32; 4]. @ wide",
            "27:31 error Argument 'c' of I.ok is 'out': pass a variable or state that the server's data can be written to. @ \"literal\""
        ]);
    });

    test('a list of strings of different lengths takes the type its place expects, and needs one length where none is', async () => {
        const document = await build(`
struct Pair { names: [string[6]; 2] }
fn show(names: [string[4]; 3]) { }
fn f() -> [string[5]; 2] {
    let names: [string[8]; 2] = ["ab", "xyz"]
    var grid: [[string[3]; 2]; 2] = [["a", "bc"], ["def", ""]]
    grid = [["", "x"], ["yz", "abc"]]
    show(["a", "bcd", ""])
    let p = Pair { names: ["hello", "x"] }
    let m = ["ab", "xyz"]
    let nested = [["a"], ["bc"]]
    let short: [string[2]; 2] = ["ab", "xyz"]
    print("{}", ["a", "bc"][0])
    return ["five!", "4"]
}`);
        expect((document.diagnostics ?? []).map(diagnostic => [diagnostic.code, format(diagnostic), coveredText(document, diagnostic)])).toEqual([
            ['type-mismatch', '10:20 error Array elements must all be string[2], not string[3].', '"xyz"'],
            ['type-mismatch', '11:26 error Array elements must all be [string[1]; 1], not [string[2]; 1].', '["bc"]'],
            ['type-mismatch', "12:33 error The value of 'short' must be [string[2]; 2], not [string[3]; 2].", '["ab", "xyz"]'],
            ['type-mismatch', '13:23 error Array elements must all be string[1], not string[2].', '"bc"']
        ]);
    });
});
