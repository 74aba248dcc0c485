import { describe, expect, test } from 'vitest';
import { diagnosticsWithText } from '../helpers.js';

/** Wraps statements in a function body so that each test shows only what it is about. */
function inFunction(body: string, signature = 'fn f(a: u8) -> u32'): string {
    return `${signature} {\n${body}\n}`;
}

describe('bindings and assignment', () => {
    test('let, var, tuple bindings, compound assignment, shadowing', async () => {
        expect(await diagnosticsWithText(inFunction(`
    let x = 5
    var y: u8 = a
    y += 1
    y <<= 2
    var z: [u16; 3]
    z[1] = 7
    let x = x + 1
    var k: u64 = 0xffff_ffff_ffff
    return x`))).toEqual([]);
    });

    test('missing values, immutable targets, out-of-range initial values', async () => {
        expect(await diagnosticsWithText(inFunction(`
    a = 1
    let x = 5
    x = 6
    var y: u8 = 300
    var z
    let w
    for i in 0..3 { i = 2 }
    let big = 5000000000
    return 0`))).toEqual([
            "3:5 error Cannot assign to parameter 'a'; copy it into a 'var' first. @ a",
            "5:5 error Cannot assign to 'x': it is declared with 'let'; use 'var' to change it. @ x",
            "6:17 error Constant 300 does not fit u8 (0..255). @ 300",
            "7:5 error 'var z' needs a type or a value. @ var z",
            "8:5 error 'let w' needs a value; use 'var w: T' for a zero-initialised variable. @ let w",
            "9:21 error Cannot assign to 'i': it is a loop or catch variable. @ i",
            "10:15 error Constant 5000000000 does not fit u32 (0..4294967295). @ 5000000000"
        ]);
    });

    test('assigning to things that are not storage, and wrong compound operands', async () => {
        expect(await diagnosticsWithText(inFunction(`
    var flag = true
    flag += 1
    f(1) = 2
    var n: u8 = 0
    n = true
    n <<= true
    return 0`))).toEqual([
            "4:10 error '+=' needs an integer on the left, not bool. @ +=",
            "5:5 error Only variables, state, fields, elements and device registers can be assigned to. @ f(1)",
            "7:9 error The assigned value must be u8, not bool. @ true",
            "8:11 error A shift count must be an integer, not bool. @ true"
        ]);
    });
});

describe('control flow', () => {
    test('conditions, loops and their errors', async () => {
        expect(await diagnosticsWithText(inFunction(`
    if a { }
    while 1 { }
    for i in 0..true { }
    let n: u16 = 3
    for j in a..n { }
    break
    return 0`))).toEqual([
            "3:8 error A condition must be bool, not u8. @ a",
            "4:11 error A condition must be bool, not integer constant. @ 1",
            "5:17 error A range bound must be an integer, not bool. @ true",
            "7:17 error Both ends of a range must have the same type, not u8 and u16. @ n",
            "8:5 error 'break' is only allowed inside a loop. @ break",
            "9:5 warning Unreachable code. @ return 0"
        ]);
    });

    test('break and continue inside loops, including inside catch blocks', async () => {
        expect(await diagnosticsWithText(`
enum E : u8 { Bad = 1 }
interface I { m() -> u8 raises E }
program P {
    uses i: I
    main {
        while true {
            let v = i.m() catch e { break }
            if v == 0 { continue }
        }
    }
}`)).toEqual([]);
    });

    test('return: values, missing values, unreachable code', async () => {
        expect(await diagnosticsWithText(`
fn f() -> u32 {
    return
}
fn g() {
    return 5
    let x = 1
}
fn h() -> bool { return 1 }`)).toEqual([
            "3:5 error Function 'f' must return a u32. @ return",
            "6:12 error Function 'g' returns nothing, so 'return' takes no value. @ 5",
            "7:5 warning Unreachable code. @ let x = 1",
            "9:25 error The returned value must be bool, not integer constant. @ 1"
        ]);
    });
});

