/**
 * Starts the bundled uk language server (dist/language-server.cjs, the same bundle `ukc lsp` is) in a Node
 * process of its own, talking over Node IPC, for every `.uk` file in the workspace (and its layout lock).
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
    const module = context.asAbsolutePath('dist/language-server.cjs');
    const serverOptions: ServerOptions = {
        run: { module, transport: TransportKind.ipc },
        debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } }
    };
    const clientOptions: LanguageClientOptions = {
        documentSelector: [{ scheme: 'file', language: 'uk' }, { scheme: 'untitled', language: 'uk' }],
        // `ukc.trace.server` in the settings logs the protocol (the client reads `<id>.trace.server`).
        // The server reads the `ukc` settings (inlay hints, the ABI profile); a change is sent to it.
        // It also compares each file with its layout lock (`kv.uk.lock`): a changed lock re-checks the file.
        synchronize: {
            fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.uk'), vscode.workspace.createFileSystemWatcher('**/*.uk.lock')],
            configurationSection: 'ukc'
        }
    };
    return new LanguageClient('ukc', 'uk Language Server', serverOptions, clientOptions);
}
