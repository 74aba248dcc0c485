/**
 * The debug adapter under each kernel personality, chosen by the launch configuration's `kernel` (and RC
 * 4000's `buffers`), as `ukc run --kernel` and `--buffers` choose them: a function breakpoint stops in the
 * handler, the threads show what the model makes the client wait for, reverse continue and step back show
 * exactly the variables of the first time; settings that cannot be met refuse the launch with the reason.
 */
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDebugClient } from './debug-client.js';
import { ROOT } from '../cli/run-ukc.js';

const MODELS = path.join(ROOT, 'examples/compare-models/models.uk');

let client: DebugClient;

beforeEach(async () => {
    client = await startDebugClient();
});

afterEach(async () => {
    await client.stop();
});

async function launchWith(configure: () => Promise<unknown>, extra: Record<string, unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await Promise.all([
        client.waitForEvent('initialized').then(configure).then(() => client.configurationDoneRequest()),
        client.launch({ program: MODELS, ...extra })
    ]);
    return stopped;
}

async function nextStop(action: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
    const stopped = client.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await action();
    return stopped;
}

/** What the editor shows at a stop: the thread list, the stopped thread's frames, and the top frame's scopes (registers left out). */
async function shown(stop: DebugProtocol.StoppedEvent): Promise<{ threads: string[]; frames: [string, number][]; scopes: Record<string, Record<string, string>> }> {
    const threads = (await client.threadsRequest()).body.threads.map(thread => thread.name);
    const frames = (await client.stackTraceRequest({ threadId: stop.body.threadId ?? 0 })).body.stackFrames;
    const scopes: Record<string, Record<string, string>> = {};
    for (const scope of (await client.scopesRequest({ frameId: frames[0].id })).body.scopes) {
        if (scope.name === 'Registers') continue;
        const variables = (await client.variablesRequest({ variablesReference: scope.variablesReference })).body.variables;
        scopes[scope.name] = Object.fromEntries(variables.map(variable => [variable.name, variable.value]));
    }
    return { threads, frames: frames.map(frame => [frame.name, frame.line]), scopes };
}

/**
 * The client thread's name at the first note, per personality: under QNX the journal serves it at its
 * priority and it runs on; RC 4000 has queued every note and its call to `total`, which waits in a buffer;
 * Mach has queued five notes, its queue limit, and the client waits for room to send the sixth.
 */
const CLIENT_AT_FIRST_NOTE = {
    qnx: 'client (runnable)',
    rc4000: 'client waits for journal to receive on journal.endpoint',
    mach: 'client waits for journal to receive on journal.endpoint'
} as const;

describe('ukc debug-adapter under each kernel personality', () => {
    for (const kernel of ['qnx', 'rc4000', 'mach'] as const) {
        it(`launches under ${kernel}, stops in the handler a function breakpoint names, and goes back to exactly the first stop`, async () => {
            await client.initializeRequest();
            const first = await launchWith(() => client.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'Log.note' }] }), { kernel });
            expect([first.body.reason, first.body.text]).toEqual(['function breakpoint', 'Log.note received']);
            const firstSeen = await shown(first);
            expect(firstSeen.threads.find(name => name.startsWith('client'))).toBe(CLIENT_AT_FIRST_NOTE[kernel]);
            expect([firstSeen.frames, firstSeen.scopes.Arguments, firstSeen.scopes['Server state']])
                .toEqual([[['Journal.note', 53]], { seq: '0', value: '1' }, { count: '0', sum: '0' }]);
            const second = await nextStop(() => client.continueRequest({ threadId: first.body.threadId ?? 0 }));
            const secondSeen = await shown(second);
            expect([secondSeen.scopes.Arguments, secondSeen.scopes['Server state']]).toEqual([{ seq: '1', value: '2' }, { count: '1', sum: '0' }]);
            const stepped = await nextStop(() => client.nextRequest({ threadId: second.body.threadId ?? 0 }));
            expect((await shown(stepped)).frames).toEqual([['Journal.note', 54]]);
            const back = await nextStop(() => client.stepBackRequest({ threadId: second.body.threadId ?? 0 }));
            expect(back.body.reason).toBe('step');
            expect((await shown(back)).scopes).toEqual(secondSeen.scopes);
            const reversed = await nextStop(() => client.reverseContinueRequest({ threadId: second.body.threadId ?? 0 }));
            expect(reversed.body.reason).toBe('function breakpoint');
            expect(await shown(reversed)).toEqual(firstSeen);
        });
    }

    it('applies buffers under rc4000: with two, the client\'s note finds the pool empty and its stub stops it', async () => {
        await client.initializeRequest();
        const stop = await launchWith(async () => undefined, { kernel: 'rc4000', buffers: 2 });
        expect([stop.body.reason, stop.body.text]).toEqual(['exception', 'illegal-instruction in client at models.uk:130 (unhandled)']);
    });

    it('refuses a launch whose kernel or buffers cannot be met, with the reason ukc run gives for its options', async () => {
        await client.initializeRequest();
        const refusals = [
            [{ kernel: 'vms' }, "'kernel' must be one of sel4, qnx, rc4000, mach, not 'vms'"],
            [{ kernel: 'rc4000', buffers: 0 }, "'buffers' needs a whole number from 1 to 4096, not '0'"],
            [{ kernel: 'rc4000', buffers: 2.5 }, "'buffers' needs a whole number from 1 to 4096, not '2.5'"],
            [{ kernel: 'mach', buffers: 8 }, "'buffers' applies only to the rc4000 personality (\"kernel\": \"rc4000\", or a `kernel: rc4000` line in the system)"],
            [{ buffers: 8 }, "'buffers' applies only to the rc4000 personality (\"kernel\": \"rc4000\", or a `kernel: rc4000` line in the system)"]
        ] as const;
        for (const [settings, reason] of refusals) {
            const launch: DebugProtocol.LaunchRequestArguments & Record<string, unknown> = { program: MODELS, ...settings };
            await expect(client.launchRequest(launch)).rejects.toThrow(`cannot debug ${MODELS}: ${reason}`);
        }
    });
});
