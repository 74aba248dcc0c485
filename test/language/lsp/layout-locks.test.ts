/**
 * Layout locks in the language server, through the protocol: the server reads `FILE.uk.lock` as `ukc check`
 * does and publishes the changes that break it on the `.uk` file, at the method they are about, with
 * `ukc check`'s words; it checks again when the file is edited or the lock changes on disk.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runUkc, temporaryFolders } from '../../cli/run-ukc.js';
import { LspClient, range, ROOT, type Diagnostic, type PublishedDiagnostics } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8');
/** Breaking changes: `ping`'s argument moved, `flush` moved before `get` (renumbering three methods). */
const BROKEN = KV.replace('ping(@mr(0, 0..7) tag: u8) -> u8', 'ping(@mr(0, 8..15) tag: u8) -> u8')
    .replace('    get(key: Key) -> (status: Status, value: u32)\n', '    oneway flush()\n    get(key: Key) -> (status: Status, value: u32)\n')
    .replace('    oneway flush()\n    @ordinal(7)', '    @ordinal(7)');
const folder = temporaryFolders('ukc-lock-');

/** What `ukc layout kv.uk --lock` writes for `source`. */
async function lockFor(source: string): Promise<string> {
    const dir = folder();
    writeFileSync(path.join(dir, 'kv.uk'), source);
    expect((await runUkc(['layout', 'kv.uk', '--lock'], dir)).code).toBe(0);
    return readFileSync(path.join(dir, 'kv.uk.lock'), 'utf8');
}

/** `ukc check kv.uk` of `source` beside `lock`, run in their folder: `line:col: message` per diagnostic. */
async function checkLines(source: string, lock: string): Promise<string[]> {
    const dir = folder();
    writeFileSync(path.join(dir, 'kv.uk'), source);
    writeFileSync(path.join(dir, 'kv.uk.lock'), lock);
    const run = await runUkc(['check', 'kv.uk'], dir);
    return run.stdout.trim().split('\n').map(line => line.replace(/^kv\.uk:(\d+):(\d+): error: /, '$1:$2: '));
}

function asCheckLines(diagnostics: readonly Diagnostic[]): string[] {
    return diagnostics.map(diagnostic => `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}: ${diagnostic.message}`);
}

const LOCKED = 'breaks the layout locked in kv.uk.lock (ukvm32)';
let lock: string;
let client: LspClient;
beforeAll(async () => {
    lock = await lockFor(KV);
    client = await LspClient.start({ files: { 'kv.uk': KV, 'kv.uk.lock': lock } });
});
afterAll(() => client.stop());

/** Tells the server what changed on disk, as an editor's file watcher does. */
async function watched(name: string, type: 1 | 2 | 3): Promise<void> {
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(name), type }] });
}

describe('lock diagnostics', () => {
    test('a file that matches its lock has none', async () => {
        expect((await client.open('kv.uk', KV)).diagnostics).toEqual([]);
    });

    test('a breaking edit: one error per change at the method, in ukc check\'s words', async () => {
        const published = await client.change('kv.uk', BROKEN);
        expect(published.diagnostics.map(diagnostic => ({ range: diagnostic.range, code: diagnostic.code, severity: diagnostic.severity, message: diagnostic.message }))).toEqual([
            { range: range(11, 11, 11, 16), code: 'layout-lock', severity: 1, message: `${LOCKED}: kv.KeyValue.flush was renumbered from ordinal 3 to 1; pin it with @ordinal(3)` },
            { range: range(12, 4, 12, 7), code: 'layout-lock', severity: 1, message: `${LOCKED}: kv.KeyValue.get was renumbered from ordinal 1 to 2; pin it with @ordinal(1)` },
            { range: range(13, 4, 13, 7), code: 'layout-lock', severity: 1, message: `${LOCKED}: kv.KeyValue.put was renumbered from ordinal 2 to 3; pin it with @ordinal(2)` },
            { range: range(15, 4, 15, 8), code: 'layout-lock', severity: 1, message: `${LOCKED}: kv.KeyValue.ping request: 'tag' moved from MR0 bits 0..7 to MR0 bits 8..15` }
        ]);
        expect(asCheckLines(published.diagnostics)).toEqual(await checkLines(BROKEN, lock));
    });

    test('mending the edit clears them', async () => {
        expect((await client.change('kv.uk', KV)).diagnostics).toEqual([]);
        expect((await client.change('kv.uk', BROKEN)).diagnostics).toHaveLength(4);
    });

    test('a lock rewritten on disk is read again when the watcher reports it', async () => {
        writeFileSync(path.join(client.workspace, 'kv.uk.lock'), await lockFor(BROKEN));
        const cleared = client.diagnostics('kv.uk', value => value.diagnostics.length === 0);
        await watched('kv.uk.lock', 2);
        expect((await cleared).diagnostics).toEqual([]);
    });

    test('a lock that is not one: an error at the start of the lock file, none on the source', async () => {
        writeFileSync(path.join(client.workspace, 'kv.uk.lock'), '{ "format": "something-else" }\n');
        const onLock = client.diagnostics('kv.uk.lock', value => value.diagnostics.length > 0);
        await watched('kv.uk.lock', 2);
        const published: PublishedDiagnostics = await onLock;
        expect(published.diagnostics.map(diagnostic => [diagnostic.range, diagnostic.code, diagnostic.message])).toEqual([
            [range(0, 0, 0, 0), 'layout-lock', "not a ukc layout lock: its format is 'something-else'; this ukc reads 'ukc-layout-lock/1'"]
        ]);
        expect((await client.diagnostics('kv.uk')).diagnostics).toEqual([]);
    });

    test('a deleted lock: its diagnostics are cleared, and nothing is compared', async () => {
        rmSync(path.join(client.workspace, 'kv.uk.lock'));
        const cleared = client.diagnostics('kv.uk.lock', value => value.diagnostics.length === 0);
        await watched('kv.uk.lock', 3);
        expect((await cleared).diagnostics).toEqual([]);
        expect((await client.diagnostics('kv.uk')).diagnostics).toEqual([]);
    });

    test('a lock created on disk is compared from then on', async () => {
        writeFileSync(path.join(client.workspace, 'kv.uk.lock'), lock);
        const found = client.diagnostics('kv.uk', value => value.diagnostics.length > 0);
        await watched('kv.uk.lock', 1);
        expect((await found).diagnostics.map(diagnostic => diagnostic.message)[1]).toBe(`${LOCKED}: kv.KeyValue.get was renumbered from ordinal 1 to 2; pin it with @ordinal(1)`);
    });

    test('a file with errors is not compared (its layout means nothing yet)', async () => {
        const published = await client.change('kv.uk', BROKEN.replace('let slot = find(key)', 'let slot: bool = find(key)'));
        expect(published.diagnostics.map(diagnostic => diagnostic.code)).not.toContain('layout-lock');
    });
});
