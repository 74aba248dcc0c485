import { describe, expect, test } from 'vitest';
import { diagnosticsWithText } from '../helpers.js';

const DECLS = `
enum Err : u8 { Bad = 1 }
enum Other : u8 { X = 1 }
struct K { a: u32, b: u16 }
bitfield F : u8 { x: 1, y: 3 }
interface I {
    get(k: K) -> (s: u8, v: u32)
    put(v: u32) -> u8 raises Err
    fill(into: shared out bytes[16])
    give(cb: endpoint<I>)
}
`;

describe('operators', () => {
    test('arithmetic, bitwise, shifts, comparisons and logic on matching types', async () => {
        expect(await diagnosticsWithText(`
fn f(a: u8, b: u8, s: i32, k: K, e: Err) -> bool {
    let c = a * b + a / 2 - (a % 3) & 0xf | 1 ^ b
    let d = a << 2 >> b
    let n = -s + ~s
    let w = (a as u64) * 1_000_000_000_000
    let same = k == K { a: 1, b: 2 } && e != Err.Bad
    return (c < d || n >= 0) && !same && a <= 255
}
enum Err : u8 { Bad = 1 }
struct K { a: u32, b: u16 }`)).toEqual([]);
    });

    test('operand errors', async () => {
        expect(await diagnosticsWithText(`
fn f(a: u8, b: u16, t: bool) {
    let w = a + b
    let x = a + 1000
    let y = 1 + t
    let z = t && a
    let n = -a
    let m = !a
    let p = ~t
    let q = t < t
    let r = a / 0
    let s = a << t
}`)).toEqual([
            "3:15 error '+' needs operands of the same type, not u8 and u16; convert one with 'as'. @ +",
            "4:17 error Constant 1000 does not fit u8 (0..255). @ 1000",
            "5:15 error '+' needs integer operands, not integer constant and bool. @ +",
            "6:15 error '&&' needs bool operands, not bool and u8. @ &&",
            "7:13 error Cannot negate unsigned u8; write '0 - x' for wrapping negation. @ -",
            "8:13 error '!' needs a bool, not u8; use '~' for bitwise not. @ !",
            "9:13 error '~' needs an integer, not bool. @ ~",
            "10:15 error '<' needs integer operands, not bool and bool. @ <",
            "11:17 error Division by zero. @ 0",
            "12:15 error '<<' needs integer operands, not u8 and bool. @ <<"
        ]);
    });

    test('conversions with as', async () => {
        expect(await diagnosticsWithText(DECLS + `
fn f(a: u32, k: K, e: Err, flags: F) {
    let ok1 = a as u8
    let ok2 = e as u32
    let ok3 = 1 as Err
    let ok4 = flags as u8
    let ok5 = (a > 1) as u8
    let bad1 = k as u32
    let bad2 = a as K
    let bad3 = a as bool
}`)).toEqual([
            "19:21 error Cannot convert K to u32. @ u32",
            "20:21 error Cannot convert u32 to K. @ K",
            "21:21 error Cannot convert u32 to bool. @ bool"
        ]);
    });
});

describe('calls', () => {
    test('functions and methods with the right arguments; try and catch', async () => {
        expect(await diagnosticsWithText(DECLS + `
fn twice(x: u32) -> u32 { return x * 2 }
server S implements I {
    uses other: I
    var buf: bytes[16]
    on get(k) {
        let (s, v) = other.get(k)
        reply (s, twice(v))
    }
    on put(v) {
        let r = try other.put(v)
        other.fill(buf)
        reply r
    }
    on fill(into) {
        let n = other.put(1) catch e { reply }
        into[0] = n
        reply
    }
    on give(cb) {
        other.give(cb)
        cb.give(cb)
        reply
    }
}`)).toEqual([]);
    });

    test('arity, argument types, unhandled errors, misplaced try and catch, writable out arguments', async () => {
        expect(await diagnosticsWithText(DECLS + `
fn g(x: u8) -> u8 { return x }
program P {
    uses other: I
    main {
        g(1, 2)
        g(true)
        let (a, b, c) = other.get(K { a: 1, b: 2 })
        let x = other.put(1)
        let y = try other.put(2)
        let z = other.put(3) catch e { print("{}", e) }
        other.get(K { a: 1, b: 2 }) catch e { }
        let n = 5 catch e { }
        other.get
        let buf: bytes[16] = [0; 16]
        other.fill(buf)
        other.give(5)
        let v = 3
        v(1)
    }
}`)).toEqual([
            "17:9 error 'g' takes 1 argument, but 2 were given. @ g(1, 2)",
            "18:11 error Argument 1 of 'g' must be u8, not bool. @ true",
            "19:25 error This returns 2 values, but 3 names are bound. @ other.get(K { a: 1, b: 2 })",
            "20:17 error I.put may raise Err; handle it with 'catch' or pass it on with 'try'. @ other.put(1)",
            "21:17 error 'try' passes Err on to this handler's caller, so it is only allowed in a handler whose method raises Err. @ try other.put(2)",
            "22:30 error The call's value is used, so the catch block must leave (return, reply, raise, break or continue). @ catch",
            "24:19 error 'catch' needs a call to an interface method. @ catch",
            "25:15 error Method 'get' must be called: other.get(...). @ get",
            "27:20 error Argument 'into' of I.fill is 'out': pass a variable or state that the server's data can be written to. @ buf",
            "28:20 error Argument 'cb' of I.give must be endpoint<I>, not integer constant. @ 5",
            "30:9 error A value of type u32 cannot be called. @ v"
        ]);
    });

    test('every two-way call may fail with ServerFailed: catch works on any, not on a oneway method', async () => {
        expect(await diagnosticsWithText(`
interface J {
    ping() -> u32
    oneway poke()
}
program P {
    uses j: J
    main {
        let v = j.ping() catch e { print("ping failed: {}", e) return }
        j.poke() catch e { }
        j.ping() catch e { let w: u32 = e }
    }
}`)).toEqual([
            "10:18 error J.poke is oneway: no reply comes back, so there is nothing to catch. @ catch",
            "11:41 error The value of 'w' must be u32, not ServerFailed. @ e"
        ]);
    });

    test('try in a handler whose method raises a different enum', async () => {
        expect(await diagnosticsWithText(`
enum Err : u8 { Bad = 1 }
enum Other : u8 { X = 1 }
interface I { put(v: u32) -> u8 raises Err }
interface J { take() -> u8 raises Other }
server S implements J {
    uses i: I
    on take() { reply try i.put(1) }
}`)).toEqual([
            "8:23 error 'try' passes Err on, but 'take' raises Other; use 'catch' and raise a Other. @ try i.put(1)"
        ]);
    });
});

