/**
 * Starts the uk language server on a connection: Langium's handlers, except that diagnostics carry the
 * version of the text they were computed for (an editor then drops those of an outdated text). Works on any
 * connection (Node streams or a web worker's messages): nothing here touches Node.
 */
import { DocumentState, URI, type LangiumDocument } from 'langium';
import {
    addCallHierarchyHandler, addCodeActionHandler, addCodeLensHandler, addCompletionHandler, addConfigurationChangeHandler,
    addDocumentHighlightHandler, addDocumentLinkHandler, addDocumentSymbolHandler, addDocumentUpdateHandler,
    addExecuteCommandHandler, addFileOperationHandler, addFindReferencesHandler, addFoldingRangeHandler,
    addFormattingHandler, addGoToDeclarationHandler, addGoToImplementationHandler, addGoToTypeDefinitionHandler,
    addGotoDefinitionHandler, addHoverHandler, addInlayHintHandler, addRenameHandler, addSemanticTokenHandler,
    addSignatureHelpHandler, addTextDocumentContentRequestHandler, addTypeHierarchyHandler, addWorkspaceSymbolHandler,
    createRequestHandler, type LangiumSharedServices
} from 'langium/lsp';
import type { Connection, Diagnostic, SelectionRangeParams } from 'vscode-languageserver';
import { lockUri } from '../model/layout-locks.js';
import { UkCompletionParser } from '../parser/uk-completion-parser.js';
import { UkRecoveringParser } from '../parser/uk-recovering-parser.js';
import type { LockDiagnostics } from './layout-lock-diagnostics.js';
import type { UkServices } from '../uk-module.js';

/**
 * What completion and hover wait for after an edit: the edited file parsed and its local scopes computed,
 * not linked (Langium's default). Every reference resolves on first use (Langium's references are lazy;
 * linking only resolves them all ahead), so the answers are the same, and the request runs while the file
 * is being linked instead of after it is linked and its references indexed (a third of the main thread's
 * work and of the memory allocated between an edit and an answer; docs/BENCHMARKS.md, bench:lsp).
 */
const AHEAD_OF_LINKING = DocumentState.ComputedScopes;

export function startUkServer(shared: LangiumSharedServices): void {
    const connection = shared.lsp.Connection;
    if (!connection) throw new Error('the uk language server needs a connection');
    addDocumentUpdateHandler(connection, shared);
    addFileOperationHandler(connection, shared);
    addVersionedDiagnosticsHandler(connection, shared);
    addCompletionHandler(connection, shared, AHEAD_OF_LINKING);
    addFindReferencesHandler(connection, shared);
    addDocumentSymbolHandler(connection, shared);
    addGotoDefinitionHandler(connection, shared);
    addGoToTypeDefinitionHandler(connection, shared);
    addGoToImplementationHandler(connection, shared);
    addDocumentHighlightHandler(connection, shared);
    addFoldingRangeHandler(connection, shared);
    addFormattingHandler(connection, shared);
    addCodeActionHandler(connection, shared);
    addRenameHandler(connection, shared);
    addHoverHandler(connection, shared, AHEAD_OF_LINKING);
    addInlayHintHandler(connection, shared);
    addSemanticTokenHandler(connection, shared);
    addExecuteCommandHandler(connection, shared);
    addSignatureHelpHandler(connection, shared);
    addCallHierarchyHandler(connection, shared);
    addTypeHierarchyHandler(connection, shared);
    addCodeLensHandler(connection, shared);
    addTextDocumentContentRequestHandler(connection, shared);
    addDocumentLinkHandler(connection, shared);
    addConfigurationChangeHandler(connection, shared);
    addGoToDeclarationHandler(connection, shared);
    addWorkspaceSymbolHandler(connection, shared);
    addSelectionRangeHandler(connection, shared);
    connection.onInitialize(async params => {
        refreshInlayHintsOnSettingsChange(connection, shared, params.capabilities.workspace?.inlayHint?.refreshSupport === true);
        const result = await shared.lsp.LanguageServer.initialize(params);
        return { ...result, capabilities: { ...result.capabilities, selectionRangeProvider: true } };
    });
    connection.onInitialized(params => shared.lsp.LanguageServer.initialized(params));
    shared.workspace.TextDocuments.listen(connection);
    prepareParsersOnceBuilt(shared);
    connection.listen();
}

