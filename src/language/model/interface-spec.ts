/**
 * The bridge from the checked syntax tree to the layout engine: an interface declaration becomes an
 * `InterfaceSpec` of plain data. Struct and array arguments are flattened into their scalar leaves
 * (`key.hi`, `samples[2]`), so that the engine packs every leaf on its own; byte buffers and arrays with a
 * transfer mode become bulk data, and a byte buffer inside a struct, array or vec the words of its bytes;
 * capabilities become extra capabilities; an `out` or `inout` string or vec adds its leaves (or, as bulk
 * data, its length) to the results. Everything downstream of the language (layout, code generation, the
 * trace decoder) reads these specs, never Langium nodes.
 */
import type { BulkElementLeaf, EventSpec, FieldSpec, InterfaceSpec, MethodSpec, PinSpec, ScalarFieldSpec, ScalarKind } from '../../layout/index.js';
import type { EnumDecl, EventDecl, InterfaceDecl, Method, Module, Param } from '../generated/ast.js';
import { parseIntLiteral } from '../type-system/constant-evaluator.js';
import { bitfieldWidth, type UkTypeSystem } from '../type-system/uk-type-system.js';
import { enumBase, typeToString, type StringType, type UkType, type VecType } from '../type-system/types.js';
import { methodOrdinals } from './method-ordinals.js';
import { countedTransfer, isCounted } from './counted-values.js';
import { unionKind } from './union-shape.js';
import { bitsFor } from '../../layout/index.js';

export function interfaceSpec(iface: InterfaceDecl, types: UkTypeSystem): InterfaceSpec {
    const ordinals = methodOrdinals(iface);
    return {
        name: qualifiedInterfaceName(iface),
        methods: iface.methods.map(method => methodSpec(method, ordinals.get(method) ?? 0, types)),
        events: iface.events.map((event, i) => eventSpec(event, i + 1, types)),
        source: iface
    };
}

/** The name an interface's layout (and a layout lock) knows it by: `kv.KeyValue` in package `kv`. */
export function qualifiedInterfaceName(iface: InterfaceDecl): string {
    const module = iface.$container as Module | undefined;
    return module?.package ? `${module.package}.${iface.name}` : iface.name;
}

function methodSpec(method: Method, ordinal: number, types: UkTypeSystem): MethodSpec {
    const params: FieldSpec[] = [];
    for (const param of method.params) flatten(param.name, types.typeOfTypeRef(param.type), param, types, params, true);
    const results: FieldSpec[] = [];
    if (method.resultType) {
        flatten('result', types.typeOfTypeRef(method.resultType), undefined, types, results, true);
    }
    for (const result of method.results) flatten(result.name, types.typeOfTypeRef(result.type), result, types, results, true);
    for (const param of method.params) results.push(...countedOut(param, types));
    const errors = method.raises?.ref;
    return {
        name: method.name,
        ordinal,
        oneway: method.oneway,
        params,
        results,
        errors: errors ? { name: errors.name, members: enumMembers(errors, types), ...errorPayload(method, types) } : undefined,
        source: method
    };
}

/** An event's payload: its parameters flattened into scalar leaves, as a request's are. */
function eventSpec(event: EventDecl, ordinal: number, types: UkTypeSystem): EventSpec {
    const leaves: FieldSpec[] = [];
    for (const param of event.params) flatten(param.name, types.typeOfTypeRef(param.type), undefined, types, leaves, false);
    // Only scalars travel in an event record; the checker reports other parameters (event-checks.ts).
    const params = leaves.filter((leaf): leaf is ScalarFieldSpec => leaf.kind === 'scalar');
    return { name: event.name, ordinal, params, source: event };
}

/** `raises E { code: u32 }`: the payload's fields, each a scalar (the checker reports others). */
function errorPayload(method: Method, types: UkTypeSystem): { payload?: ScalarFieldSpec[] } {
    if (!method.payload) return {};
    const payload: ScalarFieldSpec[] = [];
    for (const field of method.payload.fields) {
        const scalar = scalarKind(types.typeOfTypeRef(field.type), types);
        if (scalar) payload.push({ kind: 'scalar', path: field.name, type: scalar, source: field });
    }
    return { payload };
}

function enumMembers(decl: EnumDecl, types: UkTypeSystem): { name: string; value: bigint }[] {
    return decl.members.map(member => {
        const value = types.constants.enumMemberValue(member);
        return { name: member.name, value: value.ok ? value.value : 0n };
    });
}

