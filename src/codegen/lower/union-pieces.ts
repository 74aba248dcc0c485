/**
 * Between a union payload in memory (one word per scalar leaf, two for a 64-bit integer, a nested union's
 * packed words: aggregates.ts) and its bits in the union (the contract's PayloadShape): for every memory
 * word of the payload, which bits of the union it fills. Compiled code packs and unpacks by these pieces;
 * constant state is packed by them at compile time.
 */
import { kindBits, payloadLeaves, type ScalarKind, type UnionKind } from '../../../runtime/contract/index.js';

/** One memory word of a payload and where its low `bits` go in the union's bits. */
export interface PayloadPiece {
    /** The word's index in the payload's memory (its byte offset is four times this). */
    readonly word: number;
    /** The bit of the union it starts at (the tag's bits count). */
    readonly lo: number;
    readonly bits: number;
    /** Sign-extend when unpacking: a narrow signed integer or enum, held extended in memory. */
    readonly signed: boolean;
}

export function payloadPieces(kind: UnionKind, tag: number): PayloadPiece[] {
    const pieces: PayloadPiece[] = [];
    let word = 0;
    for (const leaf of payloadLeaves(kind.variants[tag]?.payload)) {
        const bits = kindBits(leaf.type);
        const words = Math.max(1, Math.ceil(bits / 32));
        for (let i = 0; i < words; i++) {
            const pieceBits = Math.min(32, bits - 32 * i);
            pieces.push({ word: word + i, lo: leaf.lo + 32 * i, bits: pieceBits, signed: pieceBits < 32 && isSignedLeaf(leaf.type) });
        }
        word += words;
    }
    return pieces;
}

function isSignedLeaf(type: ScalarKind): boolean {
    return (type.kind === 'int' && type.signed) || (type.kind === 'enum' && type.signed === true);
}

/** A union's packed words from its tag and its payload's memory words (constants known at compile time). */
export function packConstant(kind: UnionKind, tag: number, payloadWords: readonly number[]): number[] {
    let raw = BigInt(tag);
    for (const piece of payloadPieces(kind, tag)) {
        const value = BigInt.asUintN(piece.bits, BigInt(payloadWords[piece.word] ?? 0));
        raw |= value << BigInt(piece.lo);
    }
    return Array.from({ length: Math.ceil(kind.bits / 32) }, (_, i) => Number(BigInt.asIntN(32, raw >> BigInt(32 * i))));
}
