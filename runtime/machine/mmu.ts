/**
 * The MMU: virtual-to-physical translation for the CPU through the current address space, with a
 * direct-mapped software TLB per access kind on the hot path. Misaligned accesses succeed (as under
 * qemu-user), also across a page boundary. A failed translation sets `fault` (the faulting address and
 * the access kind) instead of throwing, so that the interpreter can raise a precise trap. An access to a
 * device's registers is deferred (DEFERRED_DEVICE_ACCESS) and made through `deviceLoad`/`deviceStore`.
 */
import { AddressSpace, PAGE_MASK, PAGE_SHIFT, type Mapping, type PhysicalMemory } from './memory.js';

const TLB_BITS = 8;
const TLB_SIZE = 1 << TLB_BITS;
const TLB_MASK = TLB_SIZE - 1;

export const enum Access { Read, Write, Execute }

export interface MemoryFault {
    readonly address: number;
    readonly access: Access;
}

/**
 * Not a fault: the access reached a device's registers, which the load and store methods never touch (a
 * device may read the time, and the CPU's count of retired instructions is only exact between its
 * instructions). The CPU brings its count up to date and makes the access with `deviceLoad` or
 * `deviceStore`.
 */
export const DEFERRED_DEVICE_ACCESS: MemoryFault = Object.freeze({ address: 0, access: Access.Read });

/**
 * One address space's cached translations, kept while other spaces run so that a switch back is free.
 * Per access kind: the virtual page number cached in each slot (-1 for none) and its frame's byte offset.
 * Translated blocks (translator.ts) read the current one's arrays to inline the fast path.
 */
export interface Tlb {
    readonly readTag: Int32Array;
    readonly readBase: Int32Array;
    readonly writeTag: Int32Array;
    readonly writeBase: Int32Array;
    readonly execTag: Int32Array;
    readonly execBase: Int32Array;
    /** The address space's generation these entries were made for. */
    generation: number;
    /** The MMU it belongs to (an address space could be used by more than one machine). */
    readonly owner: Mmu | undefined;
}

function newTlb(owner: Mmu | undefined): Tlb {
    return {
        owner,
        readTag: new Int32Array(TLB_SIZE).fill(-1), readBase: new Int32Array(TLB_SIZE),
        writeTag: new Int32Array(TLB_SIZE).fill(-1), writeBase: new Int32Array(TLB_SIZE),
        execTag: new Int32Array(TLB_SIZE).fill(-1), execBase: new Int32Array(TLB_SIZE),
        generation: -1
    };
}

export class Mmu {
    private space: AddressSpace = new AddressSpace();
    private readonly bytes: Uint8Array;
    private readonly view: DataView;
    /**
     * A TLB per address space (tagged, as ASIDs tag hardware TLBs): a context switch selects the next
     * space's entries instead of flushing.
     */
    private readonly tlbs: Tlb[] = [];
    /** The current space's TLB; translated code reads it when a region starts. */
    tlb: Tlb = newTlb(this);
    /** Frames that hold decoded code: stores to them go the slow way and invalidate the decoded copy. */
    private readonly codeFrames: Uint8Array;
    /** Called when a store hits a frame holding decoded code. */
    onCodeWrite: (frame: number) => void = () => {};
    fault: MemoryFault | undefined;
    /** Set while `deviceLoad` or `deviceStore` runs: device registers may be accessed. */
    private deviceAccessAllowed = false;

    constructor(readonly memory: PhysicalMemory) {
        this.bytes = memory.bytes;
        this.view = memory.view;
        this.codeFrames = new Uint8Array(memory.frames);
        this.space.mmuCache = this.tlb;
        this.tlbs.push(this.tlb);
    }

    get addressSpace(): AddressSpace {
        return this.space;
    }

    /** Switches to another address space (a context switch), keeping each space's cached translations. */
    setAddressSpace(space: AddressSpace): void {
        if (space === this.space) return;
        this.space = space;
        let tlb = space.mmuCache as Tlb | undefined;
        if (tlb === undefined || tlb.owner !== this) {
            tlb = newTlb(this);
            space.mmuCache = tlb;
            this.tlbs.push(tlb);
        }
        this.tlb = tlb;
        if (tlb.generation !== space.generation) this.flush();
    }

