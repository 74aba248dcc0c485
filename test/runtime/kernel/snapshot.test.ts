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
import { captureKernel, restoreKernel, type Kernel } from '../../../runtime/kernel/index.js';
import { kernelStateRules } from '../../../runtime/kernel/snapshot.js';
import { captureGraph } from '../../../runtime/kernel/state-graph.js';
import { Session, URI, bootRunnable, type RunnableSystem, type SystemRun } from '../../../src/session/index.js';
import { ROOT } from '../../cli/run-ukc.js';

const EXAMPLES = ['calculator/calculator.uk', 'kv-store/kv.uk', 'name-server/names.uk', 'pipeline/pipeline.uk', 'supervised-restart/supervised.uk', 'uart-driver/uart.uk', 'compare-models/models.uk'];

interface Booted {
    readonly run: SystemRun;
    readonly console: number[];
    readonly events: string[];
}

function boot(system: RunnableSystem): Booted {
    const console: number[] = [];
    const run = bootRunnable(system, { console: { byte: value => console.push(value), bytes: values => console.push(...values) } });
    const events: string[] = [];
    run.subscribe(event => events.push(JSON.stringify(event)));
    // The UART example reads what a user types: give it input before it starts, as `ukc run` does.
    run.input(new TextEncoder().encode('add 2 3\nhelp\n'));
    return { run, console, events };
}

/**
 * Every object the snapshot covers, with references written as the order in which the walk first met the
 * object: two kernels in the same state give the same text.
 */
function kernelState(kernel: Kernel): string {
    const capture = captureGraph([kernel], kernelStateRules(kernel));
    const ids = new Map([...capture.records.keys()].map((object, i) => [object, i]));
    const value = (item: unknown): unknown => typeof item === 'function' ? 'fn' : typeof item === 'bigint' ? `${item}n` : typeof item === 'object' && item !== null ? `#${ids.get(item) ?? 'frozen'}` : item;
    return JSON.stringify([...capture.records.values()].map(record => {
        switch (record.kind) {
            // A space's generation is a cache tag drawn from a counter that is never reused (memory.ts): a run
            // after a restore that remaps a page draws a new one, where the first run drew another.
            case 'fields': return record.keys.map((key, i) => [key, key === 'generation' ? 'tag' : value(record.values[i])]);
            case 'array': case 'set': return record.values.map(value);
            case 'map': return record.entries.map(([k, v]) => [value(k), value(v)]);
            case 'typed': return [...record.copy];
            case 'paged': return record.copy.pages.map(page => page ? [...page] : 0);
        }
    }));
}

function observe(booted: Booted, eventsFrom: number, consoleFrom: number) {
    const kernel = booted.run.kernel;
    return {
        cycle: kernel.cycle,
        instret: kernel.cpu.instret,
        pc: kernel.cpu.pc,
        registers: kernel.threads.map(thread => [thread.name, thread.pc, [...thread.regs]]),
        ram: createHash('sha256').update(kernel.memory.bytes).digest('hex'),
        kernel: createHash('sha256').update(kernelState(kernel)).digest('hex'),
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
    it('restore and run again gives the same state, trace and console, byte for byte, on every example', () => {
        fc.assert(fc.property(
            fc.constantFrom(...EXAMPLES), fc.integer({ min: 0, max: 400_000 }), fc.integer({ min: 1, max: 300_000 }),
            fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 6 }),
            (example, n, m, pieces) => {
                const booted = boot(systems.get(example) as RunnableSystem);
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
            numRuns: 30, seed: 17,
            // Found by earlier runs: the kernel's slice mark left over from a stretch (now reset at its end), and
            // a remapping run after a restore (a space's generation is a tag, not state: kernelState above).
            examples: [['compare-models/models.uk', 0, 2668, [2367]], ['kv-store/kv.uk', 0, 9762, []]]
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
