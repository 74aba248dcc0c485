/**
 * README.md's "In a browser" snippet, run exactly as written: the code block is read from README.md and
 * becomes the body of a module worker that sits beside dist/language-server-browser.js (the relative
 * import the snippet names), with `self` wired to the worker's port before anything is imported and
 * `lockText` defined before the snippet, as a page would. Then a client speaks LSP to it: what the README
 * promises is that the server reads the lock from the MemoryFileSystem by itself and reports what breaks it.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runUkc, temporaryFolders } from '../../cli/run-ukc.js';
import { LspClient, range, ROOT } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8');
/** `ping`'s argument moved from the bits the lock records. */
const MOVED = KV.replace('ping(@mr(0, 0..7) tag: u8) -> u8', 'ping(@mr(0, 8..15) tag: u8) -> u8');
const folder = temporaryFolders('ukc-readme-browser-');

/** The first ```js block under README.md's "### In a browser" heading. */
function browserSnippet(readme: string): string {
    const heading = readme.indexOf('\n### In a browser\n');
    const block = heading < 0 ? null : /\n```js\n([\s\S]*?)\n```\n/.exec(readme.slice(heading));
    if (!block) throw new Error('README.md has no js block under "### In a browser"');
    return block[1];
}

/** The folder the snippet's URIs name (`file:///ws/kv.uk.lock`): the client's workspace, never on disk. */
const WORKSPACE = '/ws';

let client: LspClient;
let scripts: string;
beforeAll(async () => {
    const dir = folder();
    writeFileSync(path.join(dir, 'kv.uk'), KV);
    expect((await runUkc(['layout', 'kv.uk', '--lock'], dir)).code).toBe(0);
    const lockText = readFileSync(path.join(dir, 'kv.uk.lock'), 'utf8');

    scripts = mkdtempSync(path.join(tmpdir(), 'ukc-readme-worker-'));
    symlinkSync(path.join(ROOT, 'dist/language-server-browser.js'), path.join(scripts, 'language-server-browser.js'));
    // Imports run in order before the module's body, so `self` is set in a module imported first.
    writeFileSync(path.join(scripts, 'worker-scope.mjs'),
        "import { workerData } from 'node:worker_threads';\nglobalThis.self = workerData.endpoint;\n");
    writeFileSync(path.join(scripts, 'worker.mjs'), [
        "import { workerData } from 'node:worker_threads';",
        "import './worker-scope.mjs';",
        'const lockText = workerData.lockText;',
        browserSnippet(readFileSync(path.join(ROOT, 'README.md'), 'utf8')),
        ''
    ].join('\n'));

    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(pathToFileURL(path.join(scripts, 'worker.mjs')), {
        workerData: { endpoint: port2, lockText },
        transferList: [port2],
        stderr: true
    });
    client = await LspClient.attachToWorker(WORKSPACE, worker, port1);
});
afterAll(async () => {
    await client?.stop();
    if (scripts) rmSync(scripts, { recursive: true, force: true });
});

describe("README.md's browser snippet", () => {
    test('is the ES module the README shows', () => {
        expect(browserSnippet(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))).toContain("from './language-server-browser.js'");
    });

    test('starts a server that answers initialize', () => {
        expect(client.initializeResult?.capabilities.completionProvider).toMatchObject({ triggerCharacters: ['.'] });
    });

    test('reads the lock the snippet wrote and reports what breaks it', async () => {
        expect(client.uri('kv.uk')).toBe('file:///ws/kv.uk');
        expect((await client.open('kv.uk', KV)).diagnostics).toEqual([]);
        const moved = await client.change('kv.uk', MOVED);
        expect(moved.diagnostics.map(diagnostic => [diagnostic.code, diagnostic.range, diagnostic.message])).toEqual([
            ['layout-lock', range(15, 4, 15, 8), "breaks the layout locked in kv.uk.lock (ukvm32): kv.KeyValue.ping request: 'tag' moved from MR0 bits 0..7 to MR0 bits 8..15"]
        ]);
        expect(client.stderr).toBe('');
    });
});
