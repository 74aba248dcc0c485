/**
 * `ukc layout FILE [--abi PROFILE] [--method Interface.method] [--json] [--lock]`: how every message of every
 * interface the file declares or uses (imported ones included) is laid out in the message registers of an
 * ABI profile; with `--lock`, the file's own interfaces written to `FILE.lock` for later comparison by
 * `ukc diff`.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { layoutProblemDiagnostics, resolveProfile, type FileLayouts } from '../session/checking.js';
import { formatInterface, serializeLock, summarise } from '../layout/index.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { printDiagnostics } from './diagnostics-format.js';
import { InputError, inputOf, nodeSession } from './input-files.js';

export interface LayoutOptions {
    readonly abi?: string;
    readonly method?: string;
    readonly json?: boolean;
    readonly lock?: boolean;
}

/** Prints layout problems as diagnostics and says whether there were any. */
export function reportLayoutProblems(layouts: FileLayouts, io: CliIO): boolean {
    const problems = layoutProblemDiagnostics(layouts);
    printDiagnostics(problems, io);
    return problems.length > 0;
}

export async function runLayout(file: string, options: LayoutOptions, io: CliIO): Promise<ExitCode> {
    const profile = resolveProfile(options.abi);
    if (options.lock && (options.method || options.json)) throw new InputError('--lock writes every method of the file; it takes neither --method nor --json');
    // A lock records the file's own interfaces; a view also shows the imported ones the file uses.
    const result = await nodeSession().layouts(inputOf(file, io.cwd), profile, !options.lock);
    if (result.kind === 'source-errors') {
        printDiagnostics(result.diagnostics, io);
        return ExitCode.Diagnostics;
    }
    const layouts = result.layouts;
    if (layouts.layouts.length === 0) {
        throw new InputError(`'${file}' declares no interfaces${options.lock ? '' : ' and uses none'}`);
    }
    if (options.lock) return writeLock(file, layouts, io);
    let selected = layouts.layouts;
    let methodName: string | undefined;
    if (options.method) {
        const [ifaceName, name] = options.method.split('.');
        selected = layouts.layouts.filter(entry => entry.decl.name === ifaceName
            && [...entry.layout.methods, ...entry.layout.events].some(method => method.name === name));
        if (selected.length === 0) {
            const known = layouts.layouts.flatMap(entry => [...entry.layout.methods, ...entry.layout.events].map(method => `${entry.decl.name}.${method.name}`));
            throw new InputError(`no method '${options.method}' in '${file}'; methods: ${known.join(', ')}`);
        }
        methodName = name;
    }
    if (reportLayoutProblems({ profile, layouts: selected }, io)) return ExitCode.Diagnostics;
    if (options.json) {
        const report = selected.map(({ layout }) => ({
            ...layout,
            methods: methodName ? layout.methods.filter(method => method.name === methodName) : layout.methods,
            events: methodName ? layout.events.filter(event => event.name === methodName) : layout.events,
            summary: summarise(layout)
        }));
        io.stdout(JSON.stringify({ profile, interfaces: report }, jsonValue, 2) + '\n');
    } else {
        io.stdout(selected.map(({ layout }) => formatInterface(layout, profile, methodName)).join('\n'));
    }
    return ExitCode.Ok;
}

async function writeLock(file: string, layouts: FileLayouts, io: CliIO): Promise<ExitCode> {
    // A lock of layouts with problems would record something that cannot be sent.
    if (reportLayoutProblems(layouts, io)) return ExitCode.Diagnostics;
    const lockFile = `${file}.lock`;
    const text = serializeLock({ profile: layouts.profile.name, interfaces: layouts.layouts.map(entry => entry.layout) });
    try {
        await writeFile(path.resolve(io.cwd, lockFile), text);
    } catch (error) {
        throw new InputError(`cannot write '${lockFile}': ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const count = layouts.layouts.length;
    io.stdout(`wrote ${lockFile}: ${count} ${count === 1 ? 'interface' : 'interfaces'} on ${layouts.profile.name}\n`);
    return ExitCode.Ok;
}

/** JSON has no bigint: enum values become numbers (they fit, being at most 64-bit enum constants, as strings otherwise). */
function jsonValue(_key: string, value: unknown): unknown {
    if (typeof value === 'bigint') {
        return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    return value;
}
