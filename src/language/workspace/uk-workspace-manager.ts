/**
 * Langium's workspace manager with a start-up that cannot fail as a whole: a file that cannot be loaded is
 * skipped (and logged), and if the initial build itself fails the workspace still becomes ready, so that
 * one bad file never leaves every later request of the language server waiting forever.
 */
import { DefaultWorkspaceManager, isOperationCancelled, type LangiumDocument, type Stream, type URI } from 'langium';
import type { CancellationToken, WorkspaceFolder } from 'vscode-languageserver';

export class UkWorkspaceManager extends DefaultWorkspaceManager {
    override async initializeWorkspace(folders: WorkspaceFolder[], cancelToken?: CancellationToken): Promise<void> {
        try {
            await super.initializeWorkspace(folders, cancelToken);
        } catch (error) {
            // An editor's first edit or opened file cancels the start-up build; the build it starts does the rest.
            if (!isOperationCancelled(error)) console.error('ukc: the workspace could not be built completely:', error);
            this._ready.resolve();
        }
    }

    protected override async loadWorkspaceDocuments(uris: Stream<URI>, collector: (document: LangiumDocument) => void): Promise<void> {
        await Promise.all(uris.map(async uri => {
            try {
                collector(await this.langiumDocuments.getOrCreateDocument(uri));
            } catch (error) {
                console.error(`ukc: could not load ${uri.toString()}:`, error);
            }
        }));
    }
}
