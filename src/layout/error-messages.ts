/**
 * What an error reply carries (docs/ABI.md, "Labels"). A method's error enum whose values all fit below
 * WIDE_ERROR_LABEL travels as the label alone; one with a larger value (a 32-bit error code) makes every
 * error reply of the method carry WIDE_ERROR_LABEL and the code in a 32-bit field `error`. The method's
 * error payload (`raises E { code: u32 }`) follows, laid out like any message's fields: the same layout
 * for every member, so that a client unpacks it before it knows which error it got.
 */
import { ERROR_CODE_FIELD, WIDE_ERROR_LABEL } from '../../runtime/contract/index.js';
import type { MethodSpec, ScalarFieldSpec } from './types.js';

/** The path of the error code field of wide errors (the checker keeps payload fields from using it). */
export const ERROR_CODE_PATH = ERROR_CODE_FIELD;

/** Whether some member of the error enum does not fit the label. */
export function isWideError(errors: NonNullable<MethodSpec['errors']>): boolean {
    return errors.members.some(member => member.value >= BigInt(WIDE_ERROR_LABEL));
}

/** The label of the error reply for one member. */
export function errorLabel(errors: NonNullable<MethodSpec['errors']>, value: bigint): number {
    return isWideError(errors) ? WIDE_ERROR_LABEL : Number(value);
}

/** The fields of every error reply of the method: the 32-bit code when wide, then the payload. */
export function errorFields(errors: NonNullable<MethodSpec['errors']>): ScalarFieldSpec[] {
    const payload = errors.payload ?? [];
    if (!isWideError(errors)) return [...payload];
    const code: ScalarFieldSpec = { kind: 'scalar', path: ERROR_CODE_PATH, type: { kind: 'enum', name: errors.name, bits: 32, members: errors.members } };
    return [code, ...payload];
}
