/**
 * The image directory `ukc compile` writes and `ukc run` reads back: `manifest.json` (the boot manifest),
 * one `COMPONENT.elf` per component type, `debug.json` (the system's name, line tables, functions and the
 * trace map) and, on request, `COMPONENT.s`. Both directions are functions over file contents, so that the
 * command line, an editor or a browser can store the files wherever they like. Reading refuses anything
 * missing, damaged or of another format version with an `ImageError` of one sentence.
 */
import type { CompiledSystem, LineTableEntry, StateInfo, VariableInfo } from '../codegen/index.js';
import { parseManifest, ManifestError } from '../../runtime/kernel/index.js';
import type { BootManifest, TraceMap } from '../../runtime/contract/index.js';
import type { RunnableImage, RunnableSystem } from './runnable-system.js';

export const DEBUG_FORMAT = 'ukc-debug/2';

export class ImageError extends Error {}

interface DebugFile {
    readonly format?: unknown;
    readonly system?: unknown;
    readonly components?: Record<string, {
        readonly image?: string;
        readonly lines?: readonly { readonly address: number; readonly file: string; readonly line: number; readonly column: number }[];
        readonly functions?: readonly VariableInfo[];
        readonly state?: readonly StateInfo[];
    }>;
    readonly trace?: unknown;
}

/** The files of an image directory, by name, in the order they are best written; every byte is a function of the system. */
export function imageFiles(name: string, system: CompiledSystem, withAssembly: boolean): Map<string, Uint8Array> {
    const encoder = new TextEncoder();
    const files = new Map<string, Uint8Array>();
    files.set('manifest.json', encoder.encode(JSON.stringify(system.manifest, undefined, 2) + '\n'));
    const components: Record<string, unknown> = {};
    for (const image of system.images) {
        files.set(image.file, image.elf);
        if (withAssembly) files.set(`${image.component}.s`, encoder.encode(image.assembly));
        components[image.component] = {
            image: image.file,
            lines: image.lineTable.map(entry => ({ address: entry.address, file: entry.position.file, line: entry.position.line, column: entry.position.column })),
            functions: image.variables,
            state: image.state
        };
    }
    const debug = { format: DEBUG_FORMAT, system: name, components, trace: system.trace };
    files.set('debug.json', encoder.encode(JSON.stringify(debug, bigintsAsStrings, 2) + '\n'));
    return files;
}

/**
 * Reads an image directory back through `read` (a file's bytes by name, or undefined when it is missing).
 * `shownAs` names the directory in messages; `fallbackName` is the system's name for images written
 * before debug.json recorded it.
 */
export async function readImageDirectory(read: (file: string) => Promise<Uint8Array | undefined>, shownAs: string, fallbackName: string): Promise<RunnableSystem> {
    let manifest: BootManifest;
    try {
        manifest = parseManifest(await readJson(read, 'manifest.json', shownAs));
    } catch (error) {
        if (error instanceof ManifestError) throw new ImageError(`'${shownAs}/manifest.json' was written by an incompatible version of ukc or is damaged (${error.message})`);
        throw error;
    }
    const debug = await readJson(read, 'debug.json', shownAs) as DebugFile;
    if (debug.format !== DEBUG_FORMAT) {
        throw new ImageError(`'${shownAs}/debug.json' was written by an incompatible version of ukc (format ${JSON.stringify(debug.format)}, expected '${DEBUG_FORMAT}')`);
    }
    const byImage = new Map<string, { lineTable: LineTableEntry[]; functions: readonly VariableInfo[]; state: readonly StateInfo[] }>();
    for (const entry of Object.values(debug.components ?? {})) {
        if (!entry.image) continue;
        byImage.set(entry.image, {
            lineTable: (entry.lines ?? []).map(line => ({ address: line.address, position: { file: line.file, line: line.line, column: line.column } })),
            // Enum members' values in debug types are 64-bit, written as decimal strings like the layouts'.
            functions: reviveBigints(entry.functions ?? []) as VariableInfo[],
            state: reviveBigints(entry.state ?? []) as StateInfo[]
        });
    }
    const files = [...new Set(manifest.components.map(component => component.image))];
    const images: RunnableImage[] = [];
    for (const file of files) {
        const elf = await read(file);
        if (!elf) throw new ImageError(`'${shownAs}' lacks ${file}, which its manifest names`);
        images.push({ file, elf, lineTable: byImage.get(file)?.lineTable ?? [], functions: byImage.get(file)?.functions ?? [], state: byImage.get(file)?.state ?? [] });
    }
    const name = typeof debug.system === 'string' ? debug.system : fallbackName;
    return { name, manifest, images, trace: reviveLayouts(debug.trace ?? { endpoints: {} }) };
}

async function readJson(read: (file: string) => Promise<Uint8Array | undefined>, file: string, shownAs: string): Promise<unknown> {
    const bytes = await read(file);
    if (!bytes) throw new ImageError(`'${shownAs}' is not an image directory: it has no ${file} (write one with ukc compile)`);
    try {
        return JSON.parse(new TextDecoder().decode(bytes));
    } catch {
        throw new ImageError(`'${shownAs}/${file}' is not valid JSON`);
    }
}

/** JSON has no 64-bit integers: enum values in layouts are written as decimal strings. */
function bigintsAsStrings(_key: string, value: unknown): unknown {
    return typeof value === 'bigint' ? value.toString() : value;
}

/** ...and become BigInt again when read. */
function reviveLayouts(trace: unknown): TraceMap {
    return reviveBigints(trace) as TraceMap;
}

function reviveBigints(data: unknown): unknown {
    return JSON.parse(JSON.stringify(data), (key, value: unknown) => (key === 'value' && typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : value));
}
