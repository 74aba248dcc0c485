/**
 * Pack and unpack messages by their layout: the reference that client stubs, server dispatch code and the
 * trace decoder must agree with. Values are bigints (signed fields as negative numbers, bools as 0n/1n,
 * enums and bitfields as their integer value); words are bigints holding `wordBits` unsigned bits. A field
 * wider than a word is split low word first. Unpacking reads fields with the contract's `fieldBits`, the
 * one unpacker the runtime's trace decoder uses too.
 */
import { fieldBits } from '../../runtime/contract/index.js';
import { scalarBits } from './engine.js';
import type { MessageLayout, PlacedScalar, Placement, ScalarKind } from './types.js';

export type MessageValues = Record<string, bigint>;

export interface MessageCodec {
    pack(values: MessageValues): bigint[];
    unpack(words: readonly bigint[]): MessageValues;
}

/** Thrown by `pack` for a missing value or one that does not fit its field: a caller's bug, not input. */
export class CodecError extends Error {}

export function createCodec(layout: MessageLayout, wordBits: number): MessageCodec {
    const wordMask = (1n << BigInt(wordBits)) - 1n;
    const fields = layout.scalars.map(compileField);
    return {
        pack(values: MessageValues): bigint[] {
            const words = new Array<bigint>(layout.words).fill(0n);
            for (const field of fields) {
                const value = values[field.path];
                if (value === undefined) throw new CodecError(`no value for '${field.path}'`);
                if (value < field.min || value > field.max) {
                    throw new CodecError(`${value} does not fit '${field.path}' (${field.min}..${field.max})`);
                }
                let raw = BigInt.asUintN(field.bits, value);
                if (field.bits <= wordBits) {
                    words[field.word] |= (raw << field.lo) & wordMask;
                } else {
                    const count = Math.ceil(field.bits / wordBits);
                    for (let i = 0; i < count; i++) {
                        words[field.word + i] |= raw & wordMask;
                        raw >>= BigInt(wordBits);
                    }
                }
            }
            return words;
        },
        unpack(words: readonly bigint[]): MessageValues {
            const values: MessageValues = {};
            const wordAt = (index: number) => words[index] ?? 0n;
            for (const field of fields) {
                const raw = fieldBits(field.placement, wordBits, wordAt);
                values[field.path] = field.signed ? BigInt.asIntN(field.bits, raw) : raw;
            }
            return values;
        }
    };
}

interface CompiledField {
    readonly path: string;
    readonly placement: Placement;
    readonly word: number;
    readonly lo: bigint;
    readonly bits: number;
    readonly signed: boolean;
    readonly min: bigint;
    readonly max: bigint;
}

function compileField(scalar: PlacedScalar): CompiledField {
    const bits = scalarBits(scalar.type);
    const signed = isSigned(scalar.type);
    const width = BigInt(bits);
    return {
        path: scalar.path,
        placement: scalar.placement,
        word: scalar.placement.word,
        lo: BigInt(scalar.placement.lo),
        bits,
        signed,
        min: signed ? -(1n << (width - 1n)) : 0n,
        max: signed ? (1n << (width - 1n)) - 1n : (1n << width) - 1n
    };
}

/** Whether a scalar's bits are two's complement: signed integers and enums with a signed base. */
export function isSigned(type: ScalarKind): boolean {
    return (type.kind === 'int' && type.signed) || (type.kind === 'enum' && type.signed === true);
}
