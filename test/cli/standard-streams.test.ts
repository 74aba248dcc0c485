/**
 * The real `node bin/ukc.js` (the built bundle; `npm test` builds it first) with its standard streams
 * attached to what users attach them to: a file or pipe on stdin, a reader that stops early (`| head`),
 * and a full disk (`> /dev/full`). qemu-riscv32 is the model for `ukc emu`: the program reads input as it
 * arrives, a closed reader ends it as SIGPIPE does (status 141, no message), and a full disk fails its
 * write with -ENOSPC. Every other command ends quietly with 141 on a closed reader and with one line and
 * exit 74 when it cannot write.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeElf } from '../../src/codegen/image/elf-writer.js';
import { assemble } from '../../runtime/machine/asm/assembler.js';
import { ExitCode } from '../../src/cli/cli-io.js';
import { ROOT, temporaryFolders } from './run-ukc.js';

const UKC = path.join(ROOT, 'bin/ukc.js');
const RV32 = path.join(ROOT, 'test/fixtures/rv32');
const folder = temporaryFolders('ukc-streams-')();

function programFile(name: string, source: string): string {
    const assembly = assemble(source, { sectionAddresses: { '.text': 0x10000, '.data': 0x20000 } });
    expect(assembly.errors).toEqual([]);
    const file = path.join(folder, name);
    writeFileSync(file, writeElf(assembly.sections, 0x10000, []));
    return file;
}

/** Writes "again\n" forever. */
const FOREVER = programFile('forever.elf', `
    loop:
        li a0, 1
        la a1, line
        li a2, 6
        li a7, 64
        ecall
        j loop
    .data
    line: .ascii "again\\n"`);

/** Writes "hello" once and exits with the negated result of the write (-ENOSPC gives 28). */
const WRITE_ONCE = programFile('write-once.elf', `
        li a0, 1
        la a1, message
        li a2, 5
        li a7, 64
        ecall
        neg a0, a0
        li a7, 93
        ecall
    .data
    message: .ascii "hello"`);

/** A system that prints lines forever. */
const LOUD = path.join(folder, 'loud.uk');
writeFileSync(LOUD, `package loud

program Loud {
    main {
        var i: u32 = 0
        while true {
            print("line {}", i)
            i = i + 1
        }
    }
}

system Noisy {
    instance loud: Loud
}
`);

const fullDisk = openSync('/dev/full', 'w');
afterAll(() => closeSync(fullDisk));

function toFullDisk(args: readonly string[]): SpawnSyncReturns<string> {
    return spawnSync(process.execPath, [UKC, ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', fullDisk, 'pipe'], timeout: 60_000 });
}

/** `ukc ARGS | head -c 20`: the status ukc ended with, what it wrote to stderr, and what head printed. */
function intoHead(args: readonly string[]): { status: number; stderr: string; head: string } {
    const quoted = args.map(arg => `'${arg}'`).join(' ');
    const run = spawnSync('bash', ['-c', `"$0" '${UKC}' ${quoted} 2> "$1" | head -c 20; echo " \${PIPESTATUS[0]}"`, process.execPath, path.join(folder, 'stderr.txt')],
        { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    const match = /^([\s\S]*) (\d+)\n$/.exec(run.stdout);
    if (!match) throw new Error(`unexpected output ${JSON.stringify(run.stdout)} ${run.stderr}`);
    return { status: Number(match[2]), stderr: readFileSync(path.join(folder, 'stderr.txt'), 'utf8'), head: match[1] };
}

describe('ukc emu: standard input', () => {
    test('a file on standard input is what the program reads', () => {
        const run = spawnSync(process.execPath, [UKC, 'emu', 'elf/wc.elf'], { cwd: RV32, input: readFileSync(path.join(RV32, 'src/wc.stdin')), encoding: 'utf8' });
        expect(run.stderr).toBe('');
        expect(run.stdout).toBe(readFileSync(path.join(RV32, 'expected/wc.stdout'), 'utf8'));
        expect(run.status).toBe(4);
    });

    test('input is read as it arrives: the program answers a line before the next one is written', async () => {
        const child = spawn(process.execPath, [UKC, 'emu', 'elf/wc.elf'], { cwd: RV32, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
        let waiting: { text: string; resolve: () => void } | undefined;
        child.stdout.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            if (waiting && stdout.includes(waiting.text)) waiting.resolve();
        });
        const seen = (text: string) => new Promise<void>(resolve => { waiting = { text, resolve }; });
        const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
        child.stdin.write('hello\n');
        await seen('HELLO\n');
        child.stdin.end('bye\n');
        expect(await exited).toBe(2);
        expect(stderr).toBe('');
        expect(stdout).toBe('read into an unmapped page: -14\nread from fd 5: -14\nHELLO\nBYE\nread returned 0 at the end, and 0 after it\n'
            + '2 lines, 2 words, 10 bytes, fnv-1a df4386e1\n');
    }, 30_000);
});

describe('a reader that stops early (| head)', () => {
    test('ukc emu ends quietly as SIGPIPE would, like qemu-riscv32', () => {
        expect(intoHead(['emu', FOREVER])).toEqual({ status: 141, stderr: '', head: 'again\nagain\nagain\nag' });
    });

    test('ukc run ends quietly with 141', () => {
        expect(intoHead(['run', LOUD])).toEqual({ status: ExitCode.BrokenPipe, stderr: '', head: 'line 0\nline 1\nline 2' });
    });
});

describe('a full disk (> /dev/full)', () => {
    test("ukc emu fails the program's write with -ENOSPC and lets it go on, like qemu-riscv32", () => {
        const run = toFullDisk(['emu', WRITE_ONCE]);
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 28, stderr: '' });
    });

    test.each([
        ['ukc run', ['run', LOUD]],
        ['ukc --help', ['--help']],
        ['ukc check', ['check', 'test/fixtures/broken']],
        ['ukc layout', ['layout', 'examples/kv-store/kv.uk']]
    ])('%s says so in one line and exits 74', (_name, args) => {
        const run = toFullDisk(args);
        expect({ status: run.status, stderr: run.stderr }).toEqual({
            status: ExitCode.OutputFailed, stderr: 'ukc: cannot write to standard output: no space left on device (ENOSPC)\n'
        });
    });
});
