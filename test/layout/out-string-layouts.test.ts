/**
 * `out` and `inout` strings and vecs: golden tables, checked by hand against docs/ABI.md ("Strings and
 * vecs"): inline ones travel in the reply's words after the results (and `inout` ones in the request's
 * too), bulk ones keep their offset and length in the request and send their new length back in the
 * reply. `ukc diff` calls a change of direction breaking, also where no word moves.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURES = 'test/fixtures/layout';

describe('golden layout tables of out and inout strings and vecs', () => {
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `out-strings.${profile}.txt`), 'utf8');
            const run = await runUkc(['layout', '--abi', profile, `${FIXTURES}/out-strings.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }

    test('the JSON layout lists an inline out string among the reply\'s strings, and a shared one as out bulk data', async () => {
        const run = await runUkc(['layout', '--json', `${FIXTURES}/out-strings.uk`]);
        const report = JSON.parse(run.stdout) as { interfaces: { methods: { name: string; request: Record<string, unknown>; reply: Record<string, unknown> }[] }[] };
        const [lookup, , dump] = report.interfaces[0].methods;
        expect(lookup.request.counted).toBeUndefined();
        expect(lookup.reply.counted).toEqual([{ kind: 'string', capacity: 10, path: 'name' }]);
        expect(dump.request.bulk).toEqual([
            { kind: 'bulk', path: 'body', bytes: 200, transfer: 'shared', direction: 'out', counts: { kind: 'string', capacity: 200 } },
            {
                kind: 'bulk', path: 'points', bytes: 32, transfer: 'shared', direction: 'inout', counts: { kind: 'vec', capacity: 4 },
                elements: [{ path: '.x', type: { kind: 'int', signed: false, bits: 8 } }, { path: '.y', type: { kind: 'int', signed: true, bits: 16 } }]
            }
        ]);
        expect(dump.reply.bulk).toEqual([]);
    });
});

describe('ukc diff and the direction of strings and vecs', () => {
    const source = readFileSync(path.join(ROOT, FIXTURES, 'out-strings.uk'), 'utf8');
    const directory = mkdtempSync(path.join(tmpdir(), 'ukc-outs-'));
    const diff = async (from: string, to: string) => {
        const changed = path.join(directory, `${to.replace(/\W/g, '')}.uk`);
        writeFileSync(changed, source.replace(from, to));
        return runUkc(['diff', `${FIXTURES}/out-strings.uk`, changed]);
    };

    test('a shared string from out to in breaks though no word moves', async () => {
        const run = await diff('body: out string[200]', 'body: string[200]');
        expect(run.stdout.split('\n').filter(line => line.startsWith('breaking'))).toEqual([
            "breaking: outs.Names.dump reply: 'points.length' moved from MR0 bits 24..26 to MR0 bits 16..18",
            "breaking: outs.Names.dump reply: 'body.length' was removed",
            "breaking: outs.Names.dump: 'body' changed direction from out to in"
        ]);
        expect(run.code).toBe(1);
    });

    test('a leased vec from inout to out breaks with the direction alone', async () => {
        const run = await diff('nums: lease inout vec[u32; 20]', 'nums: lease out vec[u32; 20]');
        expect(run.stdout.split('\n').filter(line => line.startsWith('breaking'))).toEqual([
            "breaking: outs.Names.page: 'nums' changed direction from inout to out"
        ]);
        expect(run.code).toBe(1);
    });

    test('an inline out string becoming inout breaks: the request now carries it', async () => {
        const run = await diff('name: out string[10]', 'name: inout string[10]');
        expect(run.stdout.split('\n')).toContain("breaking: outs.Names.lookup: 'name' changed direction from out to inout");
        expect(run.code).toBe(1);
    });

    test('an out string and a result of the same type and place are the same wire', async () => {
        const run = await diff('lookup(id: u16, name: out string[10]) -> bool', 'lookup(id: u16) -> (result: bool, name: string[10])');
        expect(run.stdout).toBe('');
        expect(run.stderr).toBe('0 breaking, 0 compatible changes on ukvm32\n');
        expect(run.code).toBe(0);
    });
});
