/**
 * Debugging under every kernel personality (examples/compare-models, chosen with `bootRunnable`'s
 * `kernel`, as `ukc run --kernel` and a launch configuration's `kernel` do): breakpoints in handlers,
 * stepping, variables, and going back — reverse continue and step back give exactly the state of the
 * first time, the model's own kernel state included (QNX's inherited priorities, RC 4000's buffers in use
 * and message queues, Mach's port queues), and going forward again repeats the run.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MachPersonality } from '../../runtime/kernel/personalities/mach/mach-personality.js';
import { QnxPersonality } from '../../runtime/kernel/personalities/qnx/qnx-personality.js';
import { Rc4000Personality } from '../../runtime/kernel/personalities/rc4000/rc4000-personality.js';
import type { Kernel } from '../../runtime/kernel/index.js';
import { ConsoleLog, SystemDebugger, type DebugStop, type VariableValue } from '../../src/debug/index.js';
import { MemoryFileSystem, Session, URI, bootRunnable, type KernelPersonalityName, type RunnableSystem } from '../../src/session/index.js';
import { ROOT } from '../cli/run-ukc.js';
import { kernelDigest } from '../runtime/kernel/kernel-state.js';

const MODELS = readFileSync(path.join(ROOT, 'examples/compare-models/models.uk'), 'utf8');
/** Journal.note's first statement, BlockStore.checksum's loop body, Journal.total, the client's `log.total()` call. */
const NOTE_LINE = 53;
const CHECKSUM_LINE = 34;
const TOTAL_LINE = 57;
const CALL_TOTAL_LINE = 132;

let system: RunnableSystem;

beforeAll(async () => {
    const memory = new MemoryFileSystem();
    memory.write('memory:///main.uk', MODELS);
    const result = await new Session(memory).compile({ uri: URI.parse('memory:///main.uk'), shownAs: 'main.uk' });
    if (result.kind !== 'compiled') throw new Error('compare-models does not compile');
    system = result.system;
}, 60_000);

function debugUnder(kernel: KernelPersonalityName, interval: number): { debug: SystemDebugger; log: ConsoleLog } {
    const log = new ConsoleLog();
    const run = bootRunnable(system, { console: log, kernel });
    return { debug: new SystemDebugger(run, { history: { interval, participants: [log.participant] } }), log };
}

/** What the model keeps of its own, in words: what must go back with a snapshot besides the shared objects. */
function modelState(kernel: Kernel): string[] {
    const personality = kernel.personality;
    const priorities = kernel.threads.map(thread => `${thread.name}@${thread.priority}`).join(' ');
    if (personality instanceof QnxPersonality) {
        const inherited = [...personality.state.inherited].map(([thread, { base, effective }]) => `${thread.name} ${base}->${effective}`);
        return [`priorities ${priorities}`, `inherited ${inherited.join(', ') || 'none'}`];
    }
    if (personality instanceof Rc4000Personality) {
        const queues = [...personality.state.queues].filter(([, queue]) => queue.length > 0).map(([endpoint, queue]) => `${endpoint.name}:${queue.length}`);
        return [`buffers in use ${personality.state.inUse.size} of ${personality.state.poolSize}`, `queued ${queues.join(', ') || 'none'}`];
    }
    if (personality instanceof MachPersonality) {
        const queues = [...personality.state.queues].filter(([, queue]) => queue.length > 0).map(([port, queue]) => `${port.name}:${queue.length}`);
        return [`queued ${queues.join(', ') || 'none'}`];
    }
    return [];
}

interface ShownVariable { name: string; value: string; children?: ShownVariable[] }

function shown(variable: VariableValue): ShownVariable {
    return { name: variable.name, value: variable.value, children: variable.children?.().map(shown) };
}

/** Everything a user sees at a stop, and the kernel's whole state behind it. */
function view(debug: SystemDebugger, log: ConsoleLog, stop: DebugStop) {
    if (stop.kind !== 'stopped') throw new Error(`the run ended: ${JSON.stringify(stop.outcome)}`);
    const thread = stop.thread;
    return {
        stop,
        where: debug.threads().map(info => `${info.name} ${info.state} ${debug.location(info.name)?.line ?? '-'}`),
        scopes: debug.stack(thread).map((_, i) => debug.scopes(thread, i).map(scope => ({ name: scope.name, variables: scope.variables.map(shown) }))),
        console: log.text(),
        cycle: debug.run.cycle,
        model: modelState(debug.run.kernel),
        figures: debug.run.kernel.personality.figures(),
        kernel: kernelDigest(debug.run.kernel)
    };
}

type View = ReturnType<typeof view>;

function values(seen: View, scope: string): Record<string, string> {
    return Object.fromEntries((seen.scopes[0].find(candidate => candidate.name === scope)?.variables ?? []).map(variable => [variable.name, variable.value]));
}

/**
 * Per personality, what the client is doing when the journal takes its first note, and what the model
 * holds then: seL4 and QNX deliver each note as the client sends it (QNX's journal runs at the client's
 * priority, inherited); RC 4000 queues the whole burst in buffers (and control's call to the probe) and the
 * client waits for its answer to `total`; Mach queues five, its queue limit, and the client waits for room.
 */
const AT_FIRST_NOTE: Record<KernelPersonalityName, { client: string; model: string[] }> = {
    sel4: { client: 'client blocked-on-send -', model: [] },
    qnx: {
        client: 'client runnable -',
        model: ['priorities blocks@120 journal@50 probe@10 control@200 housekeeping@100 client@50', 'inherited journal 30->50']
    },
    rc4000: { client: 'client blocked-on-reply -', model: ['buffers in use 7 of 32', 'queued probe.endpoint:1, journal.endpoint:6'] },
    mach: { client: 'client blocked-on-send -', model: ['queued probe.endpoint:1, journal.endpoint:5'] }
};

