import { describe, expect, test } from 'vitest';
import {
    isBitfieldDecl, isConstDecl, isDeviceDecl, isEnumDecl, isFunctionDecl, isInterfaceDecl, isProgramDecl,
    isServerDecl, isStructDecl, isSystemDecl, type BinaryExpr, type ConstDecl, type InterfaceDecl
} from '../../src/language/generated/ast.js';
import { build, diagnosticsWithText } from '../helpers.js';

describe('parsing', () => {
    test('every declaration kind', async () => {
        const document = await build(`
package demo.kv
const N = 4
enum E : u8 { A }
bitfield F : u8 { a: 1 }
struct S { x: u8 }
interface I { m() }
device D { r: u8 at 0 }
fn f() { }
server Srv implements I { on m() { reply } }
program P { main { } }
system Sys { instance p: P }`);
        const module = document.parseResult.value;
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(module.package).toBe('demo.kv');
        const kinds = [isConstDecl, isEnumDecl, isBitfieldDecl, isStructDecl, isInterfaceDecl, isDeviceDecl,
            isFunctionDecl, isServerDecl, isProgramDecl, isSystemDecl];
        expect(module.declarations.map(decl => kinds.findIndex(is => is(decl)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    });

    test('operator precedence follows Rust: bitwise binds tighter than comparison', async () => {
        const document = await build('const C = 1 + 2 * 3 == 7 && 0x10 & 0xf | 1 << 2 != 0');
        const render = (expr: unknown): string => {
            const node = expr as BinaryExpr & { value?: string };
            return node.$type === 'BinaryExpr' ? `(${render(node.left)} ${node.operator} ${render(node.right)})` : String(node.value);
        };
        const decl = document.parseResult.value.declarations[0] as ConstDecl;
        expect(render(decl.value)).toBe('(((1 + (2 * 3)) == 7) && (((0x10 & 0xf) | (1 << 2)) != 0))');
    });

    test('integer literals keep their text so that no precision is lost', async () => {
        const document = await build('const A = 0xffff_ffff_ffff_ffff\nconst B = 0b1010');
        const values = document.parseResult.value.declarations.map(decl => ((decl as ConstDecl).value as unknown as { value: string }).value);
        expect(values).toEqual(['0xffff_ffff_ffff_ffff', '0b1010']);
    });

    test('soft keywords can name things', async () => {
        expect(await diagnosticsWithText(`
struct Window { at: u32, size: u32, main: u8, init: u8, on: bool, len: u16, wait: u8 }
interface Io { read(at: u32, len: u16) -> (size: u32) }`)).toEqual([]);
    });

    test('an interface method list needs no separators; struct fields may use commas or none', async () => {
        const document = await build(`
struct A { x: u8 y: u8, z: u8, }
interface I { a() b(x: u8) -> u8 oneway c() }`);
        expect(document.parseResult.parserErrors).toEqual([]);
        const iface = document.parseResult.value.declarations[1] as InterfaceDecl;
        expect(iface.methods.map(method => `${method.oneway ? 'oneway ' : ''}${method.name}`)).toEqual(['a', 'b', 'oneway c']);
    });
});

describe('syntax errors', () => {
    test('a missing closing brace', async () => {
        expect(await diagnosticsWithText('struct S { x: u8\n')).toEqual([
            "1:17 error Expected '}', but found the end of the file. @ "
        ]);
    });

    test('a keyword where a name is expected', async () => {
        expect(await diagnosticsWithText('struct while { x: u8 }')).toEqual([
            "1:8 error Expected a name, but found 'while'. @ while"
        ]);
    });

    test('something that is not a declaration at the top level', async () => {
        expect(await diagnosticsWithText('let x = 1')).toEqual([
            "1:1 error Unexpected 'let': expected a declaration (const, enum, bitfield, struct, interface, device, fn, server, program or system). @ let"
        ]);
    });

    test('an unterminated string and a stray character', async () => {
        const lines = await diagnosticsWithText('fn f() { print("oops) }\nconst C = 1 $ 2');
        expect(lines[0]).toBe("1:16 error Unexpected character '\"' (a string must end on the line it starts). @ \"");
        expect(lines).toContain("2:13 error Unexpected character '$'. @ $");
    });

    test('a missing type after a colon', async () => {
        expect(await diagnosticsWithText('struct S { x: }')).toEqual([
            "1:15 error Expected a name, 'u8', 'u16', 'u32', 'u64', 'i8', ..., but found '}'. @ }"
        ]);
    });
});
