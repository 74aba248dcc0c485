/**
 * Frames: one 4 KiB page of RAM, or the register page of a device. Mapping a frame into an address space
 * goes through a frame capability, which remembers where it is mapped (one mapping per capability).
 */
import type { MappedDevice } from '../../machine/index.js';

export class Frame {
    /** For a copy made by a copy-on-write transfer (the Mach personality's out-of-line memory): the page it copies. */
    copyOf: Frame | undefined = undefined;

    constructor(
        readonly id: number,
        /** The physical frame number (RAM frames). */
        readonly frame: number,
        /** Set for device frames. */
        readonly device?: MappedDevice,
        readonly deviceName?: string
    ) {}
}
