/**
 * `ukc diff OLD NEW.uk [--abi PROFILE]`: which changes between two versions of the same interfaces break
 * the wire layout. OLD is a `.uk` file or a lock written by `ukc layout --lock`. Exit 1 when any breaks.
 */
import { diffLayouts, LockError, parseLock, type AbiProfile, type LayoutChange, type LayoutLock } from '../layout/index.js';
import { layoutDocuments, resolveProfile, type CheckResult, type FileLayouts } from '../session/checking.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { printDiagnostics } from './diagnostics-format.js';
import { InputError, inputOf, nodeSession, readInputFile } from './input-files.js';
import { reportLayoutProblems } from './layout-command.js';

export interface DiffOptions {
    readonly abi?: string;
}

export async function runDiff(oldFile: string, newFile: string, options: DiffOptions, io: CliIO): Promise<ExitCode> {
    const lock = oldFile.endsWith('.lock') ? await readLock(oldFile, io.cwd) : undefined;
    if (lock && options.abi !== undefined && options.abi !== lock.profile) {
        throw new InputError(`'${oldFile}' holds layouts for ${lock.profile}, not ${options.abi}`);
    }
    const profile = resolveProfile(lock?.profile ?? options.abi);
    const session = nodeSession();
    const before = lock ? undefined : await session.check([inputOf(oldFile, io.cwd)]);
    const after = await session.check([inputOf(newFile, io.cwd)]);
    const beforeErrors = before ? printErrors(before, io) : false;
    const afterErrors = printErrors(after, io);
    if (beforeErrors || afterErrors) return ExitCode.Diagnostics;
    const layoutsOf = (checked: CheckResult): FileLayouts => layoutDocuments(checked.documents, checked.services, profile);
    const beforeLayouts = before ? layoutsOf(before) : undefined;
    const afterLayouts = layoutsOf(after);
    if ((beforeLayouts && reportLayoutProblems(beforeLayouts, io)) || reportLayoutProblems(afterLayouts, io)) return ExitCode.Diagnostics;
    const beforeInterfaces = lock?.interfaces ?? beforeLayouts?.layouts.map(entry => entry.layout) ?? [];
    return report(diffLayouts(beforeInterfaces, afterLayouts.layouts.map(entry => entry.layout)), profile, io);
}

/** Prints a check's errors (warnings are for `ukc check`) and says whether there were any. */
function printErrors(checked: CheckResult, io: CliIO): boolean {
    const errors = checked.diagnostics.filter(diagnostic => diagnostic.severity === 'error');
    printDiagnostics(errors, io);
    return errors.length > 0;
}

function report(changes: readonly LayoutChange[], profile: AbiProfile, io: CliIO): ExitCode {
    for (const change of changes) {
        io.stdout(`${change.breaking ? 'breaking' : 'compatible'}: ${change.message}\n`);
    }
    const breaking = changes.filter(change => change.breaking).length;
    const compatible = changes.length - breaking;
    io.stderr(`${breaking} breaking, ${compatible} compatible ${changes.length === 1 ? 'change' : 'changes'} on ${profile.name}\n`);
    return breaking > 0 ? ExitCode.Diagnostics : ExitCode.Ok;
}

async function readLock(file: string, cwd: string): Promise<LayoutLock> {
    const bytes = await readInputFile(file, cwd);
    try {
        return parseLock(new TextDecoder().decode(bytes));
    } catch (error) {
        if (error instanceof LockError) throw new InputError(`'${file}' is not a ukc layout lock: ${error.message}`);
        throw error;
    }
}
