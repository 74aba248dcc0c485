/**
 * The decoder, encoder and disassembler against GNU binutils: every instruction form assembled by
 * riscv64-unknown-elf-as (test/fixtures/rv32/src-asm/all-forms.s) and every instruction of the test
 * programs, as `objdump -d -M no-aliases` printed them (scripts/rv32-fixtures.sh records the dumps).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { disassemble } from '../../../runtime/machine/asm/disassembler.js';
import { encode } from '../../../runtime/machine/asm/encoder.js';
import { decode, Op } from '../../../runtime/machine/decode.js';

const DUMPS = path.resolve(__dirname, '../../fixtures/rv32/disassembly');

interface DumpLine { address: number; word: number; text: string }

/** `   10094:\t00f60e63          \tbeq\ta2,a5,100b0 <put_char+0x3c>` -> address, word, `beq\ta2,a5,100b0`. */
function readDump(file: string): DumpLine[] {
    const lines: DumpLine[] = [];
    for (const line of readFileSync(path.join(DUMPS, file), 'utf8').split('\n')) {
        const match = /^\s*([0-9a-f]+):\t([0-9a-f]{8})\s+\t(.*)$/.exec(line);
        if (!match) continue;
        const text = match[3].replace(/\s*<[^>]*>/, '').replace(/\s*#.*$/, '').trimEnd();
        lines.push({ address: parseInt(match[1], 16), word: parseInt(match[2], 16), text });
    }
    return lines;
}

describe('against GNU binutils', () => {
    test('every instruction form: decode, re-encode to the same word, disassemble to objdump\'s text', () => {
        const lines = readDump('all-forms.txt');
        expect(lines.length).toBeGreaterThan(200);
        for (const { address, word, text } of lines) {
            const decoded = decode(word | 0);
            expect(disassemble(word, address), `at ${address.toString(16)}`).toBe(text);
            if (decoded.op === Op.Illegal) continue;
            const isCsrImmediate = decoded.op === Op.Csrrwi || decoded.op === Op.Csrrsi || decoded.op === Op.Csrrci;
            const reencoded = encode({
                op: decoded.op, rd: decoded.rd, rs1: isCsrImmediate ? 0 : decoded.rs1, rs2: decoded.rs2,
                imm: decoded.imm, uimm: isCsrImmediate ? decoded.rs1 : undefined
            });
            if (decoded.op === Op.Fence) expect(reencoded).toBe(0x0ff0000f);
            else expect(reencoded, `${text} at ${address.toString(16)}`).toBe(word);
        }
    });

    const programs = readdirSync(DUMPS).filter(file => file.endsWith('.txt') && file !== 'all-forms.txt').sort();
    test.each(programs)('the disassembly of %s matches objdump', file => {
        const lines = readDump(file);
        expect(lines.length).toBeGreaterThan(100);
        expect(lines.map(line => disassemble(line.word, line.address))).toEqual(lines.map(line => line.text));
    });
});
