/**
 * What expression lowering works with: the component being compiled (LoweringContext), the values it
 * produces (Value) and where a handler's or helper's byte-buffer parameters are (BulkParameter).
 */
import type { AstNode } from 'langium';
import type { EnumDecl, EventDecl, FunctionDecl, Method, Param, StateVar, UsesPort, UkTypeSystem, UkType } from '../../language/index.js';
import type { SourcePosition, VReg } from '../ir.js';
import type { Place } from './memory-ops.js';

/**
 * A handler's byte-buffer parameter: `shared` bulk data is at an offset of the caller's shared region
 * (offset and length in registers); a `lease` is the caller's page, mapped at its window (its length in
 * a register); `inline` bytes were saved from the message to a buffer of the handler's own (`symbol`).
 * A helper function's byte-buffer parameter is the address of the caller's copy (`copy`).
 * Byte-buffer variables are in memory like structs (their frame object or state symbol).
 */
export type BulkParameter =
    | { readonly kind: 'copy'; readonly address: VReg; readonly capacity: number }
    | { readonly kind: 'shared'; readonly offset: VReg; readonly length: VReg; readonly capacity: number }
    | { readonly kind: 'lease'; readonly window: number; readonly length: VReg; readonly capacity: number }
    | { readonly kind: 'inline'; readonly symbol: string; readonly capacity: number };

/**
 * Where one call's bulk arguments go, counted as they are lowered: the next free byte of the port's shared
 * region, and the leases so far (lease k is staged at clientLeaseWindow(k) and sent as lease k).
 */
export interface BulkPlaces {
    offset: number;
    leases: number;
}

/** What lowering needs from the component being compiled (names of symbols, stubs, strings). */
export interface LoweringContext {
    readonly types: UkTypeSystem;
    position(node: AstNode): SourcePosition;
    stateSymbol(variable: StateVar): string;
    functionSymbol(fn: FunctionDecl): string;
    /** The client stub for a method called through a port (the context generates it once). */
    stubSymbol(port: UsesPort, method: Method): string;
    /** The emit stub of an event of the server's interface (ipc/event-code.ts). */
    emitSymbol(event: EventDecl): string;
    /** The client stub for a method called through an endpoint value (its capability pointer in a1). */
    dynamicStubSymbol(method: Method, node: AstNode): string;
    /** The capability slot of a port. */
    portSlot(port: AstNode): number;
    /** Where a `uses` port's shared region is mapped in this component (undefined: its interface has none). */
    sharedWindow(port: AstNode): number | undefined;
    /** The size of the shared region of a method's interface (0: none). */
    sharedRegionBytes(method: Method): number;
    /** Notes that the component sends `count` leases in one call: it then gets as many staging pages (clientLeaseWindow). */
    sendsLeases(count: number): void;
    /** The buffer an inline byte-buffer handler parameter's bytes are saved to. */
    inlineSymbol(param: AstNode): string;
    /** Where an inline byte-buffer parameter of a method travels in the request or the reply: its first word. */
    inlineWord(method: Method, param: Param, message: 'request' | 'reply'): number | undefined;
    /** The capability slot a `reply<I.m>` state variable keeps its saved caller in. */
    replySlot(variable: StateVar): number;
    /** The order of a method's error payload values, where its stub returns them (ipc/error-replies.ts). */
    errorOrder(method: Method): readonly string[];
    /**
     * The routine that answers a deferred call of `method` with its results or with an error (the context
     * generates it once). An error routine takes the payload's values first and the error's value last.
     */
    answerSymbol(method: Method, answer: 'reply' | 'raise'): string;
    /** Where a device port's register page is mapped. */
    deviceWindow(port: AstNode): number;
    /** A routine printing an enum's member names. */
    enumPrinter(decl: EnumDecl): string;
    /** A string in read-only data. */
    stringSymbol(text: string): { readonly symbol: string; readonly length: number };
    readonly badgeSymbol: string;
    unsupported(node: AstNode, what: string): void;
}

/**
 * A value: one register for a scalar; for a tuple, the registers of its elements' leaves in order; for a
 * struct or array, no registers but the place in memory that holds it.
 */
export interface Value {
    readonly regs: readonly VReg[];
    readonly type: UkType;
    readonly place?: Place;
}