    /** Forgets the current space's cached translations. */
    flush(): void {
        this.tlb.readTag.fill(-1);
        this.tlb.writeTag.fill(-1);
        this.tlb.execTag.fill(-1);
        this.tlb.generation = this.space.generation;
    }

    /** Stores to a frame that holds code must take the slow path: drop write entries for it in every TLB. */
    markCode(frame: number): void {
        if (this.codeFrames[frame]) return;
        this.codeFrames[frame] = 1;
        const base = frame << PAGE_SHIFT;
        for (const tlb of this.tlbs) {
            for (let i = 0; i < TLB_SIZE; i++) {
                if (tlb.writeTag[i] !== -1 && tlb.writeBase[i] === base) tlb.writeTag[i] = -1;
            }
        }
    }

    unmarkCode(frame: number): void {
        this.codeFrames[frame] = 0;
    }

    // ------------------------------------------------------------ the fast paths

    /** The physical byte address of an instruction fetch, or -1 with `fault` set. */
    fetchAddress(va: number): number {
        if (this.space.generation !== this.tlb.generation) this.flush();
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        if (this.tlb.execTag[slot] === vpn) return this.tlb.execBase[slot] + (va & PAGE_MASK);
        const mapping = this.space.lookup(vpn);
        if (!mapping || !mapping.execute || mapping.device) {
            this.fault = { address: va >>> 0, access: Access.Execute };
            return -1;
        }
        this.tlb.execTag[slot] = vpn;
        this.tlb.execBase[slot] = mapping.frame << PAGE_SHIFT;
        return (mapping.frame << PAGE_SHIFT) + (va & PAGE_MASK);
    }

    load32(va: number): number {
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        const offset = va & PAGE_MASK;
        if (this.tlb.readTag[slot] === vpn && offset <= PAGE_MASK - 3 && this.space.generation === this.tlb.generation) {
            return this.view.getInt32(this.tlb.readBase[slot] + offset, true);
        }
        return this.slowLoad(va, 4);
    }

    load16(va: number): number {
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        const offset = va & PAGE_MASK;
        if (this.tlb.readTag[slot] === vpn && offset <= PAGE_MASK - 1 && this.space.generation === this.tlb.generation) {
            return this.view.getUint16(this.tlb.readBase[slot] + offset, true);
        }
        return this.slowLoad(va, 2);
    }

    load8(va: number): number {
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        if (this.tlb.readTag[slot] === vpn && this.space.generation === this.tlb.generation) {
            return this.bytes[this.tlb.readBase[slot] + (va & PAGE_MASK)];
        }
        return this.slowLoad(va, 1);
    }

    store32(va: number, value: number): boolean {
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        const offset = va & PAGE_MASK;
        if (this.tlb.writeTag[slot] === vpn && offset <= PAGE_MASK - 3 && this.space.generation === this.tlb.generation) {
            this.view.setInt32(this.tlb.writeBase[slot] + offset, value, true);
            return true;
        }
        return this.slowStore(va, 4, value);
    }

    store16(va: number, value: number): boolean {
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        const offset = va & PAGE_MASK;
        if (this.tlb.writeTag[slot] === vpn && offset <= PAGE_MASK - 1 && this.space.generation === this.tlb.generation) {
            this.view.setUint16(this.tlb.writeBase[slot] + offset, value, true);
            return true;
        }
        return this.slowStore(va, 2, value);
    }

    store8(va: number, value: number): boolean {
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        if (this.tlb.writeTag[slot] === vpn && this.space.generation === this.tlb.generation) {
            this.bytes[this.tlb.writeBase[slot] + (va & PAGE_MASK)] = value;
            return true;
        }
        return this.slowStore(va, 1, value);
    }

    // ------------------------------------------------------------ devices

