/**
 * A traced run's calls as hints beside the source lines they concern: each call site and each handler
 * line gets the latest exchange there (`Calculator.div(a=1, b=0) = error CalcError.DivideByZero`) and how
 * many calls it saw. The editor that is already open draws them, so they are what a fresh window shows
 * first of a run: VS Code's first terminal and first webview take seconds to start (bench:extension).
 * Plain data in, plain data out (no VS Code): the runner feeds events, the editor side draws the hints.
 */
import { formatOutcome, formatValues, type TypedEvent } from '../../../runtime/trace/index.js';
import { parseLocation } from '../command-arguments.js';

/** One line's hint: `file` as the compiler records it (the file's name, without its folder), `line` 1-based. */
export interface LineHint {
    readonly file: string;
    readonly line: number;
    readonly text: string;
}

/**
 * Whether the file at `path` (a URI's path) is the one a hint names: the compiler records a file's name
 * without its folder (or a relative path), so any file of that name is it.
 */
export function isHintedFile(path: string, file: string): boolean {
    const wanted = file.replace(/\\/g, '/');
    return path === wanted || path.endsWith(`/${wanted}`);
}

/** A hint longer than this is cut (a call with a large argument would run off the screen). */
export const HINT_MAX_LENGTH = 120;

interface Exchange {
    readonly interface: string;
    readonly method: string;
    readonly label: string;
    /** The lines it is shown on: `file:line` of its call site and of its handler. */
    readonly places: readonly string[];
}

interface PlaceHint {
    readonly file: string;
    readonly line: number;
    text: string;
    calls: number;
}

export class CallHints {
    /** Calls waiting for their reply, by calling instance, innermost last. */
    private readonly waiting = new Map<string, Exchange[]>();
    private readonly places = new Map<string, PlaceHint>();

    /** An event of the run, in order. Calls and sends show at once; a reply completes its call's hint. */
    add(event: TypedEvent): void {
        if (event.kind === 'call' || event.kind === 'send') {
            const label = `${event.interface}.${event.method}(${formatValues(event.args)})`;
            const places = [...new Set([event.site, event.handler].flatMap(location => this.place(location) ?? []))];
            for (const key of places) {
                const hint = this.places.get(key) as PlaceHint;
                hint.text = label;
                hint.calls++;
            }
            if (event.kind === 'call') {
                const stack = this.waiting.get(event.from) ?? [];
                stack.push({ interface: event.interface, method: event.method, label, places });
                this.waiting.set(event.from, stack);
            }
            return;
        }
        if (event.kind !== 'reply') return;
        // The reply is to the caller's innermost call of that method; calls above it never got theirs
        // (a server that faulted and was restarted), so they are dropped.
        const stack = this.waiting.get(event.to) ?? [];
        let exchange: Exchange | undefined;
        while ((exchange = stack.pop()) !== undefined && !(exchange.interface === event.interface && exchange.method === event.method));
        if (!exchange) return;
        const outcome = event.error !== undefined ? `error ${event.error}` : formatOutcome(event.results);
        for (const key of exchange.places) (this.places.get(key) as PlaceHint).text = `${exchange.label} = ${outcome}`;
    }

    /** Every line's hint, in the order the lines were first reached. */
    hints(): LineHint[] {
        return [...this.places.values()].map(place => {
            const text = place.calls > 1 ? `${place.text}  (${place.calls} calls)` : place.text;
            return { file: place.file, line: place.line, text: text.length > HINT_MAX_LENGTH ? `${text.slice(0, HINT_MAX_LENGTH - 1)}…` : text };
        });
    }

    /** The key of the line `location` names (made known on first use), or undefined when there is none. */
    private place(location: string | undefined): string | undefined {
        const parsed = location === undefined ? undefined : parseLocation(location);
        if (!parsed) return undefined;
        const key = `${parsed.file}:${parsed.line}`;
        if (!this.places.has(key)) this.places.set(key, { file: parsed.file, line: parsed.line, text: '', calls: 0 });
        return key;
    }
}
