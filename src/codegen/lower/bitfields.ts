/** Bitfield values are scalars: a field is read by shifting down and masking, written by masking in. */
import type { FunctionBuilder, VReg } from '../ir.js';

export interface BitfieldField {
    readonly shift: number;
    readonly width: number;
}

function mask(field: BitfieldField): number {
    return lowBits(field.width);
}

export function readField(b: FunctionBuilder, value: VReg, field: BitfieldField): VReg {
    const shifted = field.shift === 0 ? value : b.binary('srl', value, b.constant(field.shift));
    return b.binary('and', shifted, b.constant(mask(field)));
}

/** The bitfield with one field replaced. */
export function writeField(b: FunctionBuilder, value: VReg, field: BitfieldField, fieldValue: VReg): VReg {
    const placed = mask(field) << field.shift;
    const kept = b.binary('and', value, b.constant(~placed));
    return b.binary('or', kept, b.binary('and', b.binary('sll', fieldValue, b.constant(field.shift)), b.constant(placed)));
}

/** The low `width` bits set, as a 32-bit constant (`-1` for all 32). */
function lowBits(width: number): number {
    return width >= 32 ? -1 : (2 ** width - 1) | 0;
}

/**
 * A bitfield with a 64-bit base is a pair (low word first, aggregates.ts): a field is the pair shifted down
 * and masked to its width, zero-extended to a pair whatever its width (a field of up to 32 bits is the low
 * word). Shifts are by constants, so they are a few instructions, with no call.
 */
export function readField64(b: FunctionBuilder, value: readonly VReg[], field: BitfieldField): VReg[] {
    const [low, high] = shiftRight64(b, value, field.shift);
    if (field.width >= 64) return [low, high];
    if (field.width > 32) return [low, b.binary('and', high, b.constant(lowBits(field.width - 32)))];
    return [field.width === 32 ? low : b.binary('and', low, b.constant(lowBits(field.width))), b.constant(0)];
}

/** The pair with one field replaced by `fieldValue` (a pair; bits beyond the field's width are dropped). */
export function writeField64(b: FunctionBuilder, value: readonly VReg[], field: BitfieldField, fieldValue: readonly VReg[]): VReg[] {
    const placed = ((1n << BigInt(field.width)) - 1n) << BigInt(field.shift);
    const masks = [Number(BigInt.asIntN(32, placed)), Number(BigInt.asIntN(32, placed >> 32n))];
    const moved = shiftLeft64(b, fieldValue, field.shift);
    return masks.map((mask, i) => b.binary('or', b.binary('and', value[i], b.constant(~mask)), b.binary('and', moved[i], b.constant(mask))));
}

function shiftRight64(b: FunctionBuilder, [low, high]: readonly VReg[], count: number): VReg[] {
    if (count === 0) return [low, high];
    if (count >= 32) return [count === 32 ? high : b.binary('srl', high, b.constant(count - 32)), b.constant(0)];
    return [b.binary('or', b.binary('srl', low, b.constant(count)), b.binary('sll', high, b.constant(32 - count))), b.binary('srl', high, b.constant(count))];
}

function shiftLeft64(b: FunctionBuilder, [low, high]: readonly VReg[], count: number): VReg[] {
    if (count === 0) return [low, high];
    if (count >= 32) return [b.constant(0), count === 32 ? low : b.binary('sll', low, b.constant(count - 32))];
    return [b.binary('sll', low, b.constant(count)), b.binary('or', b.binary('sll', high, b.constant(count)), b.binary('srl', low, b.constant(32 - count)))];
}
