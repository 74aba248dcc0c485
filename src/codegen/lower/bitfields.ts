/** Bitfield values are scalars: a field is read by shifting down and masking, written by masking in. */
import type { FunctionBuilder, VReg } from '../ir.js';

export interface BitfieldField {
    readonly shift: number;
    readonly width: number;
}

function mask(field: BitfieldField): number {
    return field.width >= 32 ? -1 : (1 << field.width) - 1;
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
