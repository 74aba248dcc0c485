/**
 * The language server under random editing, through the protocol: `ukc lsp --stdio` over a workspace of the
 * examples, one of them open, and thousands of random edits (deleting spans, typing the grammar's tokens,
 * pasting halves of other examples) sent as an editor sends them (incremental changes), with requests at
 * random positions in between. The server must never exit, never answer with an error other than the
 * documented refusals, answer every request within 1 s, log no error, and, once the original text is
 * restored, publish the diagnostics a fresh server publishes for it.
 *
 * "Within 1 s" is the server's own work: on Linux, a request fails when it took over 1 s and the server
 * spent over 1 s of CPU time meanwhile, so that waiting for a core on a machine shared with other work
 * does not count; any request that takes over 10 s fails (a hang). Without /proc, the wall clock counts.
 *
 * Replay or extend: UKC_FUZZ_SEED=<seed> UKC_FUZZ_EDITS=<count> npx vitest run test/language/lsp/fuzz.test.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AstUtils, EmptyFileSystem, GrammarAST } from 'langium';
import { afterAll, describe, expect, test } from 'vitest';
import { createUkServices } from '../../../src/language/index.js';
import { LspClient, ROOT, type Diagnostic, type Position, type PublishedDiagnostics, type Range } from './lsp-client.js';
import { applyEdit, EditGenerator, Random, type TextEdit } from './random-edits.js';

const SEED = Number(process.env.UKC_FUZZ_SEED ?? 20261205);
const EDITS = Number(process.env.UKC_FUZZ_EDITS ?? 1500);
/** The original text is restored, and the diagnostics compared with a fresh server's, this often. */
const RESTORE_EVERY = 500;
const ANSWER_WITHIN_MS = 1000;
/** The first request of each kind has this long (it loads and compiles its code). */
const FIRST_ANSWER_WITHIN_MS = 5000;
/** However busy the machine, an answer later than this is a hang. */
const HANG_MS = 10_000;

/** The examples, by their path below examples/. */
const EXAMPLES: Record<string, string> = Object.fromEntries(readdirSync(path.join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
    .filter(name => name.endsWith('.uk'))
    .sort()
    .map(name => [name, readFileSync(path.join(ROOT, 'examples', name), 'utf8')]));

/** Every keyword and punctuation mark of the grammar. */
const TOKENS: string[] = [...new Set(AstUtils.streamAllContents(createUkServices(EmptyFileSystem).Uk.Grammar)
    .filter(GrammarAST.isKeyword).map(keyword => keyword.value))].sort();

const ERROR_LOG = 1;
const INVALID_PARAMS = -32602;
const REQUEST_CANCELLED = -32800;
const CONTENT_MODIFIED = -32801;

/** The refusals rename documents (src/language/lsp/uk-rename-provider.ts), answered as InvalidParams. */
const RENAME_REFUSALS = [
    /^Only names declared in uk sources can be renamed; builtin types and keywords cannot\.$/,
    /^'.*' is not a name: a name starts with a letter or '_' and has only letters, digits and '_'\.$/,
    /^'.*' is a keyword of uk\.$/,
    /^'.*' is already declared( in \S+)? on line \d+\.$/,
    /^'.*' is pinned by the layout lock \S+( \(line \d+\))?: it records .*`ukc layout \S+ --lock`\.$/
];
const NEW_NAMES = ['renamed', 'server', '1 bad', 'u32', 'Status', 'key'];

const FORMATTING = { tabSize: 4, insertSpaces: true };

/** What each request asks, at a random position and range of the current text. */
const REQUESTS: Record<string, (at: Position, span: Range, context: { text: string; offset: number; random: Random; diagnostics: Diagnostic[] }) => Record<string, unknown>> = {
    'textDocument/completion': (at, _, { text, offset }) => ({
        position: at,
        context: text[offset - 1] === '.' ? { triggerKind: 2, triggerCharacter: '.' } : { triggerKind: 1 }
    }),
    'textDocument/hover': at => ({ position: at }),
    'textDocument/definition': at => ({ position: at }),
    'textDocument/references': at => ({ position: at, context: { includeDeclaration: true } }),
    'textDocument/documentHighlight': at => ({ position: at }),
    'textDocument/documentSymbol': () => ({}),
    'textDocument/semanticTokens/full': () => ({}),
    'textDocument/formatting': () => ({ options: FORMATTING }),
    'textDocument/rangeFormatting': (_, span) => ({ range: span, options: FORMATTING }),
    'textDocument/onTypeFormatting': at => ({ position: at, ch: '}', options: FORMATTING }),
    'textDocument/signatureHelp': at => ({ position: at, context: { triggerKind: 1, isRetrigger: false } }),
    // The diagnostics the client has, which may be those of an older text, as in an editor.
    'textDocument/codeAction': (_, span, { diagnostics }) => ({ range: span, context: { diagnostics } }),
    'textDocument/codeLens': () => ({}),
    'textDocument/inlayHint': (_, span) => ({ range: span }),
    'textDocument/foldingRange': () => ({}),
    'textDocument/selectionRange': at => ({ positions: [at] }),
    'textDocument/prepareRename': at => ({ position: at }),
    'textDocument/rename': (at, _, { random }) => ({ position: at, newName: random.pick(NEW_NAMES) })
};
const METHODS = Object.keys(REQUESTS);

/** A process's CPU time so far (user and system, in ms) from Linux's /proc, or undefined elsewhere. */
function serverCpu(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        // utime and stime are fields 14 and 15 of stat, in clock ticks of 10 ms (Linux's USER_HZ).
        return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
        return undefined;
    }
}

