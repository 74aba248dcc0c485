/** f32 and f64 operands for the float tests: edge cases, a deterministic stream of random ones, and their uk source. */
import { xorshift32 } from '../random.js';

export const EDGES32 = [
    0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x00800001, 0x7f7fffff, 0xff7fffff,
    0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc00001, 0x3f800000, 0xbf800000, 0x3f800001, 0x3fffffff,
    0x4b800000, 0x4b7fffff, 0x33800000, 0x34000000, 0x00400000, 0x3effffff, 0x3f000000, 0x4f000000, 0xcf000000
];

/** A deterministic stream of operand bit patterns (xorshift32): random words, edge cases, values near 1 and subnormals. */
export function operands32(seed: number): () => number {
    const next = xorshift32(seed);
    return () => {
        const pick = next() % 8;
        if (pick < 4) return next();
        if (pick === 4) return EDGES32[next() % EDGES32.length];
        if (pick === 5) return 0x3f7ffff0 + (next() % 32);
        if (pick === 6) return (next() & 0x00ffffff) | (next() & 0x80000000);
        return (next() & 0x807fffff) | ((100 + (next() % 56)) << 23); // exponents near 1, so that sums round
    };
}

/**
 * f64 edge cases: zeros, subnormals (the smallest, the largest, one with a single high bit), the largest and
 * smallest normals, infinities, NaNs (quiet, signalling, negative), 1 and its neighbours, and the operands
 * of halfway cases (2^-53 and 3 x 2^-54 added to 1, 2^52 and 2^53 with neighbours, 1/3, the subnormal
 * 3 x 2^-1074 divided by 2).
 */
export const EDGES64 = [
    0n, 1n << 63n, 1n, (1n << 63n) | 1n, 2n, 3n, 0x0008000000000000n, 0x000fffffffffffffn, 0x800fffffffffffffn, 0x0010000000000000n,
    0x0010000000000001n, 0x8010000000000000n, 0x7fefffffffffffffn, 0xffefffffffffffffn, 0x7fe0000000000000n,
    0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff0000000000001n, 0xfff8000000000001n,
    0x3ff0000000000000n, 0xbff0000000000000n, 0x3ff0000000000001n, 0x3fefffffffffffffn, 0x3fe0000000000000n, 0x3ff8000000000000n, 0x4000000000000000n,
    0x4008000000000000n, 0x3fd5555555555555n, 0x3ca0000000000000n, 0xbca0000000000000n, 0x3cb0000000000000n, 0x3c98000000000000n,
    0x3ca8000000000000n, 0x4330000000000000n, 0x433fffffffffffffn, 0x4340000000000000n, 0x4340000000000001n,
    0x4000000100000000n, 0x40000000ffffffffn, 0xc000000100000000n, 0x1ff0000000000000n, 0x2000000000000000n, 0x5ff0000000000000n
];

/**
 * A deterministic stream of f64 operand bit patterns: random words (every exponent), edge cases, values
 * near 1, subnormals, exponents near 1's (so that sums round and cancel), and short significands at
 * random exponents (so that exact halfway cases come up).
 */
export function operands64(seed: number): () => bigint {
    const word = operands32(seed);
    const next = () => word() >>> 0;
    const sign = () => BigInt(next() & 0x80000000) << 32n;
    const fraction = () => (BigInt(next() & 0xfffff) << 32n) | BigInt(next());
    return () => {
        const pick = next() % 8;
        if (pick < 3) return (BigInt(next()) << 32n) | BigInt(next());
        if (pick === 3) return EDGES64[next() % EDGES64.length];
        if (pick === 4) return 0x3fefffffffffffe0n + BigInt(next() % 64);
        if (pick === 5) return sign() | (fraction() >> BigInt(next() % 52));
        if (pick === 6) return sign() | (BigInt(1023 - 60 + (next() % 120)) << 52n) | fraction();
        const bits = BigInt(1 + (next() % 8));
        return sign() | (BigInt(next() % 2047) << 52n) | ((fraction() >> (52n - bits)) << (52n - bits));
    };
}

/**
 * A float value as uk source of type `type`: a literal that reads back exactly (17 significant digits are
 * enough for either width), or an expression for NaN, infinities and -0.
 */
export function floatLiteral(value: number, type: 'f32' | 'f64' = 'f32'): string {
    if (Number.isNaN(value)) return `((0.0 as ${type}) / (0.0 as ${type}))`;
    if (value === Infinity) return `((1.0 as ${type}) / (0.0 as ${type}))`;
    if (value === -Infinity) return `(-((1.0 as ${type}) / (0.0 as ${type})))`;
    if (Object.is(value, -0)) return `(-(0.0 as ${type}))`;
    const text = `(${Math.abs(value).toPrecision(17)} as ${type})`;
    return value < 0 ? `(-${text})` : text;
}