describe('reply and raise', () => {
    const iface = `
enum Err : u8 { Bad = 1 }
enum Other : u8 { X = 1 }
interface I {
    get(k: u32) -> (s: u8, v: u32)
    one() -> u16
    put(v: u32) -> u8 raises Err
    sync()
    oneway note()
}
`;

    test('replies that match the results, raises of the declared enum', async () => {
        expect(await diagnosticsWithText(iface + `
server S implements I {
    on get(k) { reply (1, k) }
    on one() { reply 7 }
    on put(v) { if v == 0 { raise Err.Bad } reply 1 }
    on sync() { reply }
    on note() { }
}`)).toEqual([]);
    });

    test('replies of the wrong shape or type, raises of the wrong enum or where none is declared', async () => {
        expect(await diagnosticsWithText(iface + `
server S implements I {
    on get(k) { reply (1, 2, 3) }
    on one() { reply true }
    on put(v) { raise Other.X }
    on sync() { reply 1 }
    on note() { raise Err.Bad }
}
server T implements I {
    on get(k) { reply 1 }
    on one() { raise Err.Bad }
    on put(v) { reply (1, 300) }
    on sync() { return }
    on note() { reply }
}
fn helper() { reply }`)).toEqual([
            "13:23 error 'get' replies with 2 values (s, v), but 3 values are given. @ (1, 2, 3)",
            "14:22 error The reply of 'one' must be u16, not bool. @ true",
            "15:23 error The raised error of 'put' must be Err, not Other. @ Other.X",
            "16:23 error 'sync' has no results, so 'reply' takes no value. @ 1",
            "17:17 error Method 'note' declares no errors; add 'raises E' to its declaration to raise one. @ raise Err.Bad",
            "20:23 error 'get' replies with 2 values (s, v), but 1 value is given. @ 1",
            "21:16 error Method 'one' declares no errors; add 'raises E' to its declaration to raise one. @ raise Err.Bad",
            "22:23 error The reply of 'put' must be u8, not (integer constant, integer constant). @ (1, 300)",
            "23:17 error A handler for 'sync' ends with 'reply' or 'raise', not 'return': the caller is waiting for an answer. @ return",
            "24:17 error Method 'note' is oneway: there is no caller waiting for a reply. @ reply",
            "26:15 error 'reply' is only allowed in a method handler. @ reply"
        ]);
    });
});

describe('print and assert', () => {
    test('formats with placeholders and escapes', async () => {
        expect(await diagnosticsWithText(inFunction(`
    print("plain")
    print("{} {:x} {:b} {:c} {{literal}}", a, a, a, a)
    assert(a > 1, "a must be big")
    assert(true)
    return 0`))).toEqual([]);
    });

    test('placeholder count, unknown and unmatched placeholders, unprintable values, non-bool asserts', async () => {
        expect(await diagnosticsWithText(`
struct K { x: u8 }
fn f(a: u8, k: K) {
    print("{} {}", a)
    print("{q}", a)
    print("{", a)
    print("}", a)
    print("{}", k)
    assert(a)
}`)).toEqual([
            "4:11 error The format has 2 placeholders, but 1 argument is given. @ \"{} {}\"",
            "5:11 error Unknown placeholder '{q}'; use {}, {:x} (hex), {:b} (binary) or {:c} (character). @ \"{q}\"",
            "6:11 error Unclosed '{' in the format; write '{{' for a literal brace. @ \"{\"",
            "7:11 error Unmatched '}' in the format; write '}}' for a literal brace. @ \"}\"",
            "8:17 error Cannot print a value of type K; print its parts. @ k",
            "9:12 error A condition must be bool, not u8. @ a"
        ]);
    });
});

describe('expression statements', () => {
    test('only calls stand alone', async () => {
        expect(await diagnosticsWithText(`
fn g() -> u32 { return 1 }
fn f(a: u8) {
    g()
    a + 1
    a
    g
}`)).toEqual([
            "5:5 error This expression's value is not used; only calls can stand alone as statements. @ a + 1",
            "6:5 error This expression's value is not used; only calls can stand alone as statements. @ a",
            "7:5 error Function 'g' must be called. @ g"
        ]);
    });
});
