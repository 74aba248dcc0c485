/**
 * Inlay hints through the protocol: after each argument and result of a method, where it travels on the
 * workspace's ABI profile, as the layout service placed it; `ukc.inlayHints.enabled` turns them off.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, range, ROOT, type Position } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8');
const WIDE = [
    'interface Wide {',
    '    big(a: u64, b: u64, c: u64, d: [u32; 3]) -> u32',
    '    data(buf: bytes[64], sh: shared in bytes[4096], small: inline bytes[8]) -> (n: u16, ok: bool)',
    '    give(ep: endpoint<Wide>) -> (e: endpoint<Wide>)',
    '}',
    ''
].join('\n');

interface Hint { position: Position; label: string; paddingLeft?: boolean; tooltip?: string }

const WHOLE = range(0, 0, 200, 0);

/** Where the hint after `declaration` (its `occurrence`-th appearance in `text`) goes, and its label. */
function after(text: string, declaration: string, label: string, occurrence = 0): [Position, string] {
    return [positionOf(text, declaration, declaration.length, occurrence), label];
}

async function hints(client: LspClient, name: string, within = WHOLE): Promise<[Position, string][]> {
    const answer = await client.about<Hint[]>('textDocument/inlayHint', name, { range: within });
    return answer.map(hint => [hint.position, hint.label]);
}

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start({ files: { 'kv.uk': KV }, capabilities: { workspace: { inlayHint: { refreshSupport: true } } } });
    await client.open('kv.uk', KV);
    await client.open('wide.uk', WIDE);
});
afterAll(() => client.stop());

describe('inlay hints', () => {
    test('kv.uk on ukvm32: registers and bits of every argument and result, the lease\'s capability and length', async () => {
        expect(client.initializeResult?.capabilities.inlayHintProvider).toEqual({ resolveProvider: false });
        expect(await hints(client, 'kv.uk')).toEqual([
            after(KV, 'get(key: Key', 'MR0, MR1[0..15]'),
            after(KV, '(status: Status', 'MR1[0..7]'),
            after(KV, 'value: u32', 'MR0'),
            after(KV, 'put(key: Key', 'MR0, MR2[0..15]'),
            after(KV, 'value: u32', 'MR1', 1),
            after(KV, 'flags: PutFlags', 'MR2[16..23]'),
            after(KV, '-> Status', 'MR0[0..7]'),
            after(KV, 'read(key: Key', 'MR0, MR1[0..15]'),
            after(KV, 'into: lease out bytes[256]', 'lease cap 0, length MR1[16..24]'),
            after(KV, 'len: u16', 'MR0[0..15]'),
            after(KV, 'tag: u8', 'MR0[0..7]'),
            after(KV, ') -> u8', 'MR0[0..7]')
        ]);
        const [first] = await client.about<Hint[]>('textDocument/inlayHint', 'kv.uk', { range: WHOLE });
        expect(first).toMatchObject({ paddingLeft: true, tooltip: 'request of KeyValue.get on ukvm32' });
    });

    test('words in the IPC buffer, shared and inline bulk data, capabilities', async () => {
        expect(await hints(client, 'wide.uk')).toEqual([
            after(WIDE, 'a: u64', 'MR0-MR1'),
            after(WIDE, 'b: u64', 'MR2-MR3'),
            after(WIDE, 'c: u64', 'buf[4-5]'),
            after(WIDE, 'd: [u32; 3]', 'buf[6-8]'),
            after(WIDE, '-> u32', 'MR0'),
            after(WIDE, 'buf: bytes[64]', 'shared, offset MR0[0..12], length MR1[13..19]'),
            after(WIDE, 'sh: shared in bytes[4096]', 'shared, offset MR0[13..25], length MR1[0..12]'),
            after(WIDE, 'small: inline bytes[8]', 'inline MR2-MR3'),
            after(WIDE, 'n: u16', 'MR0[0..15]'),
            after(WIDE, 'ok: bool', 'MR0[16]'),
            after(WIDE, 'ep: endpoint<Wide>', 'cap 0'),
            after(WIDE, 'e: endpoint<Wide>', 'cap 0')
        ]);
    });

    test('an out or inout string, vec or inline buffer also shows where it comes back in the reply', async () => {
        const text = [
            'interface Outs {',
            '    get(id: u8, name: out string[8], tags: inout vec[u8; 2], big: shared inout string[100], raw: inline out bytes[4]) -> bool',
            '}',
            ''
        ].join('\n');
        await client.open('outs.uk', text);
        expect(await hints(client, 'outs.uk')).toEqual([
            after(text, 'id: u8', 'MR0[12..19]'),
            after(text, 'tags: inout vec[u8; 2]', 'MR0[20..27], MR0[28..29], MR1[0..7]'),
            after(text, 'big: shared inout string[100]', 'shared, offset MR0[0..11], length MR1[8..14]'),
            after(text, '-> bool', 'MR2[29]'),
            after(text, 'name: out string[8]', 'back MR0, MR1, MR2[23..26]'),
            after(text, 'tags: inout vec[u8; 2]', 'back MR2[0..7], MR2[8..15], MR2[27..28]'),
            after(text, 'big: shared inout string[100]', 'back MR2[16..22]'),
            after(text, 'raw: inline out bytes[4]', 'back inline MR3')
        ]);
    });

    test('a range: only the methods in it', async () => {
        expect(await hints(client, 'wide.uk', range(3, 0, 3, 10))).toEqual([
            after(WIDE, 'ep: endpoint<Wide>', 'cap 0'),
            after(WIDE, 'e: endpoint<Wide>', 'cap 0')
        ]);
    });

    test('the settings: off, then on for another ABI profile; the client is asked to refresh each time', async () => {
        await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { ukc: { inlayHints: { enabled: false } } } });
        expect(await hints(client, 'wide.uk')).toEqual([]);
        await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { ukc: { inlayHints: { enabled: true }, layout: { abiProfile: 'sel4-aarch64' } } } });
        expect((await hints(client, 'wide.uk', range(1, 0, 1, 10)))).toEqual([
            after(WIDE, 'a: u64', 'MR0'),
            after(WIDE, 'b: u64', 'MR1'),
            after(WIDE, 'c: u64', 'MR2'),
            after(WIDE, 'd: [u32; 3]', 'MR3[0..31], MR3[32..63], buf[4][0..31]'),
            after(WIDE, '-> u32', 'MR0[0..31]')
        ]);
        expect(client.inlayHintRefreshes).toBe(2);
    });

    test('a client whose configuration turns them off gets none', async () => {
        const quiet = await LspClient.start({ capabilities: { workspace: { configuration: true } }, settings: { ukc: { inlayHints: { enabled: false } } } });
        try {
            await quiet.open('wide.uk', WIDE);
            expect(await hints(quiet, 'wide.uk')).toEqual([]);
        } finally {
            await quiet.stop();
        }
    });
});

