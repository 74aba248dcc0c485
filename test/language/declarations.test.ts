import { describe, expect, test } from 'vitest';
import { buildFiles, describeDiagnostics, diagnosticsWithText } from '../helpers.js';

describe('constants', () => {
    test('typed and untyped constants, hex, binary and separators', async () => {
        expect(await diagnosticsWithText(`
const A = 0x10
const B: u8 = 0b1111_0000
const C: i32 = -A * 2
const D: bool = true
const E = 1_000_000`)).toEqual([]);
    });

    test('out of range, not constant, cyclic, division by zero, non-scalar type', async () => {
        expect(await diagnosticsWithText(`
const A: u8 = 256
const B = C
const C = B
const D = 1 / 0
struct S { x: u8 }
const E: S = 1
fn f() -> u32 { return 1 }
const F = f()`)).toEqual([
            "2:15 error Constant 256 does not fit u8 (0..255). @ 256",
            "3:11 error The value of constant 'B' depends on itself. @ C",
            "4:11 error The value of constant 'C' depends on itself. @ B",
            "5:15 error Division by zero. @ 0",
            "7:10 error A constant must be an integer, float or bool, not S. @ S",
            "9:11 error The value of constant 'F' must be a constant known at compile time. @ f()"
        ]);
    });
});

describe('enums', () => {
    test('explicit and implicit values', async () => {
        expect(await diagnosticsWithText('enum Status : u8 { Ok = 0, NotFound, Busy = 7, Later }')).toEqual([]);
    });

    test('bad base, empty, duplicates, out of range', async () => {
        expect(await diagnosticsWithText(`
enum E : bool { A }
enum F : u8 { }
enum G : u8 { A = 1, B = 1, C = 300, A = 2 }
enum H : i8 { Low = -129, High = 127 }`)).toEqual([
            "2:10 error The underlying type of an enum must be an integer type (u1..u64, i1..i64), not bool. @ bool",
            "3:6 error Enum 'F' has no members. @ F",
            "4:22 error G.B has the same value (1) as G.A. @ B",
            "4:33 error G.C = 300 does not fit u8 (0..255). @ 300",
            "4:38 error Duplicate member 'A'; the first is on line 4. @ A",
            "5:21 error H.Low = -129 does not fit i8 (-128..127). @ -129"
        ]);
    });

    test('any width from 1 to 64 bits', async () => {
        expect(await diagnosticsWithText(`
enum Mode : u3 { Off, Read, Write, Exec = 7 }
enum Bit : u1 { Clear, Set }
enum Delta : i5 { Low = -16, High = 15 }
enum Wide : u40 { Big = 0xff_ffff_ffff }`)).toEqual([]);
    });

    test('members that do not fit the width, and widths that do not exist', async () => {
        expect(await diagnosticsWithText(`
enum Mode : u3 { Off, Exec = 7, Over }
enum Delta : i5 { Low = -17, High = 16 }
enum Z : u0 { A }
enum Big : u65 { A }
enum Name : Mode { A }`)).toEqual([
            "2:33 error Mode.Over = 8 does not fit u3 (0..7). @ Over",
            "3:25 error Delta.Low = -17 does not fit i5 (-16..15). @ -17",
            "3:37 error Delta.High = 16 does not fit i5 (-16..15). @ 16",
            "4:10 error The underlying type of an enum must be an integer type (u1..u64, i1..i64), not 'u0'. @ u0",
            "5:12 error The underlying type of an enum must be an integer type (u1..u64, i1..i64), not 'u65'. @ u65",
            "6:13 error The underlying type of an enum must be an integer type (u1..u64, i1..i64), not 'Mode'. @ Mode"
        ]);
    });

    test('flags: members are bits in order or at a position; sets combine with | & ^ ~ and compare', async () => {
        expect(await diagnosticsWithText(`
flags Perm : u8 { Read, Write, Exec at 4, Sticky }
flags One : u1 { Only }
fn f(p: Perm) -> bool {
    let q = (p | Perm.Write) & ~Perm.Exec ^ Perm.Sticky
    return q & Perm.Read == Perm.Read && p != 0 as Perm
}`)).toEqual([]);
    });

    test('flags: a signed or bad base, bits outside the base, repeated bits, values, and sets of other types', async () => {
        expect(await diagnosticsWithText(`
flags A : i8 { X }
flags B : u3 { X, Y at 3, Z at 1, W = 2 }
flags C : u8 { X at 2, Y at 2 }
flags D : u70 { X }
flags Empty : u8 { }
enum E : u8 { X at 2 }
flags Other : u8 { Q }
fn f(a: C, b: Other) { let x = a | b let y = a | 1 let z = a + a }`)).toEqual([
            "2:11 error The underlying type of flags must be an unsigned integer type (u1..u64), not i8. @ i8",
            "3:24 error B.Y is bit 3, but u3 has bits 0..2. @ 3",
            "3:39 error A flags member is a bit; give its position with 'at', not a value with '='. @ 2",
            "4:24 error C.Y is the same bit (2) as C.X. @ Y",
            "5:11 error The underlying type of flags must be an unsigned integer type (u1..u64), not 'u70'. @ u70",
            "6:7 error Flags 'Empty' has no members. @ Empty",
            "7:20 error 'at' gives the bit of a flags member; an enum member takes a value with '='. @ 2",
            "9:34 error '|' needs two sets of the same flags, not C and Other. @ |",
            "9:48 error '|' needs two sets of the same flags, not C and integer constant. @ |",
            "9:62 error '+' needs integer operands, not C and C. @ +"
        ]);
    });

    test('an implicit value that overflows the base', async () => {
        expect(await diagnosticsWithText('enum E : u8 { A = 255, B }')).toEqual([
            "1:24 error E.B = 256 does not fit u8 (0..255). @ B"
        ]);
    });
});

