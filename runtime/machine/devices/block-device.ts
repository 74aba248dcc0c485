/**
 * A block device of 512-byte sectors over a byte array the host provides (RAM-backed, or a file's bytes),
 * with register-based transfer and no DMA (32-bit registers, byte offsets in its page):
 *
 *   0x000  SECTORS (read)  the capacity in sectors
 *   0x004  SECTOR          the sector the next command works on
 *   0x008  COMMAND (write) 1: read SECTOR into the buffer, 2: write the buffer to SECTOR
 *   0x00c  STATUS (read)   0: ready, 1: the last command failed (sector out of range, or the disk is read-only)
 *   0x200  BUFFER          512 bytes, read and written by the driver in any size
 *
 * Commands complete immediately; the interrupt line (if any) is raised after each command and lowered when
 * STATUS is read.
 */
import type { MappedDevice } from '../memory.js';
import type { InterruptController } from './interrupt-controller.js';

export const SECTOR_SIZE = 512;
export const DISK_SECTORS = 0x000;
export const DISK_SECTOR = 0x004;
export const DISK_COMMAND = 0x008;
export const DISK_STATUS = 0x00c;
export const DISK_BUFFER = 0x200;
export const COMMAND_READ = 1;
export const COMMAND_WRITE = 2;

export class BlockDevice implements MappedDevice {
    private readonly buffer = new Uint8Array(SECTOR_SIZE);
    private sector = 0;
    private status = 0;

    constructor(
        private readonly disk: Uint8Array,
        private readonly readOnly = false,
        private readonly interrupts?: { readonly controller: InterruptController; readonly line: number }
    ) {}

    get sectors(): number {
        return Math.floor(this.disk.length / SECTOR_SIZE);
    }

    read(offset: number, size: 1 | 2 | 4): number {
        if (offset >= DISK_BUFFER && offset + size <= DISK_BUFFER + SECTOR_SIZE) {
            let value = 0;
            for (let i = size - 1; i >= 0; i--) value = (value << 8) | this.buffer[offset - DISK_BUFFER + i];
            return value >>> 0;
        }
        if (size !== 4) return 0;
        switch (offset) {
            case DISK_SECTORS: return this.sectors;
            case DISK_SECTOR: return this.sector;
            case DISK_STATUS:
                if (this.interrupts) this.interrupts.controller.lower(this.interrupts.line);
                return this.status;
            default: return 0;
        }
    }

    write(offset: number, size: 1 | 2 | 4, value: number): void {
        if (offset >= DISK_BUFFER && offset + size <= DISK_BUFFER + SECTOR_SIZE) {
            for (let i = 0; i < size; i++) this.buffer[offset - DISK_BUFFER + i] = (value >>> (8 * i)) & 0xff;
            return;
        }
        if (size !== 4) return;
        if (offset === DISK_SECTOR) this.sector = value >>> 0;
        if (offset === DISK_COMMAND) this.command(value >>> 0);
    }

    private command(command: number): void {
        const start = this.sector * SECTOR_SIZE;
        const inRange = this.sector < this.sectors;
        if (command === COMMAND_READ && inRange) {
            this.buffer.set(this.disk.subarray(start, start + SECTOR_SIZE));
            this.status = 0;
        } else if (command === COMMAND_WRITE && inRange && !this.readOnly) {
            this.disk.set(this.buffer, start);
            this.status = 0;
        } else {
            this.status = 1;
        }
        if (this.interrupts) this.interrupts.controller.raise(this.interrupts.line);
    }
}
