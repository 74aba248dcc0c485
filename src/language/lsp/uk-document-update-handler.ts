/**
 * Langium's handling of watched files, plus layout locks: a `.uk.lock` that is created, changed or deleted
 * re-checks the `.uk` file it belongs to (whose diagnostics include what its lock finds), as an edit of that
 * file would. Langium itself only rebuilds files of the language.
 */
import { URI } from 'langium';
import { DefaultDocumentUpdateHandler, type LangiumSharedServices } from 'langium/lsp';
import { FileChangeType, type DidChangeWatchedFilesParams, type FileEvent } from 'vscode-languageserver';
import { lockedSourceUri } from '../model/layout-locks.js';

export class UkDocumentUpdateHandler extends DefaultDocumentUpdateHandler {
    private readonly documents: LangiumSharedServices['workspace']['LangiumDocuments'];

    constructor(shared: LangiumSharedServices) {
        super(shared);
        this.documents = shared.workspace.LangiumDocuments;
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
