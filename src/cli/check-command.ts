/**
 * `ukc check FILE|DIR...`: parse, link and check every named file (and compare files that have a layout
 * lock with it), print the diagnostics, and exit 1 when any is an error.
 */
import { ExitCode, type CliIO } from './cli-io.js';
import { displayPath, formatDiagnostic, summary, toFileDiagnostic } from './diagnostics-format.js';
import { inputOf, nodeSession } from './input-files.js';

export interface CheckOptions {
    readonly json?: boolean;
}

export async function runCheck(inputs: readonly string[], options: CheckOptions, io: CliIO): Promise<ExitCode> {
    const session = nodeSession();
    const result = await session.check(inputs.map(input => inputOf(input, io.cwd)));
    const locks = await session.checkLocks(result, uri => displayPath(uri.fsPath, io.cwd));
    const diagnostics = [...result.diagnostics, ...locks].map(diagnostic => toFileDiagnostic(diagnostic, io.cwd));
    if (options.json) {
        io.stdout(JSON.stringify({ files: result.documents.length, diagnostics }, undefined, 2) + '\n');
    } else {
        for (const diagnostic of diagnostics) io.stdout(formatDiagnostic(diagnostic) + '\n');
        io.stderr(summary(diagnostics, result.documents.length) + '\n');
    }
    return diagnostics.some(d => d.severity === 'error') ? ExitCode.Diagnostics : ExitCode.Ok;
}
