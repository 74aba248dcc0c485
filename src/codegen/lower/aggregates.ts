/**
 * How aggregate values (structs and fixed arrays) are laid out in memory by compiled code: every scalar
 * leaf takes one 32-bit word, in declaration order, nested aggregates inline; a union or optional takes the
 * words of its packed bits (docs/ABI.md, "Unions and optionals"). The leaves' paths (`key.hi`,
 * `samples[2]`) and order are the ones the interface model flattens message arguments into
 * (src/language/model/interface-spec.ts), so a struct argument travels as its leaves, word for word.
 */
import { enumBase, scalarKind, U32, type UkType, type UkTypeSystem } from '../../language/index.js';

export const WORD = 4;

/** The scalar a type is in a register (32 bits at most), or undefined for aggregates and the rest. */
export function scalarShape(type: UkType): { readonly bits: number; readonly signed: boolean } | undefined {
    switch (type.kind) {
        case 'int': return type.bits <= 32 ? { bits: type.bits, signed: type.signed } : undefined;
        case 'untyped-int': return { bits: 32, signed: true };
        case 'bool': return { bits: 1, signed: false };
        // An f32 is its IEEE 754 bits (float-lowering.ts).
        case 'float': return type.bits === 32 ? { bits: 32, signed: false } : undefined;
        case 'enum': {
            // In a register an enum is its base's value, truncated and extended to its exact width (`u3`: 3 bits).
            const base = enumBase(type.decl.base);
            if (base?.kind !== 'int') return { bits: 1, signed: false };
            return base.bits <= 32 ? { bits: base.bits, signed: base.signed } : undefined;
        }
        case 'bitfield': {
            const base = type.decl.base;
            if (base === 'bool') return { bits: 1, signed: false };
            const bits = Number(base?.slice(1));
            return bits <= 32 ? { bits, signed: false } : undefined;
        }
        // A capability value is its capability pointer: a slot number of the component's CNode.
        case 'endpoint': case 'notification': return { bits: 32, signed: false };
        // The built-in error is its reply label.
        case 'server-failed': return { bits: 32, signed: false };
        default: return undefined;
    }
}

export function isAggregate(type: UkType): boolean {
    return type.kind === 'struct' || type.kind === 'array' || type.kind === 'string' || type.kind === 'vec' || isUnion(type);
}

/** A union or an optional: in memory, its packed bits (union-values.ts in the contract), low word first. */
export function isUnion(type: UkType): boolean {
    return type.kind === 'union' || type.kind === 'optional';
}

/** Words a union's packed bits take. */
export function unionWords(type: UkType, types: UkTypeSystem): number | undefined {
    const kind = scalarKind(type, types);
    return kind?.kind === 'union' ? Math.ceil(kind.bits / 32) : undefined;
}

/**
 * The bits and signedness of a value held in two registers (low word first) and two words of memory: a
 * 64-bit integer or an f64, an enum whose base is 33..64 bits wide (its value truncated and extended to
 * 64 bits, as a narrow one is to 32: an `i40` member is held sign-extended) and a bitfield with a 64-bit
 * base. Undefined for every other type.
 */
export function wideShape(type: UkType): { readonly bits: number; readonly signed: boolean } | undefined {
    switch (type.kind) {
        case 'int': return type.bits === 64 ? { bits: 64, signed: type.signed } : undefined;
        case 'float': return type.bits === 64 ? { bits: 64, signed: false } : undefined;
        case 'enum': {
            const base = enumBase(type.decl.base);
            return base?.kind === 'int' && base.bits > 32 ? { bits: base.bits, signed: base.signed } : undefined;
        }
        case 'bitfield': {
            const bits = Number(type.decl.base?.slice(1));
            return bits > 32 ? { bits, signed: false } : undefined;
        }
        default: return undefined;
    }
}

export function isWide(type: UkType): boolean {
    return wideShape(type) !== undefined;
}

/** Values kept in memory when they are variables: structs, arrays and the wide values (wideShape). */
export function livesInMemory(type: UkType): boolean {
    return isAggregate(type) || isWide(type);
}

/** The path of a 64-bit value's high word, as a leaf of its own (the message layout has it as a second word). */
export function highWordPath(path: string): string {
    return `${path}#hi`;
}

/**
 * The path of word `index` of a value wider than a register, as a leaf of its own: the value's path, then
 * `#hi`, then `#2`, `#3`... A message field of that width spans as many whole words (ipc/packing.ts).
 */
