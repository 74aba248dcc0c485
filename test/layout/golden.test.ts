/**
 * Golden layout tables: one interface with every kind of field, laid out for the bundled machine and two
 * seL4 profiles (64-bit words; 32-bit words with only two fast registers). The expected files were read
 * and checked by hand against the algorithm in docs/ABI.md; a change here is a wire-format change.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURES = 'test/fixtures/layout';
const layoutText = (args: string[]) => runUkc(['layout', ...args]);

describe('golden layout tables', () => {
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `golden.${profile}.txt`), 'utf8');
            const run = await layoutText(['--abi', profile, `${FIXTURES}/golden.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }

    test('one method on its own', async () => {
        const run = await layoutText(['--method', 'Everything.pinned', `${FIXTURES}/golden.uk`]);
        expect(run.stdout).toBe([
            'interface golden.Everything on ukvm32 (32-bit words, 4 fast registers a2 a3 a4 a5; shared region 4096 bytes)',
            '',
            'pinned  ordinal 40',
            '  request  label 40, 2 words in registers, fastpath',
            '    MR0     a2      0..31   word: u32  (pinned)',
            '    MR1     a3      0..7    free: u8',
            '    MR1     a3      8..15   code: u8  (pinned)',
            '  reply    label 0, 1 word in registers, fastpath',
            '    MR0     a2      24..31  echo: u8  (pinned)',
            ''
        ].join('\n'));
    });

    test('JSON carries placements, labels, fastpath verdicts and the summary', async () => {
        const run = await layoutText(['--json', '--method', 'Everything.caps', `${FIXTURES}/golden.uk`]);
        const report = JSON.parse(run.stdout) as { profile: { name: string }; interfaces: { name: string; methods: { request: unknown }[]; summary: unknown }[] };
        expect(report.profile.name).toBe('ukvm32');
        expect(report.interfaces.map(iface => iface.name)).toEqual(['golden.Everything']);
        expect(report.interfaces[0].methods[0].request).toEqual({
            kind: 'request', label: 6,
            scalars: [{ kind: 'scalar', path: 'tag', type: { kind: 'int', signed: false, bits: 8 }, placement: { word: 0, lo: 0, bits: 8 }, pinned: false }],
            bulk: [],
            caps: [
                { kind: 'cap', path: 'peer', capType: 'endpoint<Peer>', capIndex: 0 },
                { kind: 'cap', path: 'ready', capType: 'notification', capIndex: 1 }
            ],
            words: 1, registerWords: 1, memoryWords: 0, extraCaps: 2, fastpath: false,
            slowpathReasons: ['carries 2 capabilities; the ukvm32 fastpath takes at most 1']
        });
        expect(report.interfaces[0].summary).toEqual({ methods: 11, registerOnly: 7, spilling: 4, memoryWords: 5 });
    });

    test('bad arguments: unknown profile, unknown method, a file without interfaces', async () => {
        expect(await layoutText(['--abi', 'sel5', `${FIXTURES}/golden.uk`])).toEqual({
            code: 2, stdout: '', stderr: "ukc: unknown ABI profile 'sel5'; profiles: ukvm32, sel4-riscv64, sel4-aarch64, sel4-x86_64, sel4-ia32\n"
        });
        const unknown = await layoutText(['--method', 'Everything.nope', `${FIXTURES}/golden.uk`]);
        expect(unknown.code).toBe(2);
        expect(unknown.stderr).toMatch(/^ukc: no method 'Everything.nope' in 'test\/fixtures\/layout\/golden.uk'; methods: Peer.hello, Everything.scalars, /);
        expect(await layoutText(['test/fixtures/broken/syntax.uk'])).toEqual({
            code: 1, stdout: '', stderr: "test/fixtures/broken/syntax.uk:2:30: error: Expected '}', but found the end of the file.\n"
        });
    });

    test('interfaces a file imports and uses are shown; a lock holds only the file\'s own', async () => {
        const run = await layoutText(['--method', 'Sink.drain', 'examples/pipeline/pipeline.uk']);
        expect(run).toEqual({
            code: 0, stderr: '', stdout: [
                'interface pipeline.Sink on ukvm32 (32-bit words, 4 fast registers a2 a3 a4 a5)',
                '',
                'oneway drain  ordinal 2',
                '  request  label 2, no words, fastpath',
                '  reply    none (oneway)',
                ''
            ].join('\n')
        });
        expect(await layoutText(['--lock', 'examples/pipeline/pipeline.uk'])).toEqual({
            code: 2, stdout: '', stderr: "ukc: 'examples/pipeline/pipeline.uk' declares no interfaces\n"
        });
    });
});
