/**
 * A byte buffer for console output and trace lines, flushed in 64 KiB pieces to a writer. Trace lines are
 * written into it directly (numbers as digits, names as their bytes), so that a traced run builds no
 * string per line. Text is UTF-8.
 */
const CAPACITY = 1 << 16;

export class OutputBuffer {
    private buffer = new Uint8Array(CAPACITY);
    private length = 0;
    private lastByte = 10;
    private readonly encoder = new TextEncoder();

    constructor(private readonly write: (bytes: Uint8Array) => void) {}

    /** Whether what was written last did not end a line. */
    get midLine(): boolean {
        return this.lastByte !== 10;
    }

    /** Makes room for `count` more bytes. */
    private reserve(count: number): void {
        if (this.length + count <= this.buffer.length) return;
        this.flush();
        if (count > this.buffer.length) this.buffer = new Uint8Array(count);
    }

    byte(value: number): void {
        if (this.length === this.buffer.length) this.flush();
        this.buffer[this.length++] = value;
        this.lastByte = value;
    }

    bytes(bytes: Uint8Array): void {
        if (bytes.length === 0) return;
        this.reserve(bytes.length);
        this.buffer.set(bytes, this.length);
        this.length += bytes.length;
        this.lastByte = bytes[bytes.length - 1];
    }

    /** Any text, as UTF-8; ASCII (names, numbers, the trace's punctuation) without an encoder call. */
    text(text: string): void {
        const count = text.length;
        if (count === 0) return;
        this.reserve(count);
        const buffer = this.buffer;
        let at = this.length;
        for (let i = 0; i < count; i++) {
            const code = text.charCodeAt(i);
            if (code >= 0x80) {
                this.length = at;
                this.bytes(this.encoder.encode(text.slice(i)));
                return;
            }
            buffer[at++] = code;
        }
        this.length = at;
        this.lastByte = buffer[at - 1];
    }

    /** A non-negative integer below 2^53 in decimal. */
    digits(value: number): void {
        if (value >= 1e16) {
            this.text(String(value));
            return;
        }
        let size = 1;
        for (let bound = 10; value >= bound && size < 16; bound *= 10) size++;
        this.reserve(size);
        const buffer = this.buffer;
        let at = this.length + size;
        this.length = at;
        // Written from the last digit back; 32-bit integer arithmetic while the value allows it.
        while (value > 0x7fff_ffff) {
            const next = Math.floor(value / 10);
            buffer[--at] = 48 + (value - next * 10);
            value = next;
        }
        let small = value | 0;
        do {
            const next = (small / 10) | 0;
            buffer[--at] = 48 + (small - next * 10);
            small = next;
        } while (small > 0);
        this.lastByte = buffer[this.length - 1];
    }

    /** An integer (negative ones with a minus sign). */
    integer(value: number): void {
        if (value < 0) {
            this.byte(45);
            this.digits(-value);
        } else {
            this.digits(value);
        }
    }

    /** A non-negative integer right-aligned in `width` columns (wider ones as they are). */
    padded(value: number, width: number): void {
        let size = 1;
        for (let bound = 10; value >= bound && size < 16; bound *= 10) size++;
        this.reserve(width);
        for (let i = size; i < width; i++) this.buffer[this.length++] = 32;
        this.digits(value);
    }

    flush(): void {
        if (this.length === 0) return;
        this.write(this.buffer.slice(0, this.length));
        this.length = 0;
    }
}
