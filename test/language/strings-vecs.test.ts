/** Checks on `string[N]`, `vec[T; N]`, string literals and the builtins that work on them. */
import { describe, expect, test } from 'vitest';
import { diagnosticsWithText } from '../helpers.js';

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
            "3:34 error A vec parameter travels in only; return it as a result instead of 'out'. @ out",
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
});
