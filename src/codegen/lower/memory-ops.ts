/**
 * IR for values in memory (structs, arrays, 64-bit variables): word loads and stores at a place, copies
 * and fills — unrolled when short, a loop when long.
 */
import type { FunctionBuilder, VReg } from '../ir.js';
import { WORD } from './aggregates.js';

/** A place in memory: a base address register plus a constant offset. */
export interface Place {
    readonly base: VReg;
    readonly offset: number;
}

/** Loads the words at the given byte offsets from a place. */
export function readWords(builder: FunctionBuilder, place: Place, offsets: readonly number[]): VReg[] {
    return offsets.map(offset => {
        const dst = builder.register();
        builder.emit({ op: 'loadIndirect', dst, base: place.base, offset: place.offset + offset, size: 4, signed: false });
        return dst;
    });
}

/** Stores words one after the other from a place on. */
export function writeWords(builder: FunctionBuilder, place: Place, words: readonly VReg[]): void {
    words.forEach((word, i) => builder.emit({ op: 'storeIndirect', src: word, base: place.base, offset: place.offset + WORD * i, size: 4 }));
}

/** Copies `size` bytes word by word (a loop beyond sixteen words). */
export function copyWords(builder: FunctionBuilder, target: Place, source: Place, size: number): void {
    if (size <= 16 * WORD) {
        for (let offset = 0; offset < size; offset += WORD) {
            const word = builder.register();
            builder.emit({ op: 'loadIndirect', dst: word, base: source.base, offset: source.offset + offset, size: 4, signed: false });
            builder.emit({ op: 'storeIndirect', src: word, base: target.base, offset: target.offset + offset, size: 4 });
        }
        return;
    }
    wordLoop(builder, target, size, (cursor, offset) => {
        const from = builder.binary('add', source.base, offset);
        const word = builder.register();
        builder.emit({ op: 'loadIndirect', dst: word, base: from, offset: source.offset, size: 4, signed: false });
        builder.emit({ op: 'storeIndirect', src: word, base: cursor, offset: target.offset, size: 4 });
    });
}

/** Fills every word of `size` bytes with one value (zero for a fresh `var`, `v` for `[v; N]`). */
export function fillWords(builder: FunctionBuilder, target: Place, size: number, value: VReg): void {
    wordLoop(builder, target, size, cursor => builder.emit({ op: 'storeIndirect', src: value, base: cursor, offset: target.offset, size: 4 }));
}

/** A loop over the words of `size` bytes at `target`: `body(cursor, byteOffset)`. */
function wordLoop(builder: FunctionBuilder, target: Place, size: number, body: (cursor: VReg, offset: VReg) => void): void {
    if (size === 0) return;
    const offset = builder.register();
    builder.emit({ op: 'const', dst: offset, value: 0 });
    const head = builder.newBlock('words');
    const done = builder.newBlock('wordsdone');
    builder.terminate({ op: 'jump', target: head.label });
    builder.place(head);
    body(builder.binary('add', target.base, offset), offset);
    builder.emit({ op: 'binary', kind: 'add', dst: offset, a: offset, b: builder.constant(WORD) });
    builder.terminate({ op: 'branch', condition: builder.binary('sltu', offset, builder.constant(size)), ifTrue: head.label, ifFalse: done.label });
    builder.place(done);
}

/** Bytes a byte buffer of `capacity` takes in memory: whole words, so that word copies and fills fit. */
export function bufferBytes(capacity: number): number {
    return Math.ceil(capacity / WORD) * WORD;
}

/** Copies exactly `size` bytes: whole words, then the bytes of a last partial word (places may be unaligned). */
export function copyBytes(builder: FunctionBuilder, target: Place, source: Place, size: number): void {
    const whole = size - (size % WORD);
    copyWords(builder, target, source, whole);
    for (let offset = whole; offset < size; offset++) {
        const byte = builder.register();
        builder.emit({ op: 'loadIndirect', dst: byte, base: source.base, offset: source.offset + offset, size: 1, signed: false });
        builder.emit({ op: 'storeIndirect', src: byte, base: target.base, offset: target.offset + offset, size: 1 });
    }
}
