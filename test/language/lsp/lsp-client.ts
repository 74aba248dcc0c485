/**
 * The protocol test harness: starts the documented command, `node bin/ukc.js lsp --stdio`, as a child
 * process over a temporary workspace folder and speaks JSON-RPC to it with vscode-jsonrpc, exactly as an
 * editor does. Every language server test goes through it. `startInWorker` starts the browser bundle
 * instead (dist/language-server-browser.js) in a worker thread, as a page starts it in a web worker, with
 * the workspace's files in memory. `npm test` builds dist/ first (pretest).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import {
    AbstractMessageReader, AbstractMessageWriter, createMessageConnection, Emitter, StreamMessageReader, StreamMessageWriter,
    type DataCallback, type Disposable, type Message, type MessageConnection, type MessageReader, type MessageWriter
} from 'vscode-jsonrpc/node';

export const ROOT = path.resolve(__dirname, '../../..');

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
export interface Diagnostic {
    range: Range;
    message: string;
    severity?: number;
    code?: string | number;
    relatedInformation?: { location: { uri: string; range: Range }; message: string }[];
}
export interface PublishedDiagnostics { uri: string; version?: number; diagnostics: Diagnostic[] }

/** Shorthand for a range: lines and characters are zero-based, as in the protocol. */
export function range(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
    return { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } };
}

export interface StartOptions {
    /** Files written into the workspace folder before the server starts (name to text). */
    readonly files?: Record<string, string>;
    /** Client capabilities sent with `initialize`. */
    readonly capabilities?: Record<string, unknown>;
    /** What the client answers to `workspace/configuration`, by section (an unknown section is null). */
    readonly settings?: Record<string, unknown>;
    /** For `startInWorker`: start the server without a file system (it sees only the documents opened). */
    readonly withoutFileSystem?: boolean;
}

/** The server's side of a client: how its messages travel, and how it is ended. */
interface ServerHandle {
    readonly reader: MessageReader;
    readonly writer: MessageWriter;
    /** The process id (the stdio server's own; the worker runs in the test's process). */
    readonly pid: number | undefined;
    kill(): void;
}

export class LspClient {
    readonly connection: MessageConnection;
    private readonly published = new Map<string, PublishedDiagnostics>();
    /** The URI of every `publishDiagnostics`, in the order they came. */
    readonly publishOrder: string[] = [];
    private readonly waiters: { uri: string; predicate: (value: PublishedDiagnostics) => boolean; resolve: (value: PublishedDiagnostics) => void }[] = [];
    private readonly versions = new Map<string, number>();
    /** Whatever the server wrote to stderr, for a failing test to show. */
    stderr = '';
    exitCode: number | null | undefined = undefined;
    initializeResult: { capabilities: Record<string, unknown> } | undefined;
    /** How often the server asked to re-request inlay hints. */
    inlayHintRefreshes = 0;
    /** The server's log messages (`window/logMessage`), in order. */
    readonly logs: { type: number; message: string }[] = [];

