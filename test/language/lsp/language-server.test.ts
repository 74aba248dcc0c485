/**
 * The language server's basics through the protocol (test harness: lsp-client.ts): diagnostics with the
 * document's version and exact ranges, re-checks after edits, definitions across files, completion of
 * names in scope, diagnostics that span the files of a package, and dependency hygiene.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range, ROOT } from './lsp-client.js';

const PIPELINE_TYPES = 'package pipeline\n\nconst BATCH = 8\nstruct Sample { value: u32 }\n';

let client: LspClient;

beforeAll(async () => {
    client = await LspClient.start({
        files: {
            'types.uk': 'package demo\nstruct Key { hi: u32, lo: u16 }\n',
            'pipeline/types.uk': PIPELINE_TYPES,
            'pipeline/batching.uk': 'package pipeline\n'
        }
    });
});

afterAll(() => client.stop());

describe('diagnostics', () => {
    test('are published with ranges and the version of the text they were computed for', async () => {
        const result = await client.open('main.uk', 'import "types.uk"\nstruct Pair { a: Key, b: Kye }\n');
        expect(result.version).toBe(1);
        expect(result.diagnostics.map(d => ({ message: d.message, range: d.range, severity: d.severity }))).toEqual([
            { message: "Unknown type 'Kye'.", range: range(1, 25, 1, 28), severity: 1 }
        ]);
    });

    test('are re-computed after an edit, with the new version', async () => {
        const result = await client.change('main.uk', 'import "types.uk"\nstruct Pair { a: Key, b: Key }\n');
        expect(result).toMatchObject({ version: 2, diagnostics: [] });
    });

    test('a name declared in two files of one package is reported in both, and cleared in both', async () => {
        const types = client.diagnostics('pipeline/types.uk', value => value.diagnostics.length === 1);
        const clash = await client.open('pipeline/batching.uk', 'package pipeline\n\nconst BATCH = 16\n');
        expect(clash.diagnostics[0]).toMatchObject({
            message: "'BATCH' is also declared in types.uk (line 3), another file of package pipeline.",
            range: range(2, 6, 2, 11),
            relatedInformation: [{ location: { uri: client.uri('pipeline/types.uk'), range: range(2, 6, 2, 11) }, message: "the other 'BATCH'" }]
        });
        expect((await types).diagnostics[0]).toMatchObject({
            message: "'BATCH' is also declared in batching.uk (line 3), another file of package pipeline.",
            range: range(2, 6, 2, 11)
        });
        const cleared = client.diagnostics('pipeline/types.uk', value => value.diagnostics.length === 0);
        expect((await client.change('pipeline/batching.uk', 'package pipeline\n\nconst BATCHES = 16\n')).diagnostics).toEqual([]);
        expect((await cleared).diagnostics).toEqual([]);
    });
});

describe('navigation and completion', () => {
    test('goes to the definition of a type declared in an imported file', async () => {
        const locations = await client.at<{ targetUri: string; targetSelectionRange: unknown }[]>('textDocument/definition', 'main.uk', { line: 1, character: 18 });
        expect(locations.map(location => [location.targetUri, location.targetSelectionRange])).toEqual([[client.uri('types.uk'), range(1, 7, 1, 10)]]);
    });

    test('completes names that are in scope', async () => {
        await client.open('complete.uk', 'import "types.uk"\nfn f(count: u32) -> u32 {\n    let total = count\n    return to\n}\n');
        const completion = await client.at<{ items: { label: string }[] }>('textDocument/completion', 'complete.uk', { line: 3, character: 13 });
        expect(completion.items.map(item => item.label)).toContain('total');
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
