import { AstUtils } from 'langium';
import { describe, expect, test } from 'vitest';
import { isNameRef, type NameRef } from '../../src/language/generated/ast.js';
import { build, diagnosticsWithText } from '../helpers.js';

/** For every name reference: `text@line -> kind of target@line`. */
async function resolutions(text: string): Promise<string[]> {
    const document = await build(text);
    return AstUtils.streamAst(document.parseResult.value).filter(isNameRef).map((ref: NameRef) => {
        const target = ref.target.ref;
        const line = (node: { $cstNode?: { range: { start: { line: number } } } }) => (node.$cstNode?.range.start.line ?? -1) + 1;
        return `${ref.target.$refText}@${line(ref)} -> ${target ? `${target.$type}@${line(target)}` : 'unresolved'}`;
    }).toArray();
}

describe('name resolution in bodies', () => {
    test('a let is visible after it, not before or in its own initialiser', async () => {
        expect(await resolutions(`
const x = 1
fn f() -> u32 {
    let y = x
    let x = x + 1
    return x + y
}`)).toEqual([
            'x@4 -> ConstDecl@2',
            'x@5 -> ConstDecl@2',
            'x@6 -> Binding@5',
            'y@6 -> Binding@4'
        ]);
    });

    test('loop and catch variables are visible only in their bodies', async () => {
        expect(await diagnosticsWithText(`
enum E : u8 { Bad = 1 }
interface I { m() -> u8 raises E }
program P {
    uses i: I
    main {
        for k in 0..3 { let inside = k }
        let after = k
        let v = i.m() catch e { print("{}", e) return }
        let later = e
    }
}`)).toEqual([
            "8:21 error Unknown name 'k'. @ k",
            "10:21 error Unknown name 'e'. @ e"
        ]);
    });

    test('inner blocks see outer bindings; outer code does not see inner ones', async () => {
        expect(await diagnosticsWithText(`
fn f(a: u32) -> u32 {
    let outer = a
    if a > 1 {
        let inner = outer + a
        { let deeper = inner }
    }
    return inner
}`)).toEqual([
            "8:12 error Unknown name 'inner'. @ inner"
        ]);
    });

    test('component members, handler parameters and ports are in scope in handlers and helpers', async () => {
        expect(await resolutions(`
interface I { get(k: u32) -> u32 }
server S implements I {
    uses next: I
    var base: u32 = 1
    fn add(v: u32) -> u32 { return v + base }
    on get(k) { reply add(next.get(k)) }
}`)).toEqual([
            'v@6 -> FunctionParam@6',
            'base@6 -> StateVar@5',
            'add@7 -> FunctionDecl@6',
            'next@7 -> UsesPort@4',
            'k@7 -> HandlerParam@7'
        ]);
    });

    test('a local shadows a state variable, which shadows a module constant', async () => {
        expect(await resolutions(`
const n = 1
program P {
    var n: u32 = 2
    main {
        let a = n
        let n = 3
        let b = n
    }
}`)).toEqual([
            'n@6 -> StateVar@4',
            'n@8 -> Binding@7'
        ]);
    });

    test('members of another component are not visible', async () => {
        expect(await diagnosticsWithText(`
program A { var secret: u32 = 1  main { } }
program B { main { let x = secret } }`)).toEqual([
            "3:28 error Unknown name 'secret'. @ secret"
        ]);
    });
});

describe('member resolution', () => {
    test('fields, enum members, methods and registers resolve through the type of the receiver', async () => {
        expect(await diagnosticsWithText(`
enum Color : u8 { Red, Green }
struct P { x: u32, c: Color }
bitfield F : u8 { on: 1 }
device D { status: u8 at 0 }
interface I { ping() -> u8 }
program Q {
    uses i: I
    device regs: D
    main {
        var p: P
        p.c = Color.Green
        let f = F { on: 1 }
        let s = regs.status + f.on + i.ping()
        let bad = p.y + Color.Blue + i.pong() + regs.nope + f.off
    }
}`)).toEqual([
            "15:21 error struct P has no field 'y'. @ y",
            "15:31 error enum Color has no member 'Blue'. @ Blue",
            "15:40 error interface I has no method 'pong'. @ pong",
            "15:54 error device D has no register 'nope'. @ nope",
            "15:63 error bitfield F has no field 'off'. @ off"
        ]);
    });

    test('members of a value that has none, and of an unknown name, give one diagnostic each', async () => {
        expect(await diagnosticsWithText(`
fn f(a: u32) {
    let x = a.b
    let y = nothing.field.deeper
}`)).toEqual([
            "3:15 error A value of type u32 has no member 'b'. @ b",
            "4:13 error Unknown name 'nothing'. @ nothing"
        ]);
    });
});

describe('type names', () => {
    test('every kind of type reference reports an unknown name with its kind', async () => {
        expect(await diagnosticsWithText(`
interface I { m() raises Errs }
server S implements J { }
program P { uses x: K  device d: Dev  main { } }
system Y { instance a: Nope }`)).toEqual([
            "2:26 error Unknown enum 'Errs'. @ Errs",
            "3:21 error Unknown interface 'J'. @ J",
            "4:21 error Unknown interface 'K'. @ K",
            "4:34 error Unknown device 'Dev'. @ Dev",
            "5:24 error Unknown server or program 'Nope'. @ Nope"
        ]);
    });
});