    private constructor(readonly workspace: string, private readonly server: ServerHandle, settings: Record<string, unknown>, private readonly ownsWorkspace = true) {
        this.connection = createMessageConnection(server.reader, server.writer);
        this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
            this.published.set(params.uri, params);
            this.publishOrder.push(params.uri);
            for (const waiter of [...this.waiters]) {
                if (waiter.uri === params.uri && waiter.predicate(params)) {
                    this.waiters.splice(this.waiters.indexOf(waiter), 1);
                    waiter.resolve(params);
                }
            }
        });
        this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => { this.logs.push(params); });
        // Servers may ask the client things (configuration, registrations); answer as a plain client would.
        this.connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map(item => settings[item.section ?? ''] ?? null));
        this.connection.onRequest('client/registerCapability', () => null);
        this.connection.onRequest('window/workDoneProgress/create', () => null);
        this.connection.onRequest('workspace/inlayHint/refresh', () => { this.inlayHintRefreshes++; return null; });
        this.connection.listen();
    }

    /** Starts `ukc lsp --stdio` over a new workspace folder holding `files`, and initialises it. */
    static async start(options: StartOptions = {}): Promise<LspClient> {
        const workspace = workspaceWith(options.files ?? {});
        const server = spawn(process.execPath, [path.join(ROOT, 'bin/ukc.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
        const client = new LspClient(workspace, {
            reader: new StreamMessageReader(server.stdout),
            writer: new StreamMessageWriter(server.stdin),
            pid: server.pid,
            kill: () => server.kill()
        }, options.settings ?? {});
        server.stderr.on('data', (chunk: Buffer) => { client.stderr += chunk.toString(); });
        server.on('exit', code => { client.exitCode = code; });
        return client.initialize(options);
    }

    /**
     * Starts the browser bundle in a worker thread (test/language/lsp/browser-worker.mjs) whose `self` is one
     * end of a message channel; the server reads and writes it with vscode-languageserver/browser's
     * BrowserMessageReader and BrowserMessageWriter, and this end as they do (one message object per port
     * message): what a page exchanges with a web worker. The workspace folder holds `files` on disk (for the
     * URIs); the server reads them from a MemoryFileSystem, never from disk, or (`withoutFileSystem`) has
     * no file system at all.
     */
    static async startInWorker(options: StartOptions = {}): Promise<LspClient> {
        const workspace = workspaceWith(options.files ?? {});
        const files = Object.fromEntries(Object.entries(options.files ?? {}).map(([name, text]) => [pathToFileURL(path.join(workspace, name)).toString(), text]));
        const { port1, port2 } = new MessageChannel();
        const worker = new Worker(path.join(ROOT, 'test/language/lsp/browser-worker.mjs'), {
            workerData: { bundle: pathToFileURL(path.join(ROOT, 'dist/language-server-browser.js')).toString(), files: options.withoutFileSystem ? undefined : files, endpoint: port2 },
            transferList: [port2],
            stderr: true
        });
        return LspClient.overWorkerPort(workspace, worker, port1, options);
    }

    /**
     * Speaks to a server a worker thread already runs, through `port` (the page's end of the worker's
     * `self`), as the client of workspace folder `workspace`, which need not exist on disk and is not
     * removed at `stop` (the worker's own script decides what the server reads, e.g. README.md's snippet).
     */
    static async attachToWorker(workspace: string, worker: Worker, port: MessagePort, options: StartOptions = {}): Promise<LspClient> {
        return LspClient.overWorkerPort(workspace, worker, port, options, false);
    }

    private static overWorkerPort(workspace: string, worker: Worker, port: MessagePort, options: StartOptions, ownsWorkspace = true): Promise<LspClient> {
        const client = new LspClient(workspace, {
            reader: new PortMessageReader(port),
            writer: new PortMessageWriter(port),
            pid: undefined,
            kill: () => {
                port.close();
                void worker.terminate();
            }
        }, options.settings ?? {}, ownsWorkspace);
        worker.stderr.on('data', (chunk: Buffer) => { client.stderr += chunk.toString(); });
        worker.on('error', error => { client.stderr += `${error.stack ?? error.message}\n`; });
        worker.on('exit', code => { client.exitCode = code; });
        return client.initialize(options);
    }

    private async initialize(options: StartOptions): Promise<LspClient> {
        const folder = pathToFileURL(this.workspace).toString();
        this.initializeResult = await this.connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri: folder,
            workspaceFolders: [{ uri: folder, name: 'workspace' }],
            capabilities: options.capabilities ?? {}
        });
        await this.connection.sendNotification('initialized', {});
        return this;
    }

    /** The server's process id (none for a server in a worker thread). */
    get pid(): number | undefined {
        return this.server.pid;
    }

    uri(name: string): string {
        return pathToFileURL(path.join(this.workspace, name)).toString();
    }

    /** Opens `name` with `text` (version 1) and waits for its first diagnostics. */
    async open(name: string, text: string): Promise<PublishedDiagnostics> {
        const uri = this.uri(name);
        this.versions.set(uri, 1);
        const diagnostics = this.diagnostics(name, value => value.version === 1);
        await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'uk', version: 1, text } });
        return diagnostics;
    }

    /** Replaces the whole text of an open document and waits for the diagnostics of the new version. */
    async change(name: string, text: string): Promise<PublishedDiagnostics> {
        const uri = this.uri(name);
        const version = (this.versions.get(uri) ?? 0) + 1;
        this.versions.set(uri, version);
        const diagnostics = this.diagnostics(name, value => value.version === version);
        await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
        return diagnostics;
    }

    async close(name: string): Promise<void> {
        await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri(name) } });
    }

    /** The next (or current) diagnostics of `name` that satisfy `predicate`. */
    diagnostics(name: string, predicate: (value: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
        const uri = this.uri(name);
        const existing = this.published.get(uri);
        if (existing && predicate(existing)) return Promise.resolve(existing);
        return new Promise(resolve => this.waiters.push({ uri, predicate, resolve }));
    }

    /** The latest diagnostics published for each document, by URI. */
    allDiagnostics(): ReadonlyMap<string, PublishedDiagnostics> {
        return this.published;
    }

    /** A request about a position in `name`. */
    at<T>(method: string, name: string, position: Position, extra: Record<string, unknown> = {}): Promise<T> {
        return this.connection.sendRequest(method, { textDocument: { uri: this.uri(name) }, position, ...extra }) as Promise<T>;
    }

    /** A request about a whole document. */
    about<T>(method: string, name: string, extra: Record<string, unknown> = {}): Promise<T> {
        return this.connection.sendRequest(method, { textDocument: { uri: this.uri(name) }, ...extra }) as Promise<T>;
    }

    async stop(): Promise<void> {
        if (this.exitCode === undefined) {
            await this.connection.sendRequest('shutdown');
            await this.connection.sendNotification('exit');
        }
        this.connection.dispose();
        this.server.kill();
        if (this.ownsWorkspace) rmSync(this.workspace, { recursive: true, force: true });
    }
}

