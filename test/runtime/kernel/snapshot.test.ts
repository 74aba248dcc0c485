/**
 * Snapshots of the whole system state: run N cycles, take a snapshot, run M more recording everything
 * observable; restore, run the same M cycles again (in differently sized pieces, as a debugger's replay
 * does) and get the same registers, RAM, kernel objects, trace events and console bytes, byte for byte.
 */
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { NodeFileSystem } from 'langium/node';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IPC_BUFFER_BASE, IPC_CAPS_OR_BADGES, IPC_RECEIVE_INDEX, Invocation, MapPermission, Syscall, messageInfo } from '../../../runtime/contract/index.js';
import { KERNEL_PERSONALITIES, captureKernel, restoreKernel, type KernelPersonalityName } from '../../../runtime/kernel/index.js';
import type { Endpoint } from '../../../runtime/kernel/objects/endpoint.js';
import { MachPersonality } from '../../../runtime/kernel/personalities/mach/mach-personality.js';
import { Session, URI, bootRunnable, type RunnableSystem, type SystemRun } from '../../../src/session/index.js';
import { ROOT } from '../../cli/run-ukc.js';
import { kernelDigest } from './kernel-state.js';
import { bootTest, invoke, syscall, type TestSystem } from './harness.js';

const EXAMPLES = ['calculator/calculator.uk', 'kv-store/kv.uk', 'name-server/names.uk', 'pipeline/pipeline.uk', 'supervised-restart/supervised.uk', 'uart-driver/uart.uk', 'compare-models/models.uk'];

interface Booted {
    readonly run: SystemRun;
    readonly console: number[];
    readonly events: string[];
}

function boot(system: RunnableSystem, kernel: KernelPersonalityName = 'sel4'): Booted {
    const console: number[] = [];
    const run = bootRunnable(system, { console: { byte: value => console.push(value), bytes: values => console.push(...values) }, kernel });
    const events: string[] = [];
    run.subscribe(event => events.push(JSON.stringify(event)));
    // The UART example reads what a user types: give it input before it starts, as `ukc run` does.
    run.input(new TextEncoder().encode('add 2 3\nhelp\n'));
    return { run, console, events };
}

function observe(booted: Booted, eventsFrom: number, consoleFrom: number) {
    const kernel = booted.run.kernel;
    return {
        cycle: kernel.cycle,
        instret: kernel.cpu.instret,
        pc: kernel.cpu.pc,
        registers: kernel.threads.map(thread => [thread.name, thread.pc, [...thread.regs]]),
        ram: createHash('sha256').update(kernel.memory.bytes).digest('hex'),
        kernel: kernelDigest(kernel),
        events: booted.events.slice(eventsFrom),
        console: booted.console.slice(consoleFrom)
    };
}

/** Runs `cycles` cycles in pieces of the given sizes (the last piece takes what is left). */
function runInPieces(run: SystemRun, cycles: number, pieces: readonly number[]): void {
    const end = run.kernel.cycle + cycles;
    for (const piece of pieces) {
        if (run.kernel.cycle >= end) return;
        run.kernel.run(Math.min(piece, end - run.kernel.cycle));
    }
    while (run.kernel.cycle < end && run.kernel.run(end - run.kernel.cycle).reason !== 'idle') { /* on to the end */ }
}

const systems = new Map<string, RunnableSystem>();

beforeAll(async () => {
    const session = new Session(NodeFileSystem.fileSystemProvider());
    for (const example of EXAMPLES) {
        const file = path.join(ROOT, 'examples', example);
        const result = await session.compile({ uri: URI.file(file), shownAs: example });
        if (result.kind !== 'compiled') throw new Error(`${example} does not compile`);
        systems.set(example, result.system);
    }
}, 60_000);

