/**
 * Events in the checker (docs/LANGUAGE.md, "Events"): what an event may carry, that an emit names an event
 * of the server's own interface with its values, and that a client handles an event of a `uses` port once
 * with as many parameters as it has. Each diagnostic with its position, code and the text it covers.
 */
import type { Diagnostic } from 'vscode-languageserver';
import { describe, expect, test } from 'vitest';
import { build, coveredText, format } from '../helpers.js';

async function diagnostics(text: string): Promise<string[]> {
    const document = await build(text);
    const code = (d: Diagnostic) => (d.data as { code?: string } | undefined)?.code ?? d.code;
    return [...(document.diagnostics ?? [])]
        .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character)
        .map(d => `${format(d)} [${code(d)}] @ ${coveredText(document, d)}`);
}

const SENSOR = `
struct Reading { value: u32, when: u64 }
enum Unit : u2 { C, F, K }
interface Sensor {
    oneway start(samples: u8)
    event dataReady(count: u32, port: u8)
    event reading(r: Reading, unit: Unit, ok: bool, last: [u8; 3])
}
`;

describe('events', () => {
    test('a server emits its interface\'s events from handlers and helpers; a program handles them', async () => {
        expect(await diagnostics(SENSOR + `
server S implements Sensor {
    fn announce(n: u32) { emit dataReady(n, 1) }
    on start(samples) {
        announce(samples as u32)
        emit reading(Reading { value: 1, when: 2 }, Unit.K, true, [1, 2, 3])
    }
}
program P {
    uses sensor: Sensor
    var total: u32 = 0
    main { sensor.start(2) }
    on event sensor.dataReady(count, port) { total += count + port as u32 }
    on event sensor.reading(r, unit, ok, last) {
        if ok && unit == Unit.K { total += r.value + last[2] as u32 }
        return
    }
}`)).toEqual([]);
    });

    test('event declarations: names apart from each other and from methods, what travels in message words only, one record long at most', async () => {
        expect(await diagnostics(`
interface I {
    oneway go()
    event ready(a: u8, a: u16)
    event ready()
    event go()
    event cap(e: endpoint<I>)
    event text(s: string[8], b: bytes[4])
    event big(words: [u32; 17])
    event held(h: Holder, many: [Holder; 2])
    event fine(t: f32, d: f64, u: Reading, o: u16?, nested: [bytes[3]; 2], v: vec[i8; 4])
}
struct Holder { id: u8, e: endpoint<I> }
union Reading { raw: u16, off }`)).toEqual([
            "4:24 error Duplicate parameter 'a'; the first is on line 4. [duplicate-name] @ a",
            "5:11 error Duplicate event 'ready'; the first is on line 4. [duplicate-name] @ ready",
            "6:11 error Event 'go' has the name of method 'go' (line 3). [duplicate-name] @ go",
            "7:18 error Event parameter 'e' is endpoint<I>, but an event carries only values that travel in message words: no capabilities, and byte buffers only inside a struct, array or vec. [invalid-field-type] @ endpoint<I>",
            "8:33 error Event parameter 'b' is bytes[4], but an event carries only values that travel in message words: no capabilities, and byte buffers only inside a struct, array or vec. [invalid-field-type] @ bytes[4]",
            "9:11 error Event 'big' needs 17 message words, but an event record holds at most 16. [message-too-long] @ big",
            "10:19 error Event parameter 'h' is Holder, which holds endpoint<I>, but an event carries only values that travel in message words: no capabilities, and byte buffers only inside a struct, array or vec. [invalid-field-type] @ Holder",
            "10:33 error Event parameter 'many' is [Holder; 2], which holds endpoint<I>, but an event carries only values that travel in message words: no capabilities, and byte buffers only inside a struct, array or vec. [invalid-field-type] @ [Holder; 2]"
        ]);
    });

    test('emit: an event of the interface the server implements, with its values; not in programs or free functions', async () => {
        expect(await diagnostics(SENSOR + `
interface Other { event ping() }
server S implements Sensor {
    on start(samples) {
        emit dataReady(1)
        emit dataReady(true, 2)
        emit ping()
        emit nothing(1)
    }
}
fn helper() { emit dataReady(1, 2) }
program P {
    main { emit dataReady(1, 2) }
}`)).toEqual([
            "13:14 error Event 'dataReady' carries 2 values, but 1 was given. [wrong-arity] @ dataReady",
            "14:24 error Value 'count' of event 'dataReady' must be u32, not bool. [type-mismatch] @ true",
            "15:14 error Interface Sensor has no event 'ping' to emit. [linking-error] @ ping",
            "16:14 error Interface Sensor has no event 'nothing' to emit. [linking-error] @ nothing",
            '19:20 error Only a server emits events, to the clients of the interface it implements. [linking-error] @ dataReady',
            '21:17 error Only a server emits events, to the clients of the interface it implements. [linking-error] @ dataReady'
        ]);
    });

    test('on event: an event of a uses port\'s interface, handled once, with its parameters', async () => {
        expect(await diagnostics(SENSOR + `
program P {
    uses sensor: Sensor
    notification done
    main { }
    on event sensor.dataReady(count) { }
    on event sensor.dataReady(a, b) { }
    on event sensor.dataReady(c, d) { }
    on event sensor.missing() { }
    on event done.dataReady(a, b) { }
    on event sensor.reading(r, u, o, l) { reply }
}`)).toEqual([
            "14:21 error The handler for 'sensor.dataReady' names 1 parameter, but Sensor.dataReady has 2. [handler-arity] @ dataReady",
            "15:21 error 'sensor.dataReady' is already handled on line 14. [duplicate-handler] @ dataReady",
            "16:21 error 'sensor.dataReady' is already handled on line 14. [duplicate-handler] @ dataReady",
            "17:21 error Interface Sensor has no event 'missing'. [linking-error] @ missing",
            "18:14 error P has no uses port 'done'. [linking-error] @ done",
            "19:43 error 'reply' is only allowed in a method handler. [misplaced-statement] @ reply"
        ]);
    });

    test('servers handle events as programs do, and a connection they come through has a badge', async () => {
        expect(await diagnostics(SENSOR + `
server Relay implements Sensor {
    uses upstream: Sensor
    on start(samples) { }
    on event upstream.dataReady(count, port) { emit dataReady(count + 1, port) }
    on event upstream.dataReady(count) { }
    on event upstream.reading(r, u, o, l) { reply }
}
server Plain implements Sensor { on start(samples) { } }
program P {
    uses sensor: Sensor
    main { }
    on event sensor.dataReady(count, port) { }
}
system S {
    instance source: Plain
    instance relay: Relay
    instance p: P
    connect relay.upstream -> source
    connect p.sensor -> source badge 2
}`)).toEqual([
            "14:23 error 'upstream.dataReady' is already handled on line 13. [duplicate-handler] @ dataReady",
            "14:23 error The handler for 'upstream.dataReady' names 1 parameter, but Sensor.dataReady has 2. [handler-arity] @ dataReady",
            "15:45 error 'reply' is only allowed in a method handler. [misplaced-statement] @ reply",
            "27:5 error Relay handles events of 'upstream', so this connection needs a badge: its event queue is known by it. [invalid-connection] @ connect relay.upstream -> source"
        ]);
    });
});
