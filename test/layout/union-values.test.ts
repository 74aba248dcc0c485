/**
 * Unions and optionals through the layout engine and codec, over random union types and values: the
 * union travels as one field of its exact width among other fields, packs and unpacks to the same bits,
 * and the contract's readers (union-values.ts, which the trace decoder uses) find in those bits the tag
 * and every payload leaf this file put there by docs/ABI.md's rule, "the tag in the low bits, then the
 * payload's leaves in order, unused bits zero"; a tag beyond the variants is malformed.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { PROFILES } from '../../src/layout/profiles.js';
import type { FieldSpec, PayloadShape, ScalarKind, UnionKind } from '../../src/layout/types.js';
import { bitsAt, formatUnion, isWellFormedUnion, payloadLeaves } from '../../runtime/contract/index.js';
import { formatScalar } from '../../runtime/trace/message-decoder.js';

/** A leaf's kind and, for the generator, its width. */
const leafKind: fc.Arbitrary<ScalarKind> = fc.oneof(
    fc.record({ kind: fc.constant('int' as const), signed: fc.boolean(), bits: fc.constantFrom(8, 16, 32) }),
    fc.constant({ kind: 'bool' as const }),
    fc.record({ kind: fc.constant('enum' as const), name: fc.constant('M'), bits: fc.integer({ min: 1, max: 5 }), members: fc.constant([{ name: 'A', value: 0n }, { name: 'B', value: 1n }]) })
);

const kindBits = (kind: ScalarKind) => (kind.kind === 'bool' ? 1 : kind.bits);

/** A union of 1..9 variants, each without a payload, with one leaf, or with a struct of two; the tag as ukc sizes it. */
const unionKind: fc.Arbitrary<UnionKind> = fc.array(fc.oneof(
    fc.constant([] as ScalarKind[]),
    fc.array(leafKind, { minLength: 1, maxLength: 1 }),
    fc.array(leafKind, { minLength: 2, maxLength: 2 })
), { minLength: 1, maxLength: 9 }).map(variants => {
    let tagBits = 1;
    while ((1 << tagBits) < variants.length) tagBits++;
    let widest = 0;
    const specs = variants.map((leaves, i) => {
        let at = tagBits;
        const shapes: PayloadShape[] = leaves.map(type => {
            const shape: PayloadShape = { kind: 'leaf', lo: at, type };
            at += kindBits(type);
            return shape;
        });
        widest = Math.max(widest, at - tagBits);
        const payload: PayloadShape | undefined = shapes.length === 0 ? undefined : shapes.length === 1 ? shapes[0]
            : { kind: 'struct', name: 'P', fields: shapes.map((shape, f) => ({ name: `f${f}`, shape })) };
        return { name: `v${i}`, ...(payload ? { payload } : {}) };
    });
    return { kind: 'union' as const, name: 'U', bits: tagBits + widest, tagBits, variants: specs };
});

/** A value: a tag and the unsigned bits of each of its variant's leaves, drawn from `seeds`. */
function valueOf(kind: UnionKind, tagSeed: number, seeds: readonly bigint[]): { tag: number; leaves: bigint[] } {
    const tag = tagSeed % kind.variants.length;
    const leaves = payloadLeaves(kind.variants[tag].payload).map((leaf, i) => BigInt.asUintN(kindBits(leaf.type), seeds[i] ?? 0n));
    return { tag, leaves };
}

/** docs/ABI.md's rule, written out here: the tag at bit 0, each leaf at its offset. */
function encode(kind: UnionKind, value: { tag: number; leaves: bigint[] }): bigint {
    const leaves = payloadLeaves(kind.variants[value.tag].payload);
    return leaves.reduce((raw, leaf, i) => raw | (value.leaves[i] << BigInt(leaf.lo)), BigInt(value.tag));
}

