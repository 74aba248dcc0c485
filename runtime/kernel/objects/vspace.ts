/**
 * Address spaces (seL4's VSpace): the machine's page map for one component, plus what backs each page, so
 * that every mapping can be accounted for — either placed at boot (the image, stack and IPC buffers) or
 * made through a frame capability. The kernel reads and writes user memory (IPC buffers) through here,
 * with the same permission checks the MMU applies.
 */
import { AddressSpace, PAGE_SHIFT, PAGE_SIZE, type PhysicalMemory } from '../../machine/index.js';
import type { FrameCapability } from '../capability.js';

export type PageBacking = { readonly kind: 'boot' } | { readonly kind: 'cap'; readonly cap: FrameCapability };

export class VSpace {
    readonly space = new AddressSpace();
    readonly backing = new Map<number, PageBacking>();

    constructor(
        readonly id: number,
        readonly name: string,
        private readonly memory: PhysicalMemory,
        /** Told of every kernel write into a frame, so that the CPU can drop code decoded from it. */
        private readonly onKernelWrite: (frame: number) => void
    ) {}

    isMapped(vaddr: number): boolean {
        return this.backing.has(vaddr >>> PAGE_SHIFT);
    }

    /**
     * The physical byte address of a user word the kernel may access, or -1 when the page is unmapped,
     * lacks the permission, or is a device page. `vaddr` must be word-aligned.
     */
    wordAddress(vaddr: number, forWrite: boolean): number {
        if ((vaddr & 3) !== 0) return -1;
        const mapping = this.space.lookup(vaddr >>> PAGE_SHIFT);
        if (!mapping || mapping.device || !mapping.read || (forWrite && !mapping.write)) return -1;
        return (mapping.frame << PAGE_SHIFT) + (vaddr & (PAGE_SIZE - 1));
    }

    readWord(vaddr: number): number | undefined {
        const address = this.wordAddress(vaddr, false);
        return address < 0 ? undefined : this.memory.view.getInt32(address, true);
    }

    writeWord(vaddr: number, value: number): boolean {
        const address = this.wordAddress(vaddr, true);
        if (address < 0) return false;
        this.memory.view.setInt32(address, value, true);
        this.onKernelWrite(address >>> PAGE_SHIFT);
        return true;
    }

    /** A readable byte, or undefined. */
    readByte(vaddr: number): number | undefined {
        const mapping = this.space.lookup(vaddr >>> PAGE_SHIFT);
        if (!mapping || mapping.device || !mapping.read) return undefined;
        return this.memory.bytes[(mapping.frame << PAGE_SHIFT) + (vaddr & (PAGE_SIZE - 1))];
    }
}

/** Why a frame could not be mapped; the caller turns it into a KernelError. */
export type MapRefusal = 'already-mapped' | 'address-taken' | 'not-aligned' | 'bad-permissions';

/** Maps the frame a capability names at `vaddr` with `permissions` (MapPermission bits). */
export function mapFrame(vspace: VSpace, cap: FrameCapability, vaddr: number, read: boolean, write: boolean, execute: boolean): MapRefusal | undefined {
    if (cap.mappedIn) return 'already-mapped';
    if ((vaddr & (PAGE_SIZE - 1)) !== 0) return 'not-aligned';
    if (vspace.isMapped(vaddr)) return 'address-taken';
    const frame = cap.object;
    if (frame.device && execute) return 'bad-permissions';
    vspace.space.map(vaddr >>> PAGE_SHIFT, { frame: frame.frame, read, write, execute, device: frame.device });
    vspace.backing.set(vaddr >>> PAGE_SHIFT, { kind: 'cap', cap });
    cap.mappedIn = vspace;
    cap.mappedAt = vaddr >>> 0;
    return undefined;
}

/** Removes the mapping a frame capability made, if any. */
export function unmapFrame(cap: FrameCapability): void {
    const vspace = cap.mappedIn;
    if (!vspace || cap.mappedAt === undefined) return;
    const vpn = cap.mappedAt >>> PAGE_SHIFT;
    vspace.space.unmap(vpn);
    vspace.backing.delete(vpn);
    cap.mappedIn = undefined;
    cap.mappedAt = undefined;
}
