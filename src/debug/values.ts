/**
 * Variables as the source declares them: a value of a debug type (src/codegen/debug-info.ts) at a place
 * (a register of a frame, or memory of the thread's address space), shown as uk writes it — integers in
 * decimal, bools, enum members by name, bitfields, structs and arrays as expandable trees, byte buffers in
 * hex, capabilities as their slot and type — and set from text with the type's width and range checked.
 */
import { formatScalar } from '../../runtime/trace/index.js';
import { SERVER_FAILED_LABEL, floatToBits, type ScalarKind } from '../../runtime/contract/index.js';
import type { DebugType } from '../codegen/index.js';

/** A variable of a scope or a value's part; `children` only for what expands, `set` only for what can be written. */
export interface VariableValue {
    readonly name: string;
    readonly value: string;
    /** The type as the source writes it (`u8`, `Key`, `[u32; 64]`, `bytes[256]`, `endpoint<Clock>`). */
    readonly type?: string;
    readonly children?: () => readonly VariableValue[];
    /** What a scalar stands for in expressions: ints by their signedness, bools 0 or 1, enums by value, caps by slot. */
    readonly number?: bigint;
    /** Writes the value given as text (a literal of the type); answers the value as it now reads. */
    readonly set?: (text: string) => VariableValue;
}

/** A value that cannot be read, written or parsed, said in one sentence. */
export class ValueError extends Error {}

/** A register of a frame, or an address of the thread's memory. */
export type Place = { readonly kind: 'register'; readonly index: number } | { readonly kind: 'memory'; readonly address: number };

/** What reading and writing a frame's values needs. */
export interface ValueAccess {
    /** Bytes of memory (undefined where nothing is mapped). */
    read(address: number, length: number): readonly (number | undefined)[];
    /** False where nothing is mapped. */
    write(address: number, bytes: Uint8Array): boolean;
    register(index: number): number;
    /** Throws a `ValueError` where a register cannot be written (an outer frame's). */
    writeRegister(index: number, value: number): void;
}

const WORD = 4;
/** Elements and bytes a collapsed value shows before `…`. */
const SUMMARY_ELEMENTS = 8;
const BYTES_PER_ROW = 16;

export function typeName(type: DebugType): string {
    switch (type.kind) {
        case 'int': return `${type.signed ? 'i' : 'u'}${type.bits}`;
        case 'bool': return 'bool';
        case 'float': return `f${type.bits}`;
        case 'enum': case 'bitfield': case 'struct': case 'union': return type.name;
        case 'array': return `[${typeName(type.element)}; ${type.length}]`;
        case 'bytes': return `bytes[${type.capacity}]`;
        case 'cap': return type.capType;
    }
}

function isScalar(type: DebugType): type is ScalarKind {
    return type.kind === 'int' || type.kind === 'float' || type.kind === 'bool' || type.kind === 'enum' || type.kind === 'bitfield' || type.kind === 'union';
}

/** Bits a scalar holds. */
function scalarBits(type: ScalarKind): number {
    return type.kind === 'bool' ? 1 : type.bits;
}

function isSigned(type: ScalarKind): boolean {
    return (type.kind === 'int' && type.signed) || (type.kind === 'enum' && type.signed === true);
}

/** A variable of `type` at `place`. */
export function viewValue(name: string, type: DebugType, place: Place, access: ValueAccess): VariableValue {
    const shown = typeName(type);
    if (type.kind === 'cap') {
        const slot = readBits(place, 32, access);
        return { name, type: shown, value: slot === undefined ? '<unreadable>' : slot === 0n ? 'none' : `slot ${slot}`, number: slot };
    }
    if (isScalar(type)) return scalarValue(name, type, place, access);
    if (place.kind !== 'memory') return { name, type: shown, value: '<unreadable>' };
    const address = place.address;
    switch (type.kind) {
        case 'struct': {
            const children = () => type.fields.map(field => viewValue(field.name, field.type, { kind: 'memory', address: address + field.offset }, access));
            const parts = children().map(child => `${child.name}: ${child.children ? '{…}' : child.value}`);
            return { name, type: shown, value: `${type.name} { ${parts.join(', ')} }`, children };
        }
        case 'array': {
            const element = (i: number) => viewValue(`[${i}]`, type.element, { kind: 'memory', address: address + i * type.stride }, access);
            const children = () => Array.from({ length: type.length }, (_, i) => element(i));
            const first = Array.from({ length: Math.min(type.length, SUMMARY_ELEMENTS) }, (_, i) => element(i));
            const parts = first.map(child => (child.children ? '{…}' : child.value));
            return { name, type: shown, value: `[${parts.join(', ')}${type.length > SUMMARY_ELEMENTS ? ', …' : ''}]`, children };
        }
        case 'bytes': return bytesValue(name, type.capacity, access.read(address, type.capacity));
    }
}

