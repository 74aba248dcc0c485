/**
 * Langium's handling of edits and watched files, plus:
 * - an edit is announced to the builder at once, so that requests sent right after it wait for the new
 *   text (workspace/uk-document-builder.ts, `announceEdit`);
 * - layout locks: a `.uk.lock` that is created, changed or deleted
 * re-checks the `.uk` file it belongs to (whose diagnostics include what its lock finds), as an edit of that
 * file would. Langium itself only rebuilds files of the language.
 */
import { URI } from 'langium';
import { DefaultDocumentUpdateHandler, type LangiumSharedServices } from 'langium/lsp';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FileChangeType, type DidChangeWatchedFilesParams, type FileEvent, type TextDocumentChangeEvent } from 'vscode-languageserver';
import { lockedSourceUri } from '../model/layout-locks.js';
import { UkDocumentBuilder } from '../workspace/uk-document-builder.js';

export class UkDocumentUpdateHandler extends DefaultDocumentUpdateHandler {
    private readonly documents: LangiumSharedServices['workspace']['LangiumDocuments'];
    private readonly builder: LangiumSharedServices['workspace']['DocumentBuilder'];

    constructor(shared: LangiumSharedServices) {
        super(shared);
        this.documents = shared.workspace.LangiumDocuments;
        this.builder = shared.workspace.DocumentBuilder;
    }

    override didChangeContent(change: TextDocumentChangeEvent<TextDocument>): void {
        if (this.builder instanceof UkDocumentBuilder) this.builder.announceEdit(URI.parse(change.document.uri));
        super.didChangeContent(change);
    }

    override didChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
        const others: FileEvent[] = [];
        const lockedSources = new Map<string, FileEvent>();
        for (const change of params.changes) {
            const source = lockedSourceUri(URI.parse(change.uri));
            if (!source) others.push(change);
            else if (this.documents.hasDocument(source)) lockedSources.set(source.toString(), { uri: source.toString(), type: FileChangeType.Changed });
        }
        super.didChangeWatchedFiles({ changes: [...others, ...lockedSources.values()] });
    }
}
