/**
 * Capabilities inside values: an `endpoint<I>` or `notification` is one, and a struct field or an array
 * element may hold them (MIG's port arrays). A message carries every one of them as an extra capability,
 * depth first in declaration order (docs/ABI.md, "Capabilities"), so the kernel's limit of three per
 * message counts them all; a vec, a buffer sent as bulk data and an error payload cannot carry them.
 */
import { isCapabilityType, isDataType, type UkType } from './types.js';
import type { UkTypeSystem } from './uk-type-system.js';

/** How many capabilities a value of `type` holds (a recursive struct, already an error, counts once). */
export function capabilityCount(type: UkType, types: UkTypeSystem, open: ReadonlySet<UkType> = new Set()): number {
    switch (type.kind) {
        case 'endpoint': case 'notification': return 1;
        case 'array': return type.length * capabilityCount(type.element, types, open);
        case 'vec': return type.capacity * capabilityCount(type.element, types, open);
        case 'struct': {
            if ([...open].some(outer => outer.kind === 'struct' && outer.decl === type.decl)) return 0;
            const inner = new Set(open).add(type);
            return type.decl.fields.reduce((sum, field) => sum + capabilityCount(types.typeOfTypeRef(field.type), types, inner), 0);
        }
        default: return 0;
    }
}

/** Whether a value of `type` holds a capability anywhere inside. */
export function holdsCapability(type: UkType, types: UkTypeSystem): boolean {
    return capabilityCount(type, types) > 0;
}

/**
 * Types a parameter, result, state or local can have: plain data (types.ts), capabilities, and structs and
 * fixed arrays made of both (`[endpoint<I>; 2]`).
 */
export function isValueType(type: UkType): boolean {
    if (isDataType(type) || isCapabilityType(type)) return true;
    return type.kind === 'array' && isValueType(type.element);
}
