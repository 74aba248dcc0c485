/**
 * Differential tests against real tools: C programs built with Debian's riscv64-unknown-elf-gcc and run
 * under qemu-riscv32 (scripts/rv32-fixtures.sh records the results). `ukc emu` must print the same bytes,
 * exit with the same status, and execute the same number of instructions (qemu cannot count for programs
 * killed by a signal; those compare output and status). A program with a `src/NAME.stdin` reads it as its
 * standard input, in the pieces it asks for.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { LinuxProcess, parseElf } from '../../../runtime/machine/index.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/rv32');

interface Expected { status: number; instructions: number | null }

describe('ukc emu matches qemu-riscv32', () => {
    const programs = readdirSync(path.join(FIXTURES, 'elf')).filter(file => file.endsWith('.elf')).map(file => file.slice(0, -4)).sort();

    test('the fixtures are there', () => {
        expect(programs).toEqual(['arith', 'fault', 'format', 'hash', 'illegal', 'recursion', 'sort', 'state_machine', 'wc']);
    });

    for (const name of programs) for (const translate of [false, true]) {
        test(`${name} (${translate ? 'translated' : 'interpreted'})`, () => {
            const elf = new Uint8Array(readFileSync(path.join(FIXTURES, 'elf', `${name}.elf`)));
            const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected', `${name}.json`), 'utf8')) as Expected;
            const expectedStdout = readFileSync(path.join(FIXTURES, 'expected', `${name}.stdout`));
            const inputFile = path.join(FIXTURES, 'src', `${name}.stdin`);
            const input = existsSync(inputFile) ? readFileSync(inputFile) : new Uint8Array();
            let inputRead = 0;
            const readStdin = (buffer: Uint8Array) => {
                const piece = input.subarray(inputRead, inputRead + buffer.length);
                buffer.set(piece);
                inputRead += piece.length;
                return piece.length;
            };
            const chunks: Uint8Array[] = [];
            const process = new LinuxProcess(parseElf(elf), { stdout: bytes => { chunks.push(bytes.slice()); }, stderr: () => {}, readStdin },
                { ramBytes: 16 << 20, argv: [`elf/${name}.elf`], translate });
            const result = process.run(50_000_000);
            expect(Buffer.concat(chunks).toString('latin1')).toBe(expectedStdout.toString('latin1'));
            expect(result.status).toBe(expected.status);
            if (expected.instructions !== null) expect(result.executed).toBe(expected.instructions);
        });
    }
});
