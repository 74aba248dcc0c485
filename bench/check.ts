/**
 * bench:check — language throughput. Generates a 50,000-line workspace twice (one file, and 50 files of
 * 1,000 lines) and times a full check (parse, index, link, validate) of each, parsing alone, and Langium's
 * own parser on the same text as the same-run reference. Prints lines per second; the last line is the
 * machine-readable summary.
 *
 * `--instructions` adds host instructions counted by cachegrind (bench/cachegrind.ts): per warm full check
 * of the one-file workspace (this script as `--child N`, N checks in one process, 2 minus 1), and for the
 * whole `ukc check` process on the 50 files. It takes a few minutes; `--instructions-only` prints only
 * these counts, for a machine too busy for wall time to mean much.
 */
import '../src/polyfill.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import { createUkServices } from '../src/language/uk-module.js';
import { hostInstructions, instructionsPerRepetition, valgrindAvailable } from './cachegrind.js';
import { generateText, linesOf } from './generate-workspace.js';

const TOTAL_LINES = 50_000;
const FILES = 50;
const RUNS = 3;

interface Measurement { readonly lines: number; readonly seconds: number; readonly errors: number }

type Mode = 'check' | 'parse' | 'langium-parse';

async function checkOnce(files: readonly string[], mode: Mode): Promise<Measurement> {
    // As `ukc check` does: no find-references index, which only an editor would use.
    const { shared, Uk } = createUkServices(EmptyFileSystem, { referenceIndex: false, deferCst: true });
    const started = performance.now();
    if (mode === 'langium-parse') {
        // The reference: Langium's own (recovering) parser, which ukc uses only for files with syntax errors.
        const errors = files.reduce((sum, text) => sum + Uk.parser.LangiumParser.parse(text).parserErrors.length, 0);
        return { lines: files.reduce((sum, text) => sum + linesOf(text), 0), seconds: (performance.now() - started) / 1000, errors };
    }
    const documents: LangiumDocument[] = files.map((text, i) =>
        shared.workspace.LangiumDocumentFactory.fromString(text, URI.file(`/bench/file${i}.uk`)));
    let errors = documents.reduce((sum, document) => sum + document.parseResult.parserErrors.length + document.parseResult.lexerErrors.length, 0);
    if (mode === 'check') {
        for (const document of documents) shared.workspace.LangiumDocuments.addDocument(document);
        await shared.workspace.DocumentBuilder.build(documents, { validation: true });
        errors = documents.reduce((sum, document) => sum + (document.diagnostics ?? []).filter(d => d.severity === 1).length, 0);
    }
    const seconds = (performance.now() - started) / 1000;
    return { lines: files.reduce((sum, text) => sum + linesOf(text), 0), seconds, errors };
}

/**
 * What a user waits for: `ukc check DIR` in a fresh Node process (start-up, reading files, and V8 compiling
 * everything for the first time), median of RUNS processes.
 */
function checkCold(files: readonly string[]): Measurement {
    return inWorkspaceFolder(files, folder => {
        const lines = files.reduce((sum, text) => sum + linesOf(text), 0);
        const runs: Measurement[] = [];
        for (let i = 0; i < RUNS; i++) {
            const started = performance.now();
            const result = spawnSync(process.execPath, [cli, 'check', folder], { encoding: 'utf8' });
            const seconds = (performance.now() - started) / 1000;
            if (result.status !== 0) console.error(result.stdout, result.stderr);
            runs.push({ lines, seconds, errors: result.status === 0 ? 0 : 1 });
        }
        runs.sort((a, b) => a.seconds - b.seconds);
        return runs[Math.floor(RUNS / 2)];
    });
}

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'ukc.js');

