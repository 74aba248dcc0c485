/** Signature help through the protocol: calls through capabilities and helper functions, as they are typed. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, ROOT } from './lsp-client.js';

/** kv.uk, out of package kv so that its copies here do not clash with the workspace's kv.uk. */
const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8').replace('package kv\n', '// package kv\n');

interface Help {
    signatures: { label: string; parameters: { label: [number, number] }[]; documentation?: { kind: string; value: string } }[];
    activeSignature: number;
    activeParameter: number;
}

let client: LspClient;
beforeAll(async () => { client = await LspClient.start({ files: { 'kv.uk': KV } }); });
afterAll(() => client.stop());

/** Opens a copy of kv.uk with `typed` inserted after `anchor`, and asks for signature help at the end of `typed`. */
async function helpAfter(name: string, anchor: string, typed: string, trigger?: string): Promise<Help | null> {
    const text = KV.replace(anchor, anchor + typed);
    await client.open(name, text);
    const position = positionOf(text, anchor + typed, (anchor + typed).length);
    const context = trigger ? { triggerKind: 2, triggerCharacter: trigger, isRetrigger: false } : { triggerKind: 1, isRetrigger: false };
    return client.at<Help | null>('textDocument/signatureHelp', name, position, { context });
}

const PUT = {
    label: 'put(key: Key, value: u32, flags: PutFlags) -> Status raises StoreError',
    parameters: [{ label: [4, 12] }, { label: [14, 24] }, { label: [26, 41] }]
};

describe('signature help', () => {
    test('( and , trigger it', () => {
        expect(client.initializeResult?.capabilities.signatureHelpProvider).toEqual({ triggerCharacters: ['(', ','], retriggerCharacters: [','] });
    });

    test('a call through a capability, at its first argument', async () => {
        expect(await helpAfter('open.uk', 'store.flush()\n', '        let q = store.put(', '(')).toEqual({ signatures: [PUT], activeSignature: 0, activeParameter: 0 });
    });

    test('after a comma the next parameter is active; commas inside a struct literal do not count', async () => {
        expect(await helpAfter('comma.uk', 'store.flush()\n', '        let q = store.put(Key { hi: 1, lo: 2 }, ', ',')).toEqual({ signatures: [PUT], activeSignature: 0, activeParameter: 1 });
        expect(await helpAfter('inner.uk', 'store.flush()\n', '        let q = store.put(Key { hi: 1, lo: 2 }, 4, PutFlags { create: 1,', ',')).toEqual({ signatures: [PUT], activeSignature: 0, activeParameter: 2 });
    });

    test('named results and bulk data as written', async () => {
        const help = await helpAfter('read.uk', 'store.flush()\n', '        let n = store.read(');
        expect(help?.signatures[0]).toEqual({
            label: 'read(key: Key, into: lease out bytes[256]) -> (len: u16)',
            parameters: [{ label: [5, 13] }, { label: [15, 41] }]
        });
    });

    test('a helper function, with its doc comment', async () => {
        const documented = KV.replace('    fn find(', '    /** The slot of `key`, or CAPACITY. */\n    fn find(');
        const text = documented.replace('let slot = find(key)\n', 'let slot = find(key)\n        let again = find(');
        await client.open('helper.uk', text);
        const help = await client.at<Help>('textDocument/signatureHelp', 'helper.uk', positionOf(text, 'let again = find(', 17));
        expect(help).toEqual({
            signatures: [{ label: 'find(key: Key) -> u32', parameters: [{ label: [5, 13] }], documentation: { kind: 'markdown', value: 'The slot of `key`, or CAPACITY.' } }],
            activeSignature: 0,
            activeParameter: 0
        });
    });

    test('nothing outside a call, after a closed call, or in a call of something that is not callable', async () => {
        expect(await helpAfter('none.uk', 'store.flush()\n', '        let a = 1 + ')).toBeNull();
        expect(await helpAfter('closed.uk', 'store.flush()\n', '        let a = store.ping(1) + ')).toBeNull();
        expect(await helpAfter('value.uk', 'store.flush()\n', '        let a = (1 + ')).toBeNull();
    });
});
