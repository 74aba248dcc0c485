/**
 * bench:lsp — the language server's latency on a 10,000-line workspace, through the protocol as an editor
 * uses it: `node bin/ukc.js lsp --stdio` as a child process over a generated workspace (several packages of
 * types, servers, clients and systems that import each other), one of its largest files open. Prints p50
 * and p95 of each request (also completion and hover sent right after a one-line edit), the time from a
 * one-line edit to the new diagnostics, the time to the first diagnostics on start-up, and the server's
 * memory, each with its target and PASS or MISS; the last line is the machine-readable summary.
 * `npm run bench:lsp -- --profile DIR` writes the server's CPU profile into DIR (V8's --cpu-prof);
 * `-- --start-up-only` stops after the first diagnostics and prints only the start-up figures (the
 * server's CPU time and the wall time), for comparing builds by several short runs.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { generateWorkspace, linesOf } from './generate-workspace.js';

const TARGET_LINES = 10_000;
const PACKAGES = 10;
const SAMPLES = 40;
const WARM_UP = 5;
/** The open file: the servers of a package in the middle, among the largest files. */
const OPEN = 'pkg5/servers.uk';

interface Position { line: number; character: number }
interface PublishedDiagnostics { uri: string; version?: number; diagnostics: { severity?: number; message: string }[] }

const files = generateWorkspace(TARGET_LINES, PACKAGES);
const totalLines = Object.values(files).reduce((sum, text) => sum + linesOf(text) - 1, 0);
const workspace = mkdtempSync(path.join(tmpdir(), 'ukc-bench-lsp-'));
for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
    writeFileSync(path.join(workspace, name), text);
}
const uriOf = (name: string) => pathToFileURL(path.join(workspace, name)).toString();
const openUri = uriOf(OPEN);
let text = files[OPEN];

// ---------------------------------------------------------------- the server and its connection