describe('members, elements and literals', () => {
    test('field, element, enum member and register access', async () => {
        expect(await diagnosticsWithText(DECLS + `
device Dev { status: u32 at 0 ro, data: u32 at 4 wo, ctrl: u8 at 8 }
server S implements I {
    device regs: Dev
    var table: [K; 4]
    on get(k) {
        table[1] = k
        table[2].a = k.a + 1
        regs.data = regs.status
        regs.ctrl |= 1
        let flags = F { x: 1, y: 7 }
        let arr: [u8; 3] = [1, 2, 3]
        let rep = [Err.Bad; 4]
        reply (flags.y + arr[2] + 'a', len(arr) + len(rep))
    }
    on put(v) { reply 0 }
    on fill(into) { reply }
    on give(cb) { reply }
}`)).toEqual([]);
    });

    test('member, index, literal and register errors', async () => {
        expect(await diagnosticsWithText(DECLS + `
device Dev { status: u32 at 0 ro, data: u32 at 4 wo }
program P {
    device regs: Dev
    main {
        let k = K { a: 1 }
        let kk = K { a: 1, b: 2, a: 3 }
        let f = F { x: 2, y: 1 }
        let g = k.c
        let h = [1, 2, true]
        let j = h[5]
        let l = Err
        let m = Err.Nope
        let i = k[0]
        let q = h[true]
        regs.status = 1
        let r = regs.data
        let s = regs
        let t = Err { Bad: 1 }
        let u = 'ab'
        let v = 0x
        let w = (1, 2)
    }
}`)).toEqual([
            "17:17 error K literal is missing field 'b'. @ K",
            "18:34 error Field 'a' is set twice. @ a",
            "19:24 error Value 2 does not fit field 'x' (1 bits, 0..1). @ 2",
            "20:19 error struct K has no field 'c'. @ c",
            "21:24 error Array elements must all be integer constant, not bool. @ true",
            "22:19 error Index 5 is out of bounds for [u32; 3]. @ 5",
            "23:17 error 'Err' is an enum, not a value; name one of its members, such as Err.Bad. @ Err",
            "24:21 error enum Err has no member 'Nope'. @ Nope",
            "25:17 error A value of type K cannot be indexed. @ k",
            "26:19 error An index must be an integer, not bool. @ true",
            "27:14 error Register 'status' is read-only. @ status",
            "28:22 error Register 'data' is write-only. @ data",
            "29:17 error Device port 'regs' is reached through its registers, as in regs.reg. @ regs",
            "30:17 error Enum 'Err' has no fields; name a member, such as Err.Bad. @ Err",
            "31:17 error 'ab' is not a valid character: use an ASCII character or one of \\n \\r \\t \\0 \\\\ \\' \\\". @ 'ab'",
            "32:17 error '0x' is not a valid integer. @ 0x",
            "33:17 error A tuple of values can only be replied; bind the results of a call with 'let (a, b) = ...'. @ (1, 2)"
        ]);
    });
});

describe('kernel builtins', () => {
    test('signal, wait, poll, badge and len in the right places', async () => {
        expect(await diagnosticsWithText(`
interface I { m() -> u32 }
server S implements I {
    notification ready
    interrupt rx
    on m() {
        signal(ready)
        let bits = poll(ready) | wait(rx)
        reply badge() + bits
    }
}`)).toEqual([]);
    });

    test('wrong arguments and places', async () => {
        expect(await diagnosticsWithText(`
interface I { m() }
program P {
    uses other: I
    notification n
    interrupt irq
    main {
        let b = badge()
        signal(other)
        let w = wait(1)
        let l = len(5)
        signal(n, n)
        let x = n
        let y = irq
    }
}`)).toEqual([
            "8:17 error badge() is the caller's badge, so it is only available in a handler. @ badge()",
            "9:16 error signal() needs a notification, not endpoint<I>. @ other",
            "10:22 error wait() needs a notification or interrupt port, not integer constant. @ 1",
            "11:21 error len() needs an array, byte buffer, string or vec, not integer constant. @ 5",
            "12:9 error signal() takes 1 argument, but 2 were given. @ signal(n, n)",
            "14:17 error Interrupt port 'irq' is used through wait() or poll(). @ irq"
        ]);
    });
});
