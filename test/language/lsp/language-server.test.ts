/**
 * The language server, driven through the Language Server Protocol over stdio exactly as an editor
 * drives it: the bundled server (dist/language-server.cjs, built by `npm test`'s pretest step) is spawned
 * and spoken to with vscode-jsonrpc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const ROOT = path.resolve(__dirname, '../../..');

interface PublishedDiagnostics {
    uri: string;
    diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; message: string; severity: number }[];
}

let server: ChildProcess;
let connection: MessageConnection;
let workspace: string;
const published = new Map<string, PublishedDiagnostics>();
const waiters: { uri: string; resolve: (value: PublishedDiagnostics) => void; predicate: (value: PublishedDiagnostics) => boolean }[] = [];

function diagnosticsFor(uri: string, predicate: (value: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
    const existing = published.get(uri);
    if (existing && predicate(existing)) return Promise.resolve(existing);
    return new Promise(resolve => waiters.push({ uri, resolve, predicate }));
}

function uriOf(name: string): string {
    return pathToFileURL(path.join(workspace, name)).toString();
}

beforeAll(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'ukc-lsp-'));
    writeFileSync(path.join(workspace, 'types.uk'), 'package demo\nstruct Key { hi: u32, lo: u16 }\n');
    server = spawn(process.execPath, [path.join(ROOT, 'dist/language-server.cjs'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    if (!server.stdout || !server.stdin) throw new Error('the language server has no stdio');
    connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
        published.set(params.uri, params);
        for (const waiter of [...waiters]) {
            if (waiter.uri === params.uri && waiter.predicate(params)) {
                waiters.splice(waiters.indexOf(waiter), 1);
                waiter.resolve(params);
            }
        }
    });
    connection.listen();
    const result = await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: pathToFileURL(workspace).toString(),
        workspaceFolders: [{ uri: pathToFileURL(workspace).toString(), name: 'ws' }],
        capabilities: {}
    }) as { capabilities: Record<string, unknown> };
    expect(result.capabilities).toHaveProperty('definitionProvider');
    expect(result.capabilities).toHaveProperty('completionProvider');
    await connection.sendNotification('initialized', {});
});

afterAll(async () => {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    connection.dispose();
    server.kill();
    rmSync(workspace, { recursive: true, force: true });
});

describe('language server over stdio', () => {
    test('publishes diagnostics with ranges for an opened document', async () => {
        const uri = uriOf('main.uk');
        await connection.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'uk', version: 1, text: 'import "types.uk"\nstruct Pair { a: Key, b: Kye }\n' }
        });
        const result = await diagnosticsFor(uri);
        expect(result.diagnostics.map(d => ({ message: d.message, range: d.range, severity: d.severity }))).toEqual([
            { message: "Unknown type 'Kye'.", range: { start: { line: 1, character: 25 }, end: { line: 1, character: 28 } }, severity: 1 }
        ]);
    });

    test('re-checks after an edit', async () => {
        const uri = uriOf('main.uk');
        await connection.sendNotification('textDocument/didChange', {
            textDocument: { uri, version: 2 },
            contentChanges: [{ text: 'import "types.uk"\nstruct Pair { a: Key, b: Key }\n' }]
        });
        const result = await diagnosticsFor(uri, value => value.diagnostics.length === 0);
        expect(result.diagnostics).toEqual([]);
    });

    test('goes to the definition of a type declared in an imported file', async () => {
        const locations = await connection.sendRequest('textDocument/definition', {
            textDocument: { uri: uriOf('main.uk') },
            position: { line: 1, character: 18 }
        }) as { targetUri: string; targetSelectionRange: { start: { line: number; character: number } } }[];
        expect(locations).toHaveLength(1);
        expect(locations[0].targetUri).toBe(uriOf('types.uk'));
        expect(locations[0].targetSelectionRange.start).toEqual({ line: 1, character: 7 });
    });

    test('completes names that are in scope', async () => {
        const uri = uriOf('complete.uk');
        await connection.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'uk', version: 1, text: 'import "types.uk"\nfn f(count: u32) -> u32 {\n    let total = count\n    return to\n}\n' }
        });
        await diagnosticsFor(uri);
        const completion = await connection.sendRequest('textDocument/completion', {
            textDocument: { uri },
            position: { line: 3, character: 13 }
        }) as { items: { label: string }[] } | { label: string }[];
        const items = Array.isArray(completion) ? completion : completion.items;
        expect(items.map(item => item.label)).toContain('total');
    });
});

describe('hover', () => {
    test('a method shows its message layout on the bundled machine', async () => {
        const uri = uriOf('hover.uk');
        await connection.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'uk', version: 1, text: 'interface Clock {\n    /** Reads the time. */\n    now(precise: bool) -> u64\n}\n' }
        });
        await diagnosticsFor(uri);
        const hover = await connection.sendRequest('textDocument/hover', {
            textDocument: { uri },
            position: { line: 2, character: 5 }
        }) as { contents: { kind: string; value: string } };
        expect(hover.contents.kind).toBe('markdown');
        expect(hover.contents.value).toBe([
            'Reads the time.',
            '',
            '**Clock.now** on ukvm32',
            '',
            '```text',
            'now  ordinal 1',
            '  request  label 1, 1 word in registers, fastpath',
            '    MR0     a2      0..0    precise: bool',
            '  reply    label 0, 2 words in registers, fastpath',
            '    MR0-MR1 a2-a3   0..31   result: u64',
            '```'
        ].join('\n'));
    });
});

describe('dependency hygiene', () => {
    test('one copy of vscode-jsonrpc is installed, so cancelled requests stay errors for clients', () => {
        const copies: string[] = [];
        const walk = (folder: string): void => {
            for (const entry of readdirSync(folder, { withFileTypes: true })) {
                if (!entry.isDirectory()) continue;
                const full = path.join(folder, entry.name);
                if (entry.name === 'vscode-jsonrpc') copies.push(full);
                else if (entry.name === 'node_modules' || entry.name.startsWith('@') || folder.endsWith('node_modules')) walk(full);
            }
        };
        walk(path.join(ROOT, 'node_modules'));
        expect(copies.map(copy => path.relative(ROOT, copy))).toEqual([path.join('node_modules', 'vscode-jsonrpc')]);
    });
});
