/**
 * The language server in a web worker: dist/language-server-browser.js started in a worker thread that
 * stands in for a browser's web worker (BrowserMessageReader/Writer over a message port, the workspace and
 * its layout lock in a MemoryFileSystem), and the stdio server (`ukc lsp --stdio`) over the same files.
 * Both answer alike: diagnostics (layout-lock findings included, which the worker can only have read
 * through its file system provider), hover and completion.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runUkc, temporaryFolders } from '../../cli/run-ukc.js';
import { LspClient, positionOf, range, ROOT, type PublishedDiagnostics } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8');
/** `ping`'s argument moved from the bits the lock records. */
const MOVED = KV.replace('ping(@mr(0, 0..7) tag: u8) -> u8', 'ping(@mr(0, 8..15) tag: u8) -> u8');
/** A file with one type error: a string where a u32 goes. */
const WRONG = 'fn twice(x: u32) -> u32 {\n    return x * "two"\n}\n';
const folder = temporaryFolders('ukc-browser-');

let worker: LspClient;
let stdio: LspClient;
let files: Record<string, string>;
beforeAll(async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'kv.uk'), KV);
    expect((await runUkc(['layout', 'kv.uk', '--lock'], dir)).code).toBe(0);
    files = { 'kv.uk': KV, 'kv.uk.lock': readFileSync(path.join(dir, 'kv.uk.lock'), 'utf8'), 'wrong.uk': WRONG };
    [worker, stdio] = await Promise.all([LspClient.startInWorker({ files }), LspClient.start({ files })]);
});
afterAll(async () => {
    await Promise.all([worker?.stop(), stdio?.stop()]);
});

/** What both servers answer to the same request, each about its own copy of the workspace. */
async function both<T>(ask: (client: LspClient) => Promise<T>): Promise<{ worker: T; stdio: T }> {
    const [fromWorker, fromStdio] = await Promise.all([ask(worker), ask(stdio)]);
    return { worker: fromWorker, stdio: fromStdio };
}

/** Diagnostics without the URI, which names each server's own workspace folder. */
function withoutUri(published: PublishedDiagnostics): Omit<PublishedDiagnostics, 'uri'> {
    const { uri: _uri, ...rest } = published;
    return rest;
}

describe('the language server in a web worker', () => {
    test('starts with the same capabilities as on Node', () => {
        expect(worker.initializeResult).toEqual(stdio.initializeResult);
        expect(worker.initializeResult?.capabilities.completionProvider).toMatchObject({ triggerCharacters: ['.'] });
    });

    test('publishes the same diagnostics: a type error', async () => {
        const answers = await both(client => client.open('wrong.uk', WRONG));
        expect(withoutUri(answers.worker)).toEqual(withoutUri(answers.stdio));
        expect(answers.worker.version).toBe(1);
        expect(answers.worker.diagnostics.map(diagnostic => [diagnostic.code, diagnostic.range])).toEqual([['operator-mismatch', range(1, 13, 1, 14)]]);
    });

    test('reads the layout lock through its file system provider and reports what breaks it', async () => {
        expect((await both(client => client.open('kv.uk', KV))).worker.diagnostics).toEqual([]);
        const answers = await both(client => client.change('kv.uk', MOVED));
        expect(withoutUri(answers.worker)).toEqual(withoutUri(answers.stdio));
        expect(answers.worker.diagnostics.map(diagnostic => [diagnostic.code, diagnostic.range, diagnostic.message])).toEqual([
            ['layout-lock', range(15, 4, 15, 8), "breaks the layout locked in kv.uk.lock (ukvm32): kv.KeyValue.ping request: 'tag' moved from MR0 bits 0..7 to MR0 bits 8..15"]
        ]);
        await both(client => client.change('kv.uk', KV));
    });

    test('answers hover alike: a method with its message layout', async () => {
        const answers = await both(client => client.at<{ contents: { value: string } }>('textDocument/hover', 'kv.uk', positionOf(KV, 'get(key: Key)', 1)));
        expect(answers.worker).toEqual(answers.stdio);
        expect(answers.worker.contents.value).toContain('MR0');
    });

    test('without a file system it sees only what is opened, and answers about it all the same', async () => {
        const bare = await LspClient.startInWorker({ files, withoutFileSystem: true });
        try {
            // The lock is not seen: no finding where the servers with files have one (the test above).
            expect((await bare.open('kv.uk', MOVED)).diagnostics).toEqual([]);
            const position = positionOf(MOVED, 'Status.NotFound', 'Status.'.length);
            const completion = await bare.at<{ items: { label: string }[] }>('textDocument/completion', 'kv.uk', position);
            expect(completion.items.map(item => item.label)).toEqual(['Ok', 'NotFound']);
        } finally {
            await bare.stop();
        }
    });

    test('answers completion alike: an enum\'s members after `.`', async () => {
        const answers = await both(client => client.at<{ items: { label: string }[] }>('textDocument/completion', 'kv.uk', positionOf(KV, 'Status.NotFound', 'Status.'.length)));
        expect(answers.worker).toEqual(answers.stdio);
        expect(answers.worker.items.map(item => item.label)).toEqual(['Ok', 'NotFound']);
    });
});
