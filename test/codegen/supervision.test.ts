/**
 * Supervision as clients see it (docs/ABI.md, "Supervision"): the call a server was serving when it
 * faulted fails with ServerFailed, other clients are served by the restarted server, every fault counts
 * against the restart budget, and once it is spent every call fails at once.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../runtime/kernel/index.js';
import { SERVER_FAILED_LABEL, BAD_BULK_LABEL, UNKNOWN_METHOD_LABEL, WIDE_ERROR_LABEL } from '../../runtime/contract/index.js';
import { FIRST_RESERVED_ERROR_LABEL } from '../../src/language/validation/interface-checks.js';
import { compileAndRun } from './compile-helper.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');

/** A table server whose `get` faults on an index past its end, a client that always asks for one, and one that never does. */
function tableSystem(restarts: number): string {
    return `
interface Table { get(i: u32) -> u32 }
server T implements Table {
    var t: [u32; 4] = [10, 11, 12, 13]
    on get(i) { reply t[i] }
}
program Bad {
    uses table: Table
    main {
        for n in 0..3 {
            let v = table.get(9) catch e {
                print("bad {}: {}", n, e)
                continue
            }
            print("bad {} -> {}", n, v)
        }
    }
}
program Good {
    uses table: Table
    main {
        for n in 0..3 {
            let v = table.get(n) catch e {
                print("good {}: {}", n, e)
                continue
            }
            print("good {} -> {}", n, v)
        }
    }
}
system S {
    instance table: T { priority: 100 }
    instance bad: Bad { priority: 50 }
    instance good: Good { priority: 40 }
    connect bad.table -> table badge 1
    connect good.table -> table badge 2
    supervise table restart ${restarts}
}
`;
}

const faultsOf = (events: readonly KernelEvent[]) => events.filter(event => event.kind === 'fault');
const failedReplies = (events: readonly KernelEvent[]) =>
    events.filter(event => event.kind === 'ipc' && event.operation === 'reply' && event.label === SERVER_FAILED_LABEL).map(event => event.kind === 'ipc' && event.to);

describe('reserved error labels', () => {
    it('the checker reserves exactly the labels the kernel and the compiled servers use for 32-bit codes and built-in errors', () => {
        expect([WIDE_ERROR_LABEL, SERVER_FAILED_LABEL, BAD_BULK_LABEL, UNKNOWN_METHOD_LABEL]).toEqual([0, 1, 2, 3].map(i => FIRST_RESERVED_ERROR_LABEL + i));
    });
});

