/**
 * The language server's document builder (src/language/workspace/uk-document-builder.ts), in process with
 * an in-memory file system and "open" documents as the editor's text documents: open files are built and
 * validated before the rest of the workspace is linked, with the diagnostics of a full build; after an
 * edit, the other files of a package are checked again exactly when what they see of the edited file
 * changed (package-neighbours.ts).
 */
import { Cancellation, DocumentState, OperationCancelled, TextDocument, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { describe, expect, it } from 'vitest';
import { createUkServices } from '../../../src/language/index.js';
import { MemoryFileSystem, URI } from '../../../src/session/index.js';
import { format } from '../../helpers.js';
import { UkDocumentBuilder } from '../../../src/language/workspace/uk-document-builder.js';

const FILES: Record<string, string> = {
    'app/types.uk': 'package app\n\nconst LIMIT = 8\nstruct Pair { a: u32, b: u32 }\n',
    'app/servers.uk': 'package app\nimport "types.uk"\n\nfn sum(p: Pair) -> u32 {\n    return p.a + p.c\n}\nconst LIMIT = 9\n',
    'app/clients.uk': 'package app\nimport "types.uk"\n\nfn first(p: Pair) -> u32 {\n    return p.a\n}\n',
    'tools/one.uk': 'package tools\nimport "../app/types.uk"\n\nfn one(p: Pair) -> Pear {\n    return p\n}\n',
    'tools/two.uk': 'package tools\nimport "../app/types.uk"\n\nfn two(p: Pair) -> u32 {\n    return p.b + LIMIT\n}\nconst LIMIT = 3\n'
};

const uriOf = (name: string): URI => URI.parse(`memory:///ws/${name}`);
const nameOf = (document: LangiumDocument): string => document.uri.path.slice('/ws/'.length);

/** A workspace as the language server holds it: the files on a (memory) disk, `open` open in the editor. */
function workspace(files: Record<string, string>, open: readonly string[], collectYoungGarbage?: () => void) {
    const memory = new MemoryFileSystem();
    for (const [name, text] of Object.entries(files)) memory.write(uriOf(name).toString(), text);
    const { shared } = createUkServices({ fileSystemProvider: () => memory }, { deferCst: 'unopened', collectYoungGarbage });
    const textDocuments = textDocumentsOf(shared);
    for (const name of open) textDocuments.set(TextDocument.create(uriOf(name).toString(), 'uk', 1, files[name]));
    const documents = Object.entries(files).map(([name, text]) => shared.workspace.LangiumDocuments.createDocument(uriOf(name), text));
    return { shared, textDocuments, documents };
}

function textDocumentsOf(shared: LangiumSharedServices) {
    const textDocuments = shared.workspace.TextDocuments;
    if (!textDocuments) throw new Error('the language server services have text documents');
    return textDocuments;
}

/** Diagnostics of every document as `file line:col severity message`, in file order. */
function diagnosticsOf(documents: readonly LangiumDocument[]): string[] {
    return [...documents].sort((a, b) => nameOf(a).localeCompare(nameOf(b)))
        .flatMap(document => (document.diagnostics ?? []).map(diagnostic => `${nameOf(document)} ${format(diagnostic)}`));
}

/** The files validated while `action` runs, in order. */
async function validatedDuring(shared: LangiumSharedServices, action: () => Promise<void>): Promise<string[]> {
    const validated: string[] = [];
    const listener = shared.workspace.DocumentBuilder.onDocumentPhase(DocumentState.Validated, document => { validated.push(nameOf(document)); });
    await action();
    listener.dispose();
    return validated;
}

const FULL_CHECK = [
    "app/servers.uk 5:20 error struct Pair has no field 'c'.",
    "app/servers.uk 7:7 error 'LIMIT' is also declared in the imported file types.uk.",
    "app/servers.uk 7:7 error 'LIMIT' is also declared in types.uk (line 3), another file of package app.",
    "app/types.uk 3:7 error 'LIMIT' is also declared in servers.uk (line 7), another file of package app.",
    "tools/one.uk 4:20 error Unknown type 'Pear'.",
    "tools/two.uk 7:7 error 'LIMIT' is also declared in the imported file types.uk."
];
const OTHER_PACKAGE = FULL_CHECK.slice(4);

describe('open files first', () => {
    it('validates the open file before any other file is linked, and ends with the diagnostics of a full build', async () => {
        const { shared, documents } = workspace(FILES, ['app/servers.uk']);
        const builder = shared.workspace.DocumentBuilder;
        const othersWhenOpenValidated: string[] = [];
        const workspaceIndexedAfter: string[] = [];
        builder.onDocumentPhase(DocumentState.Validated, document => {
            if (nameOf(document) !== 'app/servers.uk') return;
            othersWhenOpenValidated.push(...documents.filter(other => other !== document).map(other => `${nameOf(other)} ${DocumentState[other.state]}`));
            workspaceIndexedAfter.push(...diagnosticsOf([document]));
        });
        let openDiagnosticsBeforeWorkspaceIndexed = false;
        builder.onBuildPhase(DocumentState.IndexedReferences, () => { openDiagnosticsBeforeWorkspaceIndexed = workspaceIndexedAfter.length > 0; });
        await builder.build(documents, { validation: true });

        expect(othersWhenOpenValidated).toEqual([
            'app/types.uk ComputedScopes', 'app/clients.uk ComputedScopes', 'tools/one.uk ComputedScopes', 'tools/two.uk ComputedScopes'
        ]);
        expect(openDiagnosticsBeforeWorkspaceIndexed).toBe(true);
        expect(workspaceIndexedAfter).toEqual(FULL_CHECK.filter(line => line.startsWith('app/servers.uk')));
        expect(diagnosticsOf(documents)).toEqual(FULL_CHECK);
    });

    it('gives the same diagnostics as a build with no file open (every CST deferred) and one with every CST built', async () => {
        const closed = workspace(FILES, []);
        await closed.shared.workspace.DocumentBuilder.build(closed.documents, { validation: true });
        expect(diagnosticsOf(closed.documents)).toEqual(FULL_CHECK);
        const memory = new MemoryFileSystem();
        const { shared } = createUkServices({ fileSystemProvider: () => memory });
        const documents = Object.entries(FILES).map(([name, text]) => shared.workspace.LangiumDocuments.createDocument(uriOf(name), text));
        await shared.workspace.DocumentBuilder.build(documents, { validation: true });
        expect(diagnosticsOf(documents)).toEqual(FULL_CHECK);
    });
});

describe('the other files of the edited file\'s package', () => {
    async function edited(open: string, text: string, files: Record<string, string> = FILES) {
        const built = workspace(files, [open]);
        await built.shared.workspace.DocumentBuilder.build(built.documents, { validation: true });
        const validated = await validatedDuring(built.shared, async () => {
            built.textDocuments.set(TextDocument.create(uriOf(open).toString(), 'uk', 2, text));
            await built.shared.workspace.DocumentBuilder.update([uriOf(open)], []);
        });
        return { validated, diagnostics: diagnosticsOf(built.shared.workspace.LangiumDocuments.all.toArray()), ...built };
    }

    it('are not checked again when nothing they see changed', async () => {
        const { validated, diagnostics } = await edited('app/clients.uk', FILES['app/clients.uk'].replace('return p.a', 'return p.b'));
        // Langium relinks files with unresolved references after any change (servers.uk, one.uk); types.uk,
        // of the same package, stays as it was.
        expect(validated).toEqual(['app/clients.uk', 'app/servers.uk', 'tools/one.uk']);
        expect(diagnostics).toEqual(FULL_CHECK);
    });

    it('declaring a duplicated name: only that name\'s other file is validated again, and it names the new line', async () => {
        const { validated, diagnostics } = await edited('app/servers.uk', FILES['app/servers.uk'].replace('fn sum', '\nfn sum'));
        // one.uk has an unresolved reference (relinked by Langium); clients.uk declares no name of servers.uk.
        expect(validated).toEqual(['app/servers.uk', 'tools/one.uk', 'app/types.uk']);
        expect(diagnostics).toEqual([
            "app/servers.uk 6:20 error struct Pair has no field 'c'.",
            "app/servers.uk 8:7 error 'LIMIT' is also declared in the imported file types.uk.",
            "app/servers.uk 8:7 error 'LIMIT' is also declared in types.uk (line 3), another file of package app.",
            "app/types.uk 3:7 error 'LIMIT' is also declared in servers.uk (line 8), another file of package app.",
            ...OTHER_PACKAGE
        ]);
    });

    it('a name added or removed: every file of the package is checked again, and duplicates appear and go', async () => {
        const added = await edited('app/clients.uk', `${FILES['app/clients.uk']}struct Pair { x: u8 }\n`);
        expect(added.validated).toEqual(['app/clients.uk', 'app/servers.uk', 'tools/one.uk', 'app/types.uk']);
        expect(added.diagnostics.filter(line => line.includes("'Pair'"))).toEqual([
            "app/clients.uk 7:8 error 'Pair' is also declared in the imported file types.uk.",
            "app/clients.uk 7:8 error 'Pair' is also declared in types.uk (line 4), another file of package app.",
            "app/types.uk 4:8 error 'Pair' is also declared in clients.uk (line 7), another file of package app."
        ]);
        const removed = await edited('app/servers.uk', FILES['app/servers.uk'].replace('const LIMIT = 9\n', ''));
        expect(removed.diagnostics).toEqual(["app/servers.uk 5:20 error struct Pair has no field 'c'.", ...OTHER_PACKAGE]);
    });

    it('a deleted file takes its duplicates with it', async () => {
        const { shared, documents } = workspace(FILES, []);
        await shared.workspace.DocumentBuilder.build(documents, { validation: true });
        await shared.workspace.DocumentBuilder.update([], [uriOf('app/servers.uk')]);
        expect(diagnosticsOf(shared.workspace.LangiumDocuments.all.toArray())).toEqual(OTHER_PACKAGE);
    });
});

describe('an edit announced before Langium takes it in', () => {
    it('keeps requests about the file, and workspace-wide ones, waiting until the update begins', async () => {
        const { shared, documents } = workspace(FILES, ['app/clients.uk']);
        const builder = shared.workspace.DocumentBuilder;
        if (!(builder instanceof UkDocumentBuilder)) throw new Error('the language server builds with UkDocumentBuilder');
        await builder.build(documents, { validation: true });
        const clients = uriOf('app/clients.uk');
        // The old tree is fully built: without the announcement both waits would end at once, on the old text.
        builder.announceEdit(clients);
        const order: string[] = [];
        const fileWait = builder.waitUntil(DocumentState.ComputedScopes, clients).then(() => { order.push('file request'); });
        const workspaceWait = builder.waitUntil(DocumentState.Validated).then(() => { order.push('workspace request'); });
        const otherWait = builder.waitUntil(DocumentState.Validated, uriOf('tools/two.uk')).then(() => { order.push('other file request'); });
        await new Promise(resolve => setTimeout(resolve, 20));
        // A request about a file not edited answers from its tree, which is whole.
        expect(order).toEqual(['other file request']);
        order.push('update');
        await builder.update([clients], []);
        await Promise.all([fileWait, workspaceWait, otherWait]);
        expect(order.slice(0, 2)).toEqual(['other file request', 'update']);
        expect(order.slice(2).sort()).toEqual(['file request', 'workspace request']);
    });

    it('lets a cancelled request go', async () => {
        const { shared, documents } = workspace(FILES, ['app/clients.uk']);
        const builder = shared.workspace.DocumentBuilder as UkDocumentBuilder;
        await builder.build(documents, { validation: true });
        builder.announceEdit(uriOf('app/clients.uk'));
        const source = new Cancellation.CancellationTokenSource();
        const waiting = builder.waitUntil(DocumentState.Linked, uriOf('app/clients.uk'), source.token);
        source.cancel();
        await expect(waiting).rejects.toBe(OperationCancelled);
    });
});

describe('completion and hover right after an edit', () => {
    it('are answered once the edited file has its scopes, then the young generation is collected, then the file is linked', async () => {
        const events: string[] = [];
        const clientsUri = uriOf('app/clients.uk');
        const { shared, documents, textDocuments } = workspace(FILES, ['app/clients.uk'], () => {
            const clients = shared.workspace.LangiumDocuments.getDocument(clientsUri);
            events.push(`collected (clients.uk ${DocumentState[clients?.state ?? DocumentState.Changed]})`);
        });
        const builder = shared.workspace.DocumentBuilder as UkDocumentBuilder;
        await builder.build(documents, { validation: true });
        // Once per build with open files: the first build collected once.
        expect(events).toEqual(['collected (clients.uk ComputedScopes)']);
        events.length = 0;
        const linked = builder.onDocumentPhase(DocumentState.Linked, document => { if (nameOf(document) === 'app/clients.uk') events.push('linked'); });
        textDocuments.set(TextDocument.create(clientsUri.toString(), 'uk', 2, FILES['app/clients.uk'].replace('p.a', 'p.b')));
        builder.announceEdit(clientsUri);
        // A request that arrives while the edit is built: the connection handles it on an immediate queued
        // behind the builder's own first yield (as when it reads the request on the loop's next turn).
        const arrives = builder.onDocumentPhase(DocumentState.ComputedScopes, document => {
            if (nameOf(document) !== 'app/clients.uk') return;
            arrives.dispose();
            setImmediate(() => setImmediate(() => {
                void builder.waitUntil(DocumentState.ComputedScopes, clientsUri).then(() => { events.push('request answered'); });
            }));
        });
        await builder.update([clientsUri], []);
        linked.dispose();
        expect(events).toEqual(['request answered', 'collected (clients.uk ComputedScopes)', 'linked']);
        expect(shared.workspace.LangiumDocuments.getDocument(clientsUri)?.textDocument.getText()).toContain('p.b');
    });

    it('do not make a build without open files collect', async () => {
        let collections = 0;
        const { shared, documents } = workspace(FILES, [], () => { collections++; });
        await shared.workspace.DocumentBuilder.build(documents, { validation: true });
        expect(collections).toBe(0);
    });
});