/**
 * The page's end of a worker's port, read as vscode-jsonrpc's BrowserMessageReader does (that module
 * resolves only under the browser condition, and would install its browser runtime in this process).
 */
class PortMessageReader extends AbstractMessageReader implements MessageReader {
    private readonly received = new Emitter<Message>();

    constructor(port: MessagePort) {
        super();
        port.on('message', (message: Message) => this.received.fire(message));
        port.on('messageerror', error => this.fireError(error));
    }

    listen(callback: DataCallback): Disposable {
        return this.received.event(callback);
    }
}

/** The page's end of a worker's port, written as vscode-jsonrpc's BrowserMessageWriter does. */
class PortMessageWriter extends AbstractMessageWriter implements MessageWriter {
    constructor(private readonly port: MessagePort) {
        super();
    }

    async write(message: Message): Promise<void> {
        this.port.postMessage(message);
    }

    end(): void {}
}

/** A new temporary workspace folder holding `files` (name to text). */
function workspaceWith(files: Record<string, string>): string {
    const workspace = mkdtempSync(path.join(tmpdir(), 'ukc-lsp-'));
    for (const [name, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
        writeFileSync(path.join(workspace, name), text);
    }
    return workspace;
}

/** The position of the `occurrence`-th (0-based) `needle` in `text`, moved `shift` characters right. */
export function positionOf(text: string, needle: string, shift = 0, occurrence = 0): Position {
    let offset = -1;
    for (let i = 0; i <= occurrence; i++) {
        offset = text.indexOf(needle, offset + 1);
        if (offset < 0) throw new Error(`'${needle}' occurs fewer than ${occurrence + 1} times`);
    }
    offset += shift;
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
}
