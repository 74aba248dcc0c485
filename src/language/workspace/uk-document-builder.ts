/**
 * Langium's document builder, with two changes for the language server's speed on large workspaces:
 * - Open files first. Langium builds every document through one phase before any enters the next, so the
 *   open file's diagnostics waited for the whole workspace to be linked and indexed. Here every document is
 *   parsed, indexed and given its local scopes (what any file needs to resolve a name in another), then the
 *   open files are linked, indexed and validated, their diagnostics go out (and requests waiting for them
 *   run), and then the rest of the workspace is built. References into files not yet linked resolve on
 *   demand, so the open files' diagnostics are those of a full build. Requests that need the whole
 *   workspace (references, rename) still wait for all of it: the builder's workspace-wide state stays at
 *   the scopes phase until the rest is built.
 * - Requests that need only an open file's scopes (completion, hover) are let in before it is linked, and
 *   the young generation is collected right after them, where no request waits for it.
 * - Which files an edit makes Langium relink is found without walking every reference of the workspace.
 * - A request about a file waits for the file's latest edit to be taken in (`announceEdit`): Langium takes
 *   an edit in only when the build under way gives way, and until then the file's old tree looks built.
 * - After an edit, the other files of the edited file's package are linked or validated again only when
 *   what they see of it changed (package-neighbours.ts), not after every keystroke.
 */
import {
    DefaultDocumentBuilder, DocumentState, OperationCancelled, delayNextTick, interruptAndCheck, type BuildOptions, type Cancellation, type LangiumDocument,
    type LangiumSharedCoreServices, type URI
} from 'langium';
import { PackageDeclarations, type PackageNeighbours } from './package-neighbours.js';

export interface UkDocumentBuilderOptions {
    /**
     * Collects the JavaScript engine's young generation at once (Node: V8's `gc({ type: 'minor' })`,
     * language-server/young-generation.ts); absent where the host offers no such call (a browser).
     */
    readonly collectYoungGarbage?: () => void;
}

export class UkDocumentBuilder extends DefaultDocumentBuilder {
    private readonly packageDeclarations: PackageDeclarations;
    /** The open documents of the build under way, built before the rest (see `buildOpenDocuments`). */
    private builtAhead: LangiumDocument[] = [];
    /** Whether a linked document's reference list holds one that did not resolve (see `shouldRelink`). */
    private readonly unresolved = new WeakMap<LangiumDocument['references'], boolean>();
    /** Files edited since the last `update` began: their documents still hold the text before the edit. */
    private readonly editsNotTakenIn = new Set<string>();
    /** Requests waiting for `update` to take in an edit. */
    private waitingForUpdate: (() => void)[] = [];

    constructor(services: LangiumSharedCoreServices, private readonly options: UkDocumentBuilderOptions = {}) {
        super(services);
        this.packageDeclarations = new PackageDeclarations(services.workspace.IndexManager);
        // Runs before the builder collects what to rebuild, so the files reset here are rebuilt with the rest.
        this.onUpdate((changed, deleted) => {
            for (const uri of deleted) this.recheck(this.packageDeclarations.deleted(uri, this.langiumDocuments.all.toArray()));
            // The changed files are reset by now, so their requests wait for their new trees.
            for (const uri of [...changed, ...deleted]) this.editsNotTakenIn.delete(uri.toString());
            const waiting = this.waitingForUpdate;
            this.waitingForUpdate = [];
            for (const resume of waiting) resume();
        });
    }

    /**
     * An edit of `uri` arrived (lsp/uk-document-update-handler.ts): Langium's update that takes it in waits
     * for the build under way to give way, and until it starts, the document still holds the old text at the
     * state the old build reached, so a request sent right after the edit would be answered from the old tree
     * (a hover one line off). Requests about the file, and workspace-wide ones, wait for the update to begin.
     */
    announceEdit(uri: URI): void {
        this.editsNotTakenIn.add(uri.toString());
    }

    override waitUntil(state: DocumentState, cancelToken?: Cancellation.CancellationToken): Promise<void>;
    override waitUntil(state: DocumentState, uri?: URI, cancelToken?: Cancellation.CancellationToken): Promise<URI>;
    override async waitUntil(state: DocumentState, uriOrToken?: URI | Cancellation.CancellationToken, cancelToken?: Cancellation.CancellationToken): Promise<URI | void> {
        const uri = uriOrToken && 'path' in uriOrToken ? uriOrToken : undefined;
        const token = uri ? cancelToken : uriOrToken as Cancellation.CancellationToken | undefined;
        const pending = () => (uri ? this.editsNotTakenIn.has(uri.toString()) : this.editsNotTakenIn.size > 0);
        while (pending()) {
            if (token?.isCancellationRequested) throw OperationCancelled;
            await new Promise<void>(resume => {
                const cancelled = token?.onCancellationRequested(() => wake());
                const wake = (): void => {
                    cancelled?.dispose();
                    this.waitingForUpdate = this.waitingForUpdate.filter(waiting => waiting !== wake);
                    resume();
                };
                this.waitingForUpdate.push(wake);
            });
        }
        return uri ? super.waitUntil(state, uri, token) : super.waitUntil(state, token);
    }

