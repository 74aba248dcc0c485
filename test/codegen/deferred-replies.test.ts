/**
 * Deferred replies compiled and run (docs/ABI.md, "Deferred replies"): a handler keeps its caller with
 * `v = defer`, another handler answers through `v.reply(...)` or `v.raise(...)`, the trace shows the answer
 * as the reply to the original call, a caller whose saved reply is replaced gets ServerFailed, and a
 * second answer stops the server with reply-not-pending.
 */
import { describe, expect, it } from 'vitest';
import { SAVED_REPLY_FIRST_SLOT } from '../../runtime/contract/index.js';
import { TypedTrace } from '../../runtime/trace/index.js';
import { compileSource, runCompiled } from './compile-helper.js';

/** `extra` goes into the notification handler, after the answer. */
function system(extra = '', clients = 1): string {
    return `
enum Busy : u8 { Again = 1 }
interface Waits {
    next() -> (count: u32, late: bool)
    other() -> u32 raises Busy
}
server Keeper implements Waits {
    notification ready
    var waiter: reply<Waits.next>
    var refused: reply<Waits.other>
    var count: u32 = 0
    fn answer() { waiter.reply(count, true) }
    on next() {
        print("keeper: next deferred")
        waiter = defer
    }
    on other() { refused = defer }
    on notification ready(bits) {
        count += 1
        print("keeper: tick {}, pending {}", count, pending(waiter))
        if pending(waiter) { answer() }
        if pending(refused) { refused.raise(Busy.Again) }
        ${extra}
    }
}
program Client {
    uses keeper: Waits
    main {
        let (count, late) = keeper.next() catch e {
            print("client: {}", e)
            return
        }
        print("client: count {} late {}", count, late)
        let v = keeper.other() catch e {
            print("client: other {}", e)
            return
        }
    }
}
program Second {
    uses keeper: Waits
    main {
        let (count, late) = keeper.next()
        print("second: count {} late {}", count, late)
    }
}
program Ticker {
    notification tick
    main {
        print("ticker: tick")
        signal(tick)
        print("ticker: tick")
        signal(tick)
    }
}
system Demo {
    instance keeper: Keeper { priority: 100 }
    instance client: Client { priority: 60 }
    ${clients > 1 ? 'instance second: Second { priority: 50 }\n    connect second.keeper -> keeper badge 2' : ''}
    instance ticker: Ticker { priority: 10 }
    connect client.keeper -> keeper badge 1
    connect ticker.tick -> keeper.ready badge 1
}`;
}

async function run(source: string) {
    const outcome = await compileSource({ 'main.uk': source });
    expect(outcome.problems).toEqual([]);
    if (!outcome.compiled) throw new Error('does not compile');
    const result = runCompiled(outcome.compiled);
    const trace = new TypedTrace(outcome.compiled.trace);
    const typed = result.events.flatMap(event => {
        const entry = trace.translate(event);
        if (entry?.kind === 'call') return [`${entry.from} -> ${entry.to} ${entry.method}(${entry.args.map(arg => `${arg.name}=${arg.text}`).join(', ')})`];
        if (entry?.kind === 'reply') {
            return [`${entry.from} -> ${entry.to} reply ${entry.method} ${entry.error ?? entry.results.map(value => `${value.name}=${value.text}`).join(', ')}`];
        }
        return [];
    });
    return { ...result, typed, manifest: outcome.compiled.manifest };
}

describe('deferred replies', () => {
    it('a call deferred in its handler is answered from a notification handler, as the reply to that call', async () => {
        const outcome = await run(system());
        expect(outcome.output).toBe([
            'keeper: next deferred',
            'ticker: tick',
            'keeper: tick 1, pending true',
            'client: count 1 late true',
            'ticker: tick',
            'keeper: tick 2, pending false',
            'client: other Again',
            ''
        ].join('\n'));
        expect(outcome.typed).toEqual([
            'client -> keeper next()',
            'keeper -> client reply next count=1, late=true',
            'client -> keeper other()',
            'keeper -> client reply other Busy.Again'
        ]);
        expect(outcome.result.reason).toBe('idle');
        // The server holds its own CNode to save callers into; the saved-reply slots are empty again.
        const keeper = outcome.booted.threads.get('keeper');
        expect(outcome.manifest.components.find(component => component.name === 'keeper')?.caps).toContainEqual({ slot: 252, cnode: 'keeper' });
        expect([0, 1].map(k => keeper?.cspace.slotAt(SAVED_REPLY_FIRST_SLOT + k)?.cap)).toEqual([undefined, undefined]);
    });

    it('a caller whose deferred reply is replaced by another gets ServerFailed', async () => {
        const outcome = await run(system('', 2));
        expect(outcome.output).toBe([
            'keeper: next deferred',
            'keeper: next deferred',
            'client: ServerFailed',
            'ticker: tick',
            'keeper: tick 1, pending true',
            'second: count 1 late true',
            'ticker: tick',
            'keeper: tick 2, pending false',
            ''
        ].join('\n'));
        expect(outcome.typed).toEqual([
            'client -> keeper next()',
            'second -> keeper next()',
            'keeper -> client reply next ServerFailed',
            'keeper -> second reply next count=1, late=true'
        ]);
    });

    it('answering a deferred reply a second time stops the server with reply-not-pending', async () => {
        const outcome = await run(system('answer()'));
        expect(outcome.output).toBe([
            'keeper: next deferred',
            'ticker: tick',
            'keeper: tick 1, pending true',
            "'waiter' holds no deferred call to answer at main.uk:12:19",
            // The first answer went out before the second stopped the server.
            'client: count 1 late true',
            'ticker: tick',
            ''
        ].join('\n'));
        const fault = outcome.events.find(event => event.kind === 'fault');
        expect(fault && fault.kind === 'fault' ? [fault.thread, fault.panic] : []).toEqual(['keeper', 'reply-not-pending']);
    });
});

describe('deferred replies and supervision', () => {
    it('a restarted server lets go of the callers its failed incarnation kept: they get ServerFailed', async () => {
        const outcome = await run(`
interface Waits { next() -> u32 }
server Keeper implements Waits {
    notification ready
    var waiter: reply<Waits.next>
    on next() { waiter = defer }
    on notification ready(bits) { assert(false, "boom") }
}
program Client {
    uses keeper: Waits
    main {
        let v = keeper.next() catch e {
            print("client: {}", e)
            return
        }
    }
}
program Ticker {
    notification tick
    main { signal(tick) }
}
system Demo {
    instance keeper: Keeper { priority: 100 }
    instance client: Client { priority: 60 }
    instance ticker: Ticker { priority: 10 }
    connect client.keeper -> keeper badge 1
    connect ticker.tick -> keeper.ready badge 1
    supervise keeper restart 1
}`);
        expect(outcome.output.split('\n').filter(line => line.startsWith('client') || line.startsWith('assertion'))).toEqual([
            'assertion failed: boom at main.uk:7:35',
            'client: ServerFailed'
        ]);
        expect(outcome.typed).toEqual(['client -> keeper next()', 'keeper -> client reply next ServerFailed']);
    });
});