describe.each(PROFILES.map(profile => [profile.name, profile] as const))('unions through the codec on %s', (_name, profile) => {
    test('random unions among other fields round-trip, and their bits hold the tag and the payload', () => {
        fc.assert(fc.property(unionKind, fc.nat(), fc.array(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), { minLength: 2, maxLength: 2 }),
            fc.array(fc.boolean(), { maxLength: 3 }), (kind, tagSeed, seeds, others) => {
                const fields: FieldSpec[] = [
                    ...others.map((_, i): FieldSpec => ({ kind: 'scalar', path: `b${i}`, type: { kind: 'bool' } })),
                    { kind: 'scalar', path: 'u', type: kind },
                    { kind: 'scalar', path: 'o', type: { kind: 'union', name: 'u8?', bits: 9, tagBits: 1, optional: true, variants: [{ name: 'none' }, { name: 'some', payload: { kind: 'leaf', lo: 1, type: { kind: 'int', signed: false, bits: 8 } } }] } }
                ];
                const result = layoutInterface({ name: 'I', methods: [{ name: 'm', ordinal: 1, oneway: false, params: fields, results: [] }] }, profile);
                if (result.problems.length > 0) return;
                const layout = result.layout.methods[0].request;
                const placed = layout.scalars.find(scalar => scalar.path === 'u');
                expect(placed?.placement.bits).toBe(kind.bits);
                const value = valueOf(kind, tagSeed, seeds);
                const raw = encode(kind, value);
                const optional = seeds[0] % 2n === 0n ? 0n : 1n | ((seeds[1] & 0xffn) << 1n);
                const values = { ...Object.fromEntries(others.map((flag, i) => [`b${i}`, flag ? 1n : 0n])), u: raw, o: optional };
                const codec = createCodec(layout, profile.wordBits);
                const unpacked = codec.unpack(codec.pack(values));
                expect(unpacked).toEqual(values);
                expect(Number(bitsAt(unpacked.u, 0, kind.tagBits))).toBe(value.tag);
                expect(payloadLeaves(kind.variants[value.tag].payload).map(leaf => bitsAt(unpacked.u, leaf.lo, kindBits(leaf.type)))).toEqual(value.leaves);
                expect(isWellFormedUnion(kind, unpacked.u)).toBe(true);
                expect(formatUnion(kind, unpacked.u, formatScalar).startsWith(`U.v${value.tag}`)).toBe(true);
                // Every tag past the variants (up to the tag's width) is malformed, and shown as such.
                for (let tag = kind.variants.length; tag < 1 << kind.tagBits; tag++) {
                    expect(isWellFormedUnion(kind, BigInt(tag))).toBe(false);
                    expect(formatUnion(kind, BigInt(tag), formatScalar)).toBe(`U(tag ${tag})`);
                }
            }), { numRuns: 200 });
    });
});

describe('union text', () => {
    test('a variant with a struct payload, one without, an optional and a nested union', () => {
        const inner: UnionKind = { kind: 'union', name: 'i8?', bits: 9, tagBits: 1, optional: true, variants: [{ name: 'none' }, { name: 'some', payload: { kind: 'leaf', lo: 1, type: { kind: 'int', signed: true, bits: 8 } } }] };
        const kind: UnionKind = {
            kind: 'union', name: 'Shape', bits: 2 + 16, tagBits: 2, variants: [
                { name: 'rect', payload: { kind: 'struct', name: 'Rect', fields: [
                    { name: 'w', shape: { kind: 'leaf', lo: 2, type: { kind: 'int', signed: false, bits: 8 } } },
                    { name: 'h', shape: { kind: 'leaf', lo: 10, type: { kind: 'bool' } } }
                ] } },
                { name: 'empty' },
                { name: 'delta', payload: { kind: 'leaf', lo: 2, type: inner } }
            ]
        };
        expect(formatUnion(kind, 0n | (200n << 2n) | (1n << 10n), formatScalar)).toBe('Shape.rect(Rect { w: 200, h: true })');
        expect(formatUnion(kind, 1n, formatScalar)).toBe('Shape.empty');
        expect(formatUnion(kind, 2n | ((1n | (0xfbn << 1n)) << 2n), formatScalar)).toBe('Shape.delta(some(-5))');
        expect(formatUnion(kind, 2n, formatScalar)).toBe('Shape.delta(none)');
        expect(formatUnion(kind, 3n, formatScalar)).toBe('Shape(tag 3)');
    });
});
