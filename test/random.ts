/** A deterministic pseudo-random sequence of 32-bit words (xorshift32), so that a failing random test can be repeated from its seed. */
export function xorshift32(seed: number): () => number {
    let state = seed >>> 0 || 1;
    return () => {
        state ^= state << 13; state >>>= 0;
        state ^= state >>> 17;
        state ^= state << 5; state >>>= 0;
        return state;
    };
}
