/** The hex encodings of the remote protocol: numbers big-endian, register values and memory in target (little-endian) byte order. */

/** A number written as hex digits only (no sign, no prefix), or undefined. */
export function parseHexNumber(text: string): number | undefined {
    if (!/^[0-9a-fA-F]{1,8}$/.test(text)) return undefined;
    return parseInt(text, 16) >>> 0;
}

/** Bytes from pairs of hex digits, or undefined when the text is not that. */
export function parseHexBytes(text: string): Uint8Array | undefined {
    if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
    return bytes;
}

export function hexBytes(bytes: Iterable<number>): string {
    let text = '';
    for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
    return text;
}

/** A 32-bit register value as the target stores it: least significant byte first. */
export function hexWord(value: number): string {
    return hexBytes([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]);
}

/** A 32-bit register value back from eight hex digits in target byte order. */
export function parseHexWord(text: string): number | undefined {
    const bytes = text.length === 8 ? parseHexBytes(text) : undefined;
    if (!bytes) return undefined;
    return (bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0;
}

/** Text as hex of its UTF-8 bytes (`qThreadExtraInfo`, `O` output). */
export function hexText(text: string): string {
    return hexBytes(new TextEncoder().encode(text));
}
