/**
 * f32 and f64 fields: golden tables for a file of them, checked by hand against docs/ABI.md ("Floats"):
 * an f32 is placed as a u32 is, an f64 as a u64 (whole words where the word is narrower); the layout and
 * the JSON name them as floats, and `ukc diff` calls a change between f32, u32 and f64 breaking. The round
 * trip of their bit patterns through pack/unpack is a property in properties.test.ts.
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURES = 'test/fixtures/layout';

describe('golden layout tables of floats', () => {
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `floats.${profile}.txt`), 'utf8');
            const run = await runUkc(['layout', '--abi', profile, `${FIXTURES}/floats.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }

    test('the JSON layout gives each float its kind and width', async () => {
        const run = await runUkc(['layout', '--json', '--method', 'Thermal.samples', `${FIXTURES}/floats.uk`]);
        const report = JSON.parse(run.stdout) as { interfaces: { methods: { reply: { scalars: unknown[] } }[] }[] };
        expect(report.interfaces[0].methods[0].reply.scalars).toEqual([
            { kind: 'scalar', path: 'result', pinned: false, placement: { word: 0, lo: 0, bits: 64 }, type: { kind: 'float', bits: 64 } }
        ]);
    });
});

describe('ukc diff and floats', () => {
    const source = readFileSync(path.join(ROOT, FIXTURES, 'floats.uk'), 'utf8');
    const directory = mkdtempSync(path.join(tmpdir(), 'ukc-floats-'));
    for (const [from, to, message] of [
        ['low: f32', 'low: u32', "breaking: floats.Thermal.limits request: 'low' changed from f32 to u32"],
        ['low: f32', 'low: f64', "breaking: floats.Thermal.limits request: 'low' changed from f32 to f64"],
        ['scale: f64', 'scale: u64', "breaking: floats.Thermal.limits request: 'scale' changed from f64 to u64"]
    ]) {
        test(`${from} -> ${to} is breaking`, async () => {
            const changed = path.join(directory, `${to.replace(/\W/g, '')}.uk`);
            writeFileSync(changed, source.replace(from, to));
            const run = await runUkc(['diff', `${FIXTURES}/floats.uk`, changed]);
            expect(run.stdout.split('\n')).toContain(message);
            expect(run.code).toBe(1);
        });
    }
});
