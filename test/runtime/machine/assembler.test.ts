/**
 * The assembler against GNU as: every instruction form (src-asm/all-forms.s) and every pseudo-instruction,
 * expression and data directive ukc supports (src-asm/pseudo.s, linked at 0x10000) must assemble to the
 * same words. Errors are reported per line.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { assemble } from '../../../runtime/machine/asm/assembler.js';

const RV32 = path.resolve(__dirname, '../../fixtures/rv32');

function wordsOf(bytes: Uint8Array): string[] {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Array.from({ length: Math.floor(bytes.length / 4) }, (_, i) => view.getUint32(4 * i, true).toString(16).padStart(8, '0'));
}

describe('the assembler matches GNU as', () => {
    test('every instruction form', () => {
        const result = assemble(readFileSync(path.join(RV32, 'src-asm/all-forms.s'), 'utf8'));
        expect(result.errors).toEqual([]);
        const expected = readFileSync(path.join(RV32, 'disassembly/all-forms.txt'), 'utf8').split('\n')
            .map(line => /^\s*[0-9a-f]+:\t([0-9a-f]{8})\s/.exec(line)?.[1]).filter((word): word is string => word !== undefined);
        expect(wordsOf(result.sections[0].bytes)).toEqual(expected);
    });

    test('pseudo-instructions, %hi/%lo, expressions and data', () => {
        const result = assemble(readFileSync(path.join(RV32, 'src-asm/pseudo.s'), 'utf8'), { sectionAddresses: { '.text': 0x10000 } });
        expect(result.errors).toEqual([]);
        const expected = readFileSync(path.join(RV32, 'disassembly/pseudo.words'), 'utf8').trim().split('\n');
        expect(wordsOf(result.sections[0].bytes)).toEqual(expected);
        expect(result.symbols.get('table')).toBe(0x10000 + 4 * expected.indexOf('00000001'));
    });
});

describe('assembler errors', () => {
    test('each bad line is reported with its number; the others still assemble', () => {
        const result = assemble([
            'start:',
            '    addi a0, a1',          // 2: too few operands
            '    addi a0, a1, 5000',    // 3: immediate out of range
            '    add q0, a1, a2',       // 4: not a register
            '    frobnicate a0',        // 5: unknown instruction
            '    beq a0, a1, nowhere',  // 6: unknown symbol
            '    .word 1',
            'start:',                   // 8: defined twice
            '    .frob 3',              // 9: unknown directive
            '    li a0, label',         // 10: li needs a constant
            '    lw a0, a1'             // 11: not a memory operand
        ].join('\n'));
        expect(result.errors.map(error => error.message)).toEqual([
            'line 2: addi takes 3 operands, not 2',
            'line 3: immediate 5000 does not fit 12 signed bits (-2048..2047)',
            "line 4: 'q0' is not a register",
            "line 5: unknown instruction 'frobnicate'",
            "line 6: unknown symbol in 'nowhere'",
            "line 8: label 'start' is defined twice",
            "line 9: unknown directive '.frob'",
            "line 10: 'label' must be a constant",
            "line 11: 'a1' is not a memory operand such as 8(sp)"
        ]);
    });

    test('sections are placed one after another on page boundaries unless placed explicitly', () => {
        const result = assemble('.text\nnop\n.data\nvalue: .word 7\n.section .bss\n.zero 8');
        expect(result.sections.map(section => [section.name, section.address, section.bytes.length])).toEqual([['.text', 0, 4], ['.data', 0x1000, 4], ['.bss', 0x2000, 8]]);
        expect(result.symbols.get('value')).toBe(0x1000);
    });

    test('strings, alignment and equates', () => {
        const result = assemble('.data\n.equ SIZE, 3\n.ascii "ab"\n.asciz "c\\n"\n.align 2\n.byte SIZE, \'x\'');
        expect(result.errors).toEqual([]);
        expect([...result.sections[1].bytes]).toEqual([97, 98, 99, 10, 0, 0, 0, 0, 3, 120]);
    });
});
