/**
 * Writes a static ELF32 RISC-V executable: one PT_LOAD segment per section (code read+execute, read-only
 * data read, data read+write), a symbol table for the debugger, and section headers so that GNU binutils
 * (objdump, readelf) read it like any other. Output is deterministic: the same sections and symbols give
 * the same bytes.
 */
import { PF_R, PF_W, PF_X, PAGE_SIZE } from '../../../runtime/machine/index.js';

export interface ImageSection {
    readonly name: string;
    readonly address: number;
    readonly bytes: Uint8Array;
}

export interface ImageSymbol {
    readonly name: string;
    readonly value: number;
    readonly kind: 'function' | 'object';
}

const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
const SHDR_SIZE = 40;
const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;

function flagsOf(name: string): { segment: number; section: number } {
    if (name === '.text') return { segment: PF_R | PF_X, section: SHF_ALLOC | SHF_EXECINSTR };
    if (name === '.rodata') return { segment: PF_R, section: SHF_ALLOC };
    return { segment: PF_R | PF_W, section: SHF_ALLOC | SHF_WRITE };
}

class StringTable {
    private readonly offsets = new Map<string, number>();
    private readonly parts: Uint8Array[] = [new Uint8Array([0])];
    private size = 1;

    add(text: string): number {
        const known = this.offsets.get(text);
        if (known !== undefined) return known;
        const bytes = new TextEncoder().encode(`${text}\0`);
        const offset = this.size;
        this.parts.push(bytes);
        this.size += bytes.length;
        this.offsets.set(text, offset);
        return offset;
    }

    bytes(): Uint8Array {
        const out = new Uint8Array(this.size);
        let at = 0;
        for (const part of this.parts) {
            out.set(part, at);
            at += part.length;
        }
        return out;
    }
}

export function writeElf(sections: readonly ImageSection[], entry: number, symbols: readonly ImageSymbol[]): Uint8Array {
    const loadable = sections.filter(section => section.bytes.length > 0);
    const shstrtab = new StringTable();
    const strtab = new StringTable();
    // Layout: header, program headers, then each section's bytes at a page-aligned offset (so that offset
    // and address agree modulo the page size, as loaders expect), then symbols, strings, section headers.
    let offset = EHDR_SIZE + PHDR_SIZE * loadable.length;
    const placed = loadable.map(section => {
        offset = Math.ceil(offset / PAGE_SIZE) * PAGE_SIZE + (section.address % PAGE_SIZE);
        const at = offset;
        offset += section.bytes.length;
        return { section, offset: at };
    });
    const sectionIndex = (address: number): number => {
        const found = loadable.findIndex(section => address >= section.address && address <= section.address + section.bytes.length);
        return found < 0 ? 0xfff1 /* SHN_ABS */ : found + 1;
    };
    const sortedSymbols = [...symbols].sort((a, b) => a.value - b.value || a.name.localeCompare(b.name));
    const symtab = new Uint8Array(16 * (sortedSymbols.length + 1));
    const symView = new DataView(symtab.buffer);
    sortedSymbols.forEach((symbol, i) => {
        const at = 16 * (i + 1);
        symView.setUint32(at, strtab.add(symbol.name), true);
        symView.setUint32(at + 4, symbol.value >>> 0, true);
        symView.setUint32(at + 8, 0, true);
        symtab[at + 12] = (1 << 4) | (symbol.kind === 'function' ? 2 : 1); // STB_GLOBAL, STT_FUNC / STT_OBJECT
        symView.setUint16(at + 14, sectionIndex(symbol.value), true);
    });
    const strtabBytes = strtab.bytes();
    const names = [...loadable.map(section => section.name), '.symtab', '.strtab', '.shstrtab'].map(name => shstrtab.add(name));
    const shstrtabBytes = shstrtab.bytes();
    offset = Math.ceil(offset / 4) * 4;
    const symtabOffset = offset;
    offset += symtab.length;
    const strtabOffset = offset;
    offset += strtabBytes.length;
    const shstrtabOffset = offset;
    offset += shstrtabBytes.length;
    offset = Math.ceil(offset / 4) * 4;
    const shoff = offset;
    const sectionCount = loadable.length + 4;
    const total = shoff + SHDR_SIZE * sectionCount;

    const bytes = new Uint8Array(total);
    const view = new DataView(bytes.buffer);
    bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0); // magic, 32-bit, little-endian, version 1
    view.setUint16(16, 2, true); // ET_EXEC
    view.setUint16(18, 243, true); // EM_RISCV
    view.setUint32(20, 1, true);
    view.setUint32(24, entry >>> 0, true);
    view.setUint32(28, EHDR_SIZE, true);
    view.setUint32(32, shoff, true);
    view.setUint32(36, 0, true); // flags: no compressed instructions, soft-float ABI
    view.setUint16(40, EHDR_SIZE, true);
    view.setUint16(42, PHDR_SIZE, true);
    view.setUint16(44, loadable.length, true);
    view.setUint16(46, SHDR_SIZE, true);
    view.setUint16(48, sectionCount, true);
    view.setUint16(50, sectionCount - 1, true);

    placed.forEach(({ section, offset: at }, i) => {
        const ph = EHDR_SIZE + PHDR_SIZE * i;
        view.setUint32(ph, 1, true); // PT_LOAD
        view.setUint32(ph + 4, at, true);
        view.setUint32(ph + 8, section.address >>> 0, true);
        view.setUint32(ph + 12, section.address >>> 0, true);
        view.setUint32(ph + 16, section.bytes.length, true);
        view.setUint32(ph + 20, section.bytes.length, true);
        view.setUint32(ph + 24, flagsOf(section.name).segment, true);
        view.setUint32(ph + 28, PAGE_SIZE, true);
        bytes.set(section.bytes, at);
    });
    bytes.set(symtab, symtabOffset);
    bytes.set(strtabBytes, strtabOffset);
    bytes.set(shstrtabBytes, shstrtabOffset);

    const header = (index: number, name: number, type: number, flags: number, address: number, at: number, size: number, link = 0, info = 0, align = 1, entsize = 0) => {
        const sh = shoff + SHDR_SIZE * index;
        [name, type, flags, address >>> 0, at, size, link, info, align, entsize].forEach((value, i) => view.setUint32(sh + 4 * i, value, true));
    };
    placed.forEach(({ section, offset: at }, i) => {
        header(i + 1, names[i], SHT_PROGBITS, flagsOf(section.name).section, section.address, at, section.bytes.length, 0, 0, 4);
    });
    const symtabIndex = loadable.length + 1;
    header(symtabIndex, names[loadable.length], SHT_SYMTAB, 0, 0, symtabOffset, symtab.length, symtabIndex + 1, 1, 4, 16);
    header(symtabIndex + 1, names[loadable.length + 1], SHT_STRTAB, 0, 0, strtabOffset, strtabBytes.length);
    header(symtabIndex + 2, names[loadable.length + 2], SHT_STRTAB, 0, 0, shstrtabOffset, shstrtabBytes.length);
    return bytes;
}
