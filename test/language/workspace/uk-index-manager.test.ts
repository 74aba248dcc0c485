/**
 * The index's answer to "does this document refer into one of these changed files" (uk-index-manager.ts,
 * from a set of target files kept per indexing) against Langium's own (every reference description walked),
 * for every document and random sets of changed files, before and after edits that change which files a
 * document refers into.
 */
import { DefaultIndexManager, DocumentState, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { createUkServices } from '../../../src/language/index.js';
import { MemoryFileSystem } from '../../../src/session/index.js';
import { UkIndexManager } from '../../../src/language/workspace/uk-index-manager.js';

const FILES: Record<string, string> = {
    'app/types.uk': 'package app\n\nconst LIMIT = 8\nstruct Pair { a: u32, b: u32 }\n',
    'app/more.uk': 'package app\n\nstruct Triple { a: u32, b: u32, c: u32 }\n',
    'app/servers.uk': 'package app\nimport "types.uk"\nimport "more.uk"\n\nfn sum(p: Pair, t: Triple) -> u32 {\n    return p.a + t.c + LIMIT\n}\n',
    'tools/one.uk': 'package tools\nimport "../app/types.uk"\n\nfn one(p: Pair) -> u32 {\n    return p.b\n}\n',
    'tools/two.uk': 'package tools\n\nfn two(x: u32) -> u32 {\n    return x + 1\n}\n'
};
const uriOf = (name: string): URI => URI.parse(`memory:///ws/${name}`);

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
    return () => {
        seed = (seed + 0x6d2b79f5) | 0;
        let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

describe('UkIndexManager.isAffected', () => {
    it('answers as Langium does for every document and random sets of changed files, across edits', async () => {
        const memory = new MemoryFileSystem();
        for (const [name, text] of Object.entries(FILES)) memory.write(uriOf(name).toString(), text);
        const { shared } = createUkServices({ fileSystemProvider: () => memory });
        const index = shared.workspace.IndexManager;
        expect(index).toBeInstanceOf(UkIndexManager);
        const documents = shared.workspace.LangiumDocuments;
        for (const [name, text] of Object.entries(FILES)) documents.createDocument(uriOf(name), text);
        await shared.workspace.DocumentBuilder.build(documents.all.toArray());
        const uris = Object.keys(FILES).map(name => uriOf(name).toString());
        const next = random(16);
        const compare = (all: readonly LangiumDocument[]) => {
            let affected = 0;
            for (let round = 0; round < 200; round++) {
                const changed = new Set(uris.filter(() => next() < 0.3));
                for (const document of all) {
                    const expected = DefaultIndexManager.prototype.isAffected.call(index, document, changed);
                    expect(index.isAffected(document, changed)).toBe(expected);
                    if (expected) affected++;
                }
            }
            return affected;
        };
        expect(compare(documents.all.toArray())).toBeGreaterThan(0);
        // servers.uk stops using more.uk, and two.uk starts using types.uk: both indexes change.
        const edits: Record<string, string> = {
            'app/servers.uk': FILES['app/servers.uk'].replace('t: Triple', 't: u32').replace('t.c', 't'),
            'tools/two.uk': 'package tools\nimport "../app/types.uk"\n\nfn two(x: Pair) -> u32 {\n    return x.a + 1\n}\n'
        };
        for (const [name, text] of Object.entries(edits)) memory.write(uriOf(name).toString(), text);
        await shared.workspace.DocumentBuilder.update(Object.keys(edits).map(uriOf), []);
        const more = new Set([uriOf('app/more.uk').toString()]);
        expect(index.isAffected(documents.getDocument(uriOf('app/servers.uk')) as LangiumDocument, more)).toBe(false);
        expect(index.isAffected(documents.getDocument(uriOf('tools/two.uk')) as LangiumDocument, new Set([uriOf('app/types.uk').toString()]))).toBe(true);
        expect(compare(documents.all.toArray())).toBeGreaterThan(0);
    });
});

describe('relinking after a change elsewhere', () => {
    it('relinks a file whose name did not resolve once another file declares it, and only then', async () => {
        const memory = new MemoryFileSystem();
        const files: Record<string, string> = {
            'app/types.uk': 'package app\n\nstruct Pair { a: u32 }\n',
            'app/user.uk': 'package app\nimport "types.uk"\n\nfn one(p: Pear) -> u32 {\n    return 1\n}\n',
            'app/other.uk': 'package app\n\nfn two() -> u32 {\n    return 2\n}\n'
        };
        for (const [name, text] of Object.entries(files)) memory.write(uriOf(name).toString(), text);
        const { shared } = createUkServices({ fileSystemProvider: () => memory });
        const documents = shared.workspace.LangiumDocuments;
        for (const [name, text] of Object.entries(files)) documents.createDocument(uriOf(name), text);
        const builder = shared.workspace.DocumentBuilder;
        await builder.build(documents.all.toArray(), { validation: true });
        const user = documents.getDocument(uriOf('app/user.uk')) as LangiumDocument;
        expect(user.diagnostics?.map(diagnostic => diagnostic.message)).toEqual(["Unknown type 'Pear'."]);
        const relinked: string[] = [];
        builder.onDocumentPhase(DocumentState.Linked, document => { relinked.push(document.uri.path); });
        // A change that declares nothing new: the unresolved file is relinked (its name might now resolve).
        memory.write(uriOf('app/other.uk').toString(), files['app/other.uk'].replace('2', '3'));
        await builder.update([uriOf('app/other.uk')], []);
        expect([...relinked].sort()).toEqual(['/ws/app/other.uk', '/ws/app/user.uk']);
        memory.write(uriOf('app/types.uk').toString(), 'package app\n\nstruct Pair { a: u32 }\nstruct Pear { b: u32 }\n');
        await builder.update([uriOf('app/types.uk')], []);
        expect(user.diagnostics).toEqual([]);
        relinked.length = 0;
        // Now that it resolves, a change elsewhere that it does not refer into leaves it alone.
        memory.write(uriOf('app/other.uk').toString(), files['app/other.uk']);
        await builder.update([uriOf('app/other.uk')], []);
        expect(relinked).toEqual(['/ws/app/other.uk']);
    });
});
