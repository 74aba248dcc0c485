/**
 * The ELF loader on hand-built files: what it accepts, and a sentence for each thing Linux or qemu-user
 * would refuse to map (checked against Debian's qemu-riscv32 7.2 and Linux's binfmt_elf: an e_phentsize
 * other than 32 is "Invalid ELF image", an offset that disagrees with its address within a page is "Error
 * mapping file"; Linux keeps the first page unmapped).
 */
import { describe, expect, test } from 'vitest';
import { ElfError, parseElf, PF_R, PF_W, PF_X } from '../../../runtime/machine/elf.js';

interface Segment { offset: number; vaddr: number; fileSize: number; memSize: number; flags: number; align?: number; type?: number }

/** An ELF32 RISC-V executable: the header, program headers from byte 52, and the segments' bytes (0xaa). */
function elf(segments: readonly Segment[], options: { entry?: number; phentsize?: number } = {}): Uint8Array {
    const phentsize = options.phentsize ?? 32;
    const end = Math.max(52 + segments.length * Math.max(phentsize, 32), ...segments.map(s => s.offset + s.fileSize));
    const bytes = new Uint8Array(end);
    const view = new DataView(bytes.buffer);
    bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
    view.setUint16(16, 2, true); // ET_EXEC
    view.setUint16(18, 243, true); // EM_RISCV
    view.setUint32(20, 1, true);
    view.setUint32(24, options.entry ?? segments[0]?.vaddr ?? 0, true);
    view.setUint32(28, 52, true);
    view.setUint16(40, 52, true);
    view.setUint16(42, phentsize, true);
    view.setUint16(44, segments.length, true);
    segments.forEach((segment, i) => {
        const at = 52 + i * phentsize;
        for (const [field, value] of [segment.type ?? 1, segment.offset, segment.vaddr, segment.vaddr, segment.fileSize, segment.memSize, segment.flags, segment.align ?? 0x1000].entries()) {
            if (field * 4 < phentsize) view.setUint32(at + field * 4, value, true);
        }
    });
    for (const segment of segments) bytes.fill(0xaa, segment.offset, segment.offset + segment.fileSize);
    return bytes;
}

const text = (vaddr = 0x10000, size = 0x100): Segment => ({ offset: 0x1000 + (vaddr & 0xfff), vaddr, fileSize: size, memSize: size, flags: PF_R | PF_X });
const data = (vaddr: number, memSize = 0x100, fileSize = 0x10): Segment => ({ offset: 0x3000 + (vaddr & 0xfff), vaddr, fileSize, memSize, flags: PF_R | PF_W });

function refusal(bytes: Uint8Array): string {
    try {
        parseElf(bytes);
    } catch (error) {
        if (error instanceof ElfError) return error.message;
        throw error;
    }
    throw new Error('the file was accepted');
}

describe('the ELF loader', () => {
    test('reads the entry and the loadable segments, skipping other program headers and empty segments', () => {
        const image = parseElf(elf([
            { type: 0x70000003, offset: 0x800, vaddr: 0, fileSize: 8, memSize: 0, flags: PF_R, align: 1 },
            text(),
            { offset: 0, vaddr: 0, fileSize: 0, memSize: 0, flags: PF_R | PF_W },
            data(0x11000, 0x2000, 0)
        ], { entry: 0x10010 }));
        expect(image.entry).toBe(0x10010);
        expect(image.segments.map(({ vaddr, memSize, data: bytes, flags }) => ({ vaddr, memSize, fileSize: bytes.length, flags }))).toEqual([
            { vaddr: 0x10000, memSize: 0x100, fileSize: 0x100, flags: PF_R | PF_X },
            { vaddr: 0x11000, memSize: 0x2000, fileSize: 0, flags: PF_R | PF_W }
        ]);
        expect([...image.segments[0].data.subarray(0, 2)]).toEqual([0xaa, 0xaa]);
    });

    test('accepts segments that share a page without overlapping, in any order, and offsets that agree within a page', () => {
        expect(parseElf(elf([data(0x11800), text(0x10000, 0x1800)])).segments.map(segment => segment.vaddr)).toEqual([0x11800, 0x10000]);
        // p_align does not matter: Linux and qemu map by pages.
        expect(parseElf(elf([{ ...text(0x10004), align: 4 }])).segments[0].vaddr).toBe(0x10004);
        // Nothing of a segment without file bytes is mapped from the file, so its offset is free.
        expect(parseElf(elf([text(), { ...data(0x12000, 0x100, 0), offset: 7 }])).segments).toHaveLength(2);
    });

    test('a wrong e_phentsize is named', () => {
        expect(refusal(elf([text()], { phentsize: 40 }))).toBe("malformed ELF file (its program headers are 40 bytes each, by e_phentsize; ELF32's are 32)");
        expect(refusal(elf([text()], { phentsize: 16 }))).toBe("malformed ELF file (its program headers are 16 bytes each, by e_phentsize; ELF32's are 32)");
    });

    test('a segment whose file offset and address differ within a page is refused', () => {
        expect(refusal(elf([{ ...text(), offset: 0x1004 }]))).toBe('segment 0 cannot be mapped: its file offset 0x1004 and address 0x10000 differ within a 4096-byte page');
        expect(refusal(elf([text(), { ...data(0x11000), offset: 0x3010, align: 16 }]))).toBe('segment 1 cannot be mapped: its file offset 0x3010 and address 0x11000 differ within a 4096-byte page');
    });

    test('a segment in the first page is refused, entry 0 or not', () => {
        expect(refusal(elf([text(0)], { entry: 0 }))).toBe('segment 0 at 0x0 is in the first page (below 0x1000), which Linux keeps unmapped so that null pointers fault');
        expect(refusal(elf([text(0xff0, 0x100)]))).toBe('segment 0 at 0xff0 is in the first page (below 0x1000), which Linux keeps unmapped so that null pointers fault');
        expect(parseElf(elf([text(0x1000)])).segments[0].vaddr).toBe(0x1000);
    });

    test('overlapping segments are refused, by their program header numbers', () => {
        expect(refusal(elf([text(0x10000, 0x2000), data(0x11000)]))).toBe('segments 0 and 1 overlap (0x10000-0x11fff and 0x11000-0x110ff)');
        // A .bss that runs into the next segment overlaps it too.
        expect(refusal(elf([{ type: 4, offset: 0, vaddr: 0, fileSize: 0, memSize: 0, flags: 0 }, data(0x20000, 0x1001), text(0x21000)])))
            .toBe('segments 1 and 2 overlap (0x20000-0x21000 and 0x21000-0x210ff)');
        expect(refusal(elf([data(0x20000), text(0x1f000, 0x1001)]))).toBe('segments 0 and 1 overlap (0x20000-0x200ff and 0x1f000-0x20000)');
    });
});
