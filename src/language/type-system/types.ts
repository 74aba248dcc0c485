/**
 * The types of the uk language. Every expression has exactly one of these; `ErrorType` stands for "already
 * reported" and is compatible with everything so that one mistake gives one diagnostic, not a cascade.
 */
import type {
    BitfieldDecl, DeviceDecl, EnumDecl, ErrorPayload, FunctionDecl, InterfaceDecl, Method, StructDecl, UnionDecl, UnionVariant
} from '../generated/ast.js';

export type IntBits = 8 | 16 | 32 | 64;

export interface IntType { readonly kind: 'int'; readonly signed: boolean; readonly bits: IntBits }
/** An integer's width and signedness: an integer type's, or an enum's or bitfield's base of any width 1..64. */
export interface IntRepresentation { readonly signed: boolean; readonly bits: number }
/** `f32` or `f64`: IEEE 754 binary32 or binary64 (docs/LANGUAGE.md, "Floating point"). */
export interface FloatType { readonly kind: 'float'; readonly bits: 32 | 64 }
export interface BoolType { readonly kind: 'bool' }
/** An integer constant that has not met a context yet (`1`, `MAX * 2`); it takes the type it is used as. */
export interface UntypedIntType { readonly kind: 'untyped-int' }
/** A floating-point constant that has not met a context yet (`1.5`, `2.0 * PI`); it becomes f32 or f64. */
export interface UntypedFloatType { readonly kind: 'untyped-float' }
/**
 * An enum value. A `catch` variable of a method that `raises E { ... }` is an `E` that also carries the
 * method's error payload, whose fields it reads as `e.code`.
 */
export interface EnumType { readonly kind: 'enum'; readonly decl: EnumDecl; readonly payload?: ErrorPayload }
export interface BitfieldType { readonly kind: 'bitfield'; readonly decl: BitfieldDecl }
export interface StructType { readonly kind: 'struct'; readonly decl: StructDecl }
/** A tagged union: one of its variants, with that variant's payload (docs/LANGUAGE.md, "Unions and optionals"). */
export interface UnionType { readonly kind: 'union'; readonly decl: UnionDecl }
/** `T?`: `none` or a value of `inner`; on the wire a union of `none` (tag 0) and `some` (tag 1). */
export interface OptionalType { readonly kind: 'optional'; readonly inner: UkType }
export interface ArrayType { readonly kind: 'array'; readonly element: UkType; readonly length: number }
/** A bounded byte buffer: up to `capacity` bytes plus its current length. */
export interface BytesType { readonly kind: 'bytes'; readonly capacity: number }
/** `string[N]`: UTF-8 text of at most `capacity` bytes and its length (a literal's type: its own length). */
export interface StringType { readonly kind: 'string'; readonly capacity: number }
/** `vec[T; N]`: a length and up to `capacity` elements. */
export interface VecType { readonly kind: 'vec'; readonly element: UkType; readonly capacity: number }
export interface EndpointType { readonly kind: 'endpoint'; readonly iface: InterfaceDecl }
export interface NotificationType { readonly kind: 'notification' }
export interface InterruptType { readonly kind: 'interrupt' }
/** `reply<I.m>`: a caller of method `m` whose answer a server deferred (`pending = defer`), or none yet. */
export interface ReplyType { readonly kind: 'reply'; readonly method: Method }
export interface DeviceType { readonly kind: 'device'; readonly decl: DeviceDecl }
export interface TupleType { readonly kind: 'tuple'; readonly elements: readonly UkType[]; readonly names: readonly string[] }
export interface VoidType { readonly kind: 'void' }
/** The name of an enum used as a value, as in `Status.Ok`. */
export interface EnumNameType { readonly kind: 'enum-name'; readonly decl: EnumDecl }
/** The name of a union used as a value, as in `Shape.empty` or `Shape.circle(5)`. */
export interface UnionNameType { readonly kind: 'union-name'; readonly decl: UnionDecl }
/** `Shape.circle` before it is given its payload. */
export interface VariantRefType { readonly kind: 'variant'; readonly variant: UnionVariant }
/** `none` before it meets the optional type it stands for. */
export interface NoneType { readonly kind: 'none' }
/** `store.get` before it is called. */
export interface MethodRefType { readonly kind: 'method'; readonly method: Method }
export interface FunctionRefType { readonly kind: 'function'; readonly decl: FunctionDecl }
export interface ErrorType { readonly kind: 'error' }
/**
 * The built-in error `ServerFailed`, which every two-way method may return without declaring it (the
 * server failed while serving the call): the type of a `catch` variable of a method that raises nothing.
 */
export interface ServerFailedType { readonly kind: 'server-failed' }

export type UkType =
    | IntType | FloatType | BoolType | UntypedIntType | UntypedFloatType | EnumType | BitfieldType | StructType | UnionType | OptionalType | ArrayType | BytesType
    | StringType | VecType | EndpointType | NotificationType | InterruptType | ReplyType | DeviceType | TupleType | VoidType | EnumNameType
    | UnionNameType | VariantRefType | NoneType | MethodRefType | FunctionRefType | ErrorType | ServerFailedType;