describe('supervision: the client whose call was being served gets ServerFailed', () => {
    it('a request that always faults fails each time; the other client is served; each fault uses a restart', async () => {
        const run = await compileAndRun(tableSystem(5));
        const oob = 'index out of bounds (length 4) at main.uk:5:23';
        expect(run.output).toBe([
            oob, 'supervisor: table faulted; restarting it (restarts left: 4)', 'bad 0: ServerFailed',
            oob, 'supervisor: table faulted; restarting it (restarts left: 3)', 'bad 1: ServerFailed',
            oob, 'supervisor: table faulted; restarting it (restarts left: 2)', 'bad 2: ServerFailed',
            'good 0 -> 10', 'good 1 -> 11', 'good 2 -> 12', ''
        ].join('\n'));
        expect(faultsOf(run.events).map(event => event.kind === 'fault' && `${event.thread} ${event.panic} ${event.handler}`)).toEqual([
            'table index-out-of-bounds supervisor.faults', 'table index-out-of-bounds supervisor.faults', 'table index-out-of-bounds supervisor.faults'
        ]);
        expect(failedReplies(run.events)).toEqual(['bad', 'bad', 'bad']);
        expect(run.result.reason).toBe('idle');
        expect(run.result.waitFor?.edges.map(edge => `${edge.thread} ${edge.state}`)).toEqual([
            'table blocked-on-receive', 'supervisor blocked-on-receive'
        ]);
    });

    it('once the budget is spent, every call fails at once instead of waiting for a server that never answers', async () => {
        const run = await compileAndRun(tableSystem(2));
        const oob = 'index out of bounds (length 4) at main.uk:5:23';
        expect(run.output).toBe([
            oob, 'supervisor: table faulted; restarting it (restarts left: 1)', 'bad 0: ServerFailed',
            oob, 'supervisor: table faulted; restarting it (restarts left: 0)', 'bad 1: ServerFailed',
            oob, 'supervisor: table faulted; restart limit (2) reached, its calls fail from now on', 'bad 2: ServerFailed',
            'good 0: ServerFailed', 'good 1: ServerFailed', 'good 2: ServerFailed', ''
        ].join('\n'));
        // Three faults, no more: the failed-server loop runs no code of the component.
        expect(faultsOf(run.events)).toHaveLength(3);
        expect(failedReplies(run.events)).toEqual(['bad', 'bad', 'bad', 'good', 'good', 'good']);
        expect(run.result.reason).toBe('idle');
        expect(run.result.waitFor?.edges.filter(edge => edge.state !== 'blocked-on-receive')).toEqual([]);
    });

    it('a transient fault: the client catches ServerFailed, retries, and the new incarnation answers', async () => {
        const run = await compileAndRun(`
interface Flaky { get(i: u32, attempt: u32) -> u32 }
server F implements Flaky {
    var served: u32 = 0
    on get(i, attempt) {
        served += 1
        // Fails the first attempt only, whatever the state: a fault that does not come back.
        assert(attempt > 0, "first attempt")
        reply i * 10 + served
    }
}
program Client {
    uses flaky: Flaky
    main {
        for i in 1..3 {
            var attempt: u32 = 0
            while true {
                let v = flaky.get(i, attempt) catch e {
                    print("get({}) attempt {}: {}", i, attempt, e)
                    attempt += 1
                    continue
                }
                print("get({}) -> {} after {} attempts", i, v, attempt + 1)
                break
            }
        }
    }
}
system S {
    instance flaky: F { priority: 100 }
    instance client: Client { priority: 50 }
    connect client.flaky -> flaky badge 1
    supervise flaky restart 9
}
`);
        // Fresh state after each restart: `served` starts at 0 again, so each answer is i * 10 + 1.
        expect(run.output).toBe([
            'assertion failed: first attempt at main.uk:8:9', 'supervisor: flaky faulted; restarting it (restarts left: 8)', 'get(1) attempt 0: ServerFailed',
            'get(1) -> 11 after 2 attempts',
            'assertion failed: first attempt at main.uk:8:9', 'supervisor: flaky faulted; restarting it (restarts left: 7)', 'get(2) attempt 0: ServerFailed',
            'get(2) -> 21 after 2 attempts', ''
        ].join('\n'));
        expect(faultsOf(run.events).map(event => event.kind === 'fault' && event.panic)).toEqual(['assertion-failed', 'assertion-failed']);
    });

    it('a fault while holding a lease: the call fails, the lease is let go, and the next client\'s lease is the one used', async () => {
        const client = (name: string, values: string) => `
program ${name} {
    uses filler: Filler
    main {
        var buf: bytes[16] = [0; 16]
        for value in ${values} {
            let n = filler.fill(buf, value as u8) catch e {
                print("${name}: fill({}): {}", value, e)
                continue
            }
            print("${name}: fill({}) -> {}: {} {}", value, n, buf[0], buf[15])
        }
    }
}`;
        const run = await compileAndRun(`
interface Filler { fill(into: lease out bytes[16], value: u8) -> u16 }
server F implements Filler {
    on fill(into, value) {
        assert(value != 0, "zero fill")
        for i in 0..len(into) { into[i] = value + (i as u8) }
        reply len(into) as u16
    }
}
${client('A', '0..1')}
${client('B', '5..6')}
system S {
    instance filler: F { priority: 100 }
    instance a: A { priority: 50 }
    instance b: B { priority: 40 }
    connect a.filler -> filler badge 1
    connect b.filler -> filler badge 2
    supervise filler restart 3
}
`);
        // Had the restarted server kept A's frame, B's frame could not arrive and B's fill would go to A's page.
        expect(run.output).toBe([
            'assertion failed: zero fill at main.uk:5:9', 'supervisor: filler faulted; restarting it (restarts left: 2)', 'A: fill(0): ServerFailed',
            'B: fill(5) -> 16: 5 20', ''
        ].join('\n'));
        expect(run.result.reason).toBe('idle');
    });

    it('a method that raises an error enum: catch gets ServerFailed as a value of the enum, and try passes it on', async () => {
        const run = await compileAndRun(`
enum Err : u32 { Bad = 1 }
interface Store { put(v: u32) -> u32 raises Err }
server Back implements Store {
    var t: [u32; 2]
    on put(v) {
        if v == 0 { raise Err.Bad }
        reply t[v]
    }
}
server Front implements Store {
    uses back: Store
    on put(v) { reply try back.put(v) }
}
program P {
    uses front: Store
    main {
        for v in 0..3 {
            let r = front.put(v) catch e {
                if e == Err.Bad { print("put({}): Bad", v) } else { print("put({}): other error {}", v, e) }
                continue
            }
            print("put({}) -> {}", v, r)
        }
    }
}
system S {
    instance back: Back { priority: 100 }
    instance front: Front { priority: 90 }
    instance p: P { priority: 50 }
    connect front.back -> back badge 1
    connect p.front -> front badge 1
    supervise back restart 5
}
`);
        expect(run.output).toBe([
            'put(0): Bad', 'put(1) -> 0',
            'index out of bounds (length 2) at main.uk:8:15', 'supervisor: back faulted; restarting it (restarts left: 4)', 'put(2): other error ServerFailed', ''
        ].join('\n'));
    });

    it('an uncaught ServerFailed stops the client at its call, with the reason in the fault', async () => {
        const run = await compileAndRun(`
interface Table { get(i: u32) -> u32 }
server T implements Table {
    var t: [u32; 4]
    on get(i) { reply t[i] }
}
program P {
    uses table: Table
    main { print("{}", table.get(4)) }
}
system S {
    instance table: T { priority: 100 }
    instance p: P { priority: 50 }
    connect p.table -> table badge 1
}
`);
        expect(run.output).toBe('index out of bounds (length 4) at main.uk:5:23\ncall failed: the server failed (ServerFailed) at main.uk:9:24\n');
        expect(faultsOf(run.events).map(event => event.kind === 'fault' && `${event.thread} ${event.fault} ${event.panic} ${event.handler}`)).toEqual([
            'table illegal-instruction index-out-of-bounds undefined', 'p illegal-instruction server-failed undefined'
        ]);
        // Nobody waits for the stopped server: its client was answered.
        expect(run.result.waitFor?.edges.filter(edge => edge.state !== 'blocked-on-receive')).toEqual([]);
    });

    it('supervised-restart (the example): every fifth increment fails, then every call once the restarts are spent', async () => {
        const run = await compileAndRun({ 'supervised.uk': readFileSync(path.join(EXAMPLES, 'supervised-restart/supervised.uk'), 'utf8') });
        const good = (n: number) => [`round ${n} increment(1) -> 1`, `round ${n} increment(2) -> 3`, `round ${n} increment(3) -> 6`, `round ${n} increment(4) -> 10`];
        const oob = 'index out of bounds (length 4) at supervised.uk:19:9';
        const round = (n: number) => [
            ...good(n), oob, `supervisor: counter faulted; restarting it (restarts left: ${2 - n})`,
            `round ${n} increment(5) failed: ServerFailed`, `round ${n} increment(6) -> 6`
        ];
        expect(run.output).toBe([
            ...round(0), ...round(1), ...round(2),
            ...good(3), oob, 'supervisor: counter faulted; restart limit (3) reached, its calls fail from now on',
            'round 3 increment(5) failed: ServerFailed', 'round 3 increment(6) failed: ServerFailed', 'round 3 reset failed: ServerFailed', ''
        ].join('\n'));
        expect(run.result.reason).toBe('idle');
    });
});
