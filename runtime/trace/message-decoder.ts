/**
 * Message words back to typed values, by the same layouts the stubs pack with and the contract's unpacker
 * (the runtime reads layouts, it does not compute them). A value prints as the source would write it:
 * numbers in decimal (floats as `print` writes them), bools as true/false, enum members by name, bitfields
 * as `Name { field: value, ... }`, unions as `Shape.circle(5)` and optionals as `some(5)` or `none`.
 */
import {
    fieldBits32, floatFromBits, formatFloat, formatUnion, signedSmall, smallFieldBits, valueCaps, type MessageLayout, type PlacedBulk, type PlacedCap, type PlacedScalar,
    type ScalarKind
} from '../contract/index.js';
import { countedPlans, formatCounted } from './counted-decoder.js';

export interface DecodedValue {
    readonly name: string;
    readonly text: string;
}

/** A scalar of at most 32 bits, with plain numbers (the common case, and much cheaper than BigInt). */
function formatSmall(type: ScalarKind, raw: number): string {
    switch (type.kind) {
        case 'bool': return raw === 0 ? 'false' : 'true';
        case 'int': return String(type.signed ? signedSmall(raw, type.bits) : raw >>> 0);
        default: return formatScalar(type, BigInt(raw >>> 0));
    }
}

export function formatScalar(type: ScalarKind, raw: bigint): string {
    switch (type.kind) {
        case 'bool': return raw === 0n ? 'false' : 'true';
        case 'float': return formatFloat(floatFromBits(raw, type.bits), type.bits);
        case 'int': return (type.signed ? BigInt.asIntN(type.bits, raw) : raw).toString();
        case 'enum': {
            if (type.flags) return formatFlags(type.members, raw);
            const member = type.members.find(candidate => BigInt.asUintN(type.bits, candidate.value) === raw);
            return member ? `${type.name}.${member.name}` : `${type.name}(${type.signed ? BigInt.asIntN(type.bits, raw) : raw})`;
        }
        case 'bitfield': {
            let shift = 0n;
            const fields = type.fields.map(field => {
                const value = (raw >> shift) & ((1n << BigInt(field.width)) - 1n);
                shift += BigInt(field.width);
                return `${field.name}: ${value}`;
            });
            return `${type.name} { ${fields.join(', ')} }`;
        }
        case 'union': return formatUnion(type, raw, formatScalar);
    }
}

/** A set of flags as the source combines them: `Read|Write`; bits no member names in hex (`Read|0x40`); the empty set `0`. */
function formatFlags(members: readonly { readonly name: string; readonly value: bigint }[], raw: bigint): string {
    const named = members.filter(member => (raw & member.value) !== 0n);
    const rest = named.reduce((left, member) => left & ~member.value, raw);
    const parts = [...named.map(member => member.name), ...(rest !== 0n ? [`0x${rest.toString(16)}`] : [])];
    return parts.length === 0 ? '0' : parts.join('|');
}

/** One scalar of a message as the source would write it. */
export function formatPlacedScalar(scalar: PlacedScalar, words: readonly number[]): string {
    const placement = scalar.placement;
    return placement.bits <= 32 ? formatSmall(scalar.type, smallFieldBits(placement, words)) : formatScalar(scalar.type, fieldBits32(placement, words));
}

/**
 * Every scalar of a message, named by its path (`key.hi` for a struct leaf); a string or vec as one value
 * (`key="alpha"`) in place of its length and items.
 */
export function decodeMessage(layout: MessageLayout, words: readonly number[]): DecodedValue[] {
    if (!layout.counted) return layout.scalars.map(scalar => ({ name: scalar.path, text: formatPlacedScalar(scalar, words) }));
    const { plans, members } = countedPlans(layout);
    const values = layout.scalars.filter(scalar => !members.has(scalar)).map(scalar => ({ name: scalar.path, text: formatPlacedScalar(scalar, words) }));
    for (const plan of plans) values.push({ name: plan.counted.path, text: formatCounted(plan, words, scalar => formatPlacedScalar(scalar, words)) });
    return values;
}

/**
 * A capability a message carried as a value, named by what it designates: `endpoint(<server>)` for an
 * endpoint whose server the trace knows (`serverOf`), `notification(<name>)`, `none` for one the kernel
 * did not transfer (no grant right, no free slot) or handed over unwrapped (a capability to the endpoint
 * the message came through: compiled code sends that in place of a value that holds none, and takes it as
 * none). `objects` is the kernel event's `capObjects`, in order.
 */
export function formatCap(cap: PlacedCap, objects: readonly string[] | undefined, serverOf: (endpoint: string) => string | undefined): string {
    const object = objects?.[cap.capIndex];
    if (object === undefined || object.startsWith('badge:')) return 'none';
    const split = object.indexOf(':');
    const kind = split < 0 ? object : object.slice(0, split);
    const name = split < 0 ? '' : object.slice(split + 1);
    const shown = kind === 'endpoint' ? serverOf(name) ?? name : name;
    return `${kind}(${shown})`;
}

/** Every capability a message carried as a value, named by its path. */
export function decodeCaps(layout: MessageLayout, objects: readonly string[] | undefined, serverOf: (endpoint: string) => string | undefined): DecodedValue[] {
    return valueCaps(layout).map(cap => ({ name: cap.path, text: formatCap(cap, objects, serverOf) }));
}

/** Bulk data a message carries in its own words. */
export function inlineBulk(layout: MessageLayout): PlacedBulk[] {
    return layout.bulk.filter(bulk => bulk.transfer === 'inline' && bulk.words !== undefined);
}

/** Inline bytes as the source writes an array of them: `[104, 105]` (the words hold them little-endian). */
export function formatInline(bulk: PlacedBulk, words: readonly number[]): string {
    const first = bulk.words?.first ?? 0;
    const bytes: number[] = [];
    for (let i = 0; i < bulk.bytes; i++) bytes.push(((words[first + (i >> 2)] ?? 0) >>> (8 * (i & 3))) & 0xff);
    return `[${bytes.join(', ')}]`;
}

/** Every inline bulk value of a message, named by its path. */
export function decodeInline(layout: MessageLayout, words: readonly number[]): DecodedValue[] {
    return inlineBulk(layout).map(bulk => ({ name: bulk.path, text: formatInline(bulk, words) }));
}
