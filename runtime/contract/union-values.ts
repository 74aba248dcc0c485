/**
 * Reading a union's bits (message-layout.ts, UnionKind): its variant, the leaves of its payload, whether
 * it is well formed, and its text as the source would write it. The trace decoder, the layout engine's
 * codec and the tests use these; compiled code does the same in RV32 (src/codegen/lower/union-lowering.ts).
 */
import type { PayloadShape, ScalarKind, UnionKind } from './message-layout.js';

/** The bits `lo..lo+bits-1` of a value. */
export function bitsAt(raw: bigint, lo: number, bits: number): bigint {
    return (raw >> BigInt(lo)) & ((1n << BigInt(bits)) - 1n);
}

/** The leaves of a payload in declaration order, with their bit offsets in the union. */
export function payloadLeaves(shape: PayloadShape | undefined): { readonly lo: number; readonly type: ScalarKind }[] {
    if (!shape) return [];
    if (shape.kind === 'leaf') return [{ lo: shape.lo, type: shape.type }];
    if (shape.kind === 'struct') return shape.fields.flatMap(field => payloadLeaves(field.shape));
    return shape.elements.flatMap(payloadLeaves);
}

/** The width of a scalar kind in a message (a bool: 1 bit). */
export function kindBits(type: ScalarKind): number {
    return type.kind === 'bool' ? 1 : type.bits;
}

/**
 * Whether a union's bits are a value: its tag numbers a variant, and so does the tag of every union
 * inside that variant's payload. Unused payload bits are not looked at (senders write zeros).
 */
export function isWellFormedUnion(type: UnionKind, raw: bigint): boolean {
    const tag = Number(bitsAt(raw, 0, type.tagBits));
    const variant = type.variants[tag];
    if (!variant) return false;
    return payloadLeaves(variant.payload).every(leaf => leaf.type.kind !== 'union' || isWellFormedUnion(leaf.type, bitsAt(raw, leaf.lo, leaf.type.bits)));
}

/**
 * A union value as the source writes it, `Shape.circle(5)`, `Shape.empty`, `some(5)`, `none`; a payload
 * struct as `Rect { w: 3, h: 4 }`, an array as `[1, 2]`; leaves by `formatLeaf`. A tag that numbers no
 * variant shows as `Shape(tag 7)`.
 */
export function formatUnion(type: UnionKind, raw: bigint, formatLeaf: (type: ScalarKind, raw: bigint) => string): string {
    const tag = Number(bitsAt(raw, 0, type.tagBits));
    const variant = type.variants[tag];
    if (!variant) return `${type.name}(tag ${tag})`;
    const name = type.optional ? variant.name : `${type.name}.${variant.name}`;
    if (!variant.payload) return name;
    return `${name}(${formatPayload(variant.payload, raw, formatLeaf)})`;
}

function formatPayload(shape: PayloadShape, raw: bigint, formatLeaf: (type: ScalarKind, raw: bigint) => string): string {
    switch (shape.kind) {
        case 'leaf': return formatLeaf(shape.type, bitsAt(raw, shape.lo, kindBits(shape.type)));
        case 'struct': return `${shape.name} { ${shape.fields.map(field => `${field.name}: ${formatPayload(field.shape, raw, formatLeaf)}`).join(', ')} }`;
        case 'array': return `[${shape.elements.map(element => formatPayload(element, raw, formatLeaf)).join(', ')}]`;
    }
}
