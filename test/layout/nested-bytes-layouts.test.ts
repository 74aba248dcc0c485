/**
 * Byte buffers inside structs, arrays and vecs: golden tables, checked by hand against docs/ABI.md ("Byte
 * buffers inside structs, arrays and vecs"): a buffer is its bytes four to a word in its container's
 * words, the last word only as wide as its bytes, placed by the rules like any field; a vec of them takes
 * the transport its size gives it. `ukc diff` calls every change of a nested buffer's capacity breaking,
 * in the message's words and inside a vec sent as bulk data.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURES = 'test/fixtures/layout';

describe('golden layout tables of byte buffers inside structs, arrays and vecs', () => {
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `nested-bytes.${profile}.txt`), 'utf8');
            const run = await runUkc(['layout', '--abi', profile, `${FIXTURES}/nested-bytes.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }

    test('the JSON layout lists each buffer among the counted values, and a bulk vec\'s element leaves', async () => {
        const run = await runUkc(['layout', '--json', `${FIXTURES}/nested-bytes.uk`]);
        const report = JSON.parse(run.stdout) as { interfaces: { methods: { name: string; request: Record<string, unknown>; reply: Record<string, unknown> }[] }[] };
        const [put, , swap, big] = report.interfaces[0].methods;
        expect(put.request.counted).toEqual([{ kind: 'bytes', capacity: 6, path: 'e.data' }, { kind: 'bytes', capacity: 1, path: 'tag.mark' }]);
        expect(swap.reply.counted).toEqual([
            { kind: 'vec', capacity: 2, path: 'b', elementLeaves: ['#0', '#1'] },
            { kind: 'bytes', capacity: 5, path: 'b[0]' },
            { kind: 'bytes', capacity: 5, path: 'b[1]' }
        ]);
        const u32 = { kind: 'int', signed: false, bits: 32 };
        expect(big.request.bulk).toEqual([
            { kind: 'bulk', path: 'b', bytes: 512, transfer: 'shared', direction: 'in', counts: { kind: 'vec', capacity: 8 }, elements: Array.from({ length: 16 }, (_, i) => ({ path: `#${i}`, type: u32 })) },
            {
                kind: 'bulk', path: 'entries', bytes: 48, transfer: 'lease', direction: 'out', capIndex: 0, counts: { kind: 'vec', capacity: 4 },
                elements: [{ path: '.key', type: u32 }, { path: '.data#0', type: u32 }, { path: '.data#1', type: { kind: 'int', signed: false, bits: 16 } }]
            }
        ]);
    });
});

describe('ukc diff and nested byte buffers', () => {
    const source = readFileSync(path.join(ROOT, FIXTURES, 'nested-bytes.uk'), 'utf8');
    const directory = mkdtempSync(path.join(tmpdir(), 'ukc-nested-'));
    const diff = async (from: string, to: string) => {
        const changed = path.join(directory, `${to.replace(/\W/g, '')}.uk`);
        writeFileSync(changed, source.replace(from, to));
        return runUkc(['diff', `${FIXTURES}/nested-bytes.uk`, changed]);
    };
    const breaking = (stdout: string) => stdout.split('\n').filter(line => line.startsWith('breaking'));

    test('a struct\'s buffer that grows breaks where it travels, in the request and in the reply', async () => {
        const run = await diff('key: u32, data: bytes[6]', 'key: u32, data: bytes[7]');
        expect(breaking(run.stdout)).toEqual([
            "breaking: nested.Store.put request: 'e.data' changed from bytes[6] to bytes[7]; a buffer always holds all its bytes, so the two sides would disagree on how many",
            "breaking: nested.Store.put request: 'e.data#1' changed from u16 to u24",
            "breaking: nested.Store.put request: 'tag.id' moved from MR2 bits 16..23 to MR2 bits 24..31",
            "breaking: nested.Store.put request: 'tag.mark#0' moved from MR2 bits 24..31 to MR3 bits 0..7",
            "breaking: nested.Store.rows reply: 'e.data' changed from bytes[6] to bytes[7]; a buffer always holds all its bytes, so the two sides would disagree on how many",
            "breaking: nested.Store.rows reply: 'e.data#1' changed from u16 to u24",
            "breaking: nested.Store.big request: the elements of 'entries' changed: word 2 was 'entries[i].data#1: u16', now 'entries[i].data#1: u24'"
        ]);
        expect(run.code).toBe(1);
    });

    test('a buffer in a fixed array that shrinks within its word still breaks', async () => {
        const run = await diff('rows(r: [bytes[3]; 2])', 'rows(r: [bytes[2]; 2])');
        expect(breaking(run.stdout)).toEqual([
            "breaking: nested.Store.rows request: 'r[0]' changed from bytes[3] to bytes[2]; a buffer always holds all its bytes, so the two sides would disagree on how many",
            "breaking: nested.Store.rows request: 'r[1]' changed from bytes[3] to bytes[2]; a buffer always holds all its bytes, so the two sides would disagree on how many",
            "breaking: nested.Store.rows request: 'r[0]#0' changed from u24 to u16",
            "breaking: nested.Store.rows request: 'r[1]#0' changed from u24 to u16"
        ]);
        expect(run.code).toBe(1);
    });

    test('a vec\'s buffers in the shared region one byte shorter: the same 512 bytes, but breaking', async () => {
        const run = await diff('big(b: vec[bytes[64]; 8]', 'big(b: vec[bytes[63]; 8]');
        expect(run.stdout).toBe("breaking: nested.Store.big request: the elements of 'b' changed: word 15 was 'b[i]#15: u32', now 'b[i]#15: u24'\n");
        expect(run.code).toBe(1);
    });

    test('a vec\'s buffers a word shorter: fewer words each, and fewer bytes', async () => {
        const run = await diff('big(b: vec[bytes[64]; 8]', 'big(b: vec[bytes[60]; 8]');
        expect(breaking(run.stdout)).toEqual([
            "breaking: nested.Store.big request: the elements of 'b' changed: 16 words each, now 15",
            'breaking: nested.Store.big request: bulk data changed from (shared 512, lease 48) to (shared 480, lease 48)'
        ]);
    });
});
