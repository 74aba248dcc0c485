/**
 * `ukc fmt FILE|DIR... [--check]`: puts every named `.uk` file (folders are searched recursively) in the
 * canonical style, rewriting those that change and listing them on stdout. With `--check` nothing is
 * written: the files that would change are listed and the exit code is 1 if there are any, for CI. A file
 * with syntax errors is never rewritten: its errors are printed as `ukc check` prints them, and the exit
 * code is 1.
 */
import { writeFileSync } from 'node:fs';
import { ExitCode, type CliIO } from './cli-io.js';
import { displayPath, printDiagnostics } from './diagnostics-format.js';
import { InputError, inputOf, nodeSession } from './input-files.js';

export interface FmtOptions {
    readonly check?: boolean;
}

export async function runFmt(inputs: readonly string[], options: FmtOptions, io: CliIO): Promise<ExitCode> {
    const files = await nodeSession().format(inputs.map(input => inputOf(input, io.cwd)));
    let exitCode: ExitCode = ExitCode.Ok;
    const unformatted: string[] = [];
    for (const file of files) {
        const shown = displayPath(file.uri.fsPath, io.cwd);
        if (file.kind === 'syntax-errors') {
            printDiagnostics(file.diagnostics, io);
            exitCode = worst(exitCode, ExitCode.Diagnostics);
        } else if (file.kind === 'refused') {
            io.stderr(`ukc: internal error: ${shown} was left as it is: ${file.reason}\nThis is a bug in ukc; please report it with the file.\n`);
            exitCode = worst(exitCode, ExitCode.Internal);
        } else if (file.text !== file.original) {
            if (!options.check) write(file.uri.fsPath, shown, file.text);
            io.stdout(`${shown}\n`);
            unformatted.push(shown);
        }
    }
    if (options.check && unformatted.length > 0) {
        const count = unformatted.length === 1 ? '1 file is' : `${unformatted.length} files are`;
        io.stderr(`${count} not formatted; \`ukc fmt\` rewrites ${unformatted.length === 1 ? 'it' : 'them'}\n`);
        exitCode = worst(exitCode, ExitCode.Diagnostics);
    }
    return exitCode;
}

function write(file: string, shown: string, text: string): void {
    try {
        writeFileSync(file, text);
    } catch (error) {
        const code = (error as { code?: unknown }).code;
        const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : String(code ?? error);
        throw new InputError(`cannot write '${shown}': ${reason}`);
    }
}

/** The more serious of two outcomes: an internal error over source errors over success. */
function worst(a: ExitCode, b: ExitCode): ExitCode {
    return Math.max(a, b);
}