/** The scalar kind of a type that packs into message bits, or undefined for aggregates and capabilities. */
export function scalarKind(type: UkType, types: UkTypeSystem): ScalarKind | undefined {
    switch (type.kind) {
        case 'int': return { kind: 'int', signed: type.signed, bits: type.bits };
        case 'bool': return { kind: 'bool' };
        case 'float': return { kind: 'float', bits: type.bits };
        case 'enum':
            return {
                kind: 'enum', name: type.decl.name, bits: enumBits(type.decl.base), ...(type.decl.base?.startsWith('i') ? { signed: true as const } : {}),
                ...(type.decl.flags ? { flags: true as const } : {}),
                members: enumMembers(type.decl, types)
            };
        case 'bitfield':
            return {
                kind: 'bitfield', name: type.decl.name, bits: baseBits(type.decl.base),
                fields: type.decl.fields.map(field => ({ name: field.name, width: bitfieldWidth(field.width) ?? 0 }))
            };
        // A union or optional is one field: its tag, then its payload region (union-shape.ts).
        case 'union': case 'optional': return unionKind(type, types, inner => scalarKind(inner, types));
        default: return undefined;
    }
}

/** An enum packs to exactly the bits of its base: `enum Mode : u3` takes 3 bits of a message word. */
function enumBits(base: string | undefined): number {
    const parsed = enumBase(base);
    return parsed?.kind === 'int' ? parsed.bits : 1;
}

function baseBits(base: string | undefined): number {
    return base && base !== 'bool' ? Number(base.slice(1)) : 1;
}

/** Size in bytes of a value sent as bulk data: scalars rounded up to bytes, aggregates without padding. */
export function byteSize(type: UkType, types: UkTypeSystem): number {
    switch (type.kind) {
        case 'bytes': case 'string': return type.capacity;
        case 'array': return type.length * byteSize(type.element, types);
        case 'struct': return type.decl.fields.reduce((sum, field) => sum + byteSize(types.typeOfTypeRef(field.type), types), 0);
        default: {
            const scalar = scalarKind(type, types);
            return scalar ? Math.ceil((scalar.kind === 'bool' ? 1 : scalar.bits) / 8) : 0;
        }
    }
}

function flatten(path: string, type: UkType, param: Param | undefined, types: UkTypeSystem, out: FieldSpec[], topLevel: boolean): void {
    const source = param;
    const scalar = scalarKind(type, types);
    if (scalar) {
        out.push({ kind: 'scalar', path, type: scalar, pin: topLevel ? pinOf(param) : undefined, source });
        return;
    }
    switch (type.kind) {
        case 'endpoint': case 'notification':
            out.push({ kind: 'cap', path, capType: typeToString(type), source });
            return;
        case 'bytes':
            // Inside a struct, array or vec it is flattened with its container, its bytes four to a word.
            if (!topLevel) {
                bufferWords(path, type.capacity, param, out);
                return;
            }
            out.push({ kind: 'bulk', path, bytes: type.capacity, transfer: param?.transfer ?? 'shared', direction: param?.direction ?? 'in', source });
            return;
        case 'string': case 'vec': {
            const leaves = type.kind === 'vec' ? scalarLeafCount(type.element, types) : 1;
            // Inside a struct or vec it is flattened with its container; a result travels in the reply's words.
            const isArgument = param !== undefined && param.$container.params.includes(param);
            const transfer = topLevel && isArgument ? countedTransfer(param, type, leaves) : 'inline';
            const counts = { kind: type.kind, capacity: type.capacity };
            if (transfer !== 'inline') {
                // In the shared region or a lease the items are as in memory: a string's bytes, a vec's
                // element leaves one word each (docs/ABI.md).
                const bytes = type.kind === 'string' ? type.capacity : 4 * type.capacity * leaves;
                const elements = type.kind === 'vec' ? { elements: elementLeaves(type.element, types) } : {};
                out.push({ kind: 'bulk', path, bytes, transfer, direction: param?.direction ?? 'in', source, counts, ...elements });
                return;
            }
            // An `out` one comes back in the reply only (countedOut); nothing of it travels in the request.
            if (topLevel && isArgument && param.direction === 'out') return;
            countedLeaves(path, type, param, types, out);
            return;
        }
        case 'array':
            if (topLevel && param?.transfer) {
                out.push({ kind: 'bulk', path, bytes: byteSize(type, types), transfer: param.transfer, direction: param.direction ?? 'in', source });
                return;
            }
            for (let i = 0; i < type.length; i++) flatten(`${path}[${i}]`, type.element, param, types, out, false);
            return;
        case 'struct':
            for (const field of type.decl.fields) {
                flatten(`${path}.${field.name}`, types.typeOfTypeRef(field.type), param, types, out, false);
            }
            return;
        default:
            // A type already reported as an error contributes nothing.
            return;
    }
}

