/**
 * CNodes: arrays of capability slots. A thread's capability space is one CNode; a capability pointer
 * (cptr) is a slot index in it, and slot 0 is always empty (seL4_CapNull).
 */
import { Slot } from '../capability.js';

export class CNode {
    readonly slots: Slot[];

    constructor(readonly id: number, readonly name: string, size: number) {
        this.slots = Array.from({ length: size }, (_, index) => new Slot({ cnode: this, index }));
    }

    /** The slot a cptr names, or undefined when the cptr is 0 or outside the CNode. */
    slotAt(cptr: number): Slot | undefined {
        return cptr > 0 && cptr < this.slots.length && Number.isInteger(cptr) ? this.slots[cptr] : undefined;
    }
}
