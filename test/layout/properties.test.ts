/**
 * Property tests of the layout engine over many generated messages: every field is placed, none overlap,
 * every value survives pack/unpack, the layout never needs more words than one-field-per-word, it is
 * optimal where the optimum is easy to know, it is deterministic, and pins are honoured.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createCodec, isSigned } from '../../src/layout/codec.js';
import { diffLayouts } from '../../src/layout/diff.js';
import { bitsFor, layoutInterface, overlaps, scalarBits } from '../../src/layout/engine.js';
import { parseLock, serializeLock } from '../../src/layout/lock.js';
import { profileOrDefault, PROFILES, type AbiProfile } from '../../src/layout/profiles.js';
import type { FieldSpec, InterfaceSpec, MessageLayout, ScalarFieldSpec, ScalarKind } from '../../src/layout/types.js';

const scalarKind: fc.Arbitrary<ScalarKind> = fc.oneof(
    fc.record({ kind: fc.constant('int' as const), signed: fc.boolean(), bits: fc.constantFrom(8, 16, 32, 64) }),
    fc.constant({ kind: 'bool' as const }),
    // f32 and f64 travel as their bit patterns, placed as u32 and u64.
    fc.record({ kind: fc.constant('float' as const), bits: fc.constantFrom(32 as const, 64 as const) }),
    fc.record({ kind: fc.constant('enum' as const), name: fc.constant('E'), bits: fc.constantFrom(8, 16), members: fc.constant([{ name: 'A', value: 1n }]) }),
    // Enums of any width 1..64 (`enum Mode : u3`, `enum D : i5`), packed to exactly their bits.
    fc.record({ kind: fc.constant('enum' as const), name: fc.constant('N'), bits: fc.integer({ min: 1, max: 64 }), members: fc.constant([{ name: 'A', value: 0n }]) }),
    fc.record({ kind: fc.constant('enum' as const), name: fc.constant('S'), bits: fc.integer({ min: 1, max: 64 }), signed: fc.constant(true as const), members: fc.constant([{ name: 'A', value: 0n }]) }),
    // Flags of any width: any set of their bits.
    fc.record({ kind: fc.constant('enum' as const), name: fc.constant('P'), bits: fc.integer({ min: 1, max: 64 }), flags: fc.constant(true as const), members: fc.constant([{ name: 'A', value: 1n }]) }),
    fc.record({ kind: fc.constant('bitfield' as const), name: fc.constant('F'), bits: fc.constantFrom(8, 16, 32), fields: fc.constant([{ name: 'x', width: 3 }]) })
);

/** Up to 12 scalar fields with distinct paths, plus a few capabilities. */
const message = fc.tuple(fc.array(scalarKind, { maxLength: 12 }), fc.integer({ min: 0, max: 3 })).map(([kinds, caps]) => {
    const fields: FieldSpec[] = kinds.map((type, i): ScalarFieldSpec => ({ kind: 'scalar', path: `f${i}`, type }));
    for (let i = 0; i < caps; i++) fields.push({ kind: 'cap', path: `c${i}`, capType: 'notification' });
    return fields;
});

function single(fields: FieldSpec[]): InterfaceSpec {
    return { name: 'I', methods: [{ name: 'm', ordinal: 1, oneway: false, params: fields, results: [] }] };
}

function requestOf(fields: FieldSpec[], profile: AbiProfile): { layout: MessageLayout; problems: readonly unknown[] } {
    const result = layoutInterface(single(fields), profile);
    return { layout: result.layout.methods[0].request, problems: result.problems };
}

/** A value of the scalar's type, chosen from its range by `seed`. */
function valueFor(type: ScalarKind, seed: bigint): bigint {
    const bits = BigInt(scalarBits(type));
    const signed = isSigned(type);
    const span = 1n << bits;
    const raw = ((seed % span) + span) % span;
    return signed ? BigInt.asIntN(Number(bits), raw) : raw;
}