/** Byte buffers in hex, two digits a byte; longer than a row, they expand into rows of 16. */
export function bytesValue(name: string, capacity: number, bytes: readonly (number | undefined)[]): VariableValue {
    const hex = (from: number, to: number) => bytes.slice(from, to).map(byte => (byte === undefined ? '??' : byte.toString(16).padStart(2, '0'))).join(' ');
    const type = `bytes[${capacity}]`;
    if (capacity <= BYTES_PER_ROW) return { name, type, value: hex(0, capacity) };
    const rows = () => Array.from({ length: Math.ceil(capacity / BYTES_PER_ROW) }, (_, row) => {
        const from = row * BYTES_PER_ROW;
        const to = Math.min(capacity, from + BYTES_PER_ROW);
        return { name: `[${from}..${to - 1}]`, value: hex(from, to) };
    });
    return { name, type, value: `${hex(0, BYTES_PER_ROW)} …`, children: rows };
}

/**
 * A scalar's unsigned bits: a register holds it normalised to its type; memory holds one word, two for 64
 * bits, and a union's bits in as many words as they take (its packed form, low word first).
 */
function readBits(place: Place, bits: number, access: ValueAccess): bigint | undefined {
    const mask = (1n << BigInt(bits)) - 1n;
    if (place.kind === 'register') return BigInt(access.register(place.index) >>> 0) & mask;
    const bytes = access.read(place.address, Math.ceil(bits / 32) * WORD);
    if (bytes.some(byte => byte === undefined)) return undefined;
    let raw = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) raw = (raw << 8n) | BigInt(bytes[i] ?? 0);
    return raw & mask;
}

/** A scalar as its bits read (also for message fields); bitfields expand into their fields. */
export function scalarText(name: string, type: ScalarKind, raw: bigint | undefined, set?: (text: string) => VariableValue, setField?: (field: number, value: bigint) => VariableValue): VariableValue {
    if (raw === undefined) return { name, type: typeName(type), value: '<unreadable>' };
    const number = isSigned(type) ? BigInt.asIntN(scalarBits(type), raw) : raw;
    // A catch variable may hold the built-in error besides its enum's members.
    const failed = type.kind === 'enum' && raw === BigInt(SERVER_FAILED_LABEL) && !type.members.some(member => member.value === raw);
    const value = failed ? 'ServerFailed' : formatScalar(type, raw);
    if (type.kind !== 'bitfield') return { name, type: typeName(type), value, set, number };
    const children = () => bitfieldFields(type, raw).map((field, i) => ({
        name: field.name, type: `${field.width} bit${field.width === 1 ? '' : 's'}`, value: String(field.value),
        set: setField ? (text: string) => setField(i, parseUnsigned(text, field.width, `${type.name}.${field.name}`)) : undefined
    }));
    return { name, type: type.name, value, set, children, number };
}

/** A bitfield's fields: packed from bit 0 in declaration order (docs/LANGUAGE.md, bitfields). */
function bitfieldFields(type: Extract<ScalarKind, { kind: 'bitfield' }>, raw: bigint): { name: string; width: number; shift: number; value: bigint }[] {
    let shift = 0;
    return type.fields.map(field => {
        const value = (raw >> BigInt(shift)) & ((1n << BigInt(field.width)) - 1n);
        const entry = { name: field.name, width: field.width, shift, value };
        shift += field.width;
        return entry;
    });
}

function scalarValue(name: string, type: ScalarKind, place: Place, access: ValueAccess): VariableValue {
    const bits = scalarBits(type);
    const reread = () => scalarValue(name, type, place, access);
    const store = (raw: bigint) => {
        writeBits(place, type, raw, access);
        return reread();
    };
    const raw = readBits(place, bits, access);
    return scalarText(name, type, raw, text => store(parseScalar(type, text)), (field, value) => {
        const now = readBits(place, bits, access) ?? 0n;
        const layout = type.kind === 'bitfield' ? bitfieldFields(type, now)[field] : undefined;
        if (!layout) return reread();
        const mask = ((1n << BigInt(layout.width)) - 1n) << BigInt(layout.shift);
        store((now & ~mask) | (value << BigInt(layout.shift)));
        return reread().children?.()[field] ?? reread();
    });
}

