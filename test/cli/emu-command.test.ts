import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runUkc, temporaryFolders } from './run-ukc.js';

const RV32 = path.join(ROOT, 'test/fixtures/rv32');
const ukc = (args: string[], cwd = RV32) => runUkc(args, cwd);
const makeFolder = temporaryFolders('ukc-emu-');

function tempFile(name: string, bytes: Uint8Array): string {
    const folder = makeFolder();
    writeFileSync(path.join(folder, name), bytes);
    return path.join(folder, name);
}

describe('ukc emu', () => {
    test('runs a program, forwards its output and exits with its status; reports unsupported system calls once', async () => {
        const run = await ukc(['emu', 'elf/format.elf']);
        expect(run.stdout).toBe(readFileSync(path.join(RV32, 'expected/format.stdout'), 'utf8'));
        expect(run.code).toBe(7);
        expect(run.stderr).toBe('ukc emu: unsupported system call 999 (returned -ENOSYS)\n');
    });

    test('passes arguments through, also ones that look like options', async () => {
        const run = await ukc(['emu', 'elf/format.elf', '--stats', 'x']);
        expect(run.stdout.split('\n')[0]).toBe('argc 3 argv[0] elf/format.elf');
    });

    test('--stats prints the instruction count', async () => {
        const run = await ukc(['emu', '--stats', 'elf/hash.elf']);
        expect(run.code).toBe(0);
        expect(run.stderr).toMatch(/^ukc emu: 50158 instructions \(50155 retired\), [0-9.]+ s, [0-9.]+ MIPS\n$/);
    });

    test('a faulting program is killed by the signal Linux would send', async () => {
        expect(await ukc(['emu', 'elf/fault.elf'])).toEqual({
            code: 139, stdout: 'about to fault\n',
            stderr: 'ukc emu: killed by SIGSEGV: store to an unmapped or read-only page at 0x40000000 (pc 0x00010858)\n'
        });
        const illegal = await ukc(['emu', 'elf/illegal.elf']);
        expect(illegal.code).toBe(132);
        expect(illegal.stderr).toMatch(/^ukc emu: killed by SIGILL: illegal instruction 0x00000000 \(pc 0x[0-9a-f]{8}\)\n$/);
    });

    test('--max-instructions stops a program', async () => {
        expect(await ukc(['emu', '--max-instructions', '1000', 'elf/sort.elf'])).toEqual({
            code: 124, stdout: '', stderr: 'ukc emu: stopped after 1000 instructions (--max-instructions)\n'
        });
    });
});

describe('ukc emu on bad input', () => {
    const header = (patch: (view: DataView) => void): Uint8Array => {
        const bytes = new Uint8Array(readFileSync(path.join(RV32, 'elf/hash.elf')));
        patch(new DataView(bytes.buffer));
        return bytes;
    };

    test.each([
        ['a missing file', () => 'nope.elf', "ukc: cannot read 'nope.elf': no such file\n"],
        ['a text file', () => tempFile('t.elf', new TextEncoder().encode('hello, world\n')), ': not an ELF file (no ELF magic number)\n'],
        ['a tiny file', () => tempFile('t.elf', new Uint8Array([0x7f, 0x45])), ': not an ELF file (too short)\n'],
        ['a 64-bit ELF', () => tempFile('t.elf', header(view => view.setUint8(4, 2))), ': a 64-bit ELF file; ukc emu runs 32-bit (rv32) programs\n'],
        ['another machine', () => tempFile('t.elf', header(view => view.setUint16(18, 62, true))), ': an ELF file for machine 62, not RISC-V (243)\n'],
        ['a truncated file', () => tempFile('t.elf', header(() => {}).subarray(0, 200)), ': truncated ELF file (segment 1 ends past the end of the file)\n'],
        ['a wrong program header size', () => tempFile('t.elf', header(view => view.setUint16(42, 40, true))), ": malformed ELF file (its program headers are 40 bytes each, by e_phentsize; ELF32's are 32)\n"],
        // Program header 1 is the text segment (0 holds the RISC-V attributes).
        ['a segment in the stack region', () => tempFile('t.elf', header(view => view.setUint32(view.getUint32(28, true) + 32 + 8, 0xbff0_0000, true))), ': segment at 0xbff00000 overlaps the stack region\n'],
        ['a file that is a folder', () => RV32, "ukc: cannot read '" + RV32 + "': it is a folder\n"]
    ])('%s', async (_name, file, message) => {
        const given = file();
        const run = await ukc(['emu', given]);
        expect(run.code).toBe(2);
        expect(run.stdout).toBe('');
        expect(run.stderr).toBe(message.startsWith('ukc:') ? message : `ukc: ${given}${message}`);
    });
});
