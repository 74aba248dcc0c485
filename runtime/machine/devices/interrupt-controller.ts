/**
 * The interrupt controller: 63 level-triggered lines (1..63) from the devices to the kernel. A line is
 * pending while its device holds it raised; the kernel masks lines it does not want and acknowledges a line
 * after the driver has handled it (which unmasks it again, as seL4's IRQ ack does). The CPU learns of a
 * pending unmasked line through `onPending` and stops at the next instruction boundary.
 */
export const IRQ_LINES = 63;

export class InterruptController {
    private raised = 0n;
    private masked = 0n;
    /** Called whenever some unmasked line becomes pending. */
    onPending: () => void = () => {};

    private static bit(line: number): bigint {
        if (!Number.isInteger(line) || line < 1 || line > IRQ_LINES) throw new RangeError(`interrupt line ${line} is not between 1 and ${IRQ_LINES}`);
        return 1n << BigInt(line);
    }

    raise(line: number): void {
        this.raised |= InterruptController.bit(line);
        if (this.pendingLine() !== undefined) this.onPending();
    }

    lower(line: number): void {
        this.raised &= ~InterruptController.bit(line);
    }

    mask(line: number): void {
        this.masked |= InterruptController.bit(line);
    }

    /** Unmasks the line; a device still holding it raised makes it pending again at once. */
    acknowledge(line: number): void {
        this.masked &= ~InterruptController.bit(line);
        if (this.pendingLine() !== undefined) this.onPending();
    }

    isRaised(line: number): boolean {
        return (this.raised & InterruptController.bit(line)) !== 0n;
    }

    /** The lowest-numbered line that is raised and not masked. */
    pendingLine(): number | undefined {
        const pending = this.raised & ~this.masked;
        if (pending === 0n) return undefined;
        for (let line = 1; line <= IRQ_LINES; line++) {
            if (pending & (1n << BigInt(line))) return line;
        }
        return undefined;
    }
}
