/**
 * Packing and unpacking message words (the message convention, ir.ts): values in a2..a7 and the overflow
 * words on one side, message registers a2..a5 and IPC-buffer words on the other, moved in an order that
 * reads every source before it is overwritten (a parallel move). Exactly the bits the layout engine chose.
 */
import { REGISTER_VALUES, isSigned, type MessageLayout, type PlacedScalar } from '../../layout/index.js';
import { OVERFLOW_SYMBOL, argumentLocation } from '../ir.js';
import { wordPath } from '../lower/aggregates.js';
import { FAST_MESSAGE_REGISTERS, IPC_MSG, REG_MR0, IPC_BUFFER } from '../../../runtime/contract/index.js';

/** The scalar arguments or results that travel in registers, a2..a7; the rest go in the overflow words. */
export const MAX_SCALARS = REGISTER_VALUES;

/** The message register that carries word `word` (a2..a5), or undefined for IPC-buffer words. */
export function wordRegister(word: number): string | undefined {
    return word < FAST_MESSAGE_REGISTERS ? `a${REG_MR0 - 10 + word}` : undefined;
}

export function wordOffset(word: number): number {
    return IPC_MSG + 4 * word;
}

/**
 * Where the i-th scalar argument or result is, in the message convention (ir.ts): a2..a7, then the
 * overflow words, named `overflow:<n>` here (they are never a move's register).
 */
export function valueAt(index: number): string {
    const location = argumentLocation('message', index);
    return typeof location === 'string' ? location : `overflow:${location.overflow}`;
}

export function overflowWord(name: string): number | undefined {
    return name.startsWith('overflow:') ? Number(name.slice('overflow:'.length)) : undefined;
}

/** A register holding the value `name` names: itself, or `temp` loaded from its overflow word. */
export function loaded(name: string, temp: string, out: (line: string) => void): string {
    const word = overflowWord(name);
    if (word === undefined) return name;
    out(`la ${temp}, ${OVERFLOW_SYMBOL}`);
    out(`lw ${temp}, ${4 * word}(${temp})`);
    return temp;
}

/** One register (or IPC-buffer word) to compute from source registers. */
export interface Move {
    readonly target: string;
    readonly reads: readonly string[];
    emit(at: (register: string) => string, out: (line: string) => void): void;
}

/**
 * Emits the moves in an order that reads every source before it is overwritten (a parallel move): a
 * move goes once no other pending move still reads its target; when every remaining move waits on
 * another (a cycle), one target is first copied aside to a temporary. Values already where they belong
 * cost nothing, so a message whose layout matches the argument order needs no instruction at all.
 */
export function emitMoves(moves: readonly Move[], out: (line: string) => void): void {
    const pending = [...moves];
    const location = new Map<string, string>();
    const at = (register: string) => location.get(register) ?? register;
    const spare = ['t0', 't1', 't2'];
    while (pending.length > 0) {
        const ready = pending.findIndex(move => !pending.some(other => other !== move && other.reads.some(read => at(read) === move.target)));
        if (ready < 0) {
            const blocked = pending[0].target;
            const temp = spare.shift() as string;
            out(`mv ${temp}, ${blocked}`);
            for (const move of pending) for (const read of move.reads) if (at(read) === blocked) location.set(read, temp);
            continue;
        }
        const [move] = pending.splice(ready, 1);
        move.emit(at, out);
    }
}

/**
 * A value wider than a word spans whole words, low word first (the layout engine places it at bit 0): as far
 * as packing goes, it is one value per word, with the paths its leaves have in memory (`path`, `path#hi`,
 * `path#2`...: aggregates.ts). Every word but the last is 32 unsigned bits; the last keeps the value's
 * remaining bits and signedness, so that unpacking masks what lies above them (a union's unused bits) or
 * sign-extends (an `i40` enum held as a sign-extended 64-bit pair).
 */
export function wordScalars(layout: MessageLayout): PlacedScalar[] {
    return layout.scalars.flatMap((scalar): PlacedScalar[] => {
        const { word, bits } = scalar.placement;
        if (bits <= 32) return [scalar];
        const count = Math.ceil(bits / 32);
        return Array.from({ length: count }, (_, i): PlacedScalar => {
            const last = i === count - 1;
            const wordBits = last ? bits - 32 * i : 32;
            const type = last && isSigned(scalar.type) ? { kind: 'int' as const, signed: true, bits: wordBits } : { kind: 'int' as const, signed: false, bits: wordBits };
            return { ...scalar, path: wordPath(scalar.path, i), type, placement: { word: word + i, lo: 0, bits: wordBits } };
        });
    });
}

