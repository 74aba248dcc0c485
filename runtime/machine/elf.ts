/**
 * ELF32 reading for static little-endian RISC-V executables (System V ABI, ELF format chapter): the entry
 * point, the loadable segments with their permissions, and the symbol table for debuggers and traces.
 * Anything else (a 64-bit file, another machine, a shared object, a truncated file) is an `ElfError` with
 * a sentence saying what is wrong. Segments that Linux or qemu-user could not map are refused here, at
 * load, rather than faulting later: overlapping ones, one whose file offset and address disagree within a
 * page (mmap cannot place it), and one in the first page, which Linux keeps unmapped (vm.mmap_min_addr)
 * so that a null pointer faults.
 */
import { PAGE_MASK, PAGE_SIZE } from './memory.js';


export class ElfError extends Error {}

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export interface ElfSegment {
    readonly vaddr: number;
    readonly memSize: number;
    /** The bytes present in the file; the rest of `memSize` is zero (.bss). */
    readonly data: Uint8Array;
    readonly flags: number;
}

export interface ElfSymbol {
    readonly name: string;
    readonly value: number;
    readonly size: number;
    readonly kind: 'function' | 'object' | 'other';
}

export interface ElfImage {
    readonly entry: number;
    readonly segments: readonly ElfSegment[];
    readonly symbols: readonly ElfSymbol[];
}

const EM_RISCV = 243;
const ET_EXEC = 2;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const PHDR_SIZE = 32;

export function parseElf(bytes: Uint8Array): ElfImage {
    if (bytes.length < 4) throw new ElfError('not an ELF file (too short)');
    if (bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) throw new ElfError('not an ELF file (no ELF magic number)');
    if (bytes.length < 52) throw new ElfError('truncated ELF header');
    if (bytes[4] !== 1) throw new ElfError(bytes[4] === 2 ? 'a 64-bit ELF file; ukc emu runs 32-bit (rv32) programs' : 'unknown ELF class');
    if (bytes[5] !== 1) throw new ElfError('a big-endian ELF file; RISC-V is little-endian');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const u16 = (offset: number) => view.getUint16(offset, true);
    const u32 = (offset: number) => view.getUint32(offset, true);
    const machine = u16(18);
    if (machine !== EM_RISCV) throw new ElfError(`an ELF file for machine ${machine}, not RISC-V (${EM_RISCV})`);
    if (u16(16) !== ET_EXEC) throw new ElfError('not a static executable (ELF type is not EXEC)');
    const entry = u32(24);
    const phoff = u32(28);
    const shoff = u32(32);
    const phentsize = u16(42);
    const phnum = u16(44);
    const shentsize = u16(46);
    const shnum = u16(48);
    if (phnum > 0 && phentsize !== PHDR_SIZE) {
        throw new ElfError(`malformed ELF file (its program headers are ${phentsize} bytes each, by e_phentsize; ELF32's are ${PHDR_SIZE})`);
    }
    if (phoff + phnum * PHDR_SIZE > bytes.length) throw new ElfError('truncated ELF file (program headers)');

    const segments: ElfSegment[] = [];
    const headers: number[] = [];
    for (let i = 0; i < phnum; i++) {
        const at = phoff + i * PHDR_SIZE;
        if (u32(at) !== PT_LOAD) continue;
        const offset = u32(at + 4);
        const vaddr = u32(at + 8);
        const fileSize = u32(at + 16);
        const memSize = u32(at + 20);
        const flags = u32(at + 24);
        if (offset + fileSize > bytes.length) throw new ElfError(`truncated ELF file (segment ${i} ends past the end of the file)`);
        if (fileSize > memSize) throw new ElfError(`malformed ELF file (segment ${i} is larger in the file than in memory)`);
        if (vaddr + memSize > 0x1_0000_0000) throw new ElfError(`segment ${i} extends beyond the 32-bit address space`);
        // An empty segment maps nothing (Linux skips it too).
        if (memSize === 0) continue;
        if (fileSize > 0 && (offset & PAGE_MASK) !== (vaddr & PAGE_MASK)) {
            throw new ElfError(`segment ${i} cannot be mapped: its file offset ${hex(offset)} and address ${hex(vaddr)} differ within a ${PAGE_SIZE}-byte page`);
        }
        if (vaddr < PAGE_SIZE) {
            throw new ElfError(`segment ${i} at ${hex(vaddr)} is in the first page (below ${hex(PAGE_SIZE)}), which Linux keeps unmapped so that null pointers fault`);
        }
        const other = segments.findIndex(segment => vaddr < segment.vaddr + segment.memSize && segment.vaddr < vaddr + memSize);
        if (other >= 0) {
            const range = (start: number, size: number) => `${hex(start)}-${hex(start + size - 1)}`;
            throw new ElfError(`segments ${headers[other]} and ${i} overlap (${range(segments[other].vaddr, segments[other].memSize)} and ${range(vaddr, memSize)})`);
        }
        segments.push({ vaddr, memSize, data: bytes.subarray(offset, offset + fileSize), flags });
        headers.push(i);
    }
    if (segments.length === 0) throw new ElfError('the ELF file has no loadable segments');
    return { entry, segments, symbols: readSymbols(bytes, view, shoff, shentsize, shnum) };
}

function hex(value: number): string {
    return `0x${(value >>> 0).toString(16)}`;
}

function readSymbols(bytes: Uint8Array, view: DataView, shoff: number, shentsize: number, shnum: number): ElfSymbol[] {
    if (shnum === 0 || shentsize < 40 || shoff + shnum * shentsize > bytes.length) return [];
    const u32 = (offset: number) => view.getUint32(offset, true);
    const symbols: ElfSymbol[] = [];
    for (let i = 0; i < shnum; i++) {
        const at = shoff + i * shentsize;
        if (u32(at + 4) !== SHT_SYMTAB) continue;
        const offset = u32(at + 16);
        const size = u32(at + 20);
        const link = u32(at + 24);
        const entsize = u32(at + 36) || 16;
        const strAt = shoff + link * shentsize;
        if (link >= shnum || offset + size > bytes.length) continue;
        const strOffset = u32(strAt + 16);
        const strSize = u32(strAt + 20);
        if (strOffset + strSize > bytes.length) continue;
        const decoder = new TextDecoder();
        for (let s = offset; s + entsize <= offset + size; s += entsize) {
            const nameAt = u32(s);
            if (nameAt === 0 || nameAt >= strSize) continue;
            let end = strOffset + nameAt;
            while (end < strOffset + strSize && bytes[end] !== 0) end++;
            const name = decoder.decode(bytes.subarray(strOffset + nameAt, end));
            const info = bytes[s + 12];
            const type = info & 0xf;
            symbols.push({ name, value: u32(s + 4), size: u32(s + 8), kind: type === 2 ? 'function' : type === 1 ? 'object' : 'other' });
        }
    }
    return symbols.sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
}