describe('debugging under every kernel personality', () => {
    for (const kernel of ['sel4', 'qnx', 'rc4000', 'mach'] as const) {
        for (const interval of [1_000_000, 700]) {
            it(`${kernel}: stops in handlers, and reverse continue gives back each earlier stop exactly, the model's state included (snapshots every ${interval} instructions)`, async () => {
                const { debug, log } = debugUnder(kernel, interval);
                debug.setSourceBreakpoints('main.uk', [{ line: NOTE_LINE }, { line: CHECKSUM_LINE, condition: 'i == 1000' }]);
                const forward: View[] = [];
                for (let i = 0; i < 4; i++) forward.push(view(debug, log, await debug.continue()));
                // The checksum's last round (the leased page read in the server), then the first three notes.
                expect(forward.map(seen => [seen.stop, values(seen, 'Arguments'), values(seen, 'Locals'), values(seen, 'Server state')])).toEqual([
                    [{ kind: 'stopped', cause: 'breakpoint', thread: 'blocks', breakpoints: [2] }, {}, { sum: '3895298476', i: '1000' }, {}],
                    ...[0, 1, 2].map(seq => [
                        { kind: 'stopped', cause: 'breakpoint', thread: 'journal', breakpoints: [1] },
                        { seq: String(seq), value: String(seq + 1) }, {}, { count: String(seq), sum: String([0, 0, 2][seq]) }
                    ])
                ]);
                expect(forward[0].console).toBe('');
                expect(forward[1].where.at(-1)).toBe(AT_FIRST_NOTE[kernel].client);
                expect(forward[1].model).toEqual(AT_FIRST_NOTE[kernel].model);
                for (let i = 2; i >= 0; i--) expect(view(debug, log, await debug.reverseContinue())).toEqual(forward[i]);
                // Before the first hit there is none: back to the start.
                expect(await debug.reverseContinue()).toMatchObject({ kind: 'stopped', cause: 'entry' });
                expect([debug.run.cycle, log.text()]).toEqual([0, '']);
                for (let i = 0; i < 4; i++) expect(view(debug, log, await debug.continue())).toEqual(forward[i]);
            });
        }

        it(`${kernel}: steps over in a handler and back again, to the same state each time`, async () => {
            const { debug, log } = debugUnder(kernel, 700);
            debug.setSourceBreakpoints('main.uk', [{ line: NOTE_LINE, condition: 'seq == 2' }]);
            const path = [view(debug, log, await debug.continue())];
            debug.setSourceBreakpoints('main.uk', []);
            for (let i = 0; i < 3; i++) path.push(view(debug, log, await debug.step('journal', 'over')));
            // count += 1, sum += seq * value, then the next note's handler.
            expect(path.map(seen => [debug.run.kernel.threads.length, seen.where[1], values(seen, 'Arguments'), values(seen, 'Server state')])).toEqual([
                [6, 'journal runnable 53', { seq: '2', value: '3' }, { count: '2', sum: '2' }],
                [6, 'journal runnable 54', { seq: '2', value: '3' }, { count: '3', sum: '2' }],
                [6, 'journal runnable 53', { seq: '3', value: '4' }, { count: '3', sum: '8' }],
                [6, 'journal runnable 54', { seq: '3', value: '4' }, { count: '4', sum: '8' }]
            ]);
            for (let i = 2; i >= 0; i--) {
                expect(view(debug, log, await debug.stepBack('journal'))).toEqual({ ...path[i], stop: { kind: 'stopped', cause: 'step', thread: 'journal', breakpoints: [] } });
            }
            for (let i = 1; i <= 3; i++) expect(view(debug, log, await debug.step('journal', 'over'))).toEqual(path[i]);
        });

        it(`${kernel}: steps from the client's call into the server's handler and out to where the call returns`, async () => {
            const { debug, log } = debugUnder(kernel, 1_000_000);
            debug.setSourceBreakpoints('main.uk', [{ line: CALL_TOTAL_LINE }]);
            const atCall = view(debug, log, await debug.continue());
            debug.setSourceBreakpoints('main.uk', []);
            expect([atCall.stop, atCall.console]).toEqual([{ kind: 'stopped', cause: 'breakpoint', thread: 'client', breakpoints: [1] }, 'checksum -> 4114383360\nstamp -> 496\n']);
            const inHandler = view(debug, log, await debug.step('client', 'in'));
            expect([inHandler.stop, debug.location('journal')?.line, values(inHandler, 'Server state')])
                .toEqual([{ kind: 'stopped', cause: 'step', thread: 'journal', breakpoints: [] }, TOTAL_LINE, { count: '6', sum: '70' }]);
            const returned = view(debug, log, await debug.step('journal', 'out'));
            expect([returned.stop, debug.location('client')?.line]).toEqual([{ kind: 'stopped', cause: 'step', thread: 'client', breakpoints: [] }, CALL_TOTAL_LINE]);
            const printed = view(debug, log, await debug.step('client', 'over'));
            expect([debug.location('client')?.line, values(printed, 'Locals')]).toMatchObject([CALL_TOTAL_LINE + 1, { count: '6', sum: '70' }]);
            // Back: the client's previous statement is the call itself; into the handler again from there, the same state.
            expect(view(debug, log, await debug.stepBack('client'))).toEqual({ ...atCall, stop: { kind: 'stopped', cause: 'step', thread: 'client', breakpoints: [] } });
            expect(view(debug, log, await debug.step('client', 'in'))).toEqual(inHandler);
            expect(view(debug, log, await debug.step('journal', 'out'))).toEqual(returned);
        });
    }
});