/** Writes a scalar's bits: a register normalised to the type (sign-extended when signed), memory a word or two. */
function writeBits(place: Place, type: ScalarKind, raw: bigint, access: ValueAccess): void {
    const bits = scalarBits(type);
    const value = isSigned(type) ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
    if (place.kind === 'register') {
        access.writeRegister(place.index, Number(BigInt.asIntN(32, value)));
        return;
    }
    const bytes = new Uint8Array(bits > 32 ? 2 * WORD : WORD);
    const unsigned = BigInt.asUintN(8 * bytes.length, value);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Number((unsigned >> BigInt(8 * i)) & 0xffn);
    if (!access.write(place.address, bytes)) throw new ValueError(`the memory at 0x${place.address.toString(16)} is not mapped`);
}

/** An integer literal as uk writes it: decimal, 0x, 0b, `_` separators, an optional minus. */
function parseInteger(text: string): bigint | undefined {
    const match = /^(-)?\s*(0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*)$/.exec(text.trim());
    if (!match) return undefined;
    const magnitude = BigInt(match[2].replace(/_/g, ''));
    return match[1] ? -magnitude : magnitude;
}

function parseUnsigned(text: string, bits: number, what: string): bigint {
    const value = parseInteger(text);
    const max = (1n << BigInt(bits)) - 1n;
    if (value === undefined) throw new ValueError(`'${text.trim()}' is not an integer`);
    if (value < 0n || value > max) throw new ValueError(`${value} is out of range for ${what} (0 to ${max})`);
    return value;
}

type EnumKind = Extract<ScalarKind, { kind: 'enum' }>;

/** `Read` or `Perm.Read`: the member's value. */
function memberValue(type: EnumKind, text: string): bigint {
    const name = text.startsWith(`${type.name}.`) ? text.slice(type.name.length + 1) : text;
    const member = type.members.find(candidate => candidate.name === name);
    if (!member) throw new ValueError(`'${text}' is not a member of ${type.name} (${type.members.map(candidate => candidate.name).join(', ')})`);
    return member.value;
}

/** A set of flags as it is shown: `Read|Exec`, `Read|0x40`, `0` (also `Perm.Read | Perm.Exec`). */
function parseFlags(type: EnumKind, text: string): bigint {
    let bits = 0n;
    for (const part of text.split('|').map(piece => piece.trim())) {
        bits |= /^[0-9]/.test(part) ? parseUnsigned(part, type.bits, type.name) : memberValue(type, part);
    }
    return bits;
}

/** Text to a scalar's bits, refused with the reason when it is not a value of the type. */
export function parseScalar(type: ScalarKind, text: string): bigint {
    const trimmed = text.trim();
    switch (type.kind) {
        case 'bool':
            if (trimmed === 'true') return 1n;
            if (trimmed === 'false') return 0n;
            throw new ValueError(`a bool is true or false, not '${trimmed}'`);
        case 'int': {
            const value = parseInteger(trimmed);
            if (value === undefined) throw new ValueError(`'${trimmed}' is not an integer`);
            const bits = BigInt(type.bits);
            const min = type.signed ? -(1n << (bits - 1n)) : 0n;
            const max = type.signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
            if (value < min || value > max) throw new ValueError(`${value} is out of range for ${typeName(type)} (${min} to ${max})`);
            return BigInt.asUintN(type.bits, value);
        }
        case 'enum': {
            if (type.flags) return parseFlags(type, trimmed);
            return BigInt.asUintN(type.bits, memberValue(type, trimmed));
        }
        case 'bitfield': return parseUnsigned(trimmed, type.bits, type.name);
        case 'union': throw new ValueError(`a ${type.name} value cannot be set from the debugger; assign it in the program`);
        case 'float': {
            // JavaScript's reading of the text (f64), then rounded to f32: as a debugger sets a value, not a literal.
            const value = trimmed === 'inf' ? Infinity : trimmed === '-inf' ? -Infinity : Number(trimmed);
            if (trimmed === '' || (Number.isNaN(value) && trimmed !== 'NaN')) throw new ValueError(`'${trimmed}' is not a number`);
            return floatToBits(value, type.bits);
        }
    }
}
