/**
 * Deferred replies in the checker (docs/LANGUAGE.md, "Deferred replies"): where `reply<I.m>`, `defer`,
 * `.reply`, `.raise` and pending() may stand, what they must match, and the path rules.
 */
import { describe, expect, test } from 'vitest';
import { diagnosticsWithText } from '../helpers.js';

const IFACE = `
enum Err : u8 { Empty = 1 }
interface Console {
    getc() -> (ok: bool, c: u8) raises Err
    wait() -> u8
    oneway kick()
    read(into: shared out bytes[8]) -> u8
}
interface Other { ping() -> u8 }
`;

describe('deferred replies', () => {
    test('a server defers calls, answers them from any handler or helper, and tests them with pending()', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements Console {
    notification ready
    var reader: reply<Console.getc>
    var waiter: reply<Console.wait>
    fn wake(v: u8) {
        if pending(waiter) { waiter.reply(v) }
    }
    on getc() {
        if pending(reader) { raise Err.Empty }
        reader = defer
        print("deferred")
    }
    on wait() {
        if badge() == 1 { reply 0 }
        waiter = defer
    }
    on kick() {
        if pending(reader) { reader.reply(true, 'x') }
        wake(1)
    }
    on read(into) { reply 0 }
    on notification ready(bits) {
        reader.raise(Err.Empty)
    }
}`)).toEqual([]);
    });

    test('reply<I.m> is the type of a server state variable only, for a method it serves that can be deferred', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements Console {
    var a: reply<Other.ping>
    var b: reply<Console.kick>
    var c: reply<Console.read>
    var d: reply<Console.nope>
    var e: reply<Console.getc> = 1
    var f: [reply<Console.wait>; 2]
    on getc() { let x: reply<Console.getc> = defer }
    on wait() { reply 0 }
    on kick() { }
    on read(into) { reply 0 }
}
program P { var w: reply<Console.wait> main { } }`)).toEqual([
            "12:18 error Server 'S' implements Console, so it only defers calls of Console's methods. @ Other",
            "13:26 error Calls of 'kick' cannot be deferred: it is oneway, so nobody waits for its reply. @ kick",
            "14:26 error Calls of 'read' cannot be deferred: 'out' bytes go back with the reply of the call being served. @ read",
            "15:26 error interface Console has no method 'nope'. @ nope",
            "16:34 error State 'e' of type reply<Console.getc> starts empty; it takes no initial value. @ 1",
            "17:13 error Only a server's state variable can hold a reply<...>: a deferred call outlives the handler that kept it. @ reply<Console.wait>",
            "18:24 error Only a server's state variable can hold a reply<...>: a deferred call outlives the handler that kept it. @ reply<Console.getc>",
            "18:46 error 'defer' keeps the caller in a state variable: write 'v = defer', with v of type reply<Console.getc>. @ defer",
            "23:20 error Only a server's state variable can hold a reply<...>: a deferred call outlives the handler that kept it. @ reply<Console.wait>"
        ]);
    });

    test('defer only in the handler of a method that replies, into a variable of its own method', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements Console {
    notification ready
    var reader: reply<Console.getc>
    var waiter: reply<Console.wait>
    var n: u32
    fn helper() { reader = defer }
    init { waiter = defer }
    on getc() { waiter = defer }
    on wait() { n = defer }
    on kick() { reader = defer }
    on read(into) { reply 0 }
    on notification ready(bits) { reader = defer }
}`)).toEqual([
            "16:28 error 'defer' is only allowed in the handler of a method that replies. @ defer",
            "17:21 error 'defer' is only allowed in the handler of a method that replies. @ defer",
            "18:26 error The assigned value must be reply<Console.wait>, not reply<Console.getc>. @ defer",
            "19:21 error The assigned value must be u32, not reply<Console.wait>. @ defer",
            "20:26 error 'defer' is only allowed in the handler of a method that replies. @ defer",
            "22:44 error 'defer' is only allowed in the handler of a method that replies. @ defer"
        ]);
    });

    test('answers match the method; a reply variable is not copied; pending() takes a reply variable', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements Console {
    var reader: reply<Console.getc>
    var waiter: reply<Console.wait>
    var n: u8
    on getc() { reply (true, 0) }
    on wait() {
        reader.reply(1)
        reader.reply(true, 300)
        waiter.raise(Err.Empty)
        reader.raise(Err.Empty, Err.Empty)
        n.reply(1)
        let copy = pending(n)
        let w = waiter
        reply 0
    }
    on kick() { }
    on read(into) { reply 0 }
}`)).toEqual([
            "17:16 error 'getc' replies with 2 values (ok, c), but 1 value is given. @ reply",
            "18:9 error 'reader' was already answered on line 17; a deferred reply is answered once. @ reader.reply(true, 300)",
            "18:28 error Constant 300 does not fit u8 (0..255). @ 300",
            "19:16 error Method 'wait' declares no errors; add 'raises E' to its declaration to raise one. @ raise",
            "20:9 error 'reader' was already answered on line 18; a deferred reply is answered once. @ reader.raise(Err.Empty, Err.Empty)",
            "20:16 error '.raise' takes one error of Err, but 2 arguments are given. @ raise",
            "21:9 error Only a deferred reply (a state variable of type reply<...>) is answered with '.reply', not u8. @ n",
            "22:28 error pending() needs a deferred reply (a state variable of type reply<...>), not u8. @ n",
            "23:17 error A deferred reply cannot be copied; answer it with 'waiter.reply(...)' or '.raise(...)', or test it with pending(). @ waiter"
        ]);
    });

    test('no reply, raise or second defer after defer on a path; an answer twice on every path is an error', async () => {
        expect(await diagnosticsWithText(IFACE + `
server S implements Console {
    var reader: reply<Console.getc>
    var waiter: reply<Console.wait>
    on getc() {
        reader = defer
        if badge() == 2 { raise Err.Empty }
        reply (true, 1)
    }
    on wait() {
        if badge() == 1 { waiter = defer }
        while badge() == 3 { waiter = defer }
        reply 0
    }
    on kick() {
        reader.reply(true, 1)
        if badge() == 1 { reader.reply(false, 2) }
        waiter.reply(1)
        waiter = defer
    }
    on read(into) {
        if badge() == 1 { waiter.reply(1) } else { waiter.reply(2) }
        waiter.reply(3)
        reader.reply(true, 1)
        for i in 0..2 { reader.reply(true, 2) }
        reply 0
    }
}`)).toEqual([
            "16:27 error 'raise' after 'defer': this call was deferred on line 15, so it is answered through the variable that keeps it. @ raise Err.Empty",
            "17:9 error 'reply' after 'defer': this call was deferred on line 15, so it is answered through the variable that keeps it. @ reply (true, 1)",
            "21:39 error 'defer' after 'defer': this call was deferred on line 20, so it is answered through the variable that keeps it. @ defer",
            "22:9 error 'reply' after 'defer': this call was deferred on line 20, so it is answered through the variable that keeps it. @ reply 0",
            "26:27 error 'reader' was already answered on line 25; a deferred reply is answered once. @ reader.reply(false, 2)",
            "28:18 error 'defer' is only allowed in the handler of a method that replies. @ defer",
            "32:9 error 'waiter' was already answered on line 31; a deferred reply is answered once. @ waiter.reply(3)",
            "34:25 error 'reader' was already answered on line 33; a deferred reply is answered once. @ reader.reply(true, 2)"
        ]);
    });

    test('a server keeps at most 32 deferred replies: one slot each', async () => {
        const vars = Array.from({ length: 33 }, (_, i) => `    var r${i}: reply<Console.wait>`).join('\n');
        expect(await diagnosticsWithText(IFACE + `
server S implements Console {
${vars}
    on getc() { reply (true, 0) }
    on wait() { reply 0 }
    on kick() { }
    on read(into) { reply 0 }
}`)).toEqual(["44:9 error A server keeps at most 32 deferred replies in its state: one capability slot each. @ r32"]);
    });
});
