/**
 * `ukc compile SYSTEM.uk [-o DIR] [--system NAME] [--asm]`: checks the file, compiles its system, and
 * writes the image directory (the session library says what is in it). Source errors and what the code
 * generator cannot compile yet are diagnostics (exit 1).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { imageFiles, type CompileResult } from '../session/index.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { displayPath, printDiagnostics } from './diagnostics-format.js';
import { inputOf, nodeSession } from './input-files.js';

export interface CompileOptions {
    readonly output?: string;
    readonly system?: string;
    readonly asm?: boolean;
}

export async function runCompile(file: string, options: CompileOptions, io: CliIO): Promise<ExitCode> {
    const result = await compileFile(file, options.system, io);
    if (result.kind !== 'compiled') return ExitCode.Diagnostics;
    const output = path.resolve(io.cwd, options.output ?? `${result.name}.image`);
    await mkdir(output, { recursive: true });
    for (const [name, bytes] of imageFiles(result.name, result.compiled, options.asm === true)) await writeFile(path.join(output, name), bytes);
    io.stderr(`compiled system ${result.name}: ${result.compiled.manifest.components.length} components, ${result.compiled.images.length} images in ${displayPath(output, io.cwd)}\n`);
    return ExitCode.Ok;
}

/** Checks and compiles a file's system; errors are printed as diagnostics. */
export async function compileFile(file: string, system: string | undefined, io: CliIO): Promise<CompileResult> {
    const result = await nodeSession().compile(inputOf(file, io.cwd), system);
    if (result.kind !== 'compiled') printDiagnostics(result.diagnostics, io);
    if (result.kind === 'codegen-errors') {
        const count = result.diagnostics.length;
        io.stderr(`${count} error${count === 1 ? '' : 's'}: system ${result.name} was not compiled\n`);
    }
    return result;
}
