/**
 * What a laid-out message is: where each value of an interface's messages travels, as the layout engine
 * (src/layout) computes it, the code generator packs it, and the runtime's trace decoder reads it back.
 * Plain data: no Langium types, nothing computed here.
 */

/** A field's value kind, enough to pack, unpack and print it. */
export type ScalarKind =
    | { readonly kind: 'int'; readonly signed: boolean; readonly bits: number }
    | { readonly kind: 'bool' }
    /** `f32` or `f64`: the IEEE 754 bit pattern (floats.ts); 32 or 64 bits, placed as u32 and u64 are. */
    | { readonly kind: 'float'; readonly bits: 32 | 64 }
    /**
     * `signed` only for a signed base (`enum E : i8`): its values travel in two's complement. `flags` for a
     * `flags` type: a set of named bits, each member's value its single bit (`Exec at 4` is 16).
     */
    | { readonly kind: 'enum'; readonly name: string; readonly bits: number; readonly signed?: true; readonly flags?: true; readonly members: readonly EnumMemberSpec[] }
    | { readonly kind: 'bitfield'; readonly name: string; readonly bits: number; readonly fields: readonly BitfieldFieldSpec[] }
    | UnionKind;

/**
 * A tagged union or an optional, packed so that the tag decides the rest (docs/ABI.md, "Unions and
 * optionals"): the tag in the lowest `tagBits` bits (the variant's index in declaration order), then the
 * payload region, as wide as the widest variant's payload; a variant's payload fills it from its low end and
 * every bit it leaves is zero. An optional (`name` is `u32?`) is a union of `none` (tag 0) and `some` (tag 1).
 */
export interface UnionKind {
    readonly kind: 'union';
    readonly name: string;
    /** Tag and payload region together. */
    readonly bits: number;
    readonly tagBits: number;
    readonly optional?: true;
    readonly variants: readonly UnionVariantSpec[];
}

export interface UnionVariantSpec {
    readonly name: string;
    /** Absent for a variant without a payload. */
    readonly payload?: PayloadShape;
}

/**
 * Where a variant's payload lies in the union's bits, as the source writes the payload: a scalar leaf at
 * bit `lo` of the union (the tag's bits included), a struct's fields or an array's elements in order.
 */
export type PayloadShape =
    | { readonly kind: 'leaf'; readonly lo: number; readonly type: ScalarKind }
    | { readonly kind: 'struct'; readonly name: string; readonly fields: readonly { readonly name: string; readonly shape: PayloadShape }[] }
    | { readonly kind: 'array'; readonly elements: readonly PayloadShape[] };

export interface EnumMemberSpec { readonly name: string; readonly value: bigint }
export interface BitfieldFieldSpec { readonly name: string; readonly width: number }

/** Where a scalar field lives: `bits` consecutive bits starting at bit `lo` of word `word` and on. */
export interface Placement {
    readonly word: number;
    readonly lo: number;
    /** Width in bits; a field wider than a word spans `ceil(bits / wordBits)` whole words. */
    readonly bits: number;
}

export interface PlacedScalar {
    readonly kind: 'scalar';
    readonly path: string;
    readonly type: ScalarKind;
    readonly placement: Placement;
    readonly pinned: boolean;
}

/**
 * What a `string[N]` or `vec[T; N]` is (docs/ABI.md, "Strings and vecs"): its `<path>.length` field counts
 * bytes (a string, whose bytes are UTF-8) or elements (a vec), at most `capacity`. A `bytes[N]` inside a
 * struct, array or vec (`bytes`) has no length field: it always holds `capacity` bytes.
 */
export interface CountedKind {
    readonly kind: 'string' | 'vec' | 'bytes';
    readonly capacity: number;
}

/**
 * A string, vec or nested byte buffer that travels in the message's own words: a string's or vec's
 * `<path>.length` scalar, and the items as scalars of their own — the bytes of a string or a buffer four
 * to a word in `<path>#0`, `<path>#1`, ... (little-endian; a buffer's last word only as wide as its bytes),
 * a vec's elements as `<path>[0]`, `<path>[1]`, ... (a struct element's leaves as `<path>[0].x`). Only the
 * first `length` items of a string or vec mean anything; the rest travel as zeros.
 */
