/** The outline and workspace symbols through the protocol: declared things only, with their kinds, nested. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range, ROOT } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8');

interface Symbol { name: string; kind: number; range: unknown; selectionRange: unknown; children?: Symbol[] }

/** `name kind` with children indented, for a compact exact comparison. */
function outline(symbols: Symbol[], indent = ''): string[] {
    return symbols.flatMap(symbol => [`${indent}${symbol.name} ${symbol.kind}`, ...outline(symbol.children ?? [], indent + '  ')]);
}

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start({ files: { 'kv.uk': KV } });
    await client.open('kv.uk', KV);
});
afterAll(() => client.stop());

describe('document symbols', () => {
    test('kv.uk: declarations with their kinds and members, no parameters, locals, builtin types or annotations', async () => {
        const symbols = await client.about<Symbol[]>('textDocument/documentSymbol', 'kv.uk');
        expect(outline(symbols)).toEqual([
            'CAPACITY 14',
            'Status 10', '  Ok 22', '  NotFound 22',
            'StoreError 10', '  Full 22', '  ReadOnly 22',
            'PutFlags 23', '  create 8', '  overwrite 8', '  ttl 8',
            'Key 23', '  hi 8', '  lo 8',
            'KeyValue 11', '  get 6', '  put 6', '  flush 6', '  read 6', '  ping 6',
            'Store 5', '  keys 13', '  values 13', '  used 13', '  readOnly 13', '  find 12',
            '  on get 6', '  on put 6', '  on flush 6', '  on read 6', '  on ping 6',
            'Shell 5', '  store 11',
            'Demo 3', '  store 19', '  shell 19'
        ]);
        const store = symbols.find(symbol => symbol.name === 'Store');
        expect(store?.selectionRange).toEqual(range(18, 7, 18, 12));
        expect(store?.children?.find(child => child.name === 'on get')?.selectionRange).toEqual(range(31, 7, 31, 10));
    });
});

describe('workspace symbols', () => {
    test('find top-level declarations across the workspace with their kinds', async () => {
        const symbols = await client.connection.sendRequest('workspace/symbol', { query: 'KeyV' }) as { name: string; kind: number; location: { uri: string } }[];
        expect(symbols.map(symbol => [symbol.name, symbol.kind, symbol.location.uri])).toEqual([['KeyValue', 11, client.uri('kv.uk')]]);
    });
});
