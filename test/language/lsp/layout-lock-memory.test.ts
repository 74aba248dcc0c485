/**
 * The language server's lock diagnostics read the lock through Langium's file system provider, not Node's
 * file system: here an in-memory one (as in a web worker), with no process and no connection.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createUkServices, lockText, type Module } from '../../../src/language/index.js';
import { profileOrDefault } from '../../../src/layout/index.js';
import { MemoryFileSystem, URI } from '../../../src/session/index.js';
import { ROOT } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'examples/kv-store/kv.uk'), 'utf8');

describe('lock diagnostics over an in-memory file system', () => {
    it('finds the lock beside the file and reports what breaks it at the method', async () => {
        const memory = new MemoryFileSystem();
        const { shared, Uk } = createUkServices({ fileSystemProvider: () => memory });
        const uri = URI.parse('memory:///kv.uk');
        const document = shared.workspace.LangiumDocuments.createDocument(uri, KV);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        expect(await Uk.lsp.LayoutLockDiagnostics.check(document)).toEqual({ source: [], lock: { uri: URI.parse('memory:///kv.uk.lock').toString(), diagnostics: [] } });

        memory.write('memory:///kv.uk.lock', lockText(document.parseResult.value as Module, Uk.layout.InterfaceLayouts, profileOrDefault()));
        expect((await Uk.lsp.LayoutLockDiagnostics.check(document)).source).toEqual([]);
        const changed = KV.replace('ping(@mr(0, 0..7) tag: u8)', 'ping(@mr(0, 8..15) tag: u8)');
        memory.write(uri, changed);
        await shared.workspace.DocumentBuilder.update([uri], []);
        const updated = shared.workspace.LangiumDocuments.getDocument(uri);
        expect(updated?.textDocument.getText()).toBe(changed);
        const found = updated ? await Uk.lsp.LayoutLockDiagnostics.check(updated) : undefined;
        expect(found?.source.map(diagnostic => [diagnostic.range, diagnostic.code, diagnostic.message])).toEqual([[
            { start: { line: 15, character: 4 }, end: { line: 15, character: 8 } }, 'layout-lock',
            "breaks the layout locked in /kv.uk.lock (ukvm32): kv.KeyValue.ping request: 'tag' moved from MR0 bits 0..7 to MR0 bits 8..15"
        ]]);
    });
});
