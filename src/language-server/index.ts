/**
 * The uk language server on Node: the language services (src/language, which use no Node API) with Node's
 * file system, attached to an LSP connection. The transport comes from the command line as
 * vscode-languageserver reads it: `--stdio`, `--node-ipc` or `--socket=N`.
 */
import { startLanguageServer } from 'langium/lsp';
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createUkServices } from '../language/index.js';

export function startUkLanguageServer(): void {
    const connection = createConnection(ProposedFeatures.all);
    const { shared } = createUkServices({ connection, ...NodeFileSystem });
    startLanguageServer(shared);
}