const ukc = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'ukc.js');
const started = performance.now();
const profile = process.argv.indexOf('--profile');
const profiling = profile > 0 ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.argv[profile + 1])}`] : [];
const server = spawn(process.execPath, [...profiling, ukc, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const exited = new Promise(resolve => server.on('exit', resolve));
const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
const waiters: { predicate: (value: PublishedDiagnostics) => boolean; resolve: (at: number) => void }[] = [];
connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
    const at = performance.now();
    if (params.uri === openUri && params.diagnostics.some(d => d.severity === 1)) {
        console.error(`the generated workspace should check cleanly, but ${OPEN} has: ${params.diagnostics.map(d => d.message).join('; ')}`);
        process.exitCode = 1;
    }
    for (const waiter of [...waiters]) {
        if (params.uri === openUri && waiter.predicate(params)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(at);
        }
    }
});
connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
connection.onRequest('client/registerCapability', () => null);
connection.onRequest('window/workDoneProgress/create', () => null);
connection.listen();

/** When the open file's diagnostics of `version` arrive. */
function diagnosticsOf(version: number): Promise<number> {
    return new Promise(resolve => waiters.push({ predicate: value => value.version === version, resolve }));
}

const folder = pathToFileURL(workspace).toString();
await connection.sendRequest('initialize', {
    processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'bench' }], capabilities: {}
});
await connection.sendNotification('initialized', {});
let version = 1;
const opened = performance.now();
const firstDiagnostics = diagnosticsOf(1);
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: openUri, languageId: 'uk', version, text } });
const firstAt = await firstDiagnostics;
const startUpCpu = serverCpu();
if (process.argv.includes('--start-up-only')) {
    console.log(`bench:lsp start_cpu_ms=${startUpCpu ?? ''} first_diagnostics_ms=${(firstAt - started).toFixed(0)}`);
    await stopServer();
    process.exit(0);
}

// ---------------------------------------------------------------- positions and edits in the open file

/** The position `shift` characters after the start of the `occurrence`-th `needle` in the open file. */
function at(needle: string, shift = 0, occurrence = 0): Position {
    let offset = -1;
    for (let i = 0; i <= occurrence; i++) {
        offset = text.indexOf(needle, offset + 1);
        if (offset < 0) throw new Error(`'${needle}' occurs fewer than ${occurrence + 1} times in ${OPEN}`);
    }
    offset += shift;
    const before = text.slice(0, offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
}

const unit = Number(/server Table(\d+)/.exec(text.slice(Math.floor(text.length / 2)))?.[1]);
const statusDot = `reply Status${unit}.`;
/** Where an editor asks for completion: after `.` on an enum and a bitfield, and in the middle of a name. */
const COMPLETION_AT = [at(statusDot, statusDot.length), at(`if flags.create`, 'if flags.'.length, 0), at('        used += 1', '        us'.length, 3)];
/** Where the mouse rests: a type from another file, state, a helper, a bitfield field, a parameter. */
const HOVER_AT = [at(`key: Key${unit}`, 'key: '.length), at('values[slot]', 1, 3), at('let slot = find(key)', 'let slot = '.length, 3), at('flags.level', 'flags.'.length, 3), at('on put(key, value', 'on put(key, '.length, 3)];
const DEFINITION_AT = [at(`key: Key${unit}`, 'key: '.length), at('let slot = find(key)', 'let slot = '.length, 3), at('used += 1', 0, 3)];
/** A struct used in every file of its package, and state used in several handlers. */
const REFERENCES_AT = [at(`key: Key${unit}`, 'key: '.length), at('used += 1', 0, 3)];
const RENAME_AT: [Position, string][] = [[at(`key: Key${unit}`, 'key: '.length), `Key${unit}Renamed`], [at('used += 1', 0, 3), 'count']];
/** The one-line edit: a digit in an expression of a handler, changed back and forth. */
const EDITED = at('value * 3 +', 'value * '.length, 3);

let digit = '3';

/** Changes the digit and resolves, once the new diagnostics arrive, to the milliseconds they took. */
async function editOneLine(): Promise<number> {
    digit = digit === '3' ? '4' : '3';
    const lines = text.split('\n');
    lines[EDITED.line] = lines[EDITED.line].slice(0, EDITED.character) + digit + lines[EDITED.line].slice(EDITED.character + 1);
    text = lines.join('\n');
    version++;
    const published = diagnosticsOf(version);
    await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: openUri, version },
        contentChanges: [{ range: { start: EDITED, end: { line: EDITED.line, character: EDITED.character + 1 } }, text: digit }]
    });
    const sent = performance.now();
    return published.then(arrived => arrived - sent);
}

// ---------------------------------------------------------------- measurements

async function timed(request: () => Promise<unknown>): Promise<number> {
    const begun = performance.now();
    await request();
    return performance.now() - begun;
}

/** SAMPLES timings of `request(i)` after WARM_UP untimed ones. */
async function sample(request: (i: number) => Promise<unknown>): Promise<number[]> {
    for (let i = 0; i < WARM_UP; i++) await request(i);
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) times.push(await timed(() => request(i)));
    return times;
}

/** A request sent right after a one-line edit (the edit's diagnostics are awaited before the next sample). */
async function sampleAfterEdit(request: (i: number) => Promise<unknown>): Promise<number[]> {
    const times: number[] = [];
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
        const diagnostics = editOneLine();
        const time = await timed(() => request(i));
        await diagnostics;
        if (i >= WARM_UP) times.push(time);
    }
    return times;
}

const document = { uri: openUri };
const completion = (i: number) => connection.sendRequest('textDocument/completion', {
    textDocument: document, position: COMPLETION_AT[i % COMPLETION_AT.length], context: { triggerKind: 1 }
});
const hover = (i: number) => connection.sendRequest('textDocument/hover', { textDocument: document, position: HOVER_AT[i % HOVER_AT.length] });

const percentile = (values: number[], share: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))];

interface Figure { readonly name: string; readonly key: string; readonly p50?: number; readonly value: number; readonly target: number; readonly unit: string }
const figures: Figure[] = [];

function latency(name: string, key: string, times: number[], target: number): void {
    figures.push({ name, key, p50: percentile(times, 0.5), value: percentile(times, 0.95), target, unit: 'ms' });
}

/** What the measured requests answer, once: a latency means nothing if the answer is empty. */
async function describeAnswers(): Promise<string> {
    const items = (await completion(0) as { items: unknown[] }).items.length;
    const hovered = (await hover(0) as { contents: { value: string } } | null)?.contents.value.split('\n').find(line => line !== '' && !line.startsWith('```')) ?? 'nothing';
    const locations = await connection.sendRequest('textDocument/references', {
        textDocument: document, position: REFERENCES_AT[0], context: { includeDeclaration: true }
    }) as { uri: string }[];
    const renamed = await connection.sendRequest('textDocument/rename', { textDocument: document, position: RENAME_AT[0][0], newName: RENAME_AT[0][1] }) as { changes?: Record<string, unknown[]> };
    const changes = Object.values(renamed.changes ?? {});
    const formatted = await connection.sendRequest('textDocument/formatting', { textDocument: document, options: { tabSize: 4, insertSpaces: true } }) as unknown[];
    const tokens = (await connection.sendRequest('textDocument/semanticTokens/full', { textDocument: document }) as { data: number[] }).data.length / 5;
    return `answers: completion ${items} items; hover '${hovered}'; references to Key${unit} ${locations.length} in ${new Set(locations.map(l => l.uri)).size} files; ` +
        `rename of Key${unit} ${changes.reduce((sum, edits) => sum + edits.length, 0)} edits in ${changes.length} files; formatting ${formatted.length} edits; ${tokens} semantic tokens`;
}
const answers = await describeAnswers();

