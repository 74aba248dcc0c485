/**
 * Compiles uk sources in the tests' virtual workspace and boots the result under the kernel, collecting
 * console output and events.
 */
import { isSystemDecl } from '../../src/language/generated/ast.js';
import { compileSystem, type CompiledSystem } from '../../src/codegen/index.js';
import { KERNEL_PERSONALITIES, bootSystem, parseManifest, type BootedSystem, type KernelEvent, type RunResult } from '../../runtime/kernel/index.js';
import { type CapManifest, type ComponentManifest, type ObjectManifest } from '../../runtime/contract/index.js';
import { assemble, assembledImage, parseElf } from '../../runtime/machine/index.js';
import { buildFiles, format, services } from '../helpers.js';

export interface CompileOutcome {
    readonly compiled?: CompiledSystem;
    /** Checker errors and code generator problems, as `line:col message`. */
    readonly problems: string[];
}

export async function compileSource(files: Record<string, string>, systemName?: string): Promise<CompileOutcome> {
    const documents = await buildFiles(files);
    const errors = documents.flatMap(document => (document.diagnostics ?? []).filter(d => d.severity === 1).map(format));
    if (errors.length > 0) return { problems: errors };
    const systems = documents.flatMap(document => document.parseResult.value.declarations.filter(isSystemDecl));
    const system = systems.find(candidate => systemName === undefined || candidate.name === systemName);
    if (!system) return { problems: ['no system'] };
    const result = compileSystem(system, services.Uk.types.TypeSystem, services.Uk.layout.InterfaceLayouts);
    return {
        compiled: result.system,
        problems: result.problems.map(problem => {
            const start = problem.node.$cstNode?.range.start;
            return `${(start?.line ?? 0) + 1}:${(start?.character ?? 0) + 1} ${problem.message}`;
        })
    };
}

export interface RunOutcome {
    readonly output: string;
    readonly result: RunResult;
    readonly events: KernelEvent[];
    readonly booted: BootedSystem;
}

export function runCompiled(compiled: CompiledSystem, maxCycles = 200_000_000): RunOutcome {
    const images = new Map(compiled.images.map(image => [image.file, parseElf(image.elf)]));
    const booted = bootSystem(parseManifest(JSON.parse(JSON.stringify(compiled.manifest))), images);
    let output = '';
    const events: KernelEvent[] = [];
    booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
    booted.kernel.events.subscribe(event => events.push(event));
    const result = booted.kernel.run(maxCycles);
    return { output, result, events, booted };
}

/** Compiles and runs; fails the test with the problems if it does not compile. */
export async function compileAndRun(files: Record<string, string> | string, maxCycles?: number): Promise<RunOutcome> {
    const outcome = await compileSource(typeof files === 'string' ? { 'main.uk': files } : files);
    if (!outcome.compiled) throw new Error(`does not compile:\n${outcome.problems.join('\n')}`);
    return runCompiled(outcome.compiled, maxCycles);
}

/** A component written in assembly, to talk to compiled ones the way no compiled client would. */
export interface HandWrittenComponent {
    readonly name: string;
    /** RV32 assembly with a `_start`, placed at 0x10000. */
    readonly source: string;
    readonly priority: number;
    readonly caps: readonly CapManifest[];
    readonly memory?: ComponentManifest['memory'];
    /** Kernel objects it needs besides the compiled system's (a notification to wait on, say). */
    readonly objects?: readonly ObjectManifest[];
    /** A compiled component it takes the place of. */
    readonly replaces?: string;
}

/** Boots a compiled system with one hand-written component added (thread and image named after it). */
export function bootWithHandWritten(compiled: CompiledSystem, component: HandWrittenComponent): BootedSystem {
    const manifest = parseManifest({
        ...compiled.manifest,
        objects: [...(compiled.manifest.objects ?? []), ...(component.objects ?? [])],
        components: [...compiled.manifest.components.filter(other => other.name !== component.replaces), {
            name: component.name, image: component.name, threads: [{ name: component.name, priority: component.priority }],
            ...(component.memory ? { memory: component.memory } : {}),
            caps: [...component.caps]
        }]
    });
    const images = new Map(compiled.images.map(image => [image.file, parseElf(image.elf)]));
    images.set(component.name, assembledImage(assemble(component.source, { sectionAddresses: { '.text': 0x1_0000 } })));
    return bootSystem(manifest, images);
}

/**
 * Runs a compiled system beside a hand-written client `raw` (priority 50, the server `s`'s endpoint in slot
 * 1) whose `_start` is `body`, then parks: the labels of every reply in order, and the console output.
 */
export function runRawClient(compiled: CompiledSystem, body: string): { labels: number[]; output: string } {
    const booted = bootWithHandWritten(compiled, {
        name: 'raw', priority: 50, source: `
_start:
${body}
park:
    j park
`,
        caps: [{ slot: 1, endpoint: 's.endpoint', rights: 'w' }]
    });
    let output = '';
    const labels: number[] = [];
    booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
    booted.kernel.events.subscribe(event => {
        if (event.kind === 'ipc' && event.operation === 'reply') labels.push(event.label);
    });
    booted.kernel.run(2_000_000);
    return { labels, output };
}

/** The console output of a compiled system run under each kernel personality, in KERNEL_PERSONALITIES' order. */
export function outputUnderEveryPersonality(compiled: CompiledSystem, maxCycles = 50_000_000): string[] {
    const images = new Map(compiled.images.map(image => [image.file, parseElf(image.elf)]));
    return KERNEL_PERSONALITIES.map(personality => {
        const booted = bootSystem(parseManifest(JSON.parse(JSON.stringify(compiled.manifest))), images, { personality });
        let output = '';
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        booted.kernel.run(maxCycles);
        return output;
    });
}
