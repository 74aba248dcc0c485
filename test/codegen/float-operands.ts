/** f32 operands for the soft-float tests: edge cases, and a deterministic stream of random ones. */

export const EDGES32 = [
    0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x00800001, 0x7f7fffff, 0xff7fffff,
    0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00001, 0x3f800000, 0xbf800000, 0x3f800001, 0x3fffffff,
    0x4b800000, 0x4b7fffff, 0x33800000, 0x34000000, 0x00400000, 0x3effffff, 0x3f000000, 0x4f000000, 0xcf000000
];

/** A deterministic stream of operand bit patterns (xorshift32): random words, edge cases, values near 1 and subnormals. */
export function operands32(seed: number): () => number {
    let state = seed >>> 0 || 1;
    const next = () => {
        state ^= state << 13; state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5; state >>>= 0;
        return state;
    };
    return () => {
        const pick = next() % 8;
        if (pick < 4) return next();
        if (pick === 4) return EDGES32[next() % EDGES32.length];
        if (pick === 5) return 0x3f7ffff0 + (next() % 32);
        if (pick === 6) return (next() & 0x00ffffff) | (next() & 0x80000000);
        return (next() & 0x807fffff) | ((100 + (next() % 56)) << 23); // exponents near 1, so that sums round
    };
}
