/**
 * The workflow as a library: check sources, lay out their interfaces, compile a system — everything the
 * command line, the VS Code extension, the debug adapter and a browser do before running one. Sources are
 * read through a Langium `FileSystemProvider` (Node's on the command line, a `MemoryFileSystem` in a
 * browser); each call works on a fresh workspace, so that results never depend on an earlier call.
 * The code generator is loaded when a system is first compiled, so that checking (`ukc check`, the
 * editor's checks) does not load or parse it.
 */
import type { FileSystemProvider, LangiumDocument, URI } from 'langium';
import type { CodegenProblem, CompiledSystem } from '../codegen/index.js';
import { isSystemDecl, createUkServices, type Module, type SystemDecl, type UkServices } from '../language/index.js';
import type { AbiProfile } from '../layout/index.js';
import { documentDiagnostics, nodeDiagnostic, type SourceDiagnostic } from './diagnostics.js';
import { InputError } from './input-error.js';
import { layoutDocuments, type FileLayouts } from './layouts.js';
import { checkLocks } from './locks.js';
import { runnableOf, type RunnableSystem } from './runnable-system.js';
import { loadWorkspace, type SourceInput } from './workspace.js';
import { formatFiles, type FormattedFile } from './format.js';

export interface CheckResult {
    /** Diagnostics of the documents asked for, file by file in the order named, each file in source order. */
    readonly diagnostics: readonly SourceDiagnostic[];
    /** The documents asked for (directly or through a folder). */
    readonly documents: readonly LangiumDocument<Module>[];
    readonly services: UkServices;
}

export type CompileResult =
    | { readonly kind: 'compiled'; readonly name: string; readonly compiled: CompiledSystem; readonly system: RunnableSystem; readonly warnings: readonly SourceDiagnostic[] }
    /** The sources have errors (only errors are listed); nothing was compiled. */
    | { readonly kind: 'source-errors'; readonly diagnostics: readonly SourceDiagnostic[] }
    /** The code generator cannot compile what the checker accepted (its limits, as diagnostics). */
    | { readonly kind: 'codegen-errors'; readonly name: string; readonly diagnostics: readonly SourceDiagnostic[] };

export type LayoutResult =
    | { readonly kind: 'layouts'; readonly layouts: FileLayouts }
    | { readonly kind: 'source-errors'; readonly diagnostics: readonly SourceDiagnostic[] };

export class Session {
    constructor(private readonly files: FileSystemProvider) {}

    /** Parses, links and checks the inputs and whatever they import. */
    async check(inputs: readonly SourceInput[]): Promise<CheckResult> {
        const { shared, Uk } = createUkServices({ fileSystemProvider: () => this.files }, { referenceIndex: false, deferCst: true });
        const workspace = await loadWorkspace(inputs, this.files, shared, Uk);
        await shared.workspace.DocumentBuilder.build(workspace.all, { validation: true });
        const diagnostics = workspace.requested.flatMap(documentDiagnostics);
        return { diagnostics, documents: workspace.requested, services: Uk };
    }

    /** Breaking changes against the layout locks next to the checked files (`FILE.uk.lock`). */
    checkLocks(result: CheckResult, shownAs?: (uri: URI) => string): Promise<SourceDiagnostic[]> {
        return checkLocks(result.documents, result.services, this.files, shownAs);
    }

    /**
     * The message layouts of the interfaces a file declares and (with `used`) those it imports and uses.
     * Layout problems for the profile are in each entry's `problems`; `layoutProblemDiagnostics` places them.
     */
    async layouts(input: SourceInput, profile: AbiProfile, used: boolean): Promise<LayoutResult> {
        const checked = await this.check([input]);
        const errors = checked.diagnostics.filter(diagnostic => diagnostic.severity === 'error');
        if (errors.length > 0) return { kind: 'source-errors', diagnostics: errors };
        return { kind: 'layouts', layouts: layoutDocuments(checked.documents, checked.services, profile, used) };
    }

    /** Every `.uk` file the inputs name in the canonical style (nothing is written). */
    format(inputs: readonly SourceInput[]): Promise<FormattedFile[]> {
        return formatFiles(inputs, this.files);
    }

    /** Checks a file and compiles its system (`system` chooses one when it declares several). */
    async compile(input: SourceInput, system?: string): Promise<CompileResult> {
        const checked = await this.check([input]);
        const errors = checked.diagnostics.filter(diagnostic => diagnostic.severity === 'error');
        if (errors.length > 0) return { kind: 'source-errors', diagnostics: errors };
        const chosen = chooseSystem(checked.documents.flatMap(document => document.parseResult.value.declarations.filter(isSystemDecl)), input.shownAs, system);
        const { compileSystem } = await import('../codegen/index.js');
        const result = compileSystem(chosen, checked.services.types.TypeSystem, checked.services.layout.InterfaceLayouts);
        if (!result.system) return { kind: 'codegen-errors', name: chosen.name, diagnostics: result.problems.map(problemDiagnostic) };
        const warnings = checked.diagnostics.filter(diagnostic => diagnostic.severity !== 'error');
        return { kind: 'compiled', name: chosen.name, compiled: result.system, system: runnableOf(chosen.name, result.system), warnings };
    }
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

function problemDiagnostic(problem: CodegenProblem): SourceDiagnostic {
    return nodeDiagnostic(problem.node, 'error', 'codegen-unsupported', problem.message);
}