export interface PlacedCounted extends CountedKind {
    readonly path: string;
    /** A vec's element leaves, relative to the element, in declaration order (`['.x', '.y']`; `['']` for a scalar). */
    readonly elementLeaves?: readonly string[];
}

/**
 * Bulk data: `shared` sends an offset into the connection's shared region and a length (both placed as
 * scalars, listed in `scalars`); `lease` sends a frame capability and a length; `inline` copies the bytes
 * into whole message words starting at `words.first`.
 */
export interface PlacedBulk {
    readonly kind: 'bulk';
    readonly path: string;
    readonly bytes: number;
    readonly transfer: 'shared' | 'lease' | 'inline';
    readonly direction: 'in' | 'out' | 'inout';
    readonly words?: { readonly first: number; readonly count: number };
    readonly capIndex?: number;
    /** A string or vec sent as bulk data: its length field counts what it holds (absent: bytes[N]). */
    readonly counts?: CountedKind;
    /**
     * A vec sent as bulk data: its element's scalar leaves in declaration order, one word each in memory
     * (`'.key'`, `'.data#0'`; `''` for a scalar element), so that a changed element shows in `ukc diff`.
     */
    readonly elements?: readonly BulkElementLeaf[];
}

export interface BulkElementLeaf {
    readonly path: string;
    readonly type: ScalarKind;
}

export interface PlacedCap {
    readonly kind: 'cap';
    readonly path: string;
    readonly capType: string;
    /** Which extra capability slot of the message carries it (0..2). */
    readonly capIndex: number;
}

/** `event`: the payload of an event record (docs/ABI.md, "Events"), packed as a request is. */
export type MessageKind = 'request' | 'reply' | 'error' | 'event';

export interface MessageLayout {
    readonly kind: MessageKind;
    /** The label: the ordinal for a request, 0 for a reply; an error reply's label is the error's value. */
    readonly label: number;
    /** Every scalar, including the offset and length fields of bulk data, in placement order. */
    readonly scalars: readonly PlacedScalar[];
    readonly bulk: readonly PlacedBulk[];
    readonly caps: readonly PlacedCap[];
    /** Strings and vecs among the scalars (present only when there are some). */
    readonly counted?: readonly PlacedCounted[];
    /** Message words used (the message info's length). */
    readonly words: number;
    /** Of those, how many travel in registers; the rest go through the IPC buffer. */
    readonly registerWords: number;
    readonly memoryWords: number;
    readonly extraCaps: number;
    readonly fastpath: boolean;
    /** Why the message does not take the fastpath; empty when it does. */
    readonly slowpathReasons: readonly string[];
}

export interface MethodLayout {
    readonly name: string;
    readonly ordinal: number;
    readonly oneway: boolean;
    readonly request: MessageLayout;
    /** Absent for oneway methods. */
    readonly reply?: MessageLayout;
    /** One per member of the error enum. */
    readonly errors: readonly MessageLayout[];
    readonly errorNames: readonly string[];
}

/** An event (`event dataReady(count: u32)`): its number, the label of its records, and its payload. */
export interface EventLayout {
    readonly name: string;
    /** 1.. in declaration order: an event's own numbering, apart from the methods'. */
    readonly ordinal: number;
    readonly payload: MessageLayout;
}

export interface InterfaceLayout {
    readonly name: string;
    readonly profile: string;
    readonly methods: readonly MethodLayout[];
    /** Its events, in declaration order (empty when it has none). */
    readonly events: readonly EventLayout[];
    /** Bytes of the region shared per connection for `shared` bulk data (0 when none is needed). */
    readonly sharedRegionBytes: number;
}

/** The capabilities a message carries as values: not a lease's frame, which travels as bulk data. */
export function valueCaps(layout: MessageLayout): PlacedCap[] {
    const leases = new Set(layout.bulk.filter(bulk => bulk.transfer === 'lease').map(bulk => bulk.path));
    return layout.caps.filter(cap => !leases.has(cap.path));
}