/**
 * Chevrotain analyses the grammar for Langium's recovering parser and its completion parser when they
 * first parse (parser/uk-recovering-parser.ts, parser/uk-completion-parser.ts), so that the first
 * diagnostics do not wait for it. Once the first build of the workspace is complete, and the server is
 * otherwise idle, both are analysed, so that the user's first mistake or completion does not wait either.
 */
function prepareParsersOnceBuilt(shared: LangiumSharedServices): void {
    const listener = shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.Validated, () => {
        listener.dispose();
        setTimeout(() => {
            for (const services of shared.ServiceRegistry.all) {
                const { LangiumParser, CompletionParser } = services.parser;
                if (LangiumParser instanceof UkRecoveringParser) LangiumParser.prepare();
                if (CompletionParser instanceof UkCompletionParser) CompletionParser.prepare();
            }
        }, 0);
    });
}

function addSelectionRangeHandler(connection: Connection, shared: LangiumSharedServices): void {
    connection.onSelectionRanges(createRequestHandler((services, document, params: SelectionRangeParams) =>
        (services as unknown as UkServices).lsp.SelectionRangeProvider.getSelectionRanges(document, params.positions), shared, DocumentState.Parsed));
}

/** Inlay hints depend on settings (on or off, the ABI profile): a client that can be told re-asks for them. */
function refreshInlayHintsOnSettingsChange(connection: Connection, shared: LangiumSharedServices, refreshSupport: boolean): void {
    if (!refreshSupport) return;
    shared.workspace.ConfigurationProvider.onConfigurationSectionUpdate(() => {
        void connection.languages.inlayHint.refresh();
    });
}

/**
 * Publishes each checked document's diagnostics with the version of its text, together with what its
 * layout lock finds (read after validation, as `ukc check` does); an unusable lock gets its diagnostics on
 * the lock file, cleared once it is usable again.
 */
function addVersionedDiagnosticsHandler(connection: Connection, shared: LangiumSharedServices): void {
    const builder = shared.workspace.DocumentBuilder;
    const locksWithDiagnostics = new Set<string>();
    const publishLock = (uri: string, diagnostics: Diagnostic[]): void => {
        if (diagnostics.length === 0 && !locksWithDiagnostics.delete(uri)) return;
        if (diagnostics.length > 0) locksWithDiagnostics.add(uri);
        connection.sendDiagnostics({ uri, diagnostics });
    };
    builder.onUpdate((_changed: URI[], deleted: URI[]) => {
        for (const uri of deleted) {
            connection.sendDiagnostics({ uri: uri.toString(), diagnostics: [] });
            publishLock(lockUri(uri).toString(), []);
        }
    });
    builder.onDocumentPhase(DocumentState.Validated, async (document: LangiumDocument) => {
        if (!document.diagnostics) return;
        const version = document.textDocument.version;
        const services = shared.ServiceRegistry.getServices(document.uri) as UkServices;
        let locks: LockDiagnostics | undefined;
        try {
            locks = await services.lsp.LayoutLockDiagnostics.check(document);
        } catch (error) {
            // The document's own diagnostics still go out; the failure is logged, not the build's.
            connection.console.error(`ukc: the layout lock of ${document.uri.toString()} could not be checked: ${error instanceof Error ? error.message : String(error)}`);
        }
        // A newer text is being checked meanwhile: its own diagnostics will follow.
        if (document.textDocument.version !== version || document.state < DocumentState.Validated || !document.diagnostics) return;
        // Only a text the editor has open has a version the editor knows.
        const open = shared.workspace.TextDocuments.get(document.uri.toString());
        connection.sendDiagnostics({
            uri: document.uri.toString(),
            version: open ? version : undefined,
            diagnostics: [...document.diagnostics, ...locks?.source ?? []]
        });
        if (locks) publishLock(locks.lock.uri, locks.lock.diagnostics);
    });
}
