/**
 * `ukc check FILE|DIR...`: parse, link and check every named file, print the diagnostics, and exit 1 when
 * any is an error.
 */
import { NodeFileSystem } from 'langium/node';
import type { LangiumDocument } from 'langium';
import { createUkServices, type UkServices, type Module } from '../language/index.js';
import { formatDiagnostic, summary, toFileDiagnostics, type FileDiagnostic } from './diagnostics-format.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { checkLocks } from './lock-check.js';
import { loadWorkspace } from './workspace-loader.js';

export interface CheckOptions {
    readonly json?: boolean;
}

export interface CheckResult {
    readonly diagnostics: FileDiagnostic[];
    readonly files: number;
    /** The checked documents the user named, for commands that go on to use them. */
    readonly documents: LangiumDocument<Module>[];
    readonly services: UkServices;
}

/** Checks the inputs and returns their diagnostics, files in the order they were named. */
export async function checkFiles(inputs: readonly string[], cwd: string): Promise<CheckResult> {
    const { shared, Uk } = createUkServices(NodeFileSystem, { referenceIndex: false, deferCst: true });
    const workspace = await loadWorkspace(inputs, cwd, shared, Uk);
    await shared.workspace.DocumentBuilder.build(workspace.all, { validation: true });
    const diagnostics = workspace.requested.flatMap(document => toFileDiagnostics(document, cwd));
    return { diagnostics, files: workspace.requested.length, documents: workspace.requested, services: Uk };
}

/** Prints the errors of a check (warnings are for `ukc check`) and says whether there were any. */
export function reportErrors(result: CheckResult, io: CliIO): boolean {
    const errors = result.diagnostics.filter(diagnostic => diagnostic.severity === 'error');
    for (const diagnostic of errors) io.stderr(formatDiagnostic(diagnostic) + '\n');
    return errors.length > 0;
}

export async function runCheck(inputs: readonly string[], options: CheckOptions, io: CliIO): Promise<ExitCode> {
    const result = await checkFiles(inputs, io.cwd);
    const diagnostics = [...result.diagnostics, ...await checkLocks(result.documents, result.services, io.cwd)];
    if (options.json) {
        io.stdout(JSON.stringify({ files: result.files, diagnostics }, undefined, 2) + '\n');
    } else {
        for (const diagnostic of diagnostics) io.stdout(formatDiagnostic(diagnostic) + '\n');
        io.stderr(summary(diagnostics, result.files) + '\n');
    }
    return diagnostics.some(d => d.severity === 'error') ? ExitCode.Diagnostics : ExitCode.Ok;
}
