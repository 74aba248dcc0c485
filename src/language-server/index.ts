/**
 * The uk language server on Node: the language services (src/language, which use no Node API) with Node's
 * file system, attached to an LSP connection. The transport comes from the command line as
 * vscode-languageserver reads it: `--stdio`, `--node-ipc` or `--socket=N` (`ukc lsp` checks that one is
 * given).
 */
import { NodeFileSystem } from 'langium/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { createUkServices, startUkServer } from '../language/index.js';
import { youngGenerationCollector } from './young-generation.js';

export function startUkLanguageServer(): void {
    const connection = createConnection(ProposedFeatures.all);
    // A failure outside a request (a notification's work, a timer) is logged; the server keeps serving.
    // Requests already answer their own failures with an error response.
    const survive = (error: unknown): void => connection.console.error(`ukc: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.on('uncaughtException', survive);
    process.on('unhandledRejection', survive);
    const { shared } = createUkServices({ connection, ...NodeFileSystem }, { deferCst: 'unopened', collectYoungGarbage: youngGenerationCollector() });
    startUkServer(shared);
}
