import { describe, expect, test } from 'vitest';
import { diagnosticsWithText } from '../helpers.js';

const IFACE = `
enum Err : u8 { Bad = 1 }
interface I {
    get(k: u32) -> (s: u8, v: u32)
    put(v: u32) -> u8 raises Err
    oneway f()
}
`;

describe('servers', () => {
    test('a complete server with state, helpers, init and every handler', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements I {
    var count: u32 = 0
    var table: [u32; 4]
    var ready: bool = true
    fn twice(x: u32) -> u32 { return x * 2 }
    init { count = 1 }
    on get(k) { reply (1, twice(k)) }
    on put(v) {
        if v == 0 { raise Err.Bad }
        table[0] = v
        reply 0
    }
    on f() { count += 1 }
}`)).toEqual([]);
    });

    test('missing, duplicate, unknown and mis-sized handlers; main in a server; bad state', async () => {
        expect(await diagnosticsWithText(IFACE + `
interface J { a() b() }
server S implements I {
    var st: endpoint<I> = st
    var n: u32 = m
    var m: u32 = 1
    main { }
    on get(k, extra) { reply (1, 2) }
    on get(k) { reply (1, 2) }
    on nope() { }
}
server T implements J {
    on a() { reply }
}`)).toEqual([
            "10:8 error Server 'S' does not handle I.put, I.f. @ S",
            "11:27 error The initial value of state 'st' must be one of the component's ports. @ st",
            "12:18 error The initial value of state 'n' must be a constant known at compile time. @ m",
            "14:5 error A server has no 'main': its dispatch loop is generated. Put start-up work in 'init { }'. @ main",
            "15:8 error The handler for 'get' names 2 parameters, but I.get has 1. @ get",
            "16:8 error Method 'get' is already handled on line 15. @ get",
            "17:8 error Interface I has no method 'nope' to handle. @ nope",
            "19:8 error Server 'T' does not handle J.b. @ T"
        ]);
    });

    test('state of every type starts as a constant: literals are looked into, capabilities start as ports', async () => {
        expect(await diagnosticsWithText(IFACE + `
struct P { x: u32, y: u32 }
server S implements I {
    uses other: I
    var n: u32 = 1
    var ok: P = P { x: 1, y: 2 }
    var bad: P = P { x: 1, y: n }
    var bytesOk: bytes[4] = [1, 2, 3, 4]
    var bytesBad: bytes[4] = bytesOk
    var list: [u32; 2] = [n, 2]
    var peer: endpoint<I> = other
    on get(k) { reply (1, 2) }
    on put(v) { reply 0 }
    on f() { }
}`)).toEqual([
            "14:31 error The initial value of state 'bad' must be a constant known at compile time. @ n",
            "16:30 error The initial value of state 'bytesBad' must be a constant known at compile time. @ bytesOk",
            "17:27 error The initial value of state 'list' must be a constant known at compile time. @ n"
        ]);
    });

    test('a handler that can finish without replying, and reply in a oneway handler', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements I {
    on get(k) { if k == 0 { reply (0, 0) } }
    on put(v) { while v > 1 { reply 1 } }
    on f() { reply }
}`)).toEqual([
            "10:8 error The handler for 'get' can finish without replying; end every path with 'reply', 'raise' or 'defer'. @ get",
            "11:8 error The handler for 'put' can finish without replying; end every path with 'reply', 'raise' or 'defer'. @ put",
            "12:14 error Method 'f' is oneway: there is no caller waiting for a reply. @ reply"
        ]);
    });

    test('while true without break never finishes, so it needs no reply after it', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements I {
    on get(k) { while true { if k == 1 { reply (1, 1) } } }
    on put(v) { if v == 0 { raise Err.Bad } else { reply 2 } }
    on f() { }
}`)).toEqual([]);
    });

    test('event handlers: interrupts and notifications, duplicates and wrong port kinds', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements I {
    interrupt rx
    notification ready
    on get(k) { reply (0, 0) }
    on put(v) { reply 0 }
    on f() { }
    on interrupt rx { }
    on interrupt rx { }
    on notification ready(bits) { let b: u32 = bits }
    on interrupt ready { }
}`)).toEqual([
            "16:18 error 'rx' is already handled on line 15. @ rx",
            "18:18 error Unknown interrupt port 'ready'. @ ready"
        ]);
    });
});

describe('programs', () => {
    test('a program with ports, state, helpers and main', async () => {
        expect(await diagnosticsWithText(IFACE + `
program P {
    uses store: I
    notification done
    var total: u32 = 0
    fn bump() { total += 1 }
    main {
        let (s, v) = store.get(1)
        bump()
        store.f()
        signal(done)
    }
}`)).toEqual([]);
    });

    test('no main, two mains, event handlers and method handlers in a program, duplicate members', async () => {
        expect(await diagnosticsWithText(IFACE + `
program P {
    interrupt x
    on interrupt x { }
    on get(k) { }
}
program Q {
    var a: u8
    var a: u8
    main { }
    main { }
}`)).toEqual([
            "9:9 error Program 'P' has no 'main { }' block. @ P",
            "11:5 error Only servers have event handlers; a program waits for 'x' with wait(). @ on",
            "12:8 error Only servers handle methods; program P implements no interface. @ get",
            "16:9 error Duplicate member 'a'; the first is on line 15. @ a",
            "18:5 error Only one 'main' block is allowed; the first is on line 17. @ main"
        ]);
    });
});

describe('functions', () => {
    test('missing returns, bad parameters', async () => {
        expect(await diagnosticsWithText(`
device D { r: u8 at 0 }
fn h() -> u8 { if true { return 1 } }
fn g(a: u8, a: u16) { }
fn ok(a: u8) -> u8 { if a > 1 { return 1 } else { return 2 } }`)).toEqual([
            "3:4 error Function 'h' can finish without returning a u8. @ h",
            "4:13 error Duplicate parameter 'a'; the first is on line 4. @ a"
        ]);
    });
});
