/**
 * What running a system needs, whether it was compiled just now or read back from an image directory: the
 * boot manifest, the ELF images with their line tables and functions, and the trace map.
 */
import type { CompiledSystem, LineTableEntry, StateInfo, VariableInfo } from '../codegen/index.js';
import type { BootManifest, TraceMap } from '../../runtime/contract/index.js';

export interface RunnableImage {
    /** The ELF file's name, as the manifest's components name it. */
    readonly file: string;
    readonly elf: Uint8Array;
    /** Sorted by address: each statement's first instruction. */
    readonly lineTable: readonly LineTableEntry[];
    /** Functions by start address, with their locals' locations (empty for generated components). */
    readonly functions: readonly VariableInfo[];
    /** The component's state variables with their addresses and types (empty for generated components). */
    readonly state: readonly StateInfo[];
}

export interface RunnableSystem {
    /** The system's name as declared in its source. */
    readonly name: string;
    readonly manifest: BootManifest;
    readonly images: readonly RunnableImage[];
    readonly trace: TraceMap;
}

/** A system compiled just now, as the runner takes it. */
export function runnableOf(name: string, system: CompiledSystem): RunnableSystem {
    return {
        name,
        manifest: system.manifest,
        images: system.images.map(image => ({ file: image.file, elf: image.elf, lineTable: image.lineTable, functions: image.variables, state: image.state })),
        trace: system.trace
    };
}
