/**
 * `ukc layout FILE [--abi PROFILE] [--method Interface.method] [--json] [--lock]`: how every message of every
 * interface in the file is laid out in the message registers of an ABI profile; with `--lock`, written
 * to `FILE.lock` for later comparison by `ukc diff`.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AstUtils, type LangiumDocument } from 'langium';
import { isInterfaceDecl, isMethod, isParam, type InterfaceDecl, type Module, type UkServices } from '../language/index.js';
import {
    findProfile, formatInterface, PROFILES, serializeLock, summarise, type AbiProfile, type InterfaceLayout, type LayoutProblem
} from '../layout/index.js';
import { checkFiles, reportErrors } from './check-command.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { displayPath, formatDiagnostic } from './diagnostics-format.js';
import { InputError } from './workspace-loader.js';

export interface LayoutOptions {
    readonly abi?: string;
    readonly method?: string;
    readonly json?: boolean;
    readonly lock?: boolean;
}

export interface FileLayouts {
    readonly profile: AbiProfile;
    readonly layouts: { readonly layout: InterfaceLayout; readonly problems: readonly LayoutProblem[]; readonly decl: InterfaceDecl }[];
}

export function resolveProfile(name: string | undefined): AbiProfile {
    const profile = findProfile(name ?? 'ukvm32');
    if (!profile) {
        throw new InputError(`unknown ABI profile '${name}'; profiles: ${PROFILES.map(candidate => candidate.name).join(', ')}`);
    }
    return profile;
}

/** Lays out every interface declared in `documents` (not those only imported). */
export function layoutDocuments(documents: readonly LangiumDocument<Module>[], services: UkServices, profile: AbiProfile): FileLayouts {
    const layouts = documents.flatMap(document => document.parseResult.value.declarations.filter(isInterfaceDecl))
        .map(decl => ({ ...services.layout.InterfaceLayouts.layoutOf(decl, profile), decl }));
    return { profile, layouts };
}

/** Layout problems for the chosen profile, as diagnostics at the method or pin they are about. */
export function reportLayoutProblems(layouts: FileLayouts, io: CliIO): boolean {
    let any = false;
    for (const { problems } of layouts.layouts) {
        for (const problem of problems) {
            const node = isParam(problem.source) ? problem.source.annotations.find(a => a.name === 'mr') ?? problem.source
                : isMethod(problem.source) ? problem.source : undefined;
            const cst = node?.$cstNode;
            if (!node || !cst) continue;
            const file = displayPath(AstUtils.getDocument(node).uri.fsPath, io.cwd);
            const start = cst.range.start;
            const end = cst.range.end;
            io.stderr(formatDiagnostic({
                file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
                severity: 'error', code: problem.code, message: problem.message
            }) + '\n');
            any = true;
        }
    }
    return any;
}

export async function runLayout(file: string, options: LayoutOptions, io: CliIO): Promise<ExitCode> {
    const profile = resolveProfile(options.abi);
    const checked = await checkFiles([file], io.cwd);
    if (reportErrors(checked, io)) return ExitCode.Diagnostics;
    const layouts = layoutDocuments(checked.documents, checked.services, profile);
    if (layouts.layouts.length === 0) {
        throw new InputError(`'${file}' declares no interfaces`);
    }
    if (options.lock) {
        if (options.method || options.json) throw new InputError('--lock writes every method of the file; it takes neither --method nor --json');
        return writeLock(file, layouts, io);
    }
    let selected = layouts.layouts;
    let methodName: string | undefined;
    if (options.method) {
        const [ifaceName, name] = options.method.split('.');
        selected = layouts.layouts.filter(entry => entry.decl.name === ifaceName
            && entry.layout.methods.some(method => method.name === name));
        if (selected.length === 0) {
            const known = layouts.layouts.flatMap(entry => entry.layout.methods.map(method => `${entry.decl.name}.${method.name}`));
            throw new InputError(`no method '${options.method}' in '${file}'; methods: ${known.join(', ')}`);
        }
        methodName = name;
    }
    if (reportLayoutProblems({ profile, layouts: selected }, io)) return ExitCode.Diagnostics;
    if (options.json) {
        const report = selected.map(({ layout }) => ({
            ...layout,
            methods: methodName ? layout.methods.filter(method => method.name === methodName) : layout.methods,
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
