/** The messages between the trace view's webview and the extension host (both sides import these types). */
import type { TraceRow } from '../trace-model/trace-row.js';

/**
 * Rows per message: a message is copied whole before the view sees it (tens of microseconds a row in
 * Chromium), so a trace file's 100,000 rows go in pieces and the first of them is drawn at once.
 */
export const ROWS_PER_MESSAGE = 2_000;

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