describe('kernel snapshots', () => {
    it('restore and run again gives the same state, trace and console, byte for byte, on every example under every personality', () => {
        fc.assert(fc.property(
            fc.constantFrom(...EXAMPLES), fc.constantFrom(...KERNEL_PERSONALITIES), fc.integer({ min: 0, max: 400_000 }), fc.integer({ min: 1, max: 300_000 }),
            fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 6 }),
            (example, kernel, n, m, pieces) => {
                const booted = boot(systems.get(example) as RunnableSystem, kernel);
                booted.run.kernel.run(n);
                const snapshot = captureKernel(booted.run.kernel);
                const before = observe(booted, 0, 0);
                const [events, console] = [booted.events.length, booted.console.length];
                booted.run.kernel.run(m);
                const first = observe(booted, events, console);
                restoreKernel(booted.run.kernel, snapshot);
                expect({ ...observe(booted, 0, 0), events: [], console: [] }).toEqual({ ...before, events: [], console: [] });
                booted.events.length = events;
                booted.console.length = console;
                runInPieces(booted.run, m, pieces);
                expect(observe(booted, events, console)).toEqual(first);
            }
        ), {
            numRuns: 48, seed: 17,
            // Found by earlier runs: the kernel's slice mark left over from a stretch (now reset at its end), and
            // a remapping run after a restore (a space's generation is a tag, not state: kernel-state.ts).
            examples: [['compare-models/models.uk', 'sel4', 0, 2668, [2367]], ['kv-store/kv.uk', 'sel4', 0, 9762, []]]
        });
    }, 120_000);

    it('a snapshot after one that shares every unchanged page and object record costs only what changed', () => {
        const booted = boot(systems.get('calculator/calculator.uk') as RunnableSystem);
        booted.run.kernel.run(50_000);
        const first = captureKernel(booted.run.kernel);
        const again = captureKernel(booted.run.kernel, first);
        expect(again.graph.newValues).toBe(0);
        expect(again.ram.pages.every((page, i) => page === first.ram.pages[i])).toBe(true);
        expect(again.graph.records.size).toBe(first.graph.records.size);
    });
});

describe('kernel snapshots of what a personality holds in transit', () => {
    const IPC_BUFFER = DEFAULT_IPC_BUFFER_BASE;
    const RW = MapPermission.Read | MapPermission.Write;

    /**
     * Under Mach, the client (above the server) writes 0x1234 into its page, sends the page in a one-way
     * message — queued with a copy-on-write copy of the page, since the server is not receiving yet — then
     * writes 0x5678 into it; the server maps the page it receives and reads it into s2.
     */
    function pageInTransit(): TestSystem {
        return bootTest({
            objects: [{ name: 'ep', kind: 'endpoint' }],
            components: [
                {
                    name: 'server', priority: 50, caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }, { slot: 5, vspace: 'server' }],
                    source: `_start:
    li t0, ${IPC_BUFFER}
    li t1, 20
    sw t1, ${IPC_RECEIVE_INDEX}(t0)
${syscall(Syscall.Recv, { a0: 1 })}
${invoke(20, Invocation.FrameMap, [5, 0x6000_0000, RW])}
    li t0, 0x60000000
    lw s2, 0(t0)
    j park`
                },
                {
                    name: 'client', priority: 100, caps: [{ slot: 1, endpoint: 'ep', rights: 'wg' }, { slot: 4, frame: {} }, { slot: 5, vspace: 'client' }],
                    source: `_start:
${invoke(4, Invocation.FrameMap, [5, 0x5000_0000, RW])}
    li t0, 0x50000000
    li t1, 0x1234
    sw t1, 0(t0)
    li t0, ${IPC_BUFFER}
    li t1, 4
    sw t1, ${IPC_CAPS_OR_BADGES}(t0)
${syscall(Syscall.Send, { a0: 1, a1: messageInfo(1, 0, 1) })}
    li t0, 0x50000000
    li t1, 0x5678
    sw t1, 0(t0)
    lw s1, 0(t0)
    j park`
                }
            ]
        }, { personality: 'mach' });
    }

    it('a Mach message queued with an out-of-line page goes back with the snapshot: received again, the page reads as it was sent', () => {
        const system = pageInTransit();
        // Up to the client's write after the send: the message waits in the port's queue, the server has not run.
        while (system.reg('client', 's1') !== 0x5678) system.kernel.run(20);
        const personality = system.kernel.personality as MachPersonality;
        const port = system.endpoints.get('ep') as Endpoint;
        const inTransit = () => (personality.state.queues.get(port) ?? []).map(message => [message.outOfLinePages, message.rights.length]);
        expect(inTransit()).toEqual([[1, 1]]);
        const snapshot = captureKernel(system.kernel);
        expect(system.run().reason).toBe('idle');
        const first = { s2: system.reg('server', 's2'), state: kernelDigest(system.kernel), queued: inTransit() };
        expect(first.s2).toBe(0x1234);
        expect(first.queued).toEqual([]);
        restoreKernel(system.kernel, snapshot);
        expect([inTransit(), system.reg('server', 's2')]).toEqual([[[1, 1]], 0]);
        expect(system.run().reason).toBe('idle');
        expect({ s2: system.reg('server', 's2'), state: kernelDigest(system.kernel), queued: inTransit() }).toEqual(first);
    });
});
