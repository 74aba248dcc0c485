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