latency('completion', 'completion', await sample(completion), 30);
latency('hover', 'hover', await sample(hover), 30);
latency('completion right after an edit', 'completion_after_edit', await sampleAfterEdit(completion), 30);
latency('hover right after an edit', 'hover_after_edit', await sampleAfterEdit(hover), 30);
latency('definition', 'definition', await sample(i => connection.sendRequest('textDocument/definition', {
    textDocument: document, position: DEFINITION_AT[i % DEFINITION_AT.length]
})), 100);
latency('references', 'references', await sample(i => connection.sendRequest('textDocument/references', {
    textDocument: document, position: REFERENCES_AT[i % REFERENCES_AT.length], context: { includeDeclaration: true }
})), 100);
latency('rename', 'rename', await sample(i => connection.sendRequest('textDocument/rename', {
    textDocument: document, position: RENAME_AT[i % RENAME_AT.length][0], newName: RENAME_AT[i % RENAME_AT.length][1]
})), 100);
latency('formatting', 'formatting', await sample(() => connection.sendRequest('textDocument/formatting', {
    textDocument: document, options: { tabSize: 4, insertSpaces: true }
})), 100);
latency('semantic tokens', 'semantic_tokens', await sample(() => connection.sendRequest('textDocument/semanticTokens/full', { textDocument: document })), 100);
const editTimes: number[] = [];
let editsCpu = 0;
for (let i = 0; i < WARM_UP + SAMPLES; i++) {
    const cpuBefore = serverCpu();
    const time = await editOneLine();
    if (i >= WARM_UP) {
        editTimes.push(time);
        editsCpu += (serverCpu() ?? NaN) - (cpuBefore ?? NaN);
    }
}
latency('one-line edit to new diagnostics', 'edit_to_diagnostics', editTimes, 150);
figures.push({ name: 'start-up to first diagnostics', key: 'first_diagnostics', value: firstAt - started, target: 1000, unit: 'ms' });

/**
 * The server's CPU time so far (user and system, all its threads, in ms), from Linux's account of the
 * process: on a machine shared with other work, the latencies above include waiting for a core, and this
 * says what the server itself spent.
 */
function serverCpu(): number | undefined {
    try {
        const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
        // utime and stime are fields 14 and 15 of stat, in clock ticks of 10 ms (Linux's USER_HZ).
        return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
        return undefined;
    }
}

/** The server's resident memory now and at its peak, from Linux's account of the process. */
function memory(pid: number): { rss: number; peak: number } | undefined {
    try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kilobytes = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
        return { rss: kilobytes('VmRSS') / 1024, peak: kilobytes('VmHWM') / 1024 };
    } catch {
        return undefined;
    }
}
const rss = server.pid === undefined ? undefined : memory(server.pid);

// ---------------------------------------------------------------- report

console.log(`bench:lsp on Node ${process.version}: ${totalLines} lines in ${Object.keys(files).length} files (${PACKAGES} packages), ${OPEN} open (${linesOf(files[OPEN])} lines); ${SAMPLES} samples each after ${WARM_UP} untimed`);
for (const figure of figures) {
    const p50 = figure.p50 === undefined ? ''.padEnd(16) : `p50 ${figure.p50.toFixed(1).padStart(7)} ms  `;
    const what = figure.p50 === undefined ? '   ' : 'p95';
    const verdict = figure.value <= figure.target ? 'PASS' : 'MISS';
    console.log(`${figure.name.padEnd(34)} ${p50}${what} ${figure.value.toFixed(1).padStart(7)} ms  target ${what} <= ${String(figure.target).padStart(4)} ms  ${verdict}`);
}
console.log(answers);
if (startUpCpu !== undefined) {
    console.log(`server CPU time: ${startUpCpu} ms from start to the first diagnostics; ${(editsCpu / SAMPLES).toFixed(0)} ms per one-line edit (to its diagnostics)`);
}
console.log(`(open to first diagnostics alone: ${(firstAt - opened).toFixed(0)} ms)`);
console.log(rss ? `server memory: RSS ${rss.rss.toFixed(0)} MB, peak ${rss.peak.toFixed(0)} MB` : 'server memory: unknown (no /proc)');
const summary = figures.map(figure => `${figure.key}_${figure.p50 === undefined ? '' : 'p95_'}ms=${figure.value.toFixed(1)}`).join(' ');
const missed = figures.filter(figure => figure.value > figure.target).length;
console.log(`bench:lsp lines=${totalLines} ${summary} rss_mb=${rss?.rss.toFixed(0) ?? ''} start_cpu_ms=${startUpCpu ?? ''} edit_cpu_ms=${(editsCpu / SAMPLES).toFixed(0)} missed=${missed}`);

await stopServer();

async function stopServer(): Promise<void> {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    // The server exits by itself (and writes its profile when asked to); one that does not is ended.
    const timeout = setTimeout(() => server.kill(), 10_000);
    await exited;
    clearTimeout(timeout);
    connection.dispose();
    rmSync(workspace, { recursive: true, force: true });
}
