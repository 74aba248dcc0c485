/**
 * The uk language server in a browser: the same language services and handlers as on Node
 * (src/language, start-server.ts), attached to a web worker's messages (vscode-languageserver/browser's
 * BrowserMessageReader/Writer, as Monaco's LSP client and VS Code for the Web speak to a worker). Files
 * come through the file system provider it is given: none by default (Langium's EmptyFileSystem; every
 * document arrives by `didOpen`), or a `MemoryFileSystem` the page fills with the workspace and its layout
 * locks (`kv.uk.lock`, checked as on Node). Built for the browser platform into
 * dist/language-server-browser.js, so that a Node built-in imported from here fails the build.
 */
import '../polyfill.js';
import { EmptyFileSystem, type FileSystemProvider } from 'langium';
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { createUkServices, startUkServer } from '../language/index.js';

export { MemoryFileSystem } from '../language/index.js';

/** What the server talks through: a dedicated worker's global scope (`self`), a MessagePort or a Worker. */
export type MessageEndpoint = ConstructorParameters<typeof BrowserMessageReader>[0];

export interface BrowserServerOptions {
    /** The worker's global scope when not given. */
    readonly endpoint?: MessageEndpoint;
    /** The workspace's files and layout locks; none when not given. */
    readonly fileSystem?: FileSystemProvider;
}

/** Starts the server on `endpoint`; it answers until the page ends the worker. */
export function startUkBrowserLanguageServer(options: BrowserServerOptions = {}): void {
    const endpoint = options.endpoint ?? workerScope();
    const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(endpoint), new BrowserMessageWriter(endpoint));
    const fileSystem = options.fileSystem;
    const { shared } = createUkServices(
        { connection, ...(fileSystem ? { fileSystemProvider: () => fileSystem } : EmptyFileSystem) },
        { deferCst: 'unopened' });
    startUkServer(shared);
}

/** A dedicated worker's global scope, which posts and receives the worker's messages. */
function workerScope(): MessageEndpoint {
    const scope = (globalThis as { self?: MessageEndpoint }).self;
    if (!scope) throw new Error('startUkBrowserLanguageServer: no endpoint given and no worker scope (`self`) to talk through');
    return scope;
}