describe.each(PROFILES.map(profile => [profile.name, profile] as const))('layout properties on %s', (_name, profile) => {
    test('every field is placed once, nothing overlaps, values round-trip', () => {
        fc.assert(fc.property(message, fc.array(fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }), { minLength: 12, maxLength: 12 }), (fields, seeds) => {
            const { layout, problems } = requestOf(fields, profile);
            const scalars = fields.filter((field): field is ScalarFieldSpec => field.kind === 'scalar');
            expect(problems).toEqual([]);
            expect(layout.scalars.map(scalar => scalar.path).sort()).toEqual(scalars.map(scalar => scalar.path).sort());
            for (let i = 0; i < layout.scalars.length; i++) {
                const a = layout.scalars[i].placement;
                expect(a.bits).toBe(scalarBits(layout.scalars[i].type));
                if (a.bits <= profile.wordBits) expect(a.lo + a.bits).toBeLessThanOrEqual(profile.wordBits);
                for (let j = i + 1; j < layout.scalars.length; j++) {
                    expect(overlaps(a, layout.scalars[j].placement, profile.wordBits)).toBe(false);
                }
            }
            const values = Object.fromEntries(scalars.map((field, i) => [field.path, valueFor(field.type, seeds[i])]));
            const codec = createCodec(layout, profile.wordBits);
            const words = codec.pack(values);
            expect(words).toHaveLength(layout.words);
            for (const word of words) expect(word >= 0n && word < 1n << BigInt(profile.wordBits)).toBe(true);
            expect(codec.unpack(words)).toEqual(values);
        }), { numRuns: 300 });
    });

    test('never more words than one field per word; optimal when widths divide the word', () => {
        fc.assert(fc.property(message, fields => {
            const { layout } = requestOf(fields, profile);
            const scalars = fields.filter((field): field is ScalarFieldSpec => field.kind === 'scalar');
            const naive = scalars.reduce((sum, field) => sum + Math.ceil(scalarBits(field.type) / profile.wordBits), 0);
            expect(layout.words).toBeLessThanOrEqual(naive);
            const totalBits = scalars.reduce((sum, field) => sum + scalarBits(field.type), 0);
            const divisible = scalars.every(field => profile.wordBits % scalarBits(field.type) === 0 || scalarBits(field.type) % profile.wordBits === 0);
            if (divisible) expect(layout.words).toBe(Math.ceil(totalBits / profile.wordBits));
            expect(layout.words).toBeGreaterThanOrEqual(Math.ceil(totalBits / profile.wordBits));
            expect(layout.fastpath).toBe(layout.words <= profile.fastRegisters && layout.extraCaps <= profile.fastpathCaps);
        }), { numRuns: 300 });
    });

    test('the same input always gives the same layout', () => {
        fc.assert(fc.property(message, fields => {
            expect(layoutInterface(single(fields), profile)).toEqual(layoutInterface(single(fields), profile));
        }), { numRuns: 100 });
    });
});

describe('pins', () => {
    const profile = profileOrDefault('ukvm32');

    test('a pinned field stays where it is pinned whatever else the message holds', () => {
        fc.assert(fc.property(message, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 24 }), (fields, word, lo) => {
            const pinned: ScalarFieldSpec = { kind: 'scalar', path: 'pinned', type: { kind: 'int', signed: false, bits: 8 }, pin: { word, bits: { lo, hi: lo + 7 } } };
            const { layout, problems } = requestOf([...fields, pinned], profile);
            expect(problems).toEqual([]);
            expect(layout.scalars.find(scalar => scalar.path === 'pinned')?.placement).toEqual({ word, lo, bits: 8 });
            for (const other of layout.scalars.filter(scalar => scalar.path !== 'pinned')) {
                expect(overlaps(other.placement, { word, lo, bits: 8 }, 32)).toBe(false);
            }
        }), { numRuns: 300 });
    });

    test('overlapping pins, pins outside a word or the message, and wrong widths are problems, not exceptions', () => {
        const u8 = (path: string, word: number, lo: number, hi: number): ScalarFieldSpec =>
            ({ kind: 'scalar', path, type: { kind: 'int', signed: false, bits: 8 }, pin: { word, bits: { lo, hi } } });
        const { problems } = requestOf([u8('a', 0, 0, 7), u8('b', 0, 4, 11), u8('c', 0, 30, 37), u8('d', 120, 0, 7), u8('e', 1, 0, 3)], profile);
        expect(problems.map(problem => (problem as { message: string }).message)).toEqual([
            "The pin of 'b' overlaps 'a' in word 0.",
            "'c' is pinned to bits 30..37, but a ukvm32 word has 32 bits.",
            "'d' is pinned to word 120, beyond the 120 message words of ukvm32.",
            "'e' needs 8 bits, but its pin holds 4."
        ]);
    });
});

describe('limits', () => {
    test('a message longer than the profile allows and too many capabilities are reported with the sizes', () => {
        const words: FieldSpec[] = Array.from({ length: 121 }, (_, i) => ({ kind: 'scalar', path: `w${i}`, type: { kind: 'int', signed: false, bits: 32 } }));
        const caps: FieldSpec[] = Array.from({ length: 4 }, (_, i) => ({ kind: 'cap', path: `c${i}`, capType: 'notification' }));
        const result = layoutInterface(single([...words, ...caps]), profileOrDefault('sel4-ia32'));
        expect(result.problems.map(problem => problem.message)).toEqual([
            "The request of 'm' needs 121 message words, but sel4-ia32 allows 120.",
            "The request of 'm' carries 4 capabilities (c0, c1, c2, c3), but sel4-ia32 allows 3 per message; 'c3' is the first past the limit."
        ]);
    });
});

