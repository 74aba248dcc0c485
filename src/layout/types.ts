/**
 * The layout engine's input and output. Plain data: no Langium types cross this boundary, so the engine can
 * be used (and tested) on interfaces that never came from a parser, and the runtime's trace decoder can
 * read layouts without the language.
 */

/** A field's value kind, enough to pack, unpack and print it. */
export type ScalarKind =
    | { readonly kind: 'int'; readonly signed: boolean; readonly bits: number }
    | { readonly kind: 'bool' }
    /** `signed` only for a signed base (`enum E : i8`): its values travel in two's complement. */
    | { readonly kind: 'enum'; readonly name: string; readonly bits: number; readonly signed?: true; readonly members: readonly EnumMemberSpec[] }
    | { readonly kind: 'bitfield'; readonly name: string; readonly bits: number; readonly fields: readonly BitfieldFieldSpec[] };

export interface EnumMemberSpec { readonly name: string; readonly value: bigint }
export interface BitfieldFieldSpec { readonly name: string; readonly width: number }

/** Where the source wants a field: `@mr(word)` or `@mr(word, lo..hi)`. */
export interface PinSpec {
    readonly word: number;
    readonly bits?: { readonly lo: number; readonly hi: number };
}

/** Where something came from, for diagnostics; the engine only passes it through. */
export type SourceRef = unknown;

/** One value that travels in message words: a scalar, or one leaf of a struct or array argument. */
export interface ScalarFieldSpec {
    readonly kind: 'scalar';
    /** `key`, `key.hi`, `samples[3].value`: the path of the leaf within the message. */
    readonly path: string;
    readonly type: ScalarKind;
    readonly pin?: PinSpec;
    readonly source?: SourceRef;
}

/** Bytes or an array that travel as bulk data. */
export interface BulkFieldSpec {
    readonly kind: 'bulk';
    readonly path: string;
    readonly bytes: number;
    readonly transfer: 'shared' | 'lease' | 'inline';
    readonly direction: 'in' | 'out' | 'inout';
    readonly source?: SourceRef;
}

/** A capability parameter: travels as an extra capability. */
export interface CapFieldSpec {
    readonly kind: 'cap';
    readonly path: string;
    /** `endpoint<KeyValue>` or `notification`. */
    readonly capType: string;
    readonly source?: SourceRef;
}

export type FieldSpec = ScalarFieldSpec | BulkFieldSpec | CapFieldSpec;

export interface MethodSpec {
    readonly name: string;
    readonly ordinal: number;
    readonly oneway: boolean;
    readonly params: readonly FieldSpec[];
    readonly results: readonly FieldSpec[];
    /** The error enum the method raises, if any. */
    readonly errors?: { readonly name: string; readonly members: readonly EnumMemberSpec[] };
    readonly source?: SourceRef;
}

export interface InterfaceSpec {
    /** The qualified name (`kv.KeyValue`) when the file has a package, else the plain name. */
    readonly name: string;
    readonly methods: readonly MethodSpec[];
    readonly source?: SourceRef;
}

// ---------------------------------------------------------------- output

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
}

export interface PlacedCap {
    readonly kind: 'cap';
    readonly path: string;
    readonly capType: string;
    /** Which extra capability slot of the message carries it (0..2). */
    readonly capIndex: number;
}

export type MessageKind = 'request' | 'reply' | 'error';

export interface MessageLayout {
    readonly kind: MessageKind;
    /** The label: the ordinal for a request, 0 for a reply; an error reply's label is the error's value. */
    readonly label: number;
    /** Every scalar, including the offset and length fields of bulk data, in placement order. */
    readonly scalars: readonly PlacedScalar[];
    readonly bulk: readonly PlacedBulk[];
    readonly caps: readonly PlacedCap[];
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

export interface InterfaceLayout {
    readonly name: string;
    readonly profile: string;
    readonly methods: readonly MethodLayout[];
    /** Bytes of the region shared per connection for `shared` bulk data (0 when none is needed). */
    readonly sharedRegionBytes: number;
}

/** A reason a message cannot be laid out, with the spec element to point at. */
export interface LayoutProblem {
    readonly message: string;
    readonly source?: SourceRef;
    readonly code: 'message-too-long' | 'too-many-caps' | 'pin-out-of-range' | 'pin-overlap' | 'pin-width';
}
