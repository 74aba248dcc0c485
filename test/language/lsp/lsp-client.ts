/**
 * The protocol test harness: starts the documented command, `node bin/ukc.js lsp --stdio`, as a child
 * process over a temporary workspace folder and speaks JSON-RPC to it with vscode-jsonrpc, exactly as an
 * editor does. Every language server test goes through it. `npm test` builds dist/ first (pretest).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

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

    private constructor(readonly workspace: string, private readonly server: ChildProcess, settings: Record<string, unknown>) {
        if (!server.stdout || !server.stdin || !server.stderr) throw new Error('the language server has no stdio');
        server.stderr.on('data', (chunk: Buffer) => { this.stderr += chunk.toString(); });
        server.on('exit', code => { this.exitCode = code; });
        this.connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
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
        const workspace = mkdtempSync(path.join(tmpdir(), 'ukc-lsp-'));
        for (const [name, text] of Object.entries(options.files ?? {})) {
            mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
            writeFileSync(path.join(workspace, name), text);
        }
        const server = spawn(process.execPath, [path.join(ROOT, 'bin/ukc.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
        const client = new LspClient(workspace, server, options.settings ?? {});
        const folder = pathToFileURL(workspace).toString();
        client.initializeResult = await client.connection.sendRequest('initialize', {
            processId: process.pid,
            rootUri: folder,
            workspaceFolders: [{ uri: folder, name: 'workspace' }],
            capabilities: options.capabilities ?? {}
        });
        await client.connection.sendNotification('initialized', {});
        return client;
    }

    /** The server's process id. */
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
        rmSync(this.workspace, { recursive: true, force: true });
    }
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
