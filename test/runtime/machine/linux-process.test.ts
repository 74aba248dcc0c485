/**
 * Bare mode's standard streams: input is read when the program reads (as qemu-user does, so a program can
 * answer a line before the next one exists), and the host's stream errors reach the program as Linux's
 * error numbers, a closed reader as SIGPIPE.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { assemble } from '../../../runtime/machine/asm/assembler.js';
import { assembledImage } from '../../../runtime/machine/asm/image.js';
import { PF_R, PF_W, PF_X, parseElf, type ElfImage } from '../../../runtime/machine/elf.js';
import { LinuxProcess, type HostError, type ProcessIO } from '../../../runtime/machine/linux-process.js';

function program(source: string): ElfImage {
    const assembly = assemble(source, { sectionAddresses: { '.text': 0x10000, '.data': 0x20000 } });
    expect(assembly.errors).toEqual([]);
    return assembledImage(assembly);
}

/** Writes "hello" to fd 1 and exits with the negated result of the write (0 when it wrote 5 bytes). */
const WRITE_HELLO = program(`
    li a0, 1
    la a1, message
    li a2, 5
    li a7, 64
    ecall
    addi a0, a0, -5
    neg a0, a0
    li a7, 93
    ecall
.data
message: .ascii "hello"`);

const quiet: ProcessIO = { stdout: () => {}, stderr: () => {} };

describe('bare mode: a failed write', () => {
    test.each([
        ['ENOSPC', 5 + 28], ['EIO', 5 + 5], ['EDQUOT', 5 + 122], ['ESOMETHINGNEW', 5 + 5]
    ])('%s reaches the program as its Linux error number, and the program goes on', (code, status) => {
        const result = new LinuxProcess(WRITE_HELLO, { ...quiet, stdout: (): HostError => ({ code }) }).run();
        expect(result.termination).toEqual({ kind: 'exit', code: status });
    });

    test('EPIPE ends the program as SIGPIPE would: status 141, nothing after the write runs', () => {
        const result = new LinuxProcess(WRITE_HELLO, { ...quiet, stdout: (): HostError => ({ code: 'EPIPE' }) }).run();
        expect(result.termination).toEqual({ kind: 'broken-pipe' });
        expect(result.status).toBe(141);
        expect(result.retired).toBe(5); // li, la (auipc + addi), li, li; the ecall itself does not retire
    });

    test('a write that succeeds returns its length', () => {
        const written: string[] = [];
        const result = new LinuxProcess(WRITE_HELLO, { ...quiet, stdout: bytes => { written.push(new TextDecoder().decode(bytes)); } }).run();
        expect(written).toEqual(['hello']);
        expect(result.status).toBe(0);
    });
});

describe('bare mode: standard input', () => {
    const wc = parseElf(new Uint8Array(readFileSync(path.resolve(__dirname, '../../fixtures/rv32/elf/wc.elf'))));

    test('is read when the program reads, in the pieces it asks for, between its writes', () => {
        const input = new TextEncoder().encode('ab\ncd');
        let at = 0;
        const events: string[] = [];
        const io: ProcessIO = {
            stdout: bytes => { events.push(`write ${JSON.stringify(new TextDecoder().decode(bytes))}`); },
            stderr: () => {},
            readStdin: buffer => {
                // The host has 3 bytes at a time, as a pipe might.
                const piece = input.subarray(at, at + Math.min(buffer.length, 3));
                buffer.set(piece);
                at += piece.length;
                events.push(`read ${buffer.length} -> ${piece.length}`);
                return piece.length;
            }
        };
        const result = new LinuxProcess(wc, io).run();
        expect(events).toEqual([
            'write "read into an unmapped page: -14\\n"',
            'write "read from fd 5: -14\\n"',
            'read 7 -> 3', 'write "AB\\n"',
            'read 7 -> 2', 'write "CD"',
            'read 7 -> 0', 'read 7 -> 0',
            'write "read returned 0 at the end, and 0 after it\\n"',
            'write "1 lines, 2 words, 5 bytes, fnv-1a 3d16aec7\\n"'
        ]);
        expect(result.status).toBe(1);
    });

    test('a host error fails the read with its Linux number; without an input the program reads its end', () => {
        const run = (readStdin?: ProcessIO['readStdin']) => {
            let output = '';
            const result = new LinuxProcess(wc, { stdout: bytes => { output += new TextDecoder().decode(bytes); }, stderr: () => {}, readStdin }).run();
            return { status: result.status, output };
        };
        expect(run((): HostError => ({ code: 'EISDIR' })).output).toContain('read returned -21 at the end, and -21 after it\n0 lines');
        expect(run()).toEqual({ status: 0, output: expect.stringContaining('read returned 0 at the end, and 0 after it\n0 lines, 0 words, 0 bytes') });
    });

    test('input read over code that already ran replaces it (decoded copies are dropped)', () => {
        // `value` runs once (and is decoded or translated), then read(2) overwrites its first instruction with
        // the four bytes of `li a0, 42`; the second call must run the new instruction: 7 + 42.
        const assembly = assemble(`
            jal ra, value
            mv s1, a0
            li a0, 0
            la a1, value
            li a2, 4
            li a7, 63
            ecall
            jal ra, value
            add a0, a0, s1
            li a7, 93
            ecall
        value:
            li a0, 7
            ret`, { sectionAddresses: { '.text': 0x10000 } });
        const code = assembly.sections[0];
        const image: ElfImage = { entry: 0x10000, segments: [{ vaddr: 0x10000, memSize: code.bytes.length, data: code.bytes, flags: PF_R | PF_W | PF_X }], symbols: [] };
        const replacement = assemble('li a0, 42').sections[0].bytes;
        for (const translate of [false, true]) {
            const result = new LinuxProcess(image, { ...quiet, readStdin: buffer => { buffer.set(replacement); return 4; } }, { translate }).run();
            expect(result.termination).toEqual({ kind: 'exit', code: 49 });
        }
    });
});