function positionAt(text: string, offset: number): Position {
    const before = text.slice(0, offset);
    const lineStart = before.lastIndexOf('\n') + 1;
    let line = 0;
    for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++;
    return { line, character: offset - lineStart };
}

interface Answer {
    readonly method: string;
    readonly params: Record<string, unknown>;
    readonly milliseconds: number;
    /** The server's CPU time meanwhile (ms), when the system tells. */
    readonly cpuMilliseconds: number | undefined;
    readonly limit: number;
    readonly error?: { code: number; message: string };
    /** Sent before an edit that came while it was in flight: it may be cancelled. */
    readonly overtaken: boolean;
}

/** Why an answer breaks the rules, or undefined when it keeps them. */
function violation(answer: Answer): string | undefined {
    if (answer.milliseconds === Infinity) return `no answer within ${HANG_MS} ms`;
    if (answer.milliseconds > answer.limit && (answer.cpuMilliseconds ?? answer.milliseconds) > answer.limit) {
        return `answered after ${Math.round(answer.milliseconds)} ms, ${answer.cpuMilliseconds ?? 'unknown'} ms of server CPU time`;
    }
    const error = answer.error;
    if (!error) return undefined;
    if (answer.overtaken && (error.code === REQUEST_CANCELLED || error.code === CONTENT_MODIFIED)) return undefined;
    if (answer.method === 'textDocument/rename' && error.code === INVALID_PARAMS && RENAME_REFUSALS.some(refusal => refusal.test(error.message))) return undefined;
    return `error ${error.code}: ${error.message}`;
}

class Fuzzer {
    private version = 1;
    private readonly pending: Promise<void>[] = [];
    private readonly history: string[] = [];
    failure: string | undefined;

    constructor(private readonly client: LspClient, private readonly name: string, public text: string, private readonly random: Random) {}

    /** Sends `edit` as an incremental change, as an editor does. */
    async edit(edit: TextEdit): Promise<void> {
        const range = { start: positionAt(this.text, edit.start), end: positionAt(this.text, edit.end) };
        this.text = applyEdit(this.text, edit);
        this.version++;
        this.remember(`edit v${this.version} ${edit.kind} ${JSON.stringify(range)} ${JSON.stringify(edit.text.slice(0, 60))}`);
        await this.client.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri: this.client.uri(this.name), version: this.version },
            contentChanges: [{ range, text: edit.text }]
        });
    }

    /** Replaces the whole text, and waits for the diagnostics of that version. */
    async replace(text: string): Promise<PublishedDiagnostics> {
        this.text = text;
        this.version++;
        this.remember(`replace v${this.version}`);
        const version = this.version;
        const published = this.client.diagnostics(this.name, value => value.version === version);
        await this.client.connection.sendNotification('textDocument/didChange', {
            textDocument: { uri: this.client.uri(this.name), version }, contentChanges: [{ text }]
        });
        return published;
    }

    /** A random request about the current text; `overtaken` ones are not waited for before the next edit. */
    async request(overtaken: boolean, method = this.random.pick(METHODS), limit = ANSWER_WITHIN_MS): Promise<void> {
        const random = this.random;
        const offset = random.below(this.text.length + 1);
        const other = random.below(this.text.length + 1);
        const at = positionAt(this.text, offset);
        const span = { start: positionAt(this.text, Math.min(offset, other)), end: positionAt(this.text, Math.max(offset, other)) };
        const diagnostics = this.client.allDiagnostics().get(this.client.uri(this.name))?.diagnostics ?? [];
        const params = { textDocument: { uri: this.client.uri(this.name) }, ...REQUESTS[method](at, span, { text: this.text, offset, random, diagnostics }) };
        this.remember(`${method} ${JSON.stringify(params).slice(0, 200)}`);
        const answered = this.answer(method, params, overtaken, limit).then(answer => {
            const wrong = violation(answer);
            if (wrong && !this.failure) this.failure = `${method} ${JSON.stringify(params)}: ${wrong}`;
        });
        if (overtaken) this.pending.push(answered);
        else await answered;
    }

    private async answer(method: string, params: Record<string, unknown>, overtaken: boolean, limit: number): Promise<Answer> {
        const started = performance.now();
        const cpuBefore = serverCpu(this.client.pid);
        const cpu = () => {
            const now = serverCpu(this.client.pid);
            return now === undefined || cpuBefore === undefined ? undefined : now - cpuBefore;
        };
        let timer: NodeJS.Timeout | undefined;
        // A request that is never answered fails rather than hanging the test.
        const late = new Promise<'late'>(resolve => { timer = setTimeout(() => resolve('late'), HANG_MS); });
        try {
            const result = await Promise.race([this.client.connection.sendRequest(method, params), late]);
            const milliseconds = result === 'late' ? Infinity : performance.now() - started;
            return { method, params, milliseconds, cpuMilliseconds: cpu(), limit, overtaken };
        } catch (error) {
            const { code, message } = error as { code: number; message: string };
            return { method, params, milliseconds: performance.now() - started, cpuMilliseconds: cpu(), limit, error: { code, message }, overtaken };
        } finally {
            clearTimeout(timer);
        }
    }

    async settle(): Promise<void> {
        await Promise.all(this.pending.splice(0));
    }

    private remember(step: string): void {
        this.history.push(step);
        if (this.history.length > 12) this.history.shift();
    }

    /** The last steps and the text, for a failure message. */
    report(): string {
        return `last steps:\n  ${this.history.join('\n  ')}\ntext (v${this.version}):\n${this.text}`;
    }
}

