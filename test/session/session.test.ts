/**
 * The session library on its own, with sources in memory: inputs, compile results, image directories as
 * file contents, running in slices, stopping, and pc-to-source lookup.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
    InputError, MemoryFileSystem, OutputBuffer, RunExit, Session, URI, bootRunnable, measureRun, outcomeReport, imageFiles, readImageDirectory, type CompileResult, type RunnableSystem, type TypedEvent
} from '../../src/session/index.js';
import { ROOT } from '../cli/run-ukc.js';

const CALCULATOR = readFileSync(path.join(ROOT, 'examples/calculator/calculator.uk'), 'utf8');

function memoryWith(files: Record<string, string>): MemoryFileSystem {
    const memory = new MemoryFileSystem();
    for (const [name, text] of Object.entries(files)) memory.write(`memory:///${name}`, text);
    return memory;
}

const input = (name: string) => ({ uri: URI.parse(`memory:///${name}`), shownAs: name });

async function compiled(files: Record<string, string>, main: string): Promise<Extract<CompileResult, { kind: 'compiled' }>> {
    const result = await new Session(memoryWith(files)).compile(input(main));
    if (result.kind !== 'compiled') throw new Error(`not compiled: ${JSON.stringify(result.diagnostics)}`);
    return result;
}

describe('MemoryFileSystem', () => {
    it('lists files and the folders their paths pass through, and refuses what is not there', async () => {
        const memory = memoryWith({ 'a/x.uk': '', 'a/b/y.uk': '', 'c.uk': '' });
        const names = (await memory.readDirectory(URI.parse('memory:///a'))).map(node => [node.uri.path, node.isFile, node.isDirectory]);
        expect(names).toEqual([['/a/x.uk', true, false], ['/a/b', false, true]]);
        expect((await memory.stat(URI.parse('memory:///a/b'))).isDirectory).toBe(true);
        await expect(memory.stat(URI.parse('memory:///nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
});

describe('Session', () => {
    it('input problems are InputErrors naming the input as given', async () => {
        const session = new Session(memoryWith({ 'notes.txt': 'hello', 'empty/readme.md': '' }));
        await expect(session.check([input('missing.uk')])).rejects.toThrow(new InputError("cannot read 'missing.uk': no such file or folder"));
        await expect(session.check([input('notes.txt')])).rejects.toThrow(new InputError("'notes.txt' is not a .uk file"));
        await expect(session.check([input('empty')])).rejects.toThrow(new InputError("no .uk files in folder 'empty'"));
    });

    it('source errors come back as diagnostics with URIs and 0-based ranges, and nothing is compiled', async () => {
        const result = await new Session(memoryWith({ 'bad.uk': 'const X: u8 = 300\n' })).compile(input('bad.uk'));
        expect(result).toEqual({
            kind: 'source-errors',
            diagnostics: [{
                uri: URI.parse('memory:///bad.uk').toString(), range: { start: { line: 0, character: 14 }, end: { line: 0, character: 17 } },
                severity: 'error', code: expect.any(String), message: expect.stringContaining('300')
            }]
        });
    });

    it('an image directory written as files reads back as the same runnable system, named as declared', async () => {
        const result = await compiled({ 'calculator.uk': CALCULATOR }, 'calculator.uk');
        const files = imageFiles(result.name, result.compiled, false);
        expect([...files.keys()]).toEqual(['manifest.json', 'Calc.elf', 'Client.elf', 'debug.json']);
        const back: RunnableSystem = await readImageDirectory(async name => files.get(name), 'Demo.image', 'fallback');
        expect(back.name).toBe('Demo');
        expect(back.manifest).toEqual(result.system.manifest);
        expect(back.trace).toEqual(result.system.trace);
        expect(back.images.map(image => [image.file, [...image.elf]])).toEqual(result.system.images.map(image => [image.file, [...image.elf]]));
        expect(back.images.map(image => [image.lineTable, image.functions])).toEqual(result.system.images.map(image => [image.lineTable, image.functions]));
    });
});

describe('SystemRun', () => {
    it('runs in slices to the same end, stops when asked, and stops at a cycle budget', async () => {
        const { system } = await compiled({ 'calculator.uk': CALCULATOR }, 'calculator.uk');
        const whole = bootRunnable(system);
        const end = await whole.run();
        expect(end.kind).toBe('finished');

        const sliced = bootRunnable(system);
        let slices = 0;
        let outcome = sliced.slice(1_000);
        while (!outcome) {
            slices++;
            outcome = sliced.slice(1_000);
        }
        expect(slices).toBeGreaterThan(3);
        expect(outcome).toEqual(end);

        const stopped = bootRunnable(system);
        stopped.stop();
        expect(await stopped.run()).toEqual({ kind: 'stopped', cycle: 0, reason: 'stop' });

        const limited = bootRunnable(system);
        const limit = await limited.run({ maxCycles: 2_000 });
        expect(limit).toMatchObject({ kind: 'cycle-limit', maxCycles: 2_000 });
        // The kernel finishes the instruction or system call under way.
        expect(limit.cycle).toBeGreaterThanOrEqual(2_000);
        expect(limit.cycle).toBeLessThan(3_000);
    });

    it('typed events carry call sites and handlers; any pc maps to its statement and function', async () => {
        const { system } = await compiled({ 'calculator.uk': CALCULATOR }, 'calculator.uk');
        const chunks: string[] = [];
        const run = bootRunnable(system, { console: new OutputBuffer(bytes => chunks.push(new TextDecoder().decode(bytes))) });
        const events: TypedEvent[] = [];
        run.subscribeTyped(event => events.push(event));
        await run.run();
        const first = events[0];
        expect(first).toMatchObject({ kind: 'call', from: 'client', to: 'calc', interface: 'Calculator', method: 'add', site: 'calculator.uk:43:9', handler: 'calculator.uk:22:5' });
        const calc = system.images.find(image => image.file === 'Calc.elf');
        const divLine = calc?.lineTable.find(entry => entry.position.line === 28);
        expect(divLine).toBeDefined();
        expect(run.sourceMap.locate('calc', (divLine?.address ?? 0) + 4)).toEqual({ file: 'calculator.uk', line: 28, column: 9, function: 'handler.Calc.div' });
        expect(chunks.join('')).toContain('40 + 2 = 42');
    });
});

describe('outcomeReport', () => {
    const limits = { cycleLimit: 'ukc.run.maxCycles 5000', timeout: '--timeout 2 s' };
    it('words every outcome as ukc run does, in the host\'s names for its limits, with the exit status', () => {
        expect(outcomeReport({ kind: 'finished', cycle: 7 }, 'Demo', limits)).toEqual({ lines: [{ text: 'system Demo finished at cycle 7' }], exitStatus: 0 });
        expect(outcomeReport({ kind: 'cycle-limit', cycle: 5003, maxCycles: 5000 }, 'Demo', limits))
            .toEqual({ lines: [{ text: 'stopped at cycle 5003: ukc.run.maxCycles 5000 reached' }], exitStatus: RunExit.CycleLimit });
        expect(outcomeReport({ kind: 'stopped', cycle: 9, reason: 'timeout' }, 'Demo', limits).lines).toEqual([{ text: 'stopped at cycle 9: --timeout 2 s reached' }]);
        expect(outcomeReport({ kind: 'stopped', cycle: 9, reason: 'stop' }, 'Demo', limits)).toEqual({ lines: [{ text: 'stopped at cycle 9: stopped' }], exitStatus: RunExit.Interrupted });
    });

    it('a deadlock that follows a fault ends as the fault, each line carrying its source location', () => {
        const fault = { thread: 's', fault: 'illegal-instruction', panic: 'index-out-of-bounds', pc: 0x10040, location: { file: 'a.uk', line: 7, column: 9 } };
        const wait = { thread: 'c', state: 'blocked-on-reply', on: 'reply', waitsFor: ['s'], location: { file: 'a.uk', line: 12, column: 5 } };
        const report = outcomeReport({ kind: 'deadlock', cycle: 100, faults: [fault], waits: [wait] }, 'Demo', limits);
        expect(report.exitStatus).toBe(RunExit.Fault);
        expect(report.lines.map(line => [line.text, line.location])).toEqual([
            ['fault: s: index-out-of-bounds at a.uk:7:9', 'a.uk:7:9'],
            ['deadlock at cycle 100: a thread waits for what can never happen:', undefined],
            ['  c waits for the reply from s at a.uk:12:5', 'a.uk:12:5'],
            ['system Demo stopped at cycle 100 after a fault', undefined]
        ]);
        expect(outcomeReport({ kind: 'deadlock', cycle: 100, faults: [], waits: [wait] }, 'Demo', limits).exitStatus).toBe(RunExit.Deadlock);
    });
});

describe('the kernel personality a system chooses', () => {
    const withKernel = CALCULATOR.replace(/system Demo \{/, 'system Demo {\n    kernel: qnx');

    it('every host that boots through bootRunnable gets the kernel: line, unless it asks for another', async () => {
        const { system } = await compiled({ 'calc.uk': withKernel }, 'calc.uk');
        expect(system.manifest.kernel).toBe('qnx');
        expect(bootRunnable(system).kernel.personality.name).toBe('qnx');
        expect(bootRunnable(system, { kernel: 'sel4' }).kernel.personality.name).toBe('sel4');
        const plain = await compiled({ 'calc.uk': CALCULATOR }, 'calc.uk');
        expect(plain.system.manifest.kernel).toBeUndefined();
        expect(bootRunnable(plain.system).kernel.personality.name).toBe('sel4');
    });

    it('measureRun: the figures, console and outcome of one run under one personality', async () => {
        const { system } = await compiled({ 'calc.uk': withKernel }, 'calc.uk');
        const measured = await measureRun(system, { kernel: 'sel4' });
        expect(measured.kernel).toBe('sel4');
        expect(measured.console.split('\n')[0]).toBe('40 + 2 = 42');
        expect(measured.outcome).toEqual({ kind: 'finished', cycle: 18254, exitStatus: 0, lines: ['system Demo finished at cycle 18254'] });
        expect(measured.figures.total).toMatchObject({ messages: 18, bytesCopied: 0, contextSwitches: 20, kernelEntries: 39, cyclesPerRoundTrip: 748 });
        expect(measured.notable).toEqual([]);
    });
});
