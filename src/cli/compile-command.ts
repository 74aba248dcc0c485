/**
 * `ukc compile SYSTEM.uk [-o DIR] [--system NAME] [--asm]`: checks the file, compiles its system, and
 * writes the image directory: `manifest.json` (the boot manifest), one `COMPONENT.elf` per component type,
 * `debug.json` (line tables, symbols and variable locations) and, with --asm, `COMPONENT.s`. Source errors
 * and what the code generator cannot compile yet are diagnostics (exit 1).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AstUtils } from 'langium';
import { compileSystem, type CodegenProblem, type CompiledSystem } from '../codegen/index.js';
import { isSystemDecl, type SystemDecl } from '../language/index.js';
import { checkFiles, reportErrors } from './check-command.js';
import { ExitCode, type CliIO } from './cli-io.js';
import { displayPath, formatDiagnostic, type FileDiagnostic } from './diagnostics-format.js';
import { InputError } from './workspace-loader.js';

export interface CompileOptions {
    readonly output?: string;
    readonly system?: string;
    readonly asm?: boolean;
}

export async function runCompile(file: string, options: CompileOptions, io: CliIO): Promise<ExitCode> {
    const compiled = await compileFile(file, options.system, io);
    if (typeof compiled === 'number') return compiled;
    const output = path.resolve(io.cwd, options.output ?? `${compiled.name}.image`);
    await writeImage(compiled.system, output, options.asm === true);
    io.stderr(`compiled system ${compiled.name}: ${compiled.system.manifest.components.length} components, ${compiled.system.images.length} images in ${displayPath(output, io.cwd)}\n`);
    return ExitCode.Ok;
}

/** Checks and compiles a file's system; on errors, prints them and returns the exit code. */
export async function compileFile(file: string, systemName: string | undefined, io: CliIO): Promise<{ name: string; system: CompiledSystem } | ExitCode> {
    const checked = await checkFiles([file], io.cwd);
    if (reportErrors(checked, io)) return ExitCode.Diagnostics;
    const system = chooseSystem(checked.documents.flatMap(document => document.parseResult.value.declarations.filter(isSystemDecl)), file, systemName);
    const result = compileSystem(system, checked.services.types.TypeSystem, checked.services.layout.InterfaceLayouts);
    if (!result.system) {
        for (const problem of result.problems) io.stderr(formatDiagnostic(problemDiagnostic(problem, io.cwd)) + '\n');
        io.stderr(`${result.problems.length} error${result.problems.length === 1 ? '' : 's'}: system ${system.name} was not compiled\n`);
        return ExitCode.Diagnostics;
    }
    return { name: system.name, system: result.system };
}

function chooseSystem(systems: readonly SystemDecl[], file: string, wanted: string | undefined): SystemDecl {
    if (wanted !== undefined) {
        const found = systems.find(system => system.name === wanted);
        if (!found) throw new InputError(`'${file}' has no system named '${wanted}'${systems.length > 0 ? ` (it has: ${systems.map(system => system.name).join(', ')})` : ''}`);
        return found;
    }
    if (systems.length === 0) throw new InputError(`'${file}' declares no system; ukc compile needs a 'system' to compile`);
    if (systems.length > 1) throw new InputError(`'${file}' declares ${systems.length} systems (${systems.map(system => system.name).join(', ')}); choose one with --system NAME`);
    return systems[0];
}

function problemDiagnostic(problem: CodegenProblem, cwd: string): FileDiagnostic {
    const document = AstUtils.getDocument(problem.node);
    const range = problem.node.$cstNode?.range;
    return {
        file: displayPath(document.uri.fsPath, cwd),
        line: (range?.start.line ?? 0) + 1,
        column: (range?.start.character ?? 0) + 1,
        endLine: (range?.end.line ?? 0) + 1,
        endColumn: (range?.end.character ?? 0) + 1,
        severity: 'error',
        code: 'codegen-unsupported',
        message: problem.message
    };
}

/** Writes the image directory; every file is a deterministic function of the compiled system. */
export async function writeImage(system: CompiledSystem, folder: string, withAssembly: boolean): Promise<void> {
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'manifest.json'), JSON.stringify(system.manifest, undefined, 2) + '\n');
    const debug: Record<string, unknown> = {};
    for (const image of system.images) {
        await writeFile(path.join(folder, image.file), image.elf);
        if (withAssembly) await writeFile(path.join(folder, `${image.component}.s`), image.assembly);
        debug[image.component] = {
            image: image.file,
            lines: image.lineTable.map(entry => ({ address: entry.address, file: entry.position.file, line: entry.position.line, column: entry.position.column })),
            functions: image.variables
        };
    }
    await writeFile(path.join(folder, 'debug.json'), JSON.stringify({ format: 'ukc-debug/1', components: debug, trace: system.trace }, bigintsAsStrings, 2) + '\n');
}

/** JSON has no 64-bit integers: enum values in layouts are written as decimal strings. */
function bigintsAsStrings(_key: string, value: unknown): unknown {
    return typeof value === 'bigint' ? value.toString() : value;
}
