/**
 * The one unpacker (runtime/contract/message-words.ts): its definition, its fast 32-bit form held to it
 * with random fields and words, and the two places that read messages with it — the layout engine's codec
 * and the trace decoder — agreeing on every value of random ukvm32 messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldBits, fieldBits32, signedSmall, smallFieldBits, valueCaps, type Placement } from '../../../runtime/contract/index.js';
import { decodeMessage } from '../../../runtime/trace/index.js';
import { createCodec, layoutInterface, profileOrDefault, type FieldSpec, type ScalarKind } from '../../../src/layout/index.js';

const word32 = fc.integer({ min: 0, max: 0xffff_ffff });
/** A field of at most 32 bits inside one 32-bit word. */
const smallPlacement: fc.Arbitrary<Placement> = fc.integer({ min: 1, max: 32 }).chain(bits =>
    fc.record({ word: fc.integer({ min: 0, max: 5 }), lo: fc.integer({ min: 0, max: 32 - bits }), bits: fc.constant(bits) }));

describe('fieldBits', () => {
    it('reads a field inside one word, and one spanning words low word first', () => {
        const words = [0x1234_5678n, 0xdead_beefn, 0x0000_00ffn];
        expect(fieldBits({ word: 0, lo: 8, bits: 8 }, 32, i => words[i] ?? 0n)).toBe(0x56n);
        expect(fieldBits({ word: 1, lo: 0, bits: 64 }, 32, i => words[i] ?? 0n)).toBe(0x0000_00ff_dead_beefn);
        expect(fieldBits({ word: 0, lo: 0, bits: 40 }, 32, i => words[i] ?? 0n)).toBe(0xef_1234_5678n);
        expect(fieldBits({ word: 0, lo: 0, bits: 64 }, 64, () => 0xffff_ffff_ffff_ffffn)).toBe(0xffff_ffff_ffff_ffffn);
        expect(fieldBits({ word: 7, lo: 0, bits: 16 }, 32, i => words[i] ?? 0n)).toBe(0n);
    });

    it('over 32-bit number words, reads them as unsigned', () => {
        expect(fieldBits32({ word: 0, lo: 0, bits: 64 }, [-1, 1])).toBe(0x1_ffff_ffffn);
        expect(fieldBits32({ word: 2, lo: 0, bits: 64 }, [1])).toBe(0n);
    });
});

describe('smallFieldBits, the fast form', () => {
    it('reads what fieldBits reads, for every field of at most 32 bits', () => {
        fc.assert(fc.property(smallPlacement, fc.array(word32, { maxLength: 6 }), (placement, words) => {
            expect(smallFieldBits(placement, words)).toBe(Number(fieldBits32(placement, words)));
        }), { numRuns: 2000 });
    });

    it('reads words the kernel holds as signed numbers the same way', () => {
        expect(smallFieldBits({ word: 0, lo: 0, bits: 32 }, [-2])).toBe(0xffff_fffe);
        expect(smallFieldBits({ word: 0, lo: 28, bits: 4 }, [-1])).toBe(15);
    });

    it('sign-extends as BigInt.asIntN does', () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 32 }), word32, (bits, word) => {
            const raw = bits === 32 ? word : word & (2 ** bits - 1);
            expect(signedSmall(raw, bits)).toBe(Number(BigInt.asIntN(bits, BigInt(raw))));
        }), { numRuns: 2000 });
    });
});

describe('the codec and the trace decoder read messages alike', () => {
    const kinds: fc.Arbitrary<ScalarKind> = fc.oneof(
        fc.record({ kind: fc.constant('int' as const), signed: fc.boolean(), bits: fc.constantFrom(8, 16, 32, 64) }),
        fc.constant({ kind: 'bool' as const })
    );
    it('on random ukvm32 messages and words', () => {
        const profile = profileOrDefault('ukvm32');
        fc.assert(fc.property(fc.array(kinds, { minLength: 1, maxLength: 10 }), fc.array(word32, { minLength: 12, maxLength: 12 }), (types, words) => {
            const params: FieldSpec[] = types.map((type, i) => ({ kind: 'scalar', path: `f${i}`, type }));
            const { layout } = layoutInterface({ name: 'I', methods: [{ name: 'm', ordinal: 1, oneway: false, params, results: [] }] }, profile);
            const request = layout.methods[0].request;
            const values = createCodec(request, 32).unpack(words.map(word => BigInt(word)));
            const expected = request.scalars.map(scalar => ({
                name: scalar.path,
                text: scalar.type.kind === 'bool' ? String(values[scalar.path] !== 0n) : values[scalar.path].toString()
            }));
            expect(decodeMessage(request, words)).toEqual(expected);
        }), { numRuns: 300 });
    });
});

describe('valueCaps', () => {
    it('leaves out a lease frame, which travels as bulk data', () => {
        const { layout } = layoutInterface({
            name: 'I', methods: [{
                name: 'm', ordinal: 1, oneway: false, results: [],
                params: [
                    { kind: 'bulk', path: 'buffer', bytes: 64, transfer: 'lease', direction: 'in' },
                    { kind: 'cap', path: 'peer', capType: 'notification' }
                ]
            }]
        }, profileOrDefault('ukvm32'));
        const request = layout.methods[0].request;
        expect(request.caps.map(cap => cap.path)).toEqual(['buffer', 'peer']);
        expect(valueCaps(request).map(cap => cap.path)).toEqual(['peer']);
    });
});
