/**
 * Capabilities as values in compiled code: `endpoint<I>` and `notification` parameters and results travel
 * as extra capabilities, land in consecutive slots from RECEIVED_CAPS_FIRST_SLOT, can be kept in state and
 * called through; what does not arrive is slot 0, and stray or surplus capabilities never wedge a component.
 */
import { describe, expect, it } from 'vitest';
import {
    RECEIVED_CAPS_FIRST_SLOT, RECEIVING_CNODE_SIZE, DEFAULT_IPC_BUFFER_BASE, IPC_CAPS_OR_BADGES, messageInfo, Syscall
} from '../../runtime/contract/index.js';
import { type IpcEvent } from '../../runtime/kernel/index.js';
import { TypedTrace } from '../../runtime/trace/index.js';
import { bootWithHandWritten, compileAndRun, compileSource, runCompiled } from './compile-helper.js';

const REGISTRY = `
interface Greeter { greet(x: u32) -> u32 }
interface Registry {
    register(id: u8, service: endpoint<Greeter>) -> bool
    lookup(id: u8) -> (found: bool, service: endpoint<Greeter>)
}
server Hello implements Greeter { on greet(x) { reply x + 1000 } }
server Names implements Registry {
    var saved: endpoint<Greeter>
    var savedId: u8 = 0
    on register(id, service) {
        saved = service
        savedId = id
        print("registered {}: {}", id, service.greet(1))
        reply true
    }
    on lookup(id) { reply (id == savedId, saved) }
}
`;

const SYSTEM = (client: string) => `${REGISTRY}
${client}
system S {
    instance hello: Hello { priority: 90 }
    instance names: Names { priority: 100 }
    instance client: Client { priority: 50 }
    connect client.names -> names badge 1
    connect client.hello -> hello badge 2
}`;

function ipcEvents(events: readonly { kind: string }[]): IpcEvent[] {
    return events.filter((event): event is IpcEvent => event.kind === 'ipc');
}

