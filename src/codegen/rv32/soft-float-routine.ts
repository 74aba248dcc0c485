/** One routine of the soft-float runtime library (float-routines.ts collects them). */
export interface Routine {
    readonly name: string;
    /** Routines this one calls or jumps to. */
    readonly uses: readonly string[];
    readonly assembly: string;
}

/**
 * Sets `out` to 1 when `lo`:`hi` holds an f64 NaN's bits: with the sign shifted out and "low word nonzero"
 * put in the free bit 0, the high word is above 0xffe00000 (exponent all ones) exactly when the fraction
 * is nonzero too.
 */
export function isNan64(out: string, lo: string, hi: string, scratch: string): string {
    return `    slli ${scratch}, ${hi}, 1
    snez ${out}, ${lo}
    or ${scratch}, ${scratch}, ${out}
    li ${out}, 0xffe00000
    sltu ${out}, ${out}, ${scratch}`;
}
