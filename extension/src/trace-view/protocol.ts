/** The messages between the trace view's webview and the extension host (both sides import these types). */
import type { TraceRow } from '../trace-model/trace-row.js';

/** A source position the view can ask the extension to open, as the compiler records it. */
export interface SourceLink {
    readonly text: string;
    /** `file:line:column`. */
    readonly location?: string;
}

export type ToView =
    /** A new trace starts: forget the rows shown. */
    | { readonly type: 'reset'; readonly title: string }
    | { readonly type: 'rows'; readonly rows: readonly TraceRow[] }
    /** How the run ended, line by line as `ukc run` says it; lines with a location are links. */
    | { readonly type: 'outcome'; readonly lines: readonly SourceLink[]; readonly ok: boolean };

export type FromView =
    | { readonly type: 'ready' }
    | { readonly type: 'open'; readonly location: string }
    | { readonly type: 'export' };
