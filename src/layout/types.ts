/**
 * The layout engine's input and output. Plain data: no Langium types cross this boundary, so the engine can
 * be used (and tested) on interfaces that never came from a parser. The output types (and the value kinds
 * they carry) are part of the contract with the runtime, whose trace decoder reads layouts without the
 * language: they are defined in runtime/contract/message-layout.ts.
 */
import type { BulkElementLeaf, CountedKind, EnumMemberSpec, ScalarKind } from '../../runtime/contract/index.js';

export type {
    BitfieldFieldSpec, BulkElementLeaf, CountedKind, PlacedCounted, EnumMemberSpec, EventLayout, InterfaceLayout, MessageKind, MessageLayout, MethodLayout, PlacedBulk, PlacedCap,
    PlacedScalar, Placement, ScalarKind, PayloadShape, UnionKind, UnionVariantSpec
} from '../../runtime/contract/index.js';

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
    /**
     * On the `.length` field of a string or vec travelling in message words: what it counts; on the first
     * word (`#0`) of a byte buffer inside a struct, array or vec: its capacity.
     */
    readonly counts?: CountedKind;
}

/** Bytes or an array that travel as bulk data. */
export interface BulkFieldSpec {
    readonly kind: 'bulk';
    readonly path: string;
    readonly bytes: number;
    readonly transfer: 'shared' | 'lease' | 'inline';
    readonly direction: 'in' | 'out' | 'inout';
    readonly source?: SourceRef;
    /** A string or vec: its `.length` field counts bytes or elements up to the capacity, not the buffer's bytes. */
    readonly counts?: CountedKind;
    /** A vec: its element's scalar leaves, as they lie in memory (message-layout.ts, PlacedBulk). */
    readonly elements?: readonly BulkElementLeaf[];
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
    /** The error enum the method raises, if any, and the payload every error reply carries (`raises E { code: u32 }`). */
    readonly errors?: { readonly name: string; readonly members: readonly EnumMemberSpec[]; readonly payload?: readonly ScalarFieldSpec[] };
    readonly source?: SourceRef;
}

/** An event: a payload of scalar leaves (structs and arrays flattened), numbered from 1 in declaration order. */
export interface EventSpec {
    readonly name: string;
    readonly ordinal: number;
    readonly params: readonly ScalarFieldSpec[];
    readonly source?: SourceRef;
}

export interface InterfaceSpec {
    /** The qualified name (`kv.KeyValue`) when the file has a package, else the plain name. */
    readonly name: string;
    readonly methods: readonly MethodSpec[];
    /** Absent or empty: the interface declares no events. */
    readonly events?: readonly EventSpec[];
    readonly source?: SourceRef;
}

/** A reason a message cannot be laid out, with the spec element to point at. */
export interface LayoutProblem {
    readonly message: string;
    readonly source?: SourceRef;
    readonly code: 'message-too-long' | 'too-many-caps' | 'pin-out-of-range' | 'pin-overlap' | 'pin-width';
}
