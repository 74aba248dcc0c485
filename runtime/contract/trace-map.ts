/**
 * What the trace needs to know about a compiled system, written by the compiler beside the boot manifest:
 * which interface each endpoint serves (its layout), per method the declaration order of its values
 * (layouts list them by placement), so that calls read like the source, and where each handler is.
 */
import type { InterfaceLayout } from './message-layout.js';

export interface TraceMap {
    readonly endpoints: Readonly<Record<string, {
        readonly interface: InterfaceLayout;
        readonly server: string;
        /** `errors`: the error payload's fields, for methods whose errors carry one. */
        readonly order?: Readonly<Record<string, { readonly params: readonly string[]; readonly results: readonly string[]; readonly errors?: readonly string[] }>>;
        /** Per event, the declaration order of its values (docs/ABI.md, "Events"). */
        readonly events?: Readonly<Record<string, readonly string[]>>;
        /** Per method, where its handler is in the source (`file:line:column`). */
        readonly handlers?: Readonly<Record<string, string>>;
    }>>;
}
