/**
 * The types a debugger needs to show a variable as the source declares it, written into debug.json beside
 * each local, parameter and state variable (docs/ABI.md, "Image directory"). Plain data in JSON, computed
 * once here from the checker's types and the code generator's memory layout (aggregates.ts): scalars are
 * the message layout's scalar kinds (runtime/contract), so the debugger prints them as the trace does;
 * structs carry their fields' byte offsets and arrays their element stride, so no reader recomputes layout.
 */
import type { ScalarKind } from '../../runtime/contract/index.js';
import { scalarKind, typeToString, type UkType, type UkTypeSystem } from '../language/index.js';
import { fieldOf, sizeOf } from './lower/aggregates.js';

export type DebugType =
    | ScalarKind
    /** Memory: every scalar leaf one word (a 64-bit integer two, low word first), nested values inline. */
    | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly { readonly name: string; readonly offset: number; readonly type: DebugType }[] }
    | { readonly kind: 'array'; readonly length: number; readonly stride: number; readonly element: DebugType }
    | { readonly kind: 'bytes'; readonly capacity: number }
    /** A capability pointer (a slot of the component's CNode); `capType` as the source writes it. */
    | { readonly kind: 'cap'; readonly capType: string };

/** A local or parameter of a compiled function, where it lives over which addresses. */
export interface LocalInfo {
    readonly name: string;
    /** A register name (`s1`), or `sp+N`: the value (a scalar, or a struct's first word) at sp + N. */
    readonly location: string;
    readonly from: number;
    /** Exclusive. */
    readonly to: number;
    /** Absent in images written before types were recorded. */
    readonly type?: DebugType;
    readonly argument?: boolean;
}

/** A component's `var` at its top level: one symbol `state.NAME` in its data. */
export interface StateInfo {
    readonly name: string;
    readonly address: number;
    readonly type: DebugType;
}

/** The debug type of a uk type, or undefined for what has no value a debugger can show (void, functions). */
export function debugTypeOf(type: UkType, types: UkTypeSystem): DebugType | undefined {
    const scalar = scalarKind(type, types);
    if (scalar) return scalar;
    switch (type.kind) {
        case 'struct': {
            const fields: { name: string; offset: number; type: DebugType }[] = [];
            for (const field of type.decl.fields) {
                const placed = fieldOf(type, field.name, types);
                const fieldType = placed ? debugTypeOf(placed.type, types) : undefined;
                if (!placed || !fieldType) return undefined;
                fields.push({ name: field.name, offset: placed.offset, type: fieldType });
            }
            return { kind: 'struct', name: type.decl.name, fields };
        }
        case 'array': {
            const element = debugTypeOf(type.element, types);
            const stride = sizeOf(type.element, types);
            return element && stride !== undefined ? { kind: 'array', length: type.length, stride, element } : undefined;
        }
        case 'bytes': return { kind: 'bytes', capacity: type.capacity };
        // A string or vec is its length word and then its items (counted-lowering.ts): shown as the two.
        case 'string':
            return { kind: 'struct', name: typeToString(type), fields: [{ name: 'length', offset: 0, type: { kind: 'int', signed: false, bits: 32 } }, { name: 'bytes', offset: 4, type: { kind: 'bytes', capacity: type.capacity } }] };
        case 'vec': {
            const items = debugTypeOf({ kind: 'array', element: type.element, length: type.capacity }, types);
            return items ? { kind: 'struct', name: typeToString(type), fields: [{ name: 'length', offset: 0, type: { kind: 'int', signed: false, bits: 32 } }, { name: 'items', offset: 4, type: items }] } : undefined;
        }
        case 'endpoint': case 'notification': return { kind: 'cap', capType: typeToString(type) };
        case 'untyped-int': return { kind: 'int', signed: true, bits: 32 };
        case 'untyped-float': return { kind: 'float', bits: 64 };
        // The built-in error is its reply label, shown by name (docs/ABI.md: SERVER_FAILED_LABEL).
        case 'server-failed': return { kind: 'enum', name: 'ServerFailed', bits: 32, members: [] };
        default: return undefined;
    }
}
