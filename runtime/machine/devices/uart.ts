/**
 * A 16550-style UART, the registers a console driver needs (byte offsets in its page):
 *
 *   0  RBR (read)  received byte, removed from the receive queue    THR (write) byte to transmit
 *   1  IER         bit 0: interrupt when a received byte is waiting
 *   2  IIR (read)  0x04 while a receive interrupt is pending, else 0x01
 *   3  LCR         line control; kept, no effect (there is no wire)
 *   5  LSR (read)  bit 0: a received byte is waiting; bits 5 and 6: the transmitter is empty (always)
 *
 * Transmitted bytes go to `output`; `receive` queues input (from the host console). With IER bit 0 set the
 * UART holds its interrupt line raised while input is waiting.
 */
import type { MappedDevice } from '../memory.js';
import type { InterruptController } from './interrupt-controller.js';

export const UART_RBR = 0;
export const UART_THR = 0;
export const UART_IER = 1;
export const UART_IIR = 2;
export const UART_LCR = 3;
export const UART_LSR = 5;
export const LSR_DATA_READY = 0x01;
export const LSR_THR_EMPTY = 0x20;
export const LSR_TRANSMITTER_EMPTY = 0x40;

export class Uart implements MappedDevice {
    private readonly input: number[] = [];
    private ier = 0;
    private lcr = 0;

    constructor(
        private readonly output: (byte: number) => void,
        private readonly interrupts?: { readonly controller: InterruptController; readonly line: number }
    ) {}

    /** Host input: bytes the driver will read from RBR. */
    receive(bytes: Iterable<number>): void {
        for (const byte of bytes) this.input.push(byte & 0xff);
        this.updateInterrupt();
    }

    get waiting(): number {
        return this.input.length;
    }

    read(offset: number, size: 1 | 2 | 4): number {
        if (size !== 1) return 0;
        switch (offset) {
            case UART_RBR: {
                const byte = this.input.shift() ?? 0;
                this.updateInterrupt();
                return byte;
            }
            case UART_IER: return this.ier;
            case UART_IIR: return this.interruptWanted() ? 0x04 : 0x01;
            case UART_LCR: return this.lcr;
            case UART_LSR: return (this.input.length > 0 ? LSR_DATA_READY : 0) | LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY;
            default: return 0;
        }
    }

    write(offset: number, size: 1 | 2 | 4, value: number): void {
        if (size !== 1) return;
        switch (offset) {
            case UART_THR: this.output(value & 0xff); return;
            case UART_IER: this.ier = value & 0x0f; this.updateInterrupt(); return;
            case UART_LCR: this.lcr = value & 0xff; return;
            default: return;
        }
    }

    private interruptWanted(): boolean {
        return (this.ier & 1) !== 0 && this.input.length > 0;
    }

    private updateInterrupt(): void {
        if (!this.interrupts) return;
        if (this.interruptWanted()) this.interrupts.controller.raise(this.interrupts.line);
        else this.interrupts.controller.lower(this.interrupts.line);
    }
}
