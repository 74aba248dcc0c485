/**
 * A placed value read back from message words: the one unpacker that the layout engine's codec
 * (src/layout/codec.ts, the reference for stubs and dispatch code) and the runtime's trace decoder share.
 * A field of `bits` bits starts at bit `lo` of word `word`; a field wider than a word spans whole words
 * from `word` on, low word first (docs/ABI.md, "Message layout"). `fieldBits` is the definition, for any
 * word width; `smallFieldBits` is its fast form for the runtime's 32-bit words and fields of at most 32
 * bits, in plain numbers (tests hold the two to each other).
 */
import type { Placement } from './message-layout.js';

/** The unsigned bits of a field; `wordAt(i)` gives word i as `wordBits` unsigned bits (0n past the end). */
export function fieldBits(placement: Placement, wordBits: number, wordAt: (index: number) => bigint): bigint {
    const { word, lo, bits } = placement;
    const mask = (1n << BigInt(bits)) - 1n;
    if (bits <= wordBits) return (wordAt(word) >> BigInt(lo)) & mask;
    const width = BigInt(wordBits);
    const wordMask = (1n << width) - 1n;
    let raw = 0n;
    for (let i = Math.ceil(bits / wordBits) - 1; i >= 0; i--) raw = (raw << width) | (wordAt(word + i) & wordMask);
    return raw & mask;
}

/** `fieldBits` over 32-bit words held as numbers (as the kernel reports them; missing words read 0). */
export function fieldBits32(placement: Placement, words: ArrayLike<number>): bigint {
    return fieldBits(placement, 32, index => BigInt((words[index] ?? 0) >>> 0));
}

/** The unsigned bits of a field of at most 32 bits from 32-bit words, as a number (no BigInt). */
export function smallFieldBits(placement: Placement, words: ArrayLike<number>): number {
    const shifted = (words[placement.word] ?? 0) >>> placement.lo;
    return placement.bits === 32 ? shifted : shifted & (2 ** placement.bits - 1);
}

/** The bits of a signed field of at most 32 bits as its value (two's complement). */
export function signedSmall(raw: number, bits: number): number {
    return bits < 32 ? (raw << (32 - bits)) >> (32 - bits) : raw | 0;
}
