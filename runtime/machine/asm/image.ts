/**
 * Turns the assembler's output into a loadable program image (the shape the ELF loader produces), so that
 * hand-written programs boot the same way compiled ones do. Section permissions follow their names:
 * `.text` read+execute, `.rodata` read-only, everything else read+write.
 */
import { PF_R, PF_W, PF_X, type ElfImage } from '../elf.js';
import type { AssemblyResult } from './assembler.js';

export function assembledImage(assembly: AssemblyResult, entrySymbol = '_start'): ElfImage {
    const segments = assembly.sections
        .filter(section => section.bytes.length > 0)
        .map(section => ({
            vaddr: section.address,
            memSize: section.bytes.length,
            data: section.bytes,
            flags: section.name === '.text' ? PF_R | PF_X : section.name === '.rodata' ? PF_R : PF_R | PF_W
        }));
    const symbols = [...assembly.symbols].map(([name, value]) => ({ name, value, size: 0, kind: 'other' as const }));
    const entry = assembly.symbols.get(entrySymbol) ?? assembly.sections[0]?.address ?? 0;
    return { entry, segments, symbols };
}
