/**
 * One mistake, one diagnostic (issue 16): a syntax error is reported once, without what the recovering
 * parser's guesses lead to; and folding ranges come once per span of lines.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range, ROOT } from './lsp-client.js';

/** kv.uk, out of package kv so that its copies here do not clash with the workspace's kv.uk. */
const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8').replace('package kv\n', '// package kv\n');

let client: LspClient;
beforeAll(async () => { client = await LspClient.start({ files: { 'kv.uk': KV } }); });
afterAll(() => client.stop());

describe('a syntax error is one diagnostic', () => {
    test("a missing ')' in an interface method: one error, no 'does not handle' for made-up methods", async () => {
        const text = KV.replace('get(key: Key) -> (status', 'get(key: Key -> (status');
        const published = await client.open('method.uk', text);
        expect(published.diagnostics.map(d => ({ message: d.message, range: d.range }))).toEqual([
            { message: "Expected ')', but found '->'.", range: range(11, 17, 11, 19) }
        ]);
    });

    test("a missing ')' in a call: one error", async () => {
        const text = KV.replace('print("ping -> {}", store.ping(41))', 'print("ping -> {}", store.ping(41)');
        const published = await client.open('call.uk', text);
        expect(published.diagnostics.map(d => ({ message: d.message, range: d.range }))).toEqual([
            { message: "Expected ')', but found 'var'.", range: range(75, 8, 75, 11) }
        ]);
    });

    test('the diagnostics come back whole once the mistake is mended', async () => {
        const mended = await client.change('call.uk', KV.replace('let slot = find(key)', 'let slot: bool = find(key)'));
        expect(mended.diagnostics.map(d => d.message)).toEqual([
            "The value of 'slot' must be bool, not u32.",
            'An index must be an integer, not bool.'
        ]);
    });
});

describe('folding', () => {
    test('one range per span of lines (a function and its body fold together)', async () => {
        await client.open('fold.uk', KV);
        const ranges = await client.about<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', 'fold.uk');
        expect(ranges.map(r => [r.startLine, r.endLine])).toEqual([
            [10, 15], [18, 60], [24, 28], [25, 26], [31, 34], [37, 48], [40, 42], [53, 57], [63, 81], [66, 80], [67, 69], [84, 87]
        ]);
    });
});
