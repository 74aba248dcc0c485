/**
 * `ukc run FILE --gdb PORT` as a user runs it, with Debian's `gdb-multiarch` in batch mode attached over
 * TCP: a breakpoint at a handler's address (from the component's ELF symbols), continue, `info registers`,
 * `x/4wx`, `stepi`, and on to the exit status; detach and kill; and a port that cannot be used.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runUkc, temporaryFolders } from './run-ukc.js';

const UKC = path.join(ROOT, 'bin/ukc.js');
const CALCULATOR = 'examples/calculator/calculator.uk';
const PROGRAM_OUTPUT = '40 + 2 = 42\n17 / 5 = 3 rem 2\n1 / 0 -> DivideByZero\nI32_MAX + 1 -> Overflow\nsquare(65536) -> Overflow\n';
const GDB = 'gdb-multiarch';
const newFolder = temporaryFolders('ukc-gdb-');

interface Finished {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** `ukc run FILE --gdb 0` started; resolves with the port it printed, and later with how it ended. */
function startUkc(args: readonly string[]): Promise<{ port: number; finished: Promise<Finished> }> {
    const child = spawn(process.execPath, [UKC, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
    const finished = new Promise<Finished>(resolve => child.on('close', code => resolve({ code, stdout, stderr })));
    return new Promise((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (text: string) => {
            stderr += text;
            const port = /waiting for gdb on localhost:(\d+)/.exec(stderr)?.[1];
            if (port) resolve({ port: Number(port), finished });
        });
        child.on('close', () => reject(new Error(`ukc ended before listening: ${stderr}`)));
    });
}

/** `gdb-multiarch -nx -batch -ex ...` against the port; its standard output and error. */
function runGdb(port: number, commands: readonly string[], symbols?: string): Promise<Finished> {
    const args = ['-nx', '-batch', ...(symbols ? ['-ex', `symbol-file ${symbols}`] : []), '-ex', `target remote localhost:${port}`, ...commands.flatMap(command => ['-ex', command])];
    const child = spawn(GDB, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    return new Promise(resolve => child.on('close', code => resolve({ code, stdout, stderr })));
}

const NO_EXECUTABLE = 'warning: No executable has been specified and target does not support\ndetermining executable automatically.  Try using the "file" command.\n';

describe('ukc run --gdb', () => {
    let image = '';

    beforeAll(async () => {
        const found = spawnSync(GDB, ['--version'], { encoding: 'utf8' });
        if (found.status !== 0) throw new Error(`${GDB} is not installed (Debian: apt-get install gdb-multiarch); .ci/run installs it`);
        image = path.join(newFolder(), 'Demo.image');
        expect((await runUkc(['compile', CALCULATOR, '-o', image])).code).toBe(0);
    });

    it('stops at a handler’s address, shows its registers and memory, steps, and continues to the exit', async () => {
        const ukc = await startUkc(['run', CALCULATOR, '--gdb', '0']);
        const gdb = await runGdb(ukc.port, [
            "break *'handler.Calc.div'", 'continue', 'info threads', 'info registers', 'x/4wx $pc', 'stepi', 'info registers pc sp', 'x/4wx $sp',
            'delete', 'continue'
        ], path.join(image, 'Calc.elf'));
        const run = await ukc.finished;
        expect(gdb.stderr).toBe(NO_EXECUTABLE);
        expect(gdb.stdout).toBe([
            '0x00010000 in _start ()',
            "Breakpoint 1 at 0x105a4",
            '',
            'Thread 1 hit Breakpoint 1, 0x000105a4 in handler.Calc.div ()',
            '  Id   Target Id                                       Frame ',
            '* 1    Thread 4 (calc (runnable))                      0x000105a4 in handler.Calc.div ()',
            '  2    Thread 7 (client waits for the reply from calc) 0x00010048 in __ukc_reply ()',
            'ra             0x10084\t0x10084 <__ukc_method_2+8>',
            'sp             0x7fff0000\t0x7fff0000',
            'gp             0x0\t0x0',
            'tp             0x0\t0x0',
            't0             0x2\t2',
            't1             0x2\t2',
            't2             0x0\t0',
            'fp             0x0\t0x0',
            's1             0x0\t0',
            'a0             0x7\t7',
            'a1             0x2002\t8194',
            'a2             0x11\t17',
            'a3             0x5\t5',
            'a4             0x0\t0',
            'a5             0x0\t0',
            'a6             0x0\t0',
            'a7             0xfffffffe\t-2',
            's2             0x0\t0',
            's3             0x0\t0',
            's4             0x0\t0',
            's5             0x0\t0',
            's6             0x0\t0',
            's7             0x0\t0',
            's8             0x0\t0',
            's9             0x0\t0',
            's10            0x0\t0',
            's11            0x0\t0',
            't3             0x0\t0',
            't4             0x0\t0',
            't5             0x0\t0',
            't6             0x12000\t73728',
            'pc             0x105a4\t0x105a4 <handler.Calc.div>',
            '0x105a4 <handler.Calc.div>:\t0xfe010113\t0x00112023\t0x00912223\t0x01212423',
            '0x000105a8 in handler.Calc.div ()',
            'pc             0x105a8\t0x105a8 <handler.Calc.div+4>',
            'sp             0x7ffeffe0\t0x7ffeffe0',
            // The return address the add handler's frame left there.
            '0x7ffeffe0:\t0x00010070\t0x00000000\t0x00000000\t0x00000000',
            '[Inferior 1 (Remote target) exited normally]',
            ''
        ].join('\n'));
        expect(gdb.code).toBe(0);
        expect(run).toEqual({
            code: 0, stdout: PROGRAM_OUTPUT,
            stderr: `ukc: waiting for gdb on localhost:${ukc.port} (gdb-multiarch -ex 'target remote localhost:${ukc.port}')\nsystem Demo finished at cycle 18254\n`
        });
    });

    it('lets the system run on to its end when gdb detaches', async () => {
        const ukc = await startUkc(['run', CALCULATOR, '--gdb', '0']);
        const gdb = await runGdb(ukc.port, ['break *0x105a4', 'continue', 'p/d $a2', 'detach']);
        const run = await ukc.finished;
        expect(gdb.stdout).toBe([
            '0x00010000 in ?? ()', 'Breakpoint 1 at 0x105a4', '', 'Thread 1 hit Breakpoint 1, 0x000105a4 in ?? ()', '$1 = 17',
            '[Inferior 1 (Remote target) detached]', ''
        ].join('\n'));
        expect(run.code).toBe(0);
        expect(run.stdout).toBe(PROGRAM_OUTPUT);
        expect(run.stderr.split('\n').slice(1)).toEqual(['ukc: gdb detached; the system runs on', 'system Demo finished at cycle 18254', '']);
    });

    it('ends the run when gdb kills it, with the status of a stopped run', async () => {
        const ukc = await startUkc(['run', CALCULATOR, '--gdb', '0']);
        const gdb = await runGdb(ukc.port, ['stepi', 'kill']);
        const run = await ukc.finished;
        expect(gdb.stdout).toBe(['0x00010000 in ?? ()', '0x00010004 in ?? ()', 'Kill the program being debugged? (y or n) [answered Y; input not from terminal]',
            '[Inferior 1 (Remote target) killed]', ''].join('\n'));
        expect(run.code).toBe(130);
        expect(run.stdout).toBe('');
        expect(run.stderr.split('\n').slice(1)).toEqual(['ukc: gdb killed the run', 'stopped at cycle 301: stopped', '']);
    });

    it('refuses a port that is not a number, and --gdb with --timeout', async () => {
        expect(await runUkc(['run', CALCULATOR, '--gdb', 'abc'])).toEqual({ code: 2, stdout: '', stderr: "ukc: --gdb needs a TCP port (0 to 65535; 0 picks a free one), not 'abc'\n" });
        expect(await runUkc(['run', CALCULATOR, '--gdb', '70000'])).toEqual({ code: 2, stdout: '', stderr: "ukc: --gdb needs a TCP port (0 to 65535; 0 picks a free one), not '70000'\n" });
        expect(await runUkc(['run', CALCULATOR, '--gdb', '0', '--timeout', '5'])).toEqual({ code: 2, stdout: '', stderr: 'ukc: --timeout cannot be combined with --gdb\n' });
    });

    it('says so when the port is taken', async () => {
        const ukc = await startUkc(['run', CALCULATOR, '--gdb', '0']);
        const second = spawnSync(process.execPath, [UKC, 'run', CALCULATOR, '--gdb', String(ukc.port)], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
        expect({ code: second.status, stdout: second.stdout, stderr: second.stderr }).toEqual({
            code: 2, stdout: '', stderr: `ukc: cannot listen for gdb on localhost:${ukc.port}: the port is in use\n`
        });
        await runGdb(ukc.port, ['kill']);
        expect((await ukc.finished).code).toBe(130);
    });
});
