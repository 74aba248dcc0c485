/**
 * `ukc diff OLD.uk NEW.uk [--abi PROFILE]`: which changes between two versions of the same interfaces break
 * the wire layout. Exit 1 when any does.
 */
import { diffLayouts } from '../layout/index.js';
import { checkFiles, reportErrors } from './check-command.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { layoutDocuments, reportLayoutProblems, resolveProfile } from './layout-command.js';

export interface DiffOptions {
    readonly abi?: string;
}

export async function runDiff(oldFile: string, newFile: string, options: DiffOptions, io: CliIO): Promise<ExitCode> {
    const profile = resolveProfile(options.abi);
    const before = await checkFiles([oldFile], io.cwd);
    const after = await checkFiles([newFile], io.cwd);
    const beforeErrors = reportErrors(before, io);
    const afterErrors = reportErrors(after, io);
    if (beforeErrors || afterErrors) return ExitCode.Diagnostics;
    const beforeLayouts = layoutDocuments(before.documents, before.services, profile);
    const afterLayouts = layoutDocuments(after.documents, after.services, profile);
    if (reportLayoutProblems(beforeLayouts, io) || reportLayoutProblems(afterLayouts, io)) return ExitCode.Diagnostics;
    const changes = diffLayouts(beforeLayouts.layouts.map(entry => entry.layout), afterLayouts.layouts.map(entry => entry.layout));
    for (const change of changes) {
        io.stdout(`${change.breaking ? 'breaking' : 'compatible'}: ${change.message}\n`);
    }
    const breaking = changes.filter(change => change.breaking).length;
    const compatible = changes.length - breaking;
    io.stderr(`${breaking} breaking, ${compatible} compatible ${changes.length === 1 ? 'change' : 'changes'} on ${profile.name}\n`);
    return breaking > 0 ? ExitCode.Diagnostics : ExitCode.Ok;
}