    protected override async buildDocuments(documents: LangiumDocument[], options: BuildOptions, cancelToken: Cancellation.CancellationToken): Promise<void> {
        this.prepareBuild(documents, options);
        await this.runCancelable(documents, DocumentState.Parsed, cancelToken, document => this.langiumDocumentFactory.update(document, cancelToken));
        const neighbours: LangiumDocument[] = [];
        await this.runCancelable(documents, DocumentState.IndexedContent, cancelToken, async document => {
            await this.indexManager.updateContent(document, cancelToken);
            // In the same step as the new exports, so that a cancelled build cannot lose the comparison.
            neighbours.push(...this.recheck(this.packageDeclarations.changed(document, this.langiumDocuments.all.toArray())));
        });
        const all = [...documents, ...neighbours.filter(document => !documents.includes(document))];
        this.prepareBuild(all, options);
        await this.runCancelable(all, DocumentState.ComputedScopes, cancelToken, async document => {
            const scopeComputation = this.serviceRegistry.getServices(document.uri).references.ScopeComputation;
            document.localSymbols = await scopeComputation.collectLocalSymbols(document, cancelToken);
        });
        this.builtAhead = all.filter(document => this.isOpen(document));
        if (this.builtAhead.length > 0) await this.answerWaitingRequests();
        try {
            await this.buildOpenDocuments(this.builtAhead, cancelToken);
            await super.buildDocuments(all, options, cancelToken);
        } finally {
            this.builtAhead = [];
        }
    }

    /**
     * Workspace-wide listeners (requests waiting for the whole workspace to reach a phase) hear of each
     * phase with every document of the build that reached it, including the open ones built ahead, which
     * Langium's phase loop no longer sees at that phase (and, when they are the whole build, would then not
     * announce at all, leaving such a request waiting).
     */
    protected override async notifyBuildPhase(documents: LangiumDocument[], state: DocumentState, cancelToken: Cancellation.CancellationToken): Promise<void> {
        const ahead = this.builtAhead.filter(document => document.state >= state && !documents.includes(document));
        await super.notifyBuildPhase([...documents, ...ahead], state, cancelToken);
    }

    /**
     * Links, indexes and validates the open documents, telling each document's listeners (diagnostics,
     * requests waiting for that file) but not the workspace-wide ones, which wait for the full build.
     */
    private async buildOpenDocuments(open: LangiumDocument[], cancelToken: Cancellation.CancellationToken): Promise<void> {
        const linked = open.filter(document => this.shouldLink(document));
        await this.advance(linked, DocumentState.Linked, cancelToken, document =>
            this.serviceRegistry.getServices(document.uri).references.Linker.link(document, cancelToken));
        await this.advance(linked, DocumentState.IndexedReferences, cancelToken, document => this.indexManager.updateReferences(document, cancelToken));
        // The full build skips the validation of what is validated here, and marks the rest complete.
        await this.advance(linked.filter(document => this.shouldValidate(document)), DocumentState.Validated, cancelToken, async document => {
            await this.validate(document, cancelToken);
            this.markAsCompleted(document);
        });
    }

    /**
     * Completion and hover wait only for an open file's scopes (lsp/start-server.ts): they are read and
     * answered here, before linking runs as one long stretch of the main thread. Two turns of the event loop:
     * a request that arrived while the file was parsed is read in the first (the connection queues it behind
     * this builder's own turn) and answered in the second. Then, with nobody waiting, the young generation is
     * collected if the host can (`collectYoungGarbage`): the parse just left about 4 MB of new tree in it, and
     * a scavenge that falls into the next edit's parse would delay that edit's answers instead.
     */
    private async answerWaitingRequests(): Promise<void> {
        await delayNextTick();
        await delayNextTick();
        this.options.collectYoungGarbage?.();
    }

    private async advance(documents: LangiumDocument[], state: DocumentState, cancelToken: Cancellation.CancellationToken, step: (document: LangiumDocument) => Promise<void>): Promise<void> {
        for (const document of documents) {
            if (document.state >= state) continue;
            await interruptAndCheck(cancelToken);
            await step(document);
            document.state = state;
            await this.notifyDocumentPhase(document, state, cancelToken);
        }
    }

    /**
     * Langium relinks, after every change anywhere, each document with a reference that did not resolve, and
     * asked each document's every reference whether it did, before parsing the edit. A linked document's
     * reference list stays as linking left it (unlinking replaces it), so the answer is kept per list.
     */
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        return this.hasUnresolvedReference(document) || this.indexManager.isAffected(document, changedUris);
    }

    private hasUnresolvedReference(document: LangiumDocument): boolean {
        const references = document.references;
        if (document.state < DocumentState.Linked) return references.some(reference => reference.error !== undefined);
        let unresolved = this.unresolved.get(references);
        if (unresolved === undefined) {
            unresolved = references.some(reference => reference.error !== undefined);
            this.unresolved.set(references, unresolved);
        }
        return unresolved;
    }

    /** Sends the given files back to the phase they must be built again from; returns those it sent back. */
    private recheck(neighbours: PackageNeighbours): LangiumDocument[] {
        const reset: LangiumDocument[] = [];
        for (const [documents, state] of [[neighbours.relink, DocumentState.ComputedScopes], [neighbours.revalidate, DocumentState.IndexedReferences]] as const) {
            for (const document of documents) {
                // A file already at or before that phase is being built anyway (and keeps its build options).
                if (document.state <= state) continue;
                this.resetToState(document, state);
                reset.push(document);
            }
        }
        return reset;
    }

    private isOpen(document: LangiumDocument): boolean {
        return this.textDocuments?.get(document.uri.toString()) !== undefined;
    }
}