/** Diagnostics by workspace-relative name, without versions (a fresh server's text is version 1). */
function diagnosticsByName(client: LspClient): Record<string, Diagnostic[]> {
    const prefix = client.uri('') + '/';
    return Object.fromEntries([...client.allDiagnostics()].map(([uri, published]) => [uri.slice(prefix.length), published.diagnostics]).sort(([a], [b]) => a < b ? -1 : 1));
}

/** Waits until `condition` holds (the server publishes other files' diagnostics after the open one's). */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!condition() && performance.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
}

const clients: LspClient[] = [];
afterAll(async () => { await Promise.all(clients.map(client => client.stop())); });

describe(`the language server under ${EDITS} random edits (seed ${SEED})`, () => {
    test('never exits, answers every request in time without errors, and agrees with a fresh server once restored', async () => {
        const random = new Random(SEED);
        const names = Object.keys(EXAMPLES);
        const name = random.pick(names);
        const original = EXAMPLES[name];
        const client = await LspClient.start({ files: EXAMPLES });
        clients.push(client);
        const fresh = await LspClient.start({ files: EXAMPLES });
        clients.push(fresh);
        await fresh.open(name, original);
        await client.open(name, original);

        const fuzzer = new Fuzzer(client, name, original, random);
        const edits = new EditGenerator(random, TOKENS, names.filter(other => other !== name).map(other => EXAMPLES[other]), original.length * 3);
        const replay = `replay: UKC_FUZZ_SEED=${SEED} UKC_FUZZ_EDITS=${EDITS} npx vitest run test/language/lsp/fuzz.test.ts`;
        const fail = (step: number, why: string): never => {
            throw new Error(`${why}\nat edit ${step} of ${name} (seed ${SEED}); ${replay}\n${fuzzer.report()}\nserver stderr:\n${client.stderr}`);
        };

        // Each request once with more time: the first of a kind loads and compiles its code.
        for (const method of METHODS) await fuzzer.request(false, method, FIRST_ANSWER_WITHIN_MS);
        if (fuzzer.failure) fail(0, fuzzer.failure);

        for (let step = 1; step <= EDITS; step++) {
            await fuzzer.edit(edits.next(fuzzer.text));
            // Like typing: several edits often come before the editor asks anything.
            if (random.chance(0.5)) await fuzzer.request(random.chance(0.15));
            if (fuzzer.failure) fail(step, fuzzer.failure);
            if (client.exitCode !== undefined) fail(step, `the server exited with ${client.exitCode}`);
            if (step % RESTORE_EVERY === 0 || step === EDITS) {
                await fuzzer.settle();
                if (fuzzer.failure) fail(step, fuzzer.failure);
                const restored = await fuzzer.replace(original);
                const expected = diagnosticsByName(fresh);
                await eventually(() => JSON.stringify(diagnosticsByName(client)) === JSON.stringify(expected), 5000);
                expect(restored.diagnostics, `${replay}\n${fuzzer.report()}`).toEqual(expected[name]);
                expect(diagnosticsByName(client), `${replay}\n${fuzzer.report()}`).toEqual(expected);
            }
        }
        const errors = client.logs.filter(log => log.type === ERROR_LOG).map(log => log.message);
        expect(errors, replay).toEqual([]);
        expect(client.exitCode, replay).toBeUndefined();
    }, 600_000);
});