describe('layout locks', () => {
    test('a lock read back compares equal to the layouts it was written from, 64-bit enum values included', () => {
        const wide = fc.record({
            kind: fc.constant('enum' as const), name: fc.constant('W'), bits: fc.constant(64),
            members: fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 1, maxLength: 3 })
                .map(values => values.map((value, i) => ({ name: `M${i}`, value })))
        });
        fc.assert(fc.property(message, fc.array(wide, { maxLength: 2 }), (fields, enums) => {
            const all: FieldSpec[] = [...fields, ...enums.map((type, i): ScalarFieldSpec => ({ kind: 'scalar', path: `w${i}`, type }))];
            const layout = layoutInterface(single(all), profileOrDefault()).layout;
            const text = serializeLock({ profile: 'ukvm32', interfaces: [layout] });
            const read = parseLock(text);
            expect(read.profile).toBe('ukvm32');
            expect(diffLayouts(read.interfaces, [layout])).toEqual([]);
            expect(serializeLock(read)).toBe(text);
        }));
    });
});

describe('strings and vecs', () => {
    /** A string and a vec of a random capacity each, as the language flattens them, with random values up to their capacity. */
    const counted = fc.record({
        stringCapacity: fc.integer({ min: 1, max: 40 }),
        vecCapacity: fc.integer({ min: 1, max: 12 }),
        element: scalarKind,
        seed: fc.bigInt({ min: 0n, max: 1n << 70n })
    });

    test.each(PROFILES.map(profile => [profile.name, profile] as const))('every length and item round-trips and is listed as counted on %s', (_name, profile) => {
        fc.assert(fc.property(counted, ({ stringCapacity, vecCapacity, element, seed }) => {
            const u = (bits: number): ScalarKind => ({ kind: 'int', signed: false, bits });
            const fields: FieldSpec[] = [
                { kind: 'scalar', path: 's.length', type: u(bitsFor(stringCapacity)), counts: { kind: 'string', capacity: stringCapacity } },
                ...Array.from({ length: Math.ceil(stringCapacity / 4) }, (_, i): FieldSpec => ({ kind: 'scalar', path: `s#${i}`, type: u(32) })),
                { kind: 'scalar', path: 'v.length', type: u(bitsFor(vecCapacity)), counts: { kind: 'vec', capacity: vecCapacity } },
                ...Array.from({ length: vecCapacity }, (_, i): FieldSpec => ({ kind: 'scalar', path: `v[${i}]`, type: element }))
            ];
            const { layout, problems } = requestOf(fields, profile);
            expect(problems).toEqual([]);
            expect(layout.counted).toEqual([
                { kind: 'string', capacity: stringCapacity, path: 's' },
                { kind: 'vec', capacity: vecCapacity, path: 'v', elementLeaves: [''] }
            ]);
            const values: Record<string, bigint> = {};
            for (const [i, field] of fields.entries()) {
                if (field.kind !== 'scalar') continue;
                values[field.path] = field.path === 's.length' ? seed % BigInt(stringCapacity + 1)
                    : field.path === 'v.length' ? seed % BigInt(vecCapacity + 1) : valueFor(field.type, seed * BigInt(i + 1));
            }
            const codec = createCodec(layout, profile.wordBits);
            expect(codec.unpack(codec.pack(values))).toEqual(values);
        }), { numRuns: 60 });
    });

    test('growing a string breaks the wire even where its words stay put', () => {
        const layoutFor = (capacity: number) => layoutInterface(single([
            { kind: 'scalar', path: 's.length', type: { kind: 'int', signed: false, bits: bitsFor(capacity) }, counts: { kind: 'string', capacity } },
            ...Array.from({ length: Math.ceil(capacity / 4) }, (_, i): FieldSpec => ({ kind: 'scalar', path: `s#${i}`, type: { kind: 'int', signed: false, bits: 32 } }))
        ]), profileOrDefault()).layout;
        expect(diffLayouts([layoutFor(13)], [layoutFor(15)])).toEqual([
            { breaking: true, interfaceName: 'I', methodName: 'm', message: "I.m request: 's' changed from string[13] to string[15]; a receiver refuses values longer than its own capacity" }
        ]);
        expect(diffLayouts([layoutFor(13)], [layoutFor(13)])).toEqual([]);
    });
});
