/**
 * A timer counting the machine's cycles (32-bit registers, byte offsets in its page):
 *
 *   0x00  NOW_LO (read)   cycle counter, low word      0x04  NOW_HI (read)  high word
 *   0x08  DEADLINE_LO     next expiry, low word        0x0c  DEADLINE_HI    high word
 *   0x10  PERIOD          0: one-shot; otherwise the deadline advances by this much at each expiry
 *   0x14  CONTROL         bit 0: enabled; writing bit 1 acknowledges an expiry (lowers the line)
 *
 * The kernel bounds each run slice by `cyclesUntilDeadline` and calls `update` after it, so the interrupt
 * is raised exactly at the deadline without the CPU checking the timer at every instruction; a write that
 * moves the next expiry calls `expiryChanged`, with which the kernel ends the slice under way (it was
 * bounded by the old deadline). NOW is exact at every read: the CPU accesses devices at an exact cycle.
 */
import type { MappedDevice } from '../memory.js';
import type { InterruptController } from './interrupt-controller.js';

export const TIMER_NOW_LO = 0x00;
export const TIMER_NOW_HI = 0x04;
export const TIMER_DEADLINE_LO = 0x08;
export const TIMER_DEADLINE_HI = 0x0c;
export const TIMER_PERIOD = 0x10;
export const TIMER_CONTROL = 0x14;

export class Timer implements MappedDevice {
    private deadline = 0;
    private period = 0;
    private enabled = false;
    private expired = false;

    constructor(
        private readonly now: () => number,
        private readonly interrupts?: { readonly controller: InterruptController; readonly line: number },
        private readonly expiryChanged: () => void = () => {}
    ) {}

    /** Cycles until the next expiry, or undefined when the timer is off or has expired and waits for its ack. */
    cyclesUntilDeadline(): number | undefined {
        if (!this.enabled || this.expired) return undefined;
        return Math.max(0, this.deadline - this.now());
    }

    /** Raises the interrupt if the deadline has passed. */
    update(): void {
        if (!this.enabled || this.expired || this.now() < this.deadline) return;
        this.expired = true;
        if (this.period > 0) this.deadline += this.period;
        this.interrupts?.controller.raise(this.interrupts.line);
    }

    read(offset: number, size: 1 | 2 | 4): number {
        if (size !== 4) return 0;
        const now = this.now();
        switch (offset) {
            case TIMER_NOW_LO: return now >>> 0;
            case TIMER_NOW_HI: return Math.floor(now / 0x1_0000_0000) >>> 0;
            case TIMER_DEADLINE_LO: return this.deadline >>> 0;
            case TIMER_DEADLINE_HI: return Math.floor(this.deadline / 0x1_0000_0000) >>> 0;
            case TIMER_PERIOD: return this.period >>> 0;
            case TIMER_CONTROL: return (this.enabled ? 1 : 0) | (this.expired ? 2 : 0);
            default: return 0;
        }
    }

    write(offset: number, size: 1 | 2 | 4, value: number): void {
        if (size !== 4) return;
        const high = Math.floor(this.deadline / 0x1_0000_0000);
        switch (offset) {
            case TIMER_DEADLINE_LO: this.deadline = high * 0x1_0000_0000 + (value >>> 0); break;
            case TIMER_DEADLINE_HI: this.deadline = (value >>> 0) * 0x1_0000_0000 + (this.deadline % 0x1_0000_0000); break;
            case TIMER_PERIOD: this.period = value >>> 0; break;
            case TIMER_CONTROL:
                this.enabled = (value & 1) !== 0;
                if (value & 2) {
                    this.expired = false;
                    this.interrupts?.controller.lower(this.interrupts.line);
                }
                break;
            default: return;
        }
        this.expiryChanged();
    }
}