/** Packs scalars into message words: registers a2..a5 directly, IPC-buffer words through t5. */
export function packMoves(layout: MessageLayout, sourceOf: (scalar: PlacedScalar) => string): Move[] {
    const byWord = new Map<number, PlacedScalar[]>();
    for (const scalar of wordScalars(layout)) byWord.set(scalar.placement.word, [...(byWord.get(scalar.placement.word) ?? []), scalar]);
    return [...byWord].sort((a, b) => a[0] - b[0]).map(([word, scalars]): Move => {
        const register = wordRegister(word);
        const target = register ?? `memory:${word}`;
        return {
            target,
            reads: scalars.map(sourceOf),
            emit: (at, out) => {
                const build = register ?? 't5';
                // The part that reads the target register itself goes first, before the target changes.
                const parts = [...scalars].sort((a, b) => Number(at(sourceOf(b)) === build) - Number(at(sourceOf(a)) === build));
                parts.forEach((scalar, i) => {
                    const { lo, bits } = scalar.placement;
                    // A value from the overflow words comes through t3, which packing leaves alone.
                    const source = loaded(at(sourceOf(scalar)), 't3', out);
                    // A narrow signed value is sign-extended in its register: sharing a word, it keeps only its bits.
                    const signed = isSigned(scalar.type) && bits < 32 && parts.length > 1;
                    const into = i === 0 ? build : 't4';
                    if (signed && lo === 0 && bits <= 11) {
                        out(`andi ${into}, ${source}, ${(1 << bits) - 1}`);
                    } else if (signed && lo + bits < 32) {
                        out(`slli ${into}, ${source}, ${32 - bits}`);
                        out(`srli ${into}, ${into}, ${32 - bits - lo}`);
                    } else if (lo !== 0) {
                        // Shifting left also drops the sign bits of a signed value that ends at bit 31.
                        out(`slli ${into}, ${source}, ${lo}`);
                    } else if (i === 0) {
                        if (source !== build) out(`mv ${build}, ${source}`);
                        return;
                    } else {
                        out(`or ${build}, ${build}, ${source}`);
                        return;
                    }
                    if (i > 0) out(`or ${build}, ${build}, t4`);
                });
                if (!register) out(`sw t5, ${wordOffset(word)}(t6)`);
            }
        };
    });
}

/**
 * Unpacks scalars from message words into their registers (or overflow words): shift down, then zero- or
 * sign-extend. A word in the IPC buffer is loaded into t4 where it is needed (t6 holds the buffer's
 * address: prepareMemoryWords); a value for the overflow words is computed in t3 and stored through t5.
 */
export function unpackMoves(layout: MessageLayout, targetOf: (scalar: PlacedScalar) => string): Move[] {
    return wordScalars(layout).map((scalar): Move => {
        const word = scalar.placement.word;
        const source = wordRegister(word) ?? `memory:${word}`;
        const destination = targetOf(scalar);
        return {
            target: destination,
            reads: [source],
            emit: (at, out) => {
                let from = at(source);
                if (from.startsWith('memory:')) {
                    out(`lw t4, ${wordOffset(word)}(t6)`);
                    from = 't4';
                }
                const overflow = overflowWord(destination);
                const target = overflow === undefined ? destination : 't3';
                const { lo, bits } = scalar.placement;
                const signed = isSigned(scalar.type);
                if (bits >= 32) {
                    if (from !== target) out(`mv ${target}, ${from}`);
                } else if (lo + bits === 32) {
                    out(`${signed ? 'srai' : 'srli'} ${target}, ${from}, ${lo}`);
                } else if (!signed && lo === 0 && bits <= 11) {
                    out(`andi ${target}, ${from}, ${(1 << bits) - 1}`);
                } else {
                    out(`slli ${target}, ${from}, ${32 - bits - lo}`);
                    out(`${signed ? 'srai' : 'srli'} ${target}, ${target}, ${32 - bits}`);
                }
                if (overflow !== undefined) {
                    out(`la t5, ${OVERFLOW_SYMBOL}`);
                    out(`sw t3, ${4 * overflow}(t5)`);
                }
            }
        };
    });
}

/** Points t6 at the IPC buffer when some of a layout's scalars are in its words. */
export function prepareMemoryWords(layout: MessageLayout, out: (line: string) => void): void {
    if (wordScalars(layout).some(scalar => !wordRegister(scalar.placement.word))) out(`li t6, ${IPC_BUFFER}`);
}

export function packMessage(layout: MessageLayout, sourceOf: (scalar: PlacedScalar) => string, out: (line: string) => void): void {
    if (wordScalars(layout).some(scalar => !wordRegister(scalar.placement.word))) out(`li t6, ${IPC_BUFFER}`);
    emitMoves(packMoves(layout, sourceOf), out);
}

/** The order of a message's scalars as arguments or results: the order of the method's declaration. */
export function argumentIndex(scalar: PlacedScalar, order: readonly string[]): number {
    return order.indexOf(scalar.path);
}
