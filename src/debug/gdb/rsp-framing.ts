/**
 * The GDB remote serial protocol's framing (GDB manual, "Overview" and "Packet Acknowledgment"): a packet
 * is `$payload#cc`, where cc is the modulo-256 sum of the payload's bytes in two hex digits; the receiver
 * answers `+` (received) or `-` (send again) until both sides agree on no-ack mode; a lone 0x03 byte
 * outside a packet is an interrupt (Ctrl-C). Bytes arrive in chunks of any size, so the reader keeps the
 * part of a packet it has seen. Nothing here throws on what the other side sends: noise between packets is
 * skipped, a bad checksum is refused with `-`, and a packet longer than the limit is dropped.
 */

/** What the framing reader found in the bytes it was given, in order. */
export type RspInput =
    | { readonly kind: 'packet'; readonly payload: string }
    | { readonly kind: 'interrupt' }
    /** A `-` from the other side: the last packet sent did not arrive intact. */
    | { readonly kind: 'resend' };

/** The largest payload accepted (what `qSupported`'s PacketSize announces, in bytes). */
export const MAX_PACKET_SIZE = 0x4000;

const DOLLAR = 0x24;
const HASH = 0x23;
const PLUS = 0x2b;
const MINUS = 0x2d;
const INTERRUPT = 0x03;
const ESCAPE = 0x7d;

type ReadState = 'between' | 'payload' | 'checksum';

/** Reads packets, interrupts and acknowledgements from a byte stream, and writes the acknowledgements. */
export class RspReader {
    private state: ReadState = 'between';
    private payload: number[] = [];
    private checksumDigits = '';
    private acknowledging = true;

    /** `sendAck` writes one `+` or `-` back (only while acknowledgements are on). */
    constructor(private readonly sendAck: (ack: '+' | '-') => void) {}

    /** After `QStartNoAckMode` is answered, neither side sends `+` or `-` any more. */
    stopAcknowledging(): void {
        this.acknowledging = false;
    }

    read(bytes: Uint8Array): RspInput[] {
        const found: RspInput[] = [];
        for (const byte of bytes) {
            const input = this.readByte(byte);
            if (input) found.push(input);
        }
        return found;
    }

    private readByte(byte: number): RspInput | undefined {
        switch (this.state) {
            case 'between':
                if (byte === DOLLAR) this.startPacket();
                else if (byte === INTERRUPT) return { kind: 'interrupt' };
                else if (byte === MINUS && this.acknowledging) return { kind: 'resend' };
                // `+` and noise between packets are ignored.
                return undefined;
            case 'payload':
                if (byte === HASH) {
                    this.state = 'checksum';
                } else if (byte === DOLLAR) {
                    // A packet cut short by a new one: the new one is what counts.
                    this.startPacket();
                } else if (this.payload.length >= MAX_PACKET_SIZE) {
                    this.state = 'between';
                    this.payload = [];
                    if (this.acknowledging) this.sendAck('-');
                } else {
                    this.payload.push(byte);
                }
                return undefined;
            case 'checksum':
                this.checksumDigits += String.fromCharCode(byte);
                if (this.checksumDigits.length < 2) return undefined;
                return this.endPacket();
        }
    }

    private startPacket(): void {
        this.state = 'payload';
        this.payload = [];
        this.checksumDigits = '';
    }

    private endPacket(): RspInput | undefined {
        this.state = 'between';
        const payload = this.payload;
        this.payload = [];
        const expected = /^[0-9a-fA-F]{2}$/.test(this.checksumDigits) ? parseInt(this.checksumDigits, 16) : -1;
        // In no-ack mode the checksum is not checked (GDB manual: the receiver may ignore it).
        if (this.acknowledging) {
            if (expected !== checksum(payload)) {
                this.sendAck('-');
                return undefined;
            }
            this.sendAck('+');
        }
        return { kind: 'packet', payload: String.fromCharCode(...payload) };
    }
}

/** The modulo-256 sum of the bytes. */
export function checksum(bytes: readonly number[] | Uint8Array): number {
    let sum = 0;
    for (const byte of bytes) sum = (sum + byte) & 0xff;
    return sum;
}

/** `$payload#cc` for a payload of 8-bit characters (hex text, or binary data already escaped). */
export function encodePacket(payload: string): Uint8Array {
    const bytes = new Uint8Array(payload.length + 4);
    bytes[0] = DOLLAR;
    for (let i = 0; i < payload.length; i++) bytes[i + 1] = payload.charCodeAt(i) & 0xff;
    bytes[payload.length + 1] = HASH;
    const sum = checksum(bytes.subarray(1, payload.length + 1)).toString(16).padStart(2, '0');
    bytes[payload.length + 2] = sum.charCodeAt(0);
    bytes[payload.length + 3] = sum.charCodeAt(1);
    return bytes;
}

/**
 * Binary data in a reply (`qXfer` reads): `#`, `$`, `}` and `*` are sent as `}` and the byte xor 0x20
 * (GDB manual, "Overview": `*` would start run-length encoding).
 */
export function escapeBinary(text: string): string {
    return text.replace(/[#$}*]/g, character => String.fromCharCode(ESCAPE, character.charCodeAt(0) ^ 0x20));
}

/** The inverse of `escapeBinary`, for binary data GDB sends (`X` packets); a trailing lone `}` is dropped. */
export function unescapeBinary(text: string): number[] {
    const bytes: number[] = [];
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code === ESCAPE) {
            i++;
            if (i < text.length) bytes.push((text.charCodeAt(i) ^ 0x20) & 0xff);
        } else {
            bytes.push(code & 0xff);
        }
    }
    return bytes;
}

export const ACK_BYTES = { '+': Uint8Array.of(PLUS), '-': Uint8Array.of(MINUS) } as const;