describe('capabilities inside structs and arrays', () => {
    test('a struct argument shows its scalars\' bits and its capabilities\' slots; an array its capabilities', async () => {
        const text = readFileSync(path.join(ROOT, 'test/fixtures/layout/capabilities.uk'), 'utf8');
        const own = await LspClient.start({ files: { 'capabilities.uk': text } });
        try {
            await own.open('capabilities.uk', text);
            const shown = await hints(own, 'capabilities.uk');
            expect(shown.filter(([, label]) => label.includes('cap'))).toEqual([
                after(text, 'meet(team: Team', 'MR0[16..23], cap 0, cap 1'),
                after(text, 'greeters: [endpoint<Greeter>; 3]', 'cap 0, cap 1, cap 2'),
                after(text, 'nested(wiring: Wiring', 'MR0[0..7], cap 0, cap 1, cap 2'),
                after(text, 'back: [endpoint<Greeter>; 2]', 'cap 0, cap 1'),
                after(text, 'mixed(first: notification', 'cap 0'),
                after(text, 'pair: [Team; 1]', 'MR1[0..7], cap 1, cap 2'),
                after(text, 'page: lease in bytes[64]', 'lease cap 0, length MR0[8..14]'),
                after(text, 'who: [endpoint<Greeter>; 1]', 'cap 1'),
                after(text, 'src: lease in bytes[512]', 'lease cap 0, length MR1[0..9]'),
                after(text, 'dst: lease out bytes[4096]', 'lease cap 1, length MR0[16..28]')
            ]);
        } finally {
            await own.stop();
        }
    });
});
