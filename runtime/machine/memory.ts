/**
 * Physical memory and address spaces. RAM is one byte array divided into 4 KiB frames; an address space
 * maps virtual pages to frames (or to device register pages) with read, write and execute permissions.
 * The kernel builds and switches address spaces; the CPU reaches memory only through the MMU (mmu.ts).
 */

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

export class PhysicalMemory {
    readonly bytes: Uint8Array;
    readonly view: DataView;
    readonly frames: number;
    private nextFrame = 0;
    private readonly freed: number[] = [];

    constructor(sizeBytes: number) {
        if (sizeBytes <= 0 || sizeBytes % PAGE_SIZE !== 0) {
            throw new RangeError(`RAM size must be a positive multiple of ${PAGE_SIZE} bytes`);
        }
        this.bytes = new Uint8Array(sizeBytes);
        this.view = new DataView(this.bytes.buffer);
        this.frames = sizeBytes >>> PAGE_SHIFT;
    }

    /** A zeroed free frame, or undefined when RAM is exhausted. */
    allocateFrame(): number | undefined {
        const frame = this.freed.pop() ?? (this.nextFrame < this.frames ? this.nextFrame++ : undefined);
        if (frame !== undefined) this.bytes.fill(0, frame << PAGE_SHIFT, (frame + 1) << PAGE_SHIFT);
        return frame;
    }

    freeFrame(frame: number): void {
        this.freed.push(frame);
    }

    /** Frames ever handed out: every frame from this one on is still zero (a snapshot copies no further). */
    get framesTouched(): number {
        return this.nextFrame;
    }

    get freeFrames(): number {
        return this.frames - this.nextFrame + this.freed.length;
    }
}

/** A memory-mapped device: 32-bit register reads and writes at byte offsets within its page. */
export interface MappedDevice {
    read(offset: number, size: 1 | 2 | 4): number;
    write(offset: number, size: 1 | 2 | 4, value: number): void;
}

export interface Mapping {
    /** The physical frame, for RAM pages. */
    readonly frame: number;
    readonly read: boolean;
    readonly write: boolean;
    readonly execute: boolean;
    /** Set for device register pages; `frame` is then unused. */
    readonly device?: MappedDevice;
}

let lastGeneration = 0;

/**
 * The next address-space generation. Never reused (a double's integers last for 2^53 changes), so that
 * no stale TLB or dispatch entry can ever match a newer state of any space.
 */
function newGeneration(): number {
    return ++lastGeneration;
}

export class AddressSpace {
    private readonly pages = new Map<number, Mapping>();
    /**
     * Renewed on every change of mappings, from a counter shared by all address spaces: it names one
     * space in one state, so that a TLB knows when its entries are stale and the CPU's dispatch table
     * (shared by all spaces) can tag its entries with it.
     */
    generation = newGeneration();
    /**
     * What the MMU caches about this space (its TLB), kept with it so that switching back to the space finds
     * it without a lookup: the software version of TLB entries tagged by address-space id. Opaque here;
     * mmu.ts owns the contents.
     */
    mmuCache: unknown;

    map(vpn: number, mapping: Mapping): void {
        this.pages.set(vpn >>> 0, mapping);
        this.generation = newGeneration();
    }

    unmap(vpn: number): Mapping | undefined {
        const mapping = this.pages.get(vpn >>> 0);
        if (mapping) {
            this.pages.delete(vpn >>> 0);
            this.generation = newGeneration();
        }
        return mapping;
    }

    lookup(vpn: number): Mapping | undefined {
        return this.pages.get(vpn >>> 0);
    }

    entries(): IterableIterator<[number, Mapping]> {
        return this.pages.entries();
    }
}
