/**
 * Code actions about layouts, through the protocol: freezing an interface's (or a method's) current layout
 * with `@ordinal` and `@mr` pins, and writing the layout lock `ukc layout FILE --lock` writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runUkc, temporaryFolders } from '../../cli/run-ukc.js';
import { LspClient, positionOf, range, ROOT, type Position, type Range } from './lsp-client.js';

/** kv.uk, out of package kv so that its copies here do not clash with each other. */
const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8').replace('package kv\n', '// package kv\n');
const folder = temporaryFolders('ukc-layout-actions-');

interface TextEdit { range: Range; newText: string }
interface Action {
    title: string;
    kind: string;
    edit: {
        changes?: Record<string, TextEdit[]>;
        documentChanges?: ({ kind: 'create'; uri: string; options?: { overwrite?: boolean } } | { textDocument: { uri: string; version: null }; edits: TextEdit[] })[];
    };
}

let client: LspClient;
beforeAll(async () => { client = await LspClient.start({ files: { 'kv.uk': KV, 'kv.uk.lock': 'an old lock\n' } }); });
afterAll(() => client.stop());

async function actionsAt(name: string, at: Position, only?: string[]): Promise<Action[]> {
    return client.about<Action[]>('textDocument/codeAction', name, { range: { start: at, end: at }, context: { diagnostics: [], ...(only ? { only } : {}) } });
}

function apply(text: string, edits: readonly TextEdit[]): string {
    const lines = text.split('\n');
    const offset = (position: Position): number => lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
    return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))
        .reduce((result, edit) => result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end)), text);
}

/** `ukc` run on files written into a new folder. */
async function ukcIn(files: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; stderr: string; dir: string }> {
    const dir = folder();
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return { ...await runUkc(args, dir), dir };
}

const FROZEN_INTERFACE = `interface KeyValue {
    @ordinal(1) get(key: Key) -> (@mr(1, 0..7) status: Status, @mr(0) value: u32)
    @ordinal(2) put(key: Key, @mr(1) value: u32, @mr(2, 16..23) flags: PutFlags) -> Status raises StoreError
    @ordinal(3) oneway flush()
    @ordinal(7) read(key: Key, into: lease out bytes[256]) -> (@mr(0, 0..15) len: u16)
    @ordinal(4) ping(@mr(0, 0..7) tag: u8) -> u8
}`;

describe('freeze the layout', () => {
    test('on an interface: every ordinal and every unpinned scalar, where they are now', async () => {
        await client.open('freeze.uk', KV);
        const actions = await actionsAt('freeze.uk', positionOf(KV, 'KeyValue {'), ['refactor']);
        const uri = client.uri('freeze.uk');
        expect(actions).toEqual([{
            title: 'Freeze the layout of KeyValue on ukvm32 (ordinals and pins)',
            kind: 'refactor.rewrite',
            edit: { changes: { [uri]: [
                { range: range(11, 4, 11, 4), newText: '@ordinal(1) ' },
                { range: range(11, 22, 11, 22), newText: '@mr(1, 0..7) ' },
                { range: range(11, 38, 11, 38), newText: '@mr(0) ' },
                { range: range(12, 4, 12, 4), newText: '@ordinal(2) ' },
                { range: range(12, 18, 12, 18), newText: '@mr(1) ' },
                { range: range(12, 30, 12, 30), newText: '@mr(2, 16..23) ' },
                { range: range(13, 4, 13, 4), newText: '@ordinal(3) ' },
                { range: range(14, 63, 14, 63), newText: '@mr(0, 0..15) ' },
                { range: range(15, 4, 15, 4), newText: '@ordinal(4) ' }
            ] } }
        }]);
        const frozen = apply(KV, actions[0].edit.changes?.[uri] ?? []);
        expect(frozen).toContain(FROZEN_INTERFACE);
        // The frozen file checks clean and lays out exactly as before.
        expect((await client.change('freeze.uk', frozen)).diagnostics).toEqual([]);
        const diff = await ukcIn({ 'before.uk': KV, 'after.uk': frozen }, ['diff', 'before.uk', 'after.uk']);
        expect([diff.code, diff.stdout, diff.stderr]).toEqual([0, '', '0 breaking, 0 compatible changes on ukvm32\n']);
        // Nothing is left to freeze.
        expect(await actionsAt('freeze.uk', positionOf(frozen, 'KeyValue {'), ['refactor'])).toEqual([]);
    });

    test('on a method: that method alone', async () => {
        await client.open('method.uk', KV);
        const actions = await actionsAt('method.uk', positionOf(KV, 'put(key', 1), ['refactor']);
        expect(actions.map(action => [action.title, action.edit.changes?.[client.uri('method.uk')]])).toEqual([
            ['Freeze the layout of KeyValue.put on ukvm32 (ordinals and pins)', [
                { range: range(12, 4, 12, 4), newText: '@ordinal(2) ' },
                { range: range(12, 18, 12, 18), newText: '@mr(1) ' },
                { range: range(12, 30, 12, 30), newText: '@mr(2, 16..23) ' }
            ]]
        ]);
    });

    test('outside interfaces, or in a file with errors: none', async () => {
        await client.open('outside.uk', KV);
        expect(await actionsAt('outside.uk', positionOf(KV, 'server Store'), ['refactor'])).toEqual([]);
        const broken = KV.replace('let slot = find(key)', 'let slot: bool = find(key)');
        await client.open('errors.uk', broken);
        expect(await actionsAt('errors.uk', positionOf(broken, 'KeyValue {'))).toEqual([]);
    });
});

