/**
 * Floating-point constant folding: the value the compiled code computes, found on the host. Every operation
 * rounds to its type as the soft-float runtime does (IEEE 754, round to nearest, ties to even): an f64
 * operation is a JavaScript one; an f32 operation is `Math.fround` of the JavaScript one, which is exact for
 * + - * / because a double holds the f32 operands' exact result to more than twice f32's precision. Decimal
 * literals and integers are rounded once, straight to the type (never through f64 first), from their exact
 * rational value.
 */
import type { FloatBits } from '../../../runtime/contract/index.js';
import { intRange } from './types.js';
import type { IntRepresentation } from './types.js';

/** The float the type holds nearest to `numerator / denominator` (denominator > 0), ties to even. */
export function roundRational(numerator: bigint, denominator: bigint, bits: FloatBits): number {
    if (numerator === 0n) return 0;
    const negative = numerator < 0n;
    const n = negative ? -numerator : numerator;
    const precision = bits === 32 ? 24 : 53;
    const minExponent = bits === 32 ? -126 : -1022; // of the leading bit of a normal value
    const maxExponent = bits === 32 ? 127 : 1023;
    // e: the exponent of the value's leading bit, floor(log2(n / d)).
    let e = n.toString(2).length - denominator.toString(2).length;
    if (e >= 0 ? n < denominator << BigInt(e) : n << BigInt(-e) < denominator) e--;
    // The last significand bit is worth 2^(e - precision + 1), but never less than the smallest subnormal's.
    const quantum = Math.max(e, minExponent) - precision + 1;
    const scaledNum = quantum >= 0 ? n : n << BigInt(-quantum);
    const scaledDen = quantum >= 0 ? denominator << BigInt(quantum) : denominator;
    let significand = scaledNum / scaledDen;
    const twiceRemainder = 2n * (scaledNum - significand * scaledDen);
    if (twiceRemainder > scaledDen || (twiceRemainder === scaledDen && (significand & 1n) === 1n)) significand++;
    const magnitude = Number(significand) * 2 ** quantum; // exact: the significand has at most precision + 1 bits
    const limit = 2 ** maxExponent * (2 - 2 ** (1 - precision));
    const value = magnitude > limit ? Infinity : magnitude;
    return negative ? -value : value;
}

/** A FLOAT token's value in the type (`2.0e-3`, `1_000.5`), or undefined when the text is not a float. */
export function parseFloatLiteral(text: string | undefined, bits: FloatBits): number | undefined {
    const match = /^([0-9][0-9_]*)(?:\.([0-9][0-9_]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text ?? '');
    if (!match) return undefined;
    const whole = match[1].replace(/_/g, '');
    const fraction = (match[2] ?? '').replace(/_/g, '');
    // Exponents far beyond any float's range round to infinity or zero without building huge numbers.
    const exponent = Math.max(-2000, Math.min(2000, Number(match[3] ?? '0'))) - fraction.length;
    const digits = BigInt(whole + fraction);
    return exponent >= 0 ? roundRational(digits * 10n ** BigInt(exponent), 1n, bits) : roundRational(digits, 10n ** BigInt(-exponent), bits);
}

/** `a op b` in the type, as the compiled code computes it. */
export function floatArithmetic(operator: '+' | '-' | '*' | '/', a: number, b: number, bits: FloatBits): number {
    const exact = operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : a / b;
    return bits === 32 ? Math.fround(exact) : exact;
}

/** `value as T` for an integer type: toward zero; NaN is 0, and values beyond T's range saturate at its ends. */
export function floatToInteger(value: number, type: IntRepresentation): bigint {
    if (Number.isNaN(value)) return 0n;
    const { min, max } = intRange(type);
    if (value === Infinity) return max;
    if (value === -Infinity) return min;
    const truncated = BigInt(Math.trunc(value));
    return truncated < min ? min : truncated > max ? max : truncated;
}

/** An integer as a float of the type, rounded once (ties to even). */
export function integerToFloat(value: bigint, bits: FloatBits): number {
    return roundRational(value, 1n, bits);
}
