/**
 * The adapter as a Node host runs it (`ukc debug-adapter`, and inline in the VS Code extension): programs
 * are read from disk — a `.uk` file compiled through the session library, or an image folder read back —
 * and exit statuses are those `ukc run` gives.
 */
import * as path from 'node:path';
import { UkcDebugSession, type LoadedProgram, type UkcLaunchArguments } from '../debug/index.js';
import { ImageError, outcomeReport, type RunOutcome } from '../session/index.js';
import { formatDiagnostic, toFileDiagnostic } from './diagnostics-format.js';
import { isImageDirectory, readImageFolder } from './image-directory.js';
import { InputError, inputOf, nodeSession } from './input-files.js';

/** A debug session over Node's file system: what `ukc debug-adapter` serves and the extension runs inline. */
export function createUkcDebugSession(): UkcDebugSession {
    return new UkcDebugSession(loadProgram, runExitCode);
}

async function loadProgram(args: UkcLaunchArguments): Promise<LoadedProgram | { error: string }> {
    if (typeof args.program !== 'string' || args.program === '') return { error: "the launch configuration needs 'program': a .uk file or an image folder\n" };
    const program = path.resolve(args.program);
    const folder = path.dirname(program);
    try {
        if (await isImageDirectory(program)) {
            // Image folders keep no sources: they are looked for next to the folder.
            return { system: await readImageFolder(program, args.program), sourcePath: file => path.join(path.dirname(program), file) };
        }
        const result = await nodeSession().compile(inputOf(program, folder), args.system);
        if (result.kind === 'compiled') return { system: result.system, sourcePath: file => path.join(folder, file) };
        return { error: result.diagnostics.map(diagnostic => formatDiagnostic(toFileDiagnostic(diagnostic, folder)) + '\n').join('') };
    } catch (error) {
        if (error instanceof InputError || error instanceof ImageError) return { error: `${error.message}\n` };
        throw error;
    }
}

/** The exit status `ukc run` gives an outcome (the session decides it for every host). */
export function runExitCode(outcome: RunOutcome): number {
    return outcomeReport(outcome, '', { cycleLimit: 'maxCycles', timeout: 'timeout' }).exitStatus;
}
