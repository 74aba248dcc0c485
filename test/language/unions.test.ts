/**
 * Unions and optionals in the checker: declarations, building values, `match` and `if let`, each rule with
 * its diagnostic's code, position and covered text.
 */
import { describe, expect, test } from 'vitest';
import { build, coveredText, format } from '../helpers.js';

/** `line:col severity message [code] @ covered text`, in source order. */
async function diagnostics(text: string): Promise<string[]> {
    const document = await build(text);
    return [...(document.diagnostics ?? [])]
        .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
        .map(d => `${format(d)} [${String(d.code)}] @ ${coveredText(document, d)}`);
}

const SHAPES = `struct Rect { w: u16, h: u16 }
enum Color : u2 { Red, Green, Blue }
union Shape { circle: u32, rect: Rect, empty, tinted: Color }
`;

describe('union declarations', () => {
    test('variants with payloads of any packable type, and without', async () => {
        expect(await diagnostics(`${SHAPES}
bitfield F : u8 { a: 1, b: 3 }
union Deep { shape: Shape, maybe: u64?, flags: F, pair: [i8; 2], on: bool }
struct Holder { s: Shape, o: Deep? }`)).toEqual([]);
    });

    test('no variants, a repeated variant, bulk data, capabilities, containing itself, optionals of optionals', async () => {
        expect(await diagnostics(`interface I { m() }
union Empty { }
union Twice { a: u8, b, a }
union Bulk { data: bytes[4], text: string[8], items: vec[u8; 2], cap: endpoint<I> }
struct Wrap { inner: Loop }
union Loop { me: Wrap, n: u8 }
struct S { o: u8?? }
union Holds { b: Bytes }
struct Bytes { raw: bytes[4] }`)).toEqual([
            "2:7 error Union 'Empty' has no variants. [empty-union] @ Empty",
            "3:25 error Duplicate variant 'a'; the first is on line 3. [duplicate-name] @ a",
            "4:20 error A union's payload is packed into its bits, so it cannot be bytes[4]; pass bulk data as a parameter of its own. [invalid-field-type] @ bytes[4]",
            "4:36 error A union's payload is packed into its bits, so it cannot be string[8]; pass bulk data as a parameter of its own. [invalid-field-type] @ string[8]",
            "4:54 error A union's payload is packed into its bits, so it cannot be vec[u8; 2]; pass bulk data as a parameter of its own. [invalid-field-type] @ vec[u8; 2]",
            "4:71 error A union's payload is packed into its bits, so it cannot be endpoint<I>; use plain data. [invalid-field-type] @ endpoint<I>",
            "6:18 error Union 'Loop' contains itself through Loop.me -> Wrap.inner; a union cannot contain itself. [recursive-struct] @ Wrap",
            "7:15 error An optional of an optional (u8??) says nothing more than u8?; use a union to tell the two 'none's apart. [invalid-field-type] @ u8??",
            "8:18 error A union's payload is packed into its bits, so it cannot be Bytes (its field 'raw' is bytes[4]); use plain data. [invalid-field-type] @ Bytes"
        ]);
    });
});

describe('building union values', () => {
    test('a variant with its payload, one without, none and a value that becomes some', async () => {
        expect(await diagnostics(`${SHAPES}
fn f(x: u32) -> u32? {
    let a = Shape.circle(x * 2)
    let b: Shape = Shape.rect(Rect { w: 1, h: 2 })
    let c = Shape.empty
    let d: u8? = 200
    let e: u8? = none
    if a == b { return none }
    return x
}`)).toEqual([]);
    });

    test('an unknown variant, a missing or extra payload, a payload of the wrong type, the union as a value', async () => {
        expect(await diagnostics(`${SHAPES}
fn f() {
    let a = Shape.square(1)
    let b = Shape.circle
    let c = Shape.empty(1)
    let d = Shape.circle(1, 2)
    let e = Shape.circle(true)
    let g = Shape
    let h: u8? = 300
    let i: u8? = true
    var j = none
}`)).toEqual([
            "6:19 error union Shape has no variant 'square'; its variants are circle, rect, empty, tinted. [undefined] @ square",
            "7:19 error Shape.circle carries u32: write Shape.circle(value). [payload-mismatch] @ circle",
            "8:13 error Shape.empty carries no payload: write Shape.empty without parentheses. [payload-mismatch] @ Shape.empty(1)",
            "9:13 error Shape.circle takes one value, its payload, but 2 were given. [wrong-arity] @ Shape.circle(1, 2)",
            "10:26 error The payload of Shape.circle must be u32, not bool. [type-mismatch] @ true",
            "11:13 error 'Shape' is a union, not a value; name one of its variants, such as Shape.circle. [not-a-value] @ Shape",
            "12:18 error Constant 300 does not fit u8 (0..255). [constant-out-of-range] @ 300",
            "13:18 error The value of 'i' must be u8?, not bool. [type-mismatch] @ true",
            "14:13 error 'none' needs an optional type here: write 'var j: T? = none'. [type-mismatch] @ none"
        ]);
    });
});

describe('match and if let', () => {
    test('arms bind payloads, else takes the rest, if let unwraps an optional', async () => {
        expect(await diagnostics(`${SHAPES}
fn area(s: Shape) -> u32 {
    match s {
        circle(r) { return r * r * 3 }
        rect(x) { return (x.w as u32) * (x.h as u32) }
        else { return 0 }
    }
}
fn get(o: u32?) -> u32 {
    if let v = o { return v + 1 } else { return 0 }
}
fn tint(s: Shape) -> Color {
    match s {
        tinted(c) { return c }
        circle { }
        rect(_) { }
        empty { }
    }
    return Color.Red
}`)).toEqual([]);
    });

    test('unknown and repeated arms, payloads that are not there, a match that misses variants, arms after else, wrong operands', async () => {
        expect(await diagnostics(`${SHAPES}
fn f(s: Shape, o: u8?, n: u32) {
    match s {
        circle(r) { }
        square { }
        circle { }
        empty(e) { }
    }
    match o { some(v) { } }
    match o { none { } else { } some(v) { } }
    match n { else { } }
    if let v = n { }
    print("{} {:x}", s, o)
}`)).toEqual([
            "6:5 error This match does not cover 'rect', 'tinted'; add arms or an 'else' arm. [non-exhaustive-match] @ match",
            "8:9 error Shape has no variant 'square'; its variants are circle, rect, empty, tinted. [unknown-variant] @ square",
            "9:9 error Variant 'circle' already has an arm in this match. [duplicate-arm] @ circle",
            "10:15 error Variant 'empty' carries no payload to bind; write 'empty { ... }'. [payload-mismatch] @ e",
            "12:5 error This match does not cover 'none'; add an arm or an 'else' arm. [non-exhaustive-match] @ match",
            "13:33 error This arm comes after 'else', which already takes every variant left. [unreachable-code] @ some(v) { }",
            "14:11 error 'match' takes a union or an optional, not u32. [type-mismatch] @ n",
            "15:16 error 'if let' takes an optional, not u32. [type-mismatch] @ n",
            "16:25 error A union or optional prints in one form, with '{}', not '{:x}'. [format-mismatch] @ o"
        ]);
    });

    test('a function whose match returns in every arm needs no return after it', async () => {
        expect(await diagnostics(`${SHAPES}
fn f(s: Shape) -> u32 {
    match s {
        circle(r) { return r }
        else { return 0 }
    }
}
fn g(s: Shape) -> u32 {
    match s {
        circle(r) { return r }
        else { }
    }
}`)).toEqual([
            "11:4 error Function 'g' can finish without returning a u32. [missing-return] @ g"
        ]);
    });
});
