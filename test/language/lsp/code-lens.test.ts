/** Code lenses through the protocol: Run | Debug | Trace on systems, fastpath counts and reasons on interfaces. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range, ROOT } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'examples/kv-store/kv.uk'), 'utf8');
const WIDE = 'interface Wide {\n    small(a: u32) -> u32\n    large(a: u64, b: u64, c: u64) -> u32\n    oneway many(a: u32, b: u32, c: u32, d: u32, e: u32)\n}\n';

interface Lens { range: unknown; command: { title: string; command: string; arguments?: unknown[] } }

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start({ files: { 'kv.uk': KV } });
    await client.open('kv.uk', KV);
    await client.open('wide.uk', WIDE);
});
afterAll(() => client.stop());

describe('code lens', () => {
    test('kv.uk: Run, Debug and Trace on the system with the extension\'s commands; all methods on the fastpath', async () => {
        const lenses = await client.about<Lens[]>('textDocument/codeLens', 'kv.uk');
        const uri = client.uri('kv.uk');
        expect(lenses).toEqual([
            { range: range(10, 10, 10, 18), command: { title: '5 of 5 methods register-only (fastpath)', command: '' } },
            { range: range(84, 7, 84, 11), command: { title: 'Run', command: 'ukc.runSystem', arguments: [uri, 'Demo'] } },
            { range: range(84, 7, 84, 11), command: { title: 'Debug', command: 'ukc.debugSystem', arguments: [uri, 'Demo'] } },
            { range: range(84, 7, 84, 11), command: { title: 'Trace', command: 'ukc.traceSystem', arguments: [uri, 'Demo'] } }
        ]);
    });

    test('an interface with methods off the fastpath: the count, and each such method\'s reason', async () => {
        const lenses = await client.about<Lens[]>('textDocument/codeLens', 'wide.uk');
        expect(lenses.map(lens => [lens.range, lens.command.title])).toEqual([
            [range(0, 10, 0, 14), '1 of 3 methods register-only (fastpath)'],
            [range(2, 4, 2, 9), 'slowpath: request 6 words, but only 4 travel in registers'],
            [range(3, 11, 3, 15), 'slowpath: request 5 words, but only 4 travel in registers']
        ]);
    });
});