export const BOOL: BoolType = { kind: 'bool' };
export const UNTYPED_INT: UntypedIntType = { kind: 'untyped-int' };
export const UNTYPED_FLOAT: UntypedFloatType = { kind: 'untyped-float' };
export const F32: FloatType = { kind: 'float', bits: 32 };
export const F64: FloatType = { kind: 'float', bits: 64 };
export const VOID: VoidType = { kind: 'void' };
export const ERROR: ErrorType = { kind: 'error' };
export const SERVER_FAILED: ServerFailedType = { kind: 'server-failed' };
export const NONE: NoneType = { kind: 'none' };
export const NOTIFICATION: NotificationType = { kind: 'notification' };
export const INTERRUPT: InterruptType = { kind: 'interrupt' };

const intTypes = new Map<string, IntType>();
export function intType(signed: boolean, bits: IntBits): IntType {
    const key = `${signed ? 'i' : 'u'}${bits}`;
    let type = intTypes.get(key);
    if (!type) {
        type = { kind: 'int', signed, bits };
        intTypes.set(key, type);
    }
    return type;
}

export const U8 = intType(false, 8);
export const U32 = intType(false, 32);

/** `u8`, `i64`, `f32`, `bool` -> type. */
export function primitiveType(name: string): IntType | FloatType | BoolType {
    if (name === 'bool') {
        return BOOL;
    }
    if (name === 'f32' || name === 'f64') {
        return name === 'f32' ? F32 : F64;
    }
    const bits = Number(name.slice(1)) as IntBits;
    return intType(name.startsWith('i'), bits);
}

/** An enum's base: `bool`, or an integer of any width 1..64 (`u3`, `i12`, `u32`). */
export type EnumBase = BoolType | { readonly kind: 'int'; readonly signed: boolean; readonly bits: number };

/** The base an enum declares (`u3` -> 3 unsigned bits), or undefined when the name is no such type. */
export function enumBase(name: string | undefined): EnumBase | undefined {
    if (name === 'bool') return BOOL;
    const match = /^([ui])([1-9][0-9]?)$/.exec(name ?? '');
    if (!match || Number(match[2]) > 64) return undefined;
    return { kind: 'int', signed: match[1] === 'i', bits: Number(match[2]) };
}

/** The values an integer of `bits` bits holds. */
export function widthRange(signed: boolean, bits: number): { min: bigint; max: bigint } {
    const width = BigInt(bits);
    return signed
        ? { min: -(1n << (width - 1n)), max: (1n << (width - 1n)) - 1n }
        : { min: 0n, max: (1n << width) - 1n };
}

/** A value of a `flags` type: a set of its named bits. */
export function isFlags(type: UkType): type is EnumType {
    return type.kind === 'enum' && type.decl.flags;
}

export function isIntegral(type: UkType): type is IntType | UntypedIntType {
    return type.kind === 'int' || type.kind === 'untyped-int';
}

/** f32, f64, or a floating-point constant that has not met its type yet. */
export function isFloating(type: UkType): type is FloatType | UntypedFloatType {
    return type.kind === 'float' || type.kind === 'untyped-float';
}

/** Integers and floats: what arithmetic and ordering take. */
export function isNumeric(type: UkType): boolean {
    return isIntegral(type) || isFloating(type);
}

export function intRange(type: IntRepresentation): { min: bigint; max: bigint } {
    return widthRange(type.signed, type.bits);
}

/** The narrowest unsigned integer type that holds `width` bits, used for bitfield fields. */
export function unsignedForWidth(width: number): IntType {
    if (width <= 8) return intType(false, 8);
    if (width <= 16) return intType(false, 16);
    if (width <= 32) return intType(false, 32);
    return intType(false, 64);
}

export function typeToString(type: UkType): string {
    switch (type.kind) {
        case 'int': return `${type.signed ? 'i' : 'u'}${type.bits}`;
        case 'float': return `f${type.bits}`;
        case 'bool': return 'bool';
        case 'untyped-int': return 'integer constant';
        case 'untyped-float': return 'float constant';
        case 'enum': case 'bitfield': case 'struct': case 'union': return type.decl.name;
        case 'optional': return `${typeToString(type.inner)}?`;
        case 'union-name': return `union ${type.decl.name}`;
        case 'variant': return `variant ${type.variant.$container.name}.${type.variant.name}`;
        case 'none': return 'none';
        case 'array': return type.length === 0 ? '[]' : `[${typeToString(type.element)}; ${type.length}]`;
        case 'bytes': return `bytes[${type.capacity}]`;
        case 'string': return `string[${type.capacity}]`;
        case 'vec': return `vec[${typeToString(type.element)}; ${type.capacity}]`;
        case 'endpoint': return `endpoint<${type.iface.name}>`;
        case 'notification': return 'notification';
        case 'interrupt': return 'interrupt';
        case 'reply': return `reply<${type.method.$container.name}.${type.method.name}>`;
        case 'device': return `device ${type.decl.name}`;
        case 'tuple': return `(${type.elements.map(typeToString).join(', ')})`;
        case 'void': return 'nothing';
        case 'enum-name': return `enum ${type.decl.name}`;
        case 'method': return `method ${type.method.name}`;
        case 'function': return `function ${type.decl.name}`;
        case 'error': return '<error>';
        case 'server-failed': return 'ServerFailed';
    }
}

