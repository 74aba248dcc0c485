/**
 * Reading an image directory written by `ukc compile` back, so that `ukc run` can start it without the
 * sources: the boot manifest, the ELF files it names, and debug.json (line tables and the trace map).
 * Anything missing, damaged or from another format version is an `ImageError` with one sentence.
 */
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { parseManifest, ManifestError } from '../../runtime/kernel/index.js';
import { type BootManifest, type TraceMap } from '../../runtime/contract/index.js';
import type { LineTableEntry } from '../codegen/index.js';

export const DEBUG_FORMAT = 'ukc-debug/1';

/** What `ukc run` needs of a system, compiled now or read from an image directory. */
export interface RunnableSystem {
    readonly name: string;
    readonly manifest: BootManifest;
    readonly images: readonly { readonly file: string; readonly elf: Uint8Array; readonly lineTable: readonly LineTableEntry[] }[];
    readonly trace: TraceMap;
}

export class ImageError extends Error {}

export async function isImageDirectory(target: string): Promise<boolean> {
    try {
        return (await stat(target)).isDirectory();
    } catch {
        return false;
    }
}

async function readJson(file: string, shownAs: string): Promise<unknown> {
    let text: string;
    try {
        text = await readFile(file, 'utf8');
    } catch {
        throw new ImageError(`'${shownAs}' is not an image directory: it has no ${path.basename(file)} (write one with ukc compile)`);
    }
    try {
        return JSON.parse(text);
    } catch {
        throw new ImageError(`'${shownAs}/${path.basename(file)}' is not valid JSON`);
    }
}

/** JSON has no 64-bit integers: enum values were written as decimal strings; they become BigInt again. */
function reviveLayouts(trace: unknown): TraceMap {
    return JSON.parse(JSON.stringify(trace), (key, value: unknown) => (key === 'value' && typeof value === 'string' && /^-?\d+$/.test(value) ? BigInt(value) : value)) as TraceMap;
}

export async function readImageDirectory(folder: string, shownAs: string): Promise<RunnableSystem> {
    const manifestJson = await readJson(path.join(folder, 'manifest.json'), shownAs);
    let manifest: BootManifest;
    try {
        manifest = parseManifest(manifestJson);
    } catch (error) {
        if (error instanceof ManifestError) throw new ImageError(`'${shownAs}/manifest.json' was written by an incompatible version of ukc or is damaged (${error.message})`);
        throw error;
    }
    const debug = await readJson(path.join(folder, 'debug.json'), shownAs) as { format?: unknown; components?: Record<string, { image?: string; lines?: { address: number; file: string; line: number; column: number }[] }>; trace?: unknown };
    if (debug.format !== DEBUG_FORMAT) {
        throw new ImageError(`'${shownAs}/debug.json' was written by an incompatible version of ukc (format ${JSON.stringify(debug.format)}, expected '${DEBUG_FORMAT}')`);
    }
    const lines = new Map<string, LineTableEntry[]>();
    for (const entry of Object.values(debug.components ?? {})) {
        if (entry.image) lines.set(entry.image, (entry.lines ?? []).map(line => ({ address: line.address, position: { file: line.file, line: line.line, column: line.column } })));
    }
    const files = [...new Set(manifest.components.map(component => component.image))];
    const images = await Promise.all(files.map(async file => {
        try {
            return { file, elf: new Uint8Array(await readFile(path.join(folder, file))), lineTable: lines.get(file) ?? [] };
        } catch {
            throw new ImageError(`'${shownAs}' lacks ${file}, which its manifest names`);
        }
    }));
    return { name: path.basename(folder).replace(/\.image$/, ''), manifest, images, trace: reviveLayouts(debug.trace ?? { endpoints: {} }) };
}
