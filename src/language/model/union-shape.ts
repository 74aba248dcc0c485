/**
 * How a union or an optional packs into bits (docs/ABI.md, "Unions and optionals"): the tag first, in the
 * fewest bits that number the variants (at least one; an optional's is one bit), then the payload region,
 * as wide as the widest variant's payload. A payload packs its leaves from the region's low end in
 * declaration order, each in its own width (an integer's bits, a bool's one, an enum's or bitfield's base,
 * a union's or optional's own width), with no padding. The layout engine places the whole as one field;
 * the code generator and the trace decoder read the same `UnionKind`.
 */
import type { PayloadShape, ScalarKind, UnionKind } from '../../layout/index.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { typeToString, type UkType } from '../type-system/types.js';
import type { UnionDecl } from '../generated/ast.js';

/** The scalar kind of a type that packs into bits on its own (an integer, a bool, an enum, a bitfield, a union). */
export type ScalarKindOf = (type: UkType) => ScalarKind | undefined;

/** Bits that number `count` variants: at least one, so that every union has a tag. */
export function tagBitsFor(count: number): number {
    let bits = 1;
    while ((1 << bits) < count) bits++;
    return bits;
}

/**
 * The packing of a union or optional type, or undefined when some payload cannot be packed (bulk data,
 * capabilities, a type that contains itself: the checker reports those) or the type is no union.
 */
export function unionKind(type: UkType, types: UkTypeSystem, scalarKindOf: ScalarKindOf, within: ReadonlySet<UnionDecl> = new Set()): UnionKind | undefined {
    if (type.kind === 'optional') {
        const inner = payloadShape(type.inner, 1, types, scalarKindOf, within);
        if (!inner) return undefined;
        return {
            kind: 'union', name: `${typeToString(type.inner)}?`, bits: 1 + inner.bits, tagBits: 1, optional: true,
            variants: [{ name: 'none' }, { name: 'some', payload: inner.shape }]
        };
    }
    if (type.kind !== 'union' || within.has(type.decl) || type.decl.variants.length === 0) return undefined;
    const inside = new Set(within).add(type.decl);
    const tagBits = tagBitsFor(type.decl.variants.length);
    let widest = 0;
    const variants: UnionKind['variants'][number][] = [];
    for (const variant of type.decl.variants) {
        if (!variant.type) {
            variants.push({ name: variant.name });
            continue;
        }
        const payload = payloadShape(types.typeOfTypeRef(variant.type), tagBits, types, scalarKindOf, inside);
        if (!payload) return undefined;
        widest = Math.max(widest, payload.bits);
        variants.push({ name: variant.name, payload: payload.shape });
    }
    return { kind: 'union', name: type.decl.name, bits: tagBits + widest, tagBits, variants };
}

/** A payload of `type` starting at bit `lo` of the union, and the bits it takes. */
function payloadShape(type: UkType, lo: number, types: UkTypeSystem, scalarKindOf: ScalarKindOf, within: ReadonlySet<UnionDecl>): { shape: PayloadShape; bits: number } | undefined {
    if (type.kind === 'union' || type.kind === 'optional') {
        const inner = unionKind(type, types, scalarKindOf, within);
        return inner ? { shape: { kind: 'leaf', lo, type: inner }, bits: inner.bits } : undefined;
    }
    const scalar = scalarKindOf(type);
    if (scalar) return { shape: { kind: 'leaf', lo, type: scalar }, bits: scalar.kind === 'bool' ? 1 : scalar.bits };
    if (type.kind === 'struct') {
        const fields: { name: string; shape: PayloadShape }[] = [];
        let at = lo;
        for (const field of type.decl.fields) {
            const inner = payloadShape(types.typeOfTypeRef(field.type), at, types, scalarKindOf, within);
            if (!inner) return undefined;
            fields.push({ name: field.name, shape: inner.shape });
            at += inner.bits;
        }
        return { shape: { kind: 'struct', name: type.decl.name, fields }, bits: at - lo };
    }
    if (type.kind === 'array') {
        const elements: PayloadShape[] = [];
        let at = lo;
        for (let i = 0; i < type.length; i++) {
            const inner = payloadShape(type.element, at, types, scalarKindOf, within);
            if (!inner) return undefined;
            elements.push(inner.shape);
            at += inner.bits;
        }
        return { shape: { kind: 'array', elements }, bits: at - lo };
    }
    return undefined;
}
