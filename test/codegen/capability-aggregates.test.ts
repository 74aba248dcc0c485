/**
 * Capabilities inside structs and arrays in compiled code (test/fixtures/capabilities/team.uk): a client
 * sends a struct holding two endpoints beside an array of one, then an array of three; the server calls
 * through each, keeps the struct in state and hands it back, and the client calls through what came back.
 * The kernel refuses a malformed transfer with an error code before anything moves.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IPC_BUFFER_BASE, IPC_CAPS_OR_BADGES, KernelError, RECEIVED_CAPS_FIRST_SLOT, Syscall, messageInfo } from '../../runtime/contract/index.js';
import { KERNEL_PERSONALITIES } from '../../src/session/index.js';
import { bootWithHandWritten, compileSource, runCompiled } from './compile-helper.js';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURE = 'test/fixtures/capabilities/team.uk';

describe('capabilities in structs and arrays', () => {
    it('travel in order of appearance, and the server calls through each; the trace shows them in their places', async () => {
        const run = await runUkc(['run', '--trace', FIXTURE]);
        expect(run.code).toBe(0);
        expect(run.stderr).toBe('system Teams finished at cycle 27144\n');
        expect(run.stdout).toBe([
            '[      3563] client -> host  Hub.meet(team={lead=endpoint(en), id=7, backup=endpoint(fr)}, extra={[0]=endpoint(de)})',
            '[      4316] host -> en  Greeter.greet(x=7)  fast',
            '[      5050] host <- en  Greeter.greet = 107  fast, 734 cycles',
            '[      5733] host -> fr  Greeter.greet(x=7)  fast',
            '[      6467] host <- fr  Greeter.greet = 207  fast, 734 cycles',
            '[      7157] host -> de  Greeter.greet(x=7)  fast',
            '[      7891] host <- de  Greeter.greet = 307  fast, 734 cycles',
            'meet 7: 107 207 307',
            '[     10610] client <- host  Hub.meet = 621  fast, 7047 cycles',
            'meet -> 621',
            '[     13316] client -> host  Hub.fanout(tag=1, greeters={[0]=endpoint(de), [1]=endpoint(fr), [2]=endpoint(en)})',
            '[     14073] host -> de  Greeter.greet(x=1)  fast',
            '[     14807] host <- de  Greeter.greet = 301  fast, 734 cycles',
            '[     15500] host -> fr  Greeter.greet(x=1)  fast',
            '[     16234] host <- fr  Greeter.greet = 201  fast, 734 cycles',
            '[     16927] host -> en  Greeter.greet(x=1)  fast',
            '[     17661] host <- en  Greeter.greet = 101  fast, 734 cycles',
            '[     18406] client <- host  Hub.fanout = 603  fast, 5090 cycles',
            'fanout -> 603',
            '[     19737] client -> host  Hub.kept()  fast',
            '[     21605] client <- host  Hub.kept = {lead=endpoint(en), id=7, backup=endpoint(fr)}  1868 cycles',
            '[     22631] client -> en  Greeter.greet(x=5)  fast',
            '[     23365] client <- en  Greeter.greet = 105  fast, 734 cycles',
            '[     24046] client -> fr  Greeter.greet(x=6)  fast',
            '[     24780] client <- fr  Greeter.greet = 206  fast, 734 cycles',
            'kept 7 -> 105 206',
            ''
        ].join('\n'));
    });

    it.each(KERNEL_PERSONALITIES)('the same output under the %s personality', async personality => {
        const run = await runUkc(['run', FIXTURE, '--kernel', personality]);
        expect([run.code, run.stdout]).toEqual([0, 'meet 7: 107 207 307\nmeet -> 621\nfanout -> 603\nkept 7 -> 105 206\n']);
    });

    it('land in consecutive receive slots, depth first', async () => {
        const outcome = await compileSource({ 'team.uk': readFileSync(path.join(ROOT, FIXTURE), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        const slots = (thread: string, count: number) => Array.from({ length: count }, (_, i) => {
            const cap = run.booted.threads.get(thread)?.cspace.slotAt(RECEIVED_CAPS_FIRST_SLOT + i)?.cap;
            return cap?.type === 1 ? cap.object.name : cap ? 'other' : 'empty';
        });
        // meet: team.lead, team.backup, extra[0]; fanout: greeters[0..2].
        expect(slots('host', 7)).toEqual(['en.endpoint', 'fr.endpoint', 'de.endpoint', 'de.endpoint', 'fr.endpoint', 'en.endpoint', 'empty']);
        // kept: the struct's two endpoints come back to the client.
        expect(slots('client', 3)).toEqual(['en.endpoint', 'fr.endpoint', 'empty']);
    });

    it('the kernel refuses a transfer that names an empty slot or one outside the CNode, before anything moves', async () => {
        const outcome = await compileSource({ 'team.uk': readFileSync(path.join(ROOT, FIXTURE), 'utf8') });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        // A hand-written client calls fanout (label 2) with three capabilities: first with the third
        // naming an empty slot, then one beyond its CNode, then a well-formed set.
        const call = (third: number, result: string) => `
    li t0, ${DEFAULT_IPC_BUFFER_BASE}
    li t1, 2
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
    sw t1, ${IPC_CAPS_OR_BADGES + 4}(t0)
    li t1, ${third}
    sw t1, ${IPC_CAPS_OR_BADGES + 8}(t0)
    li a0, 1
    li a1, ${messageInfo(2, 1, 3)}
    li a2, 5
    li a7, ${Syscall.Call}
    ecall
    mv ${result}, a6
    mv ${result.replace('s', 't')}, a2`;
        const booted = bootWithHandWritten(outcome.compiled, {
            name: 'raw', priority: 120, replaces: 'client', source: `
_start:${call(3, 's2')}${call(100000, 's3')}${call(2, 's4')}
park:
    j park
`,
            caps: [{ slot: 1, endpoint: 'host.endpoint', rights: 'wg', badge: 5 }, { slot: 2, endpoint: 'en.endpoint', rights: 'w' }]
        });
        const events: string[] = [];
        booted.kernel.events.subscribe(event => { if (event.kind === 'syscall-error') events.push(`${event.thread} ${event.error}`); });
        booted.kernel.run(2_000_000);
        const raw = booted.threads.get('raw');
        // s2, s3: the refused calls; s4: the good one, and t4 its result (3 x (5 + 100)).
        expect([raw?.regs[18], raw?.regs[19], raw?.regs[20], raw?.regs[29]]).toEqual([KernelError.FailedLookup, KernelError.FailedLookup, KernelError.NoError, 315]);
        expect(events).toEqual(['raw FailedLookup', 'raw FailedLookup']);
        // Only the good call's three capabilities reached the server.
        const host = booted.threads.get('host');
        expect([0, 1, 2, 3].map(i => host?.cspace.slotAt(RECEIVED_CAPS_FIRST_SLOT + i)?.isEmpty)).toEqual([false, false, false, true]);
    });
});
