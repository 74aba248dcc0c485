/**
 * Starts the bundled uk language server (dist/language-server.cjs, the same bundle `ukc lsp` is) in a Node
 * process of its own, talking over Node IPC, for every `.uk` file in the workspace (and its layout lock).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type Middleware, type ServerOptions } from 'vscode-languageclient/node';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
    const module = context.asAbsolutePath('dist/language-server.cjs');
    const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } }
    };
    let client: LanguageClient | undefined;
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ scheme: 'file', language: 'uk' }, { scheme: 'untitled', language: 'uk' }],
        // `ukc.trace.server` in the settings logs the protocol (the client reads `<id>.trace.server`).
        // The server reads the `ukc` settings (inlay hints, the ABI profile); a change is sent to it.
        // It also compares each file with its layout lock (`kv.uk.lock`): a changed lock re-checks the file.
        synchronize: {
            fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.uk'), vscode.workspace.createFileSystemWatcher('**/*.uk.lock')],
            configurationSection: 'ukc'
        },
        middleware: quietWhileStopping(() => client?.isRunning() === true)
    };
    client = new LanguageClient('ukc', 'uk Language Server', serverOptions, clientOptions);
    return client;
}

/**
 * What the editor asks on its own — light bulbs, inlay hints, lenses, highlights, folding, the outline,
 * colours — goes unanswered rather than failing when the server has gone: closing the window clears the
 * diagnostics, which makes VS Code ask for code actions of a server on its way out, and each failure would
 * be an error in the extension host's log. While the server starts, requests wait for it as usual.
 */
function quietWhileStopping(running: () => boolean): Middleware {
    async function unlessStopping<T>(request: () => vscode.ProviderResult<T>): Promise<T | null | undefined> {
        try {
            return await request();
        } catch (error) {
            // The client's words for a request made after the server's connection closed.
            const gone = error instanceof Error && error.message === 'Starting server failed';
            if (running() && !gone) throw error;
            return undefined;
        }
    }
    return {
        provideCodeActions: (document, range, context, token, next) => unlessStopping(() => next(document, range, context, token)),
        provideInlayHints: (document, viewPort, token, next) => unlessStopping(() => next(document, viewPort, token)),
        provideCodeLenses: (document, token, next) => unlessStopping(() => next(document, token)),
        provideDocumentHighlights: (document, position, token, next) => unlessStopping(() => next(document, position, token)),
        provideFoldingRanges: (document, context, token, next) => unlessStopping(() => next(document, context, token)),
        provideDocumentSymbols: (document, token, next) => unlessStopping(() => next(document, token)),
        provideDocumentSemanticTokens: (document, token, next) => unlessStopping(() => next(document, token))
    };
}