/** Calls `use` with a temporary folder holding `files` as file0.uk, file1.uk..., removed afterwards. */
function inWorkspaceFolder<T>(files: readonly string[], use: (folder: string) => T): T {
    const folder = mkdtempSync(path.join(tmpdir(), 'ukc-bench-check-'));
    try {
        files.forEach((text, i) => writeFileSync(path.join(folder, `file${i}.uk`), text));
        return use(folder);
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
}

/** The median of RUNS runs, after one warm-up run. */
async function measure(files: readonly string[], mode: Mode): Promise<Measurement> {
    await checkOnce(files, mode);
    const runs: Measurement[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await checkOnce(files, mode));
    runs.sort((a, b) => a.seconds - b.seconds);
    return runs[Math.floor(RUNS / 2)];
}

function report(label: string, measurement: Measurement): number {
    const perSecond = Math.round(measurement.lines / measurement.seconds);
    console.log(`${label.padEnd(38)} ${String(measurement.lines).padStart(6)} lines  ${measurement.seconds.toFixed(3)} s  ${perSecond.toLocaleString('en-US').padStart(9)} lines/s  errors=${measurement.errors}`);
    if (measurement.errors > 0) {
        console.error(`the generated workspace should check cleanly but has ${measurement.errors} errors`);
        process.exitCode = 1;
    }
    return perSecond;
}

const single = [generateText(TOTAL_LINES)];
const multi: string[] = [];
for (let i = 0; i < FILES; i++) multi.push(generateText(TOTAL_LINES / FILES, i * 1000));

/** Host instructions of one warm full check of the one-file workspace, and of `ukc check` on the 50 files. */
function countInstructions(): { warm: number; cold: number } | undefined {
    if (!valgrindAvailable()) return undefined;
    const warm = instructionsPerRepetition([fileURLToPath(import.meta.url), '--child'], 1, 2);
    const cold = inWorkspaceFolder(multi, folder => hostInstructions([cli, 'check', folder]));
    return { warm, cold };
}

const child = process.argv.indexOf('--child');
if (child >= 0) {
    // N full checks of the one-file workspace in this process, for countInstructions.
    for (let i = Number(process.argv[child + 1]); i > 0; i--) await checkOnce(single, 'check');
    process.exit(0);
}
if (process.argv.includes('--instructions-only')) {
    const counted = countInstructions();
    console.log(counted === undefined ? 'bench:check valgrind not found: not counted'
        : `bench:check host_instructions_warm_check=${counted.warm.toFixed(0)} host_instructions_cold_cli=${counted.cold}`);
    process.exit(0);
}

console.log(`bench:check on Node ${process.version}, median of ${RUNS} runs after a warm-up`);
const langiumParse = report("Langium's parser, 1 file (reference)", await measure(single, 'langium-parse'));
const parseSingle = report('parse only, 1 file', await measure(single, 'parse'));
const checkSingle = report('full check, 1 file', await measure(single, 'check'));
const checkMulti = report(`full check, ${FILES} files`, await measure(multi, 'check'));
const cold = report(`ukc check, ${FILES} files, fresh process`, checkCold(multi));
console.log(`ukc's parser / Langium's parser: ${(parseSingle / langiumParse).toFixed(2)}; full check / parse only: ${(checkSingle / parseSingle).toFixed(2)}`);
let instructions = '';
if (process.argv.includes('--instructions')) {
    const counted = countInstructions();
    console.log(counted === undefined ? 'host instructions  valgrind not found: not counted'
        : `host instructions  ${(counted.warm / 1e6).toFixed(0)} M per warm full check of 1 file (cachegrind: 2 minus 1 checks in a process); ${(counted.cold / 1e6).toFixed(0)} M for \`ukc check\` of ${FILES} files in a fresh process`);
    instructions = counted === undefined ? ' host_instructions_warm_check=n/a host_instructions_cold_cli=n/a'
        : ` host_instructions_warm_check=${counted.warm.toFixed(0)} host_instructions_cold_cli=${counted.cold}`;
}
console.log(`bench:check lines=${TOTAL_LINES} single_file_lines_per_s=${checkSingle} multi_file_lines_per_s=${checkMulti} parse_lines_per_s=${parseSingle} langium_parse_lines_per_s=${langiumParse} parser_speedup=${(parseSingle / langiumParse).toFixed(2)} cold_cli_lines_per_s=${cold}${instructions}`);
