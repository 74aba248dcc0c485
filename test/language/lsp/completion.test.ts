/** Completion through the protocol: after `.` (a trigger character) by the type of what comes before it. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, ROOT } from './lsp-client.js';

/** kv.uk, out of package kv so that its copies here do not clash with the workspace's kv.uk. */
const KV = readFileSync(path.join(ROOT, 'examples/kv-store/kv.uk'), 'utf8').replace('package kv\n', '// package kv\n');
/** The same store with struct keys, for a struct value. */
const KV_STRUCT_KEYS = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8').replace('package kv\n', '// package kv\n');

interface Item { label: string; kind: number; detail?: string }

let client: LspClient;
beforeAll(async () => { client = await LspClient.start({ files: { 'kv.uk': KV } }); });
afterAll(() => client.stop());

/** Opens a copy of kv.uk with `typed` inserted after `anchor`, and completes at the end of `typed`. */
async function completeAfter(name: string, anchor: string, typed: string, source = KV): Promise<Item[]> {
    const text = source.replace(anchor, anchor + typed);
    await client.open(name, text);
    const position = positionOf(text, anchor + typed, (anchor + typed).length);
    const list = await client.at<{ items: Item[] }>('textDocument/completion', name, position, { context: { triggerKind: 2, triggerCharacter: '.' } });
    return list.items.map(item => ({ label: item.label, kind: item.kind, detail: item.detail }));
}

describe('completion after a dot', () => {
    test('. is a trigger character', () => {
        expect(client.initializeResult?.capabilities.completionProvider).toMatchObject({ triggerCharacters: ['.'] });
    });

    test('a struct value: its fields with their types', async () => {
        expect(await completeAfter('struct.uk', 'let slot = find(key)\n', '        let k = key.', KV_STRUCT_KEYS)).toEqual([
            { label: 'hi', kind: 5, detail: 'u32' }, { label: 'lo', kind: 5, detail: 'u16' }
        ]);
    });

    test('an enum: its members', async () => {
        expect(await completeAfter('enum.uk', 'if let slot = find(key) {\n', '        let s = Status.')).toEqual([
            { label: 'Ok', kind: 20, detail: 'Status' }, { label: 'NotFound', kind: 20, detail: 'Status' }
        ]);
    });

    test('a bitfield value: its fields with their widths', async () => {
        expect(await completeAfter('bitfield.uk', 'if readOnly { raise StoreError.ReadOnly }\n', '        let c = flags.')).toEqual([
            { label: 'create', kind: 5, detail: '1 bit' }, { label: 'overwrite', kind: 5, detail: '1 bit' }, { label: 'ttl', kind: 5, detail: '4 bits' }
        ]);
    });

    test('a capability: the methods of its interface', async () => {
        const items = await completeAfter('capability.uk', 'store.flush()\n', '        store.');
        expect(items.map(item => item.label)).toEqual(['get', 'put', 'flush', 'read', 'ping']);
        expect(items[0]).toEqual({ label: 'get', kind: 2, detail: 'KeyValue.get' });
    });

    test('a partly typed member still completes from the dot', async () => {
        const items = await completeAfter('partial.uk', 'store.flush()\n', '        let x = store.pi');
        expect(items.map(item => item.label)).toEqual(['get', 'put', 'flush', 'read', 'ping']);
    });

    test('connect: the ports of the instance', async () => {
        expect(await completeAfter('connect.uk', 'connect shell.store -> store badge 1\n', '    connect shell.')).toEqual([
            { label: 'store', kind: 8, detail: 'uses KeyValue' }
        ]);
    });

    test('connect: the ports of the target instance after ->', async () => {
        expect(await completeAfter('target.uk', 'connect shell.store -> store badge 1\n', '    connect shell.store -> shell.')).toEqual([
            { label: 'store', kind: 8, detail: 'uses KeyValue' }
        ]);
    });

    test('a value with no members offers nothing rather than every name', async () => {
        expect(await completeAfter('number.uk', 'if let slot = find(key) {\n', '        let z = slot.')).toEqual([]);
    });
});