export function wordPath(path: string, index: number): string {
    return index === 0 ? path : index === 1 ? highWordPath(path) : `${path}#${index}`;
}

export interface Leaf {
    readonly path: string;
    /** Byte offset from the aggregate's start. */
    readonly offset: number;
    readonly type: UkType;
}

/**
 * The scalar leaves of a value of `type`, or undefined when some leaf cannot be compiled yet. A byte buffer
 * inside a struct or array (`nested`) is its bytes packed in whole words, one leaf per word; on its own, a
 * byte buffer has no leaves (buffers have a lowering of their own).
 */
export function leavesOf(type: UkType, path: string, types: UkTypeSystem, offset = 0, nested = false): Leaf[] | undefined {
    if (scalarShape(type)) return [{ path, offset, type }];
    if (isWide(type)) return [{ path, offset, type: U32 }, { path: highWordPath(path), offset: offset + WORD, type: U32 }];
    if (isUnion(type)) {
        // Its packed bits a word at a time, as a message field of its width spans whole words.
        const words = unionWords(type, types);
        if (words === undefined) return undefined;
        return Array.from({ length: words }, (_, i) => ({ path: wordPath(path, i), offset: offset + WORD * i, type: U32 }));
    }
    if (type.kind === 'struct') {
        const leaves: Leaf[] = [];
        let at = offset;
        for (const field of type.decl.fields) {
            const fieldLeaves = leavesOf(types.typeOfTypeRef(field.type), `${path}.${field.name}`, types, at, true);
            if (!fieldLeaves) return undefined;
            leaves.push(...fieldLeaves);
            at += WORD * fieldLeaves.length;
        }
        return leaves;
    }
    if (type.kind === 'string') {
        // Its length, then its bytes four to a word: the leaves the layout flattens it into in a message.
        const words = Array.from({ length: Math.ceil(type.capacity / WORD) }, (_, i) => ({ path: `${path}#${i}`, offset: offset + WORD * (i + 1), type: U32 }));
        return [{ path: `${path}.length`, offset, type: U32 }, ...words];
    }
    if (type.kind === 'vec') {
        // Its length, then its elements as an array's.
        const items = leavesOf({ kind: 'array', element: type.element, length: type.capacity }, path, types, offset + WORD, true);
        return items ? [{ path: `${path}.length`, offset, type: U32 }, ...items] : undefined;
    }
    if (type.kind === 'bytes' && nested) {
        return Array.from({ length: Math.ceil(type.capacity / WORD) }, (_, i) => ({ path: `${path}#${i}`, offset: offset + WORD * i, type: U32 }));
    }
    if (type.kind === 'array') {
        const element = leavesOf(type.element, `${path}[0]`, types, 0, true);
        if (!element) return undefined;
        const leaves: Leaf[] = [];
        for (let i = 0; i < type.length; i++) {
            const elementLeaves = leavesOf(type.element, `${path}[${i}]`, types, offset + i * WORD * element.length, true);
            leaves.push(...(elementLeaves ?? []));
        }
        return leaves;
    }
    return undefined;
}

/** Bytes a value of `type` takes in memory, or undefined when it cannot be compiled yet. */
export function sizeOf(type: UkType, types: UkTypeSystem): number | undefined {
    if (type.kind === 'bytes') return Math.ceil(type.capacity / WORD) * WORD;
    const leaves = leavesOf(type, '', types);
    return leaves ? WORD * leaves.length : undefined;
}

/** A struct field's byte offset and type. */
export function fieldOf(type: UkType, name: string, types: UkTypeSystem): { readonly offset: number; readonly type: UkType } | undefined {
    if (type.kind !== 'struct') return undefined;
    let offset = 0;
    for (const field of type.decl.fields) {
        const fieldType = types.typeOfTypeRef(field.type);
        if (field.name === name) return { offset, type: fieldType };
        const size = sizeOf(fieldType, types);
        if (size === undefined) return undefined;
        offset += size;
    }
    return undefined;
}

/** A bitfield field's shift and width (fields are packed from bit 0 in declaration order). */
export function bitfieldFieldOf(type: UkType, name: string): { readonly shift: number; readonly width: number } | undefined {
    if (type.kind !== 'bitfield') return undefined;
    let shift = 0;
    for (const field of type.decl.fields) {
        const width = Number(field.width);
        if (field.name === name) return { shift, width };
        shift += width;
    }
    return undefined;
}