describe('bitfields', () => {
    test('fields that fill the base exactly', async () => {
        expect(await diagnosticsWithText('bitfield Flags : u8 { create: 1, overwrite: 1, ttl: 6 }')).toEqual([]);
    });

    test('signed base, zero width, overflow, duplicates', async () => {
        expect(await diagnosticsWithText(`
bitfield A : i8 { a: 1 }
bitfield B : u8 { a: 5, b: 4, c: 0 }
bitfield C : u16 { x: 17, x: 1 }`)).toEqual([
            "2:14 error The underlying type of a bitfield must be an unsigned integer type, not i8. @ i8",
            "3:14 error The fields of 'B' take 9 bits, but u8 holds only 8. @ u8",
            "3:34 error The width of 'c' must be between 1 and 8 bits. @ 0",
            "4:23 error The width of 'x' must be between 1 and 16 bits. @ 17",
            "4:27 error Duplicate field 'x'; the first is on line 4. @ x"
        ]);
    });
});

describe('structs and type references', () => {
    test('nested structs and arrays', async () => {
        expect(await diagnosticsWithText(`
const N = 4
struct Key { hi: u32, lo: u16 }
struct Table { keys: [Key; N], raw: bytes[N * 16], flags: [[bool; 2]; 3], wide: u64 }`)).toEqual([]);
    });

    test('recursion through fields and arrays, duplicates', async () => {
        expect(await diagnosticsWithText(`
struct S { a: u32, next: S }
struct T { inner: [U; 2] }
struct U { t: T }
interface I { m() }
struct V { e: endpoint<I>, e: u8 }`)).toEqual([
            "2:26 error Struct 'S' contains itself through S.next; a struct cannot contain itself. @ S",
            "3:19 error Struct 'T' contains itself through T.inner -> U.t; a struct cannot contain itself. @ [U; 2]",
            "4:15 error Struct 'U' contains itself through U.t -> T.inner; a struct cannot contain itself. @ T",
            "6:28 error Duplicate field 'e'; the first is on line 6. @ e"
        ]);
    });

    test('unknown types and bad lengths', async () => {
        expect(await diagnosticsWithText(`
struct W { a: Kye, b: [u8; 0], c: bytes[n], d: endpoint<Nope>, e: [u8; 1 << 30] }`)).toEqual([
            "2:15 error Unknown type 'Kye'. @ Kye",
            "2:28 error An array length must be between 1 and 16777216, not 0. @ 0",
            "2:41 error Unknown name 'n'. @ n",
            "2:57 error Unknown interface 'Nope'. @ Nope",
            "2:72 error An array length must be between 1 and 16777216, not 1073741824. @ 1 << 30"
        ]);
    });
});