/** A string or vec in message words: its `.length` field, then its items (docs/ABI.md, "Strings and vecs"). */
function countedLeaves(path: string, type: StringType | VecType, param: Param | undefined, types: UkTypeSystem, out: FieldSpec[]): void {
    out.push({ kind: 'scalar', path: `${path}.length`, type: lengthKind(type), source: param, counts: { kind: type.kind, capacity: type.capacity } });
    if (type.kind === 'string') {
        for (let i = 0; i < Math.ceil(type.capacity / 4); i++) out.push({ kind: 'scalar', path: `${path}#${i}`, type: { kind: 'int', signed: false, bits: 32 }, source: param });
    } else {
        for (let i = 0; i < type.capacity; i++) flatten(`${path}[${i}]`, type.element, param, types, out, false);
    }
}

/**
 * A byte buffer inside a struct, array or vec, in message words: its bytes four to a word in `<path>#0`,
 * `<path>#1`, ... (little-endian, as a string's), the last word only as wide as the bytes it holds, so a
 * receiver never sees bits beyond the buffer (docs/ABI.md, "Byte buffers inside structs, arrays and vecs").
 */
function bufferWords(path: string, capacity: number, param: Param | undefined, out: FieldSpec[]): void {
    for (let i = 0; 4 * i < capacity; i++) {
        const bits = 8 * Math.min(4, capacity - 4 * i);
        out.push({ kind: 'scalar', path: `${path}#${i}`, type: { kind: 'int', signed: false, bits }, source: param, ...(i === 0 ? { counts: { kind: 'bytes' as const, capacity } } : {}) });
    }
}

function lengthKind(type: StringType | VecType): ScalarKind {
    return { kind: 'int', signed: false, bits: bitsFor(type.capacity) };
}

/**
 * What an `out` or `inout` string or vec parameter adds to the reply, after the results: inline, the whole
 * value (its length and items, as a result would travel); through the shared region or a lease, where
 * the server wrote its items, its `.length` alone. Nothing for other parameters.
 */
function countedOut(param: Param, types: UkTypeSystem): FieldSpec[] {
    const type = types.typeOfTypeRef(param.type);
    if (!isCounted(type) || (param.direction !== 'out' && param.direction !== 'inout')) return [];
    const transfer = countedTransfer(param, type, type.kind === 'vec' ? scalarLeafCount(type.element, types) : 1);
    if (transfer !== 'inline') return [{ kind: 'scalar', path: `${param.name}.length`, type: lengthKind(type), source: param }];
    const leaves: FieldSpec[] = [];
    countedLeaves(param.name, type, param, types, leaves);
    return leaves;
}

/**
 * How a method's parameter travels when it is bulk data: as it says, or the default — `shared` for bytes,
 * by size for a string or vec (counted-values.ts). Undefined for the other types.
 */
export function paramTransfer(param: Param, types: UkTypeSystem): 'shared' | 'lease' | 'inline' | undefined {
    const type = types.typeOfTypeRef(param.type);
    if (type.kind === 'bytes') return param.transfer ?? 'shared';
    if ((type.kind === 'string' || type.kind === 'vec') && param.$container.params.includes(param)) {
        return countedTransfer(param, type, type.kind === 'vec' ? scalarLeafCount(type.element, types) : 1);
    }
    return undefined;
}

/**
 * A lease parameter's place among its method's leases, in declaration order (lease k is staged, sent and
 * mapped at its own page: docs/ABI.md, "Bulk data"), or undefined for a parameter that is not a lease.
 */
export function leaseIndex(param: Param, types: UkTypeSystem): number | undefined {
    if (paramTransfer(param, types) !== 'lease') return undefined;
    const params = param.$container.params;
    return params.slice(0, params.indexOf(param)).filter(other => paramTransfer(other, types) === 'lease').length;
}

/** A vec element's scalar leaves with their paths relative to the element (`''`, `.key`, `.data#0`). */
function elementLeaves(type: UkType, types: UkTypeSystem): BulkElementLeaf[] {
    const leaves: FieldSpec[] = [];
    flatten('', type, undefined, types, leaves, false);
    return leaves.flatMap(leaf => (leaf.kind === 'scalar' ? [{ path: leaf.path, type: leaf.type }] : []));
}

/** How many scalar leaves a value of `type` flattens into (a vec element's share of the message). */
export function scalarLeafCount(type: UkType, types: UkTypeSystem): number {
    const leaves: FieldSpec[] = [];
    flatten('', type, undefined, types, leaves, false);
    return Math.max(leaves.length, 1);
}

function pinOf(param: Param | undefined): PinSpec | undefined {
    const annotation = param?.annotations.find(candidate => candidate.name === 'mr');
    const [wordArg, bitsArg] = annotation?.args ?? [];
    const word = parseIntLiteral(wordArg?.value);
    if (word === undefined || wordArg?.end !== undefined) return undefined;
    if (!bitsArg) return { word: Number(word) };
    const lo = parseIntLiteral(bitsArg.value);
    const hi = parseIntLiteral(bitsArg.end);
    if (lo === undefined || hi === undefined) return undefined;
    return { word: Number(word), bits: { lo: Number(lo), hi: Number(hi) } };
}
