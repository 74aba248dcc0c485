/** JSON Lines: one typed event per line, for scripts (`jq`, notebooks). */
import type { TypedEvent } from './typed-trace.js';

export function formatJsonLine(event: TypedEvent): string {
    if (event.kind === 'other') return JSON.stringify(event.event);
    return JSON.stringify(event);
}