describe('endpoint values', () => {
    it('passes an endpoint to a server, which keeps it in state, calls through it and hands copies out', async () => {
        const outcome = await compileSource({ 'main.uk': SYSTEM(`
program Client {
    uses names: Registry
    uses hello: Greeter
    main {
        print("register: {}", names.register(7, hello))
        let (found, g) = names.lookup(7)
        print("found {}: {}", found, g.greet(41))
        let (again, h) = names.lookup(7)
        print("again {}: {}", again, h.greet(2))
    }
}`) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe('registered 7: 1001\nregister: true\nfound true: 1041\nagain true: 1002\n');
        expect(run.result.reason).toBe('idle');
        // Each capability that arrives takes the next slot from RECEIVED_CAPS_FIRST_SLOT, in its receiver.
        const slotObject = (thread: string, slot: number) => {
            const cap = run.booted.threads.get(thread)?.cspace.slotAt(slot)?.cap;
            return cap?.type === 1 ? cap.object.name : cap ? 'other' : 'empty';
        };
        expect([slotObject('names', RECEIVED_CAPS_FIRST_SLOT), slotObject('names', RECEIVED_CAPS_FIRST_SLOT + 1)]).toEqual(['hello.endpoint', 'empty']);
        expect([RECEIVED_CAPS_FIRST_SLOT, RECEIVED_CAPS_FIRST_SLOT + 1, RECEIVED_CAPS_FIRST_SLOT + 2].map(slot => slotObject('client', slot)))
            .toEqual(['hello.endpoint', 'hello.endpoint', 'empty']);
        // The kernel says what each transferred capability names; the typed trace shows it.
        const messages = ipcEvents(run.events).map(event => `${event.operation} ${event.from}->${event.to} caps=${event.caps} ${event.capObjects?.join(',') ?? ''}`.trim());
        expect(messages).toEqual([
            'call client->names caps=1 endpoint:hello.endpoint',
            'call names->hello caps=0', 'reply hello->names caps=0',
            'reply names->client caps=0',
            'call client->names caps=0', 'reply names->client caps=1 endpoint:hello.endpoint',
            'call client->hello caps=0', 'reply hello->client caps=0',
            'call client->names caps=0', 'reply names->client caps=1 endpoint:hello.endpoint',
            'call client->hello caps=0', 'reply hello->client caps=0'
        ]);
        const trace = new TypedTrace(outcome.compiled.trace);
        const typed = run.events.flatMap(event => {
            const entry = trace.translate(event);
            if (entry?.kind === 'call') return [`${entry.method}(${entry.args.map(arg => `${arg.name}=${arg.text}`).join(', ')})`];
            if (entry?.kind === 'reply') return [`= ${entry.results.map(result => `${result.name}=${result.text}`).join(', ')}`];
            return [];
        }).slice(0, 6);
        expect(typed).toEqual(['register(id=7, service=endpoint(hello))', 'greet(x=1)', '= result=1001', '= result=true', 'lookup(id=7)', '= found=true, service=endpoint(hello)']);
    });

    it('gives slot 0 for a capability that is not there, and a call through it stops the caller cleanly', async () => {
        const run = await compileAndRun(SYSTEM(`
program Client {
    uses names: Registry
    uses hello: Greeter
    main {
        let (found, g) = names.lookup(7)
        print("found {}", found)
        print("{}", g.greet(1))
        print("not reached")
    }
}`));
        expect(run.output).toBe('found false\nipc failed\n');
        const reply = ipcEvents(run.events).find(event => event.operation === 'reply');
        expect(reply?.caps).toBe(0);
        expect(run.events.filter(event => event.kind === 'fault').map(event => event.kind === 'fault' && event.thread)).toEqual(['client']);
        // The other components are unharmed.
        expect(run.booted.threads.get('names')?.state).toBe(run.booted.threads.get('hello')?.state);
    });

    it('sends a value that holds no capability as none, keeping the message and the receiver intact', async () => {
        const outcome = await compileSource({ 'main.uk': SYSTEM(`
program Client {
    uses names: Registry
    uses hello: Greeter
    main {
        let (found, nothing) = names.lookup(1)
        print("{}", names.register(2, nothing))
    }
}`).replace('print("registered {}: {}", id, service.greet(1))', 'print("registered {}", id)') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe('registered 2\ntrue\n');
        // The client's stub sent the endpoint it called through in place of the missing capability: the
        // kernel handed it over unwrapped, which the server takes as none (no slot used).
        const register = ipcEvents(run.events).find(event => event.operation === 'call' && event.label === 1);
        expect([register?.caps, register?.capObjects]).toEqual([1, ['badge:1']]);
        expect(run.booted.threads.get('names')?.cspace.slotAt(RECEIVED_CAPS_FIRST_SLOT)?.isEmpty).toBe(true);
        const call = run.events.map(event => new TypedTrace(outcome.compiled?.trace ?? { endpoints: {} }).translate(event))
            .find(entry => entry?.kind === 'call' && entry.method === 'register');
        expect(call?.kind === 'call' && call.args.map(arg => `${arg.name}=${arg.text}`)).toEqual(['id=2', 'service=none']);
    });

    it('stops taking capabilities when the receive slots run out, and goes on working', async () => {
        const lookups = RECEIVING_CNODE_SIZE - RECEIVED_CAPS_FIRST_SLOT + 2;
        const run = await compileAndRun(SYSTEM(`
program Client {
    uses names: Registry
    uses hello: Greeter
    main {
        let ok = names.register(7, hello)
        var found: u32 = 0
        for i in 0..${lookups} {
            let (f, g) = names.lookup(7)
            if f { found += 1 }
        }
        print("{} lookups, {}", found, hello.greet(5))
    }
}`));
        expect(run.output).toBe(`registered 7: 1001\n${lookups} lookups, 1005\n`);
        const replies = ipcEvents(run.events).filter(event => event.operation === 'reply' && event.to === 'client' && event.from === 'names');
        expect(replies.filter(event => event.caps === 1)).toHaveLength(RECEIVING_CNODE_SIZE - RECEIVED_CAPS_FIRST_SLOT);
        expect(replies.slice(-2).map(event => event.caps)).toEqual([0, 0]);
    });

    it('accounts for a stray capability sent with a request that expects none, so the next one still arrives', async () => {
        const outcome = await compileSource({ 'main.uk': SYSTEM(`
program Client {
    uses names: Registry
    uses hello: Greeter
    main {
        let ok = names.register(9, hello)
        let (found, g) = names.lookup(9)
        print("{} {}", found, g.greet(3))
    }
}`) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        // A hand-written client with the grant right calls lookup (which takes no capability) with one,
        // then waits on a notification nobody signals, so that the others run.
        const booted = bootWithHandWritten(outcome.compiled, {
            name: 'raw', priority: 120, source: `
_start:
    li t0, ${DEFAULT_IPC_BUFFER_BASE}
    li t1, 2
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
    li a0, 1
    li a1, ${messageInfo(2, 1, 1)}
    li a2, 9
    li a7, ${Syscall.Call}
    ecall
    li a0, 3
    li a7, ${Syscall.Wait}
    ecall
`,
            objects: [{ name: 'raw.idle', kind: 'notification' }],
            caps: [
                { slot: 1, endpoint: 'names.endpoint', rights: 'wg', badge: 5 }, { slot: 2, endpoint: 'hello.endpoint', rights: 'w' },
                { slot: 3, notification: 'raw.idle', rights: 'r' }
            ]
        });
        let output = '';
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        booted.kernel.run(10_000_000);
        expect(output).toBe('registered 9: 1001\ntrue 1003\n');
        // The stray capability took the first receive slot; the registered one the next.
        const names = booted.threads.get('names');
        expect([0, 1, 2].map(i => names?.cspace.slotAt(RECEIVED_CAPS_FIRST_SLOT + i)?.isEmpty)).toEqual([false, false, true]);
    });
});

describe('notification values', () => {
    it('a program hands its own notification to a server, which keeps it and signals it later', async () => {
        const run = await compileAndRun(`
interface Alarm {
    subscribe(wake: notification)
    oneway fire()
}
server Clock implements Alarm {
    var target: notification
    on subscribe(wake) { target = wake  reply }
    on fire() { signal(target) }
}
program Watcher {
    uses alarm: Alarm
    notification done
    main {
        alarm.subscribe(done)
        alarm.fire()
        print("woke with {}", wait(done))
    }
}
system S {
    instance clock: Clock { priority: 100 }
    instance watcher: Watcher { priority: 50 }
    connect watcher.alarm -> clock
}`);
        expect(run.output).toBe('woke with 1\n');
        expect(ipcEvents(run.events)[0].capObjects).toEqual(['notification:watcher.done']);
        expect(run.events.filter(event => event.kind === 'signal').map(event => event.kind === 'signal' && `${event.from} ${event.notification} ${event.bits}`))
            .toEqual(['clock watcher.done 1']);
    });

    it('state starts as the port it names', async () => {
        const run = await compileAndRun(`
interface Greeter { greet(x: u32) -> u32 }
server Hello implements Greeter { on greet(x) { reply x + 1 } }
program Client {
    uses hello: Greeter
    var current: endpoint<Greeter> = hello
    main { print("{}", current.greet(1)) }
}
system S {
    instance hello: Hello { priority: 90 }
    instance client: Client { priority: 50 }
    connect client.hello -> hello
}`);
        expect(run.output).toBe('2\n');
    });
});
