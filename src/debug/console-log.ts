/**
 * The console output of a debugged run, as a log that can go back in time: going back truncates it to what
 * had been written at that moment, and running forward again writes the same bytes again (the run is
 * deterministic). The user sees each byte once: `unseen` hands out only what lies past everything already
 * shown, so a re-execution repeats nothing on the debug console.
 */
import type { ConsoleSink } from '../session/index.js';
import type { Participant } from './history.js';

export class ConsoleLog implements ConsoleSink {
    private buffer = new Uint8Array(4096);
    private length = 0;
    /** Bytes of the log the user has been shown (it may lie ahead of `length` after going back). */
    private shown = 0;
    private readonly decoder = new TextDecoder();

    byte(value: number): void {
        this.reserve(1);
        this.buffer[this.length++] = value;
    }

    bytes(values: Uint8Array): void {
        this.reserve(values.length);
        this.buffer.set(values, this.length);
        this.length += values.length;
    }

    /** Everything written up to now, as text. */
    text(): string {
        return this.decoder.decode(this.buffer.subarray(0, this.length));
    }

    /** What was written past everything shown so far; it counts as shown from now on. */
    unseen(): Uint8Array {
        if (this.length <= this.shown) return new Uint8Array(0);
        const bytes = this.buffer.slice(this.shown, this.length);
        this.shown = this.length;
        return bytes;
    }

    /** For the run's history: the log's length now, and how to go back to it. */
    readonly participant: Participant = () => {
        const length = this.length;
        return () => { this.length = length; };
    };

    private reserve(more: number): void {
        if (this.length + more <= this.buffer.length) return;
        const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + more));
        grown.set(this.buffer.subarray(0, this.length));
        this.buffer = grown;
    }
}
