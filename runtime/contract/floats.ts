/**
 * IEEE 754 binary32 (`f32`) and binary64 (`f64`) values as the compiler, the compiled code and the trace
 * decoder all see them: a value is its bit pattern in one (f32) or two (f64, low word first) 32-bit words,
 * and `print` writes it in one format (docs/LANGUAGE.md, "Floating point"). The compiled code's formatter
 * (src/codegen/rv32/float-print-routines.ts) implements `formatFloat` in RV32 assembly; tests compare them.
 */

export type FloatBits = 32 | 64;

/** Significant digits `print` shows: enough for any value to read back exactly (9 for f32, 17 for f64). */
export function printDigits(bits: FloatBits): number {
    return bits === 32 ? 9 : 17;
}

/** The value of a bit pattern (`0x3fc00000n` as f32 is 1.5); an f32 comes back as the double that equals it. */
export function floatFromBits(pattern: bigint, bits: FloatBits): number {
    const view = new DataView(new ArrayBuffer(8));
    if (bits === 32) {
        view.setUint32(0, Number(BigInt.asUintN(32, pattern)));
        return view.getFloat32(0);
    }
    view.setBigUint64(0, BigInt.asUintN(64, pattern));
    return view.getFloat64(0);
}

/**
 * The bit pattern of a value that the type holds exactly (an f32 value given as a double is not rounded
 * again). NaN becomes the canonical quiet NaN, 0x7fc00000 or 0x7ff8000000000000, which is the only NaN the
 * soft-float routines produce.
 */
export function floatToBits(value: number, bits: FloatBits): bigint {
    // JavaScript engines may keep a NaN's sign and payload through arithmetic; the contract has one NaN.
    if (Number.isNaN(value)) return bits === 32 ? 0x7fc00000n : 0x7ff8000000000000n;
    const view = new DataView(new ArrayBuffer(8));
    if (bits === 32) {
        view.setFloat32(0, value);
        return BigInt(view.getUint32(0));
    }
    view.setFloat64(0, value);
    return view.getBigUint64(0);
}

/**
 * What `print("{}", x)` writes for a float, and how the trace shows one: `NaN`, `inf`, `-inf`, `0`, `-0`,
 * otherwise the value rounded to `printDigits` significant digits (halfway cases away from zero, as
 * JavaScript's toPrecision), trailing zeros and a trailing point dropped, in positional notation when the
 * decimal exponent X is -4 <= X < digits, else as `d.ddde+X` / `d.ddde-X` (C's `%.9g` / `%.17g`).
 */
export function formatFloat(value: number, bits: FloatBits): string {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'inf';
    if (value === -Infinity) return '-inf';
    if (value === 0) return Object.is(value, -0) ? '-0' : '0';
    const digits = printDigits(bits);
    const [mantissa, exponentText] = Math.abs(value).toExponential(digits - 1).split('e');
    const exponent = Number(exponentText);
    const significand = mantissa.replace('.', '').replace(/0+$/, '');
    const sign = value < 0 ? '-' : '';
    if (exponent < -4 || exponent >= digits) {
        const fraction = significand.slice(1);
        return `${sign}${significand[0]}${fraction ? `.${fraction}` : ''}e${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
    }
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${significand}`;
    const whole = significand.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = significand.slice(exponent + 1);
    return `${sign}${whole}${fraction ? `.${fraction}` : ''}`;
}