describe('devices', () => {
    test('a register map with a shared read-only / write-only address', async () => {
        expect(await diagnosticsWithText(`
device Uart size 0x1000 {
    rbr: u8 at 0 ro
    thr: u8 at 0 wo
    status: u32 at 4
    ctrl: u16 at 8 rw
}`)).toEqual([]);
    });

    test('bad size, register types, alignment, bounds and overlap', async () => {
        expect(await diagnosticsWithText(`
device D size 100 { r: u64 at 0 }
device D2 { a: u32 at 2, b: u32 at 4, c: u8 at 4 ro, d: u8 at 0x1000, e: u8 at x }`)).toEqual([
            "2:15 error The size of a device must be a whole number of 4096-byte pages (at most 16 MiB), not 100. @ 100",
            "2:24 error Device register 'r' must be u8, u16, u32, i8, i16 or i32, not u64. @ u64",
            "3:23 error Register 'a' at offset 0x2 is not aligned to its size (4 bytes). @ 2",
            "3:48 error Register 'c' overlaps register 'b'; only a read-only and a write-only register may share bytes. @ 4",
            "3:63 error Register 'd' (offset 0x1000, 1 byte) lies outside the device's 4096 bytes. @ 0x1000",
            "3:80 error Unknown name 'x'. @ x"
        ]);
    });
});

describe('duplicate declarations', () => {
    test('two declarations with one name in a file', async () => {
        expect(await diagnosticsWithText(`
struct A { x: u8 }
enum A : u8 { X }`)).toEqual([
            "3:6 error Duplicate declaration 'A'; the first is on line 2. @ A"
        ]);
    });
});

describe('imports', () => {
    test('a file sees the declarations of the files it imports', async () => {
        const [main, types] = await buildFiles({
            'main.uk': 'import "types.uk"\nstruct Pair { a: Key, b: Key }\nconst M = LIMIT',
            'types.uk': 'struct Key { hi: u32 }\nconst LIMIT = 3'
        });
        expect(describeDiagnostics(main)).toEqual([]);
        expect(describeDiagnostics(types)).toEqual([]);
    });

    test('importing a folder brings in every .uk file directly in it', async () => {
        const [main] = await buildFiles({
            'main.uk': 'import "lib"\nstruct Both { a: A, b: B }',
            'lib/a.uk': 'struct A { x: u8 }',
            'lib/b.uk': 'struct B { y: u8 }',
            'lib/deeper/c.uk': 'struct C { z: u8 }'
        });
        expect(describeDiagnostics(main)).toEqual([]);
    });

    test('imports are not transitive', async () => {
        const [main] = await buildFiles({
            'main.uk': 'import "middle.uk"\nstruct X { m: Middle, b: Bottom }',
            'middle.uk': 'import "bottom.uk"\nstruct Middle { b: Bottom }',
            'bottom.uk': 'struct Bottom { v: u8 }'
        });
        expect(describeDiagnostics(main)).toEqual([
            "2:26 error Unknown type 'Bottom'. @ Bottom"
        ]);
    });

    test('without an import, another file is invisible', async () => {
        const [main] = await buildFiles({
            'main.uk': 'struct X { k: Key }',
            'types.uk': 'struct Key { hi: u32 }'
        });
        expect(describeDiagnostics(main)).toEqual([
            "1:15 error Unknown type 'Key'. @ Key"
        ]);
    });

    test('missing targets, repeated imports, self imports and clashes', async () => {
        const [main] = await buildFiles({
            'main.uk': 'import "nope.uk"\nimport "a.uk"\nimport "a.uk"\nimport "main.uk"\nimport "b.uk"\nstruct Shared { x: u8 }\nstruct User { c: Common }',
            'a.uk': 'struct Shared { y: u8 }\nstruct Common { z: u8 }',
            'b.uk': 'struct Common { w: u8 }'
        });
        const lines = describeDiagnostics(main).map(line => line.replace(/\(looked for [^)]*\)/, '(looked for …)'));
        expect(lines).toEqual([
            "1:8 error Cannot find the file 'nope.uk' (looked for …). @ \"nope.uk\"",
            "3:8 warning 'a.uk' is already imported. @ \"a.uk\"",
            "4:8 warning 'main.uk' is this file. @ \"main.uk\"",
            "5:8 error 'Common' is declared in both a.uk and b.uk; uses of it would be ambiguous. @ \"b.uk\"",
            "6:8 error 'Shared' is also declared in the imported file a.uk. @ Shared"
        ]);
    });
});
