/**
 * Enums of any width 1..64: golden tables for a file of narrow, signed and wide enums, read and checked by
 * hand against docs/ABI.md ("Packing"): each takes exactly its base's bits, placed first-fit decreasing
 * with the other narrow fields; an enum wider than a word takes whole words. The round trip of every width
 * through pack/unpack is a property in properties.test.ts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURES = 'test/fixtures/layout';

describe('golden layout tables of narrow enums', () => {
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `enums.${profile}.txt`), 'utf8');
            const run = await runUkc(['layout', '--abi', profile, `${FIXTURES}/enums.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }

    test('the JSON layout says the enum is 3 bits wide and carries its members', async () => {
        const run = await runUkc(['layout', '--json', '--method', 'Narrow.set', `${FIXTURES}/enums.uk`]);
        const report = JSON.parse(run.stdout) as { interfaces: { methods: { reply: { scalars: unknown[] } }[] }[] };
        expect(report.interfaces[0].methods[0].reply.scalars).toEqual([{
            kind: 'scalar', path: 'result', pinned: false, placement: { word: 0, lo: 0, bits: 3 },
            type: { kind: 'enum', name: 'Mode', bits: 3, members: [{ name: 'Off', value: 0 }, { name: 'Read', value: 1 }, { name: 'Write', value: 2 }, { name: 'Exec', value: 7 }] }
        }]);
    });
});

describe('golden layout tables of unions and optionals', () => {
    // Checked by hand against docs/ABI.md ("Unions and optionals"): Shape has four variants, so a 2-bit
    // tag, and its widest payload is a u32, so 34 bits; Small's widest payload is Flags (8 bits), 10 bits.
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `unions.${profile}.txt`), 'utf8');
            const run = await runUkc(['layout', '--abi', profile, `${FIXTURES}/unions.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }

    test('the JSON layout carries the tag width and every variant with where its payload lies', async () => {
        const run = await runUkc(['layout', '--json', '--method', 'Shapes.wide', `${FIXTURES}/unions.uk`]);
        const report = JSON.parse(run.stdout) as { interfaces: { methods: { request: { scalars: unknown[] } }[] }[] };
        expect(report.interfaces[0].methods[0].request.scalars[1]).toEqual({
            kind: 'scalar', path: 'p', pinned: false, placement: { word: 3, lo: 0, bits: 17 },
            type: {
                kind: 'union', name: 'Point?', bits: 17, tagBits: 1, optional: true,
                variants: [{ name: 'none' }, {
                    name: 'some',
                    payload: { kind: 'struct', name: 'Point', fields: [
                        { name: 'x', shape: { kind: 'leaf', lo: 1, type: { kind: 'int', signed: true, bits: 8 } } },
                        { name: 'y', shape: { kind: 'leaf', lo: 9, type: { kind: 'int', signed: true, bits: 8 } } }
                    ] }
                }]
            }
        });
    });
});