describe('create a layout lock', () => {
    test('a new lock: a CreateFile and the text ukc layout --lock writes', async () => {
        await client.open('fresh.uk', KV);
        const actions = await actionsAt('fresh.uk', { line: 0, character: 0 }, ['source']);
        const lockUri = client.uri('fresh.uk.lock');
        const written = await ukcIn({ 'fresh.uk': KV }, ['layout', 'fresh.uk', '--lock']);
        expect(written.stdout).toBe('wrote fresh.uk.lock: 1 interface on ukvm32\n');
        expect(actions).toEqual([{
            title: 'Create layout lock fresh.uk.lock (ukvm32)',
            kind: 'source',
            edit: { documentChanges: [
                { kind: 'create', uri: lockUri },
                { textDocument: { uri: lockUri, version: null }, edits: [{ range: range(0, 0, 0, 0), newText: readFileSync(path.join(written.dir, 'fresh.uk.lock'), 'utf8') }] }
            ] }
        }]);
    });

    test('an existing lock is overwritten, with the title saying so', async () => {
        await client.open('kv.uk', KV);
        const actions = await actionsAt('kv.uk', { line: 0, character: 0 }, ['source']);
        expect(actions.map(action => [action.title, action.edit.documentChanges?.[0]])).toEqual([
            ['Update layout lock kv.uk.lock (ukvm32)', { kind: 'create', uri: client.uri('kv.uk.lock'), options: { overwrite: true } }]
        ]);
    });

    test('the lock is for the workspace\'s ABI profile (ukc.layout.abiProfile)', async () => {
        const riscv = await LspClient.start({ capabilities: { workspace: { configuration: true } }, settings: { ukc: { layout: { abiProfile: 'sel4-riscv64' } } } });
        try {
            await riscv.open('wide.uk', KV);
            const actions = await riscv.about<Action[]>('textDocument/codeAction', 'wide.uk', { range: range(0, 0, 0, 0), context: { diagnostics: [], only: ['source'] } });
            const written = await ukcIn({ 'wide.uk': KV }, ['layout', 'wide.uk', '--abi', 'sel4-riscv64', '--lock']);
            const insert = actions[0].edit.documentChanges?.[1];
            expect(actions[0].title).toBe('Create layout lock wide.uk.lock (sel4-riscv64)');
            expect(insert && 'edits' in insert ? insert.edits[0].newText : undefined).toBe(readFileSync(path.join(written.dir, 'wide.uk.lock'), 'utf8'));
        } finally {
            await riscv.stop();
        }
    });

    test('a file that declares no interface gets none', async () => {
        const text = 'const N = 1\n';
        await client.open('none.uk', text);
        expect(await actionsAt('none.uk', { line: 0, character: 0 })).toEqual([]);
    });
});