    /** A load the other methods deferred with DEFERRED_DEVICE_ACCESS: the same access, devices included. */
    deviceLoad(va: number, size: 1 | 2 | 4): number {
        this.deviceAccessAllowed = true;
        const value = this.slowLoad(va, size);
        this.deviceAccessAllowed = false;
        return value;
    }

    /** A store the other methods deferred with DEFERRED_DEVICE_ACCESS: the same access, devices included. */
    deviceStore(va: number, size: 1 | 2 | 4, value: number): boolean {
        this.deviceAccessAllowed = true;
        const stored = this.slowStore(va, size, value);
        this.deviceAccessAllowed = false;
        return stored;
    }

    /** Whether an access must wait for deviceLoad/deviceStore (and `fault` says so). */
    private deferred(first: Mapping, last: Mapping): boolean {
        if ((first.device === undefined && last.device === undefined) || this.deviceAccessAllowed) return false;
        this.fault = DEFERRED_DEVICE_ACCESS;
        return true;
    }

    // ------------------------------------------------------------ the slow paths

    private translate(va: number, access: Access): Mapping | undefined {
        if (this.space.generation !== this.tlb.generation) this.flush();
        const mapping = this.space.lookup(va >>> PAGE_SHIFT);
        const allowed = mapping && (access === Access.Read ? mapping.read : access === Access.Write ? mapping.write : mapping.execute);
        if (!allowed) {
            this.fault = { address: va >>> 0, access };
            return undefined;
        }
        return mapping;
    }

    /** An unsigned `size`-byte value (the caller sign-extends), reading byte by byte across pages if needed. */
    private slowLoad(va: number, size: 1 | 2 | 4): number {
        const offset = va & PAGE_MASK;
        if (offset + size > PAGE_MASK + 1) {
            // Misaligned across a page boundary: both pages must be readable before anything happens.
            const first = this.translate(va, Access.Read);
            const last = first && this.translate(va + size - 1, Access.Read);
            if (!first || !last || this.deferred(first, last)) return 0;
            let value = 0;
            for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.slowLoad(va + i, 1);
            return size === 4 ? value | 0 : value;
        }
        const mapping = this.translate(va, Access.Read);
        if (!mapping || this.deferred(mapping, mapping)) return 0;
        if (mapping.device) return mapping.device.read(offset, size) >>> 0;
        const vpn = va >>> PAGE_SHIFT;
        const slot = vpn & TLB_MASK;
        this.tlb.readTag[slot] = vpn;
        this.tlb.readBase[slot] = mapping.frame << PAGE_SHIFT;
        const pa = (mapping.frame << PAGE_SHIFT) + offset;
        return size === 4 ? this.view.getInt32(pa, true) : size === 2 ? this.view.getUint16(pa, true) : this.bytes[pa];
    }

    private slowStore(va: number, size: 1 | 2 | 4, value: number): boolean {
        const offset = va & PAGE_MASK;
        if (offset + size > PAGE_MASK + 1) {
            const first = this.translate(va, Access.Write);
            const last = first && this.translate(va + size - 1, Access.Write);
            if (!first || !last || this.deferred(first, last)) return false;
            for (let i = 0; i < size; i++) this.slowStore(va + i, 1, (value >>> (8 * i)) & 0xff);
            return true;
        }
        const mapping = this.translate(va, Access.Write);
        if (!mapping || this.deferred(mapping, mapping)) return false;
        if (mapping.device) {
            mapping.device.write(offset, size, size === 4 ? value >>> 0 : value & ((1 << (8 * size)) - 1));
            return true;
        }
        const frame = mapping.frame;
        const pa = (frame << PAGE_SHIFT) + offset;
        if (size === 4) this.view.setInt32(pa, value, true);
        else if (size === 2) this.view.setUint16(pa, value & 0xffff, true);
        else this.bytes[pa] = value & 0xff;
        if (this.codeFrames[frame]) {
            this.onCodeWrite(frame);
        } else {
            const vpn = va >>> PAGE_SHIFT;
            const slot = vpn & TLB_MASK;
            this.tlb.writeTag[slot] = vpn;
            this.tlb.writeBase[slot] = frame << PAGE_SHIFT;
        }
        return true;
    }
}