export function sameType(a: UkType, b: UkType): boolean {
    if (a.kind === 'error' || b.kind === 'error') {
        return true;
    }
    switch (a.kind) {
        case 'int': return b.kind === 'int' && a.signed === b.signed && a.bits === b.bits;
        case 'float': return b.kind === 'float' && a.bits === b.bits;
        case 'enum': case 'bitfield': case 'struct': case 'union': case 'device': case 'enum-name': case 'union-name':
            return b.kind === a.kind && b.decl === a.decl;
        case 'optional': return b.kind === 'optional' && sameType(a.inner, b.inner);
        case 'variant': return b.kind === 'variant' && a.variant === b.variant;
        case 'array': return b.kind === 'array' && a.length === b.length && sameType(a.element, b.element);
        case 'bytes': case 'string': return b.kind === a.kind && a.capacity === b.capacity;
        case 'vec': return b.kind === 'vec' && a.capacity === b.capacity && sameType(a.element, b.element);
        case 'endpoint': return b.kind === 'endpoint' && a.iface === b.iface;
        case 'tuple': return b.kind === 'tuple' && a.elements.length === b.elements.length
            && a.elements.every((element, i) => sameType(element, b.elements[i]));
        case 'method': case 'reply': return b.kind === a.kind && a.method === b.method;
        case 'function': return b.kind === 'function' && a.decl === b.decl;
        default: return a.kind === b.kind;
    }
}

/**
 * Whether a value of type `source` may be stored where `target` is expected. Integer constants fit any
 * integer type (their range is checked separately, with the value in hand); a shorter byte buffer fits a
 * longer one. Everything else must match exactly: uk has no implicit widening, use `as`.
 */
export function isAssignable(source: UkType, target: UkType): boolean {
    if (source.kind === 'error' || target.kind === 'error') {
        return true;
    }
    if (target.kind === 'optional' && target.inner.kind !== 'optional') {
        // `none`, or a value of the inner type, which becomes `some`: the one conversion uk makes by itself.
        if (source.kind === 'none' || (source.kind !== 'optional' && isAssignable(source, target.inner))) return true;
    }
    if (source.kind === 'untyped-int') {
        // An integer constant also fits a float (`let t: f32 = 20`); an integer variable does not.
        return target.kind === 'int' || target.kind === 'untyped-int' || target.kind === 'float' || target.kind === 'untyped-float';
    }
    if (source.kind === 'untyped-float') {
        return target.kind === 'float' || target.kind === 'untyped-float';
    }
    if (source.kind === 'bytes' && target.kind === 'bytes') {
        return source.capacity <= target.capacity;
    }
    if (source.kind === 'string' && target.kind === 'string') {
        return source.capacity <= target.capacity;
    }
    if (source.kind === 'vec' && target.kind === 'vec') {
        return source.capacity <= target.capacity && sameType(source.element, target.element);
    }
    if (source.kind === 'array' && target.kind === 'vec') {
        // `[1, 2, 3]` is a vec of those elements; `[0; 4]` one of four zeros.
        return source.length <= target.capacity && isAssignable(source.element, target.element);
    }
    if (source.kind === 'array' && target.kind === 'bytes') {
        // `[0; 16]` or `[1, 2, 3]` initialises a byte buffer of the same size.
        return source.length === target.capacity && (source.element.kind === 'untyped-int'
            || (source.element.kind === 'int' && !source.element.signed && source.element.bits === 8));
    }
    if (source.kind === 'tuple' && target.kind === 'tuple') {
        return source.elements.length === target.elements.length
            && source.elements.every((element, i) => isAssignable(element, target.elements[i]));
    }
    if (source.kind === 'array' && target.kind === 'array') {
        return source.length === target.length && isAssignable(source.element, target.element);
    }
    return sameType(source, target);
}

/** The bytes of a string's UTF-8 encoding: what `string[N]` bounds and what travels. */
export function utf8Bytes(text: string): Uint8Array {
    return new TextEncoder().encode(text);
}

/** Types that are plain data: they can live in state, locals, structs and messages. */
export function isDataType(type: UkType): boolean {
    switch (type.kind) {
        case 'int': case 'float': case 'bool': case 'enum': case 'bitfield': case 'struct': case 'union': case 'bytes': case 'string': case 'error':
            return true;
        case 'optional':
            return isDataType(type.inner);
        case 'array': case 'vec':
            return isDataType(type.element);
        default:
            return false;
    }
}

/** Types that name kernel objects and travel as capabilities, not as message words. */
export function isCapabilityType(type: UkType): boolean {
    return type.kind === 'endpoint' || type.kind === 'notification';
}
