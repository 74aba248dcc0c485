/**
 * What running a system needs, whether it was compiled just now or read back from an image directory: the
 * boot manifest, the ELF images with their line tables and functions, and the trace map.
 */
import type { LineTableEntry, VariableInfo } from '../codegen/index.js';
import type { BootManifest } from '../../runtime/kernel/index.js';
import type { TraceMap } from '../../runtime/trace/index.js';

export interface RunnableImage {
    /** The ELF file's name, as the manifest's components name it. */
    readonly file: string;
    readonly elf: Uint8Array;
    /** Sorted by address: each statement's first instruction. */
    readonly lineTable: readonly LineTableEntry[];
    /** Functions by start address, with their locals' locations (empty for generated components). */
    readonly functions: readonly VariableInfo[];
}

export interface RunnableSystem {
    /** The system's name as declared in its source. */
    readonly name: string;
    readonly manifest: BootManifest;
    readonly images: readonly RunnableImage[];
    readonly trace: TraceMap;
}
