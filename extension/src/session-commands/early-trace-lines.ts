/**
 * A traced run's first events in its terminal while the Trace view's page loads. In a fresh window VS Code
 * takes seconds to start its first webview (bench:extension), far longer than compiling and running the
 * system; meanwhile the terminal, which needs no webview, shows the run's events as `ukc run --trace` writes
 * them. The Trace view gets every event all the same and shows them once it is there. At most `limit`
 * lines: a system can make millions of events before the page is ready.
 */
import { formatTraceLine, type OutputBuffer, type TypedEvent } from '../../../runtime/trace/index.js';

/** Lines the terminal shows at most while the Trace view loads. */
export const EARLY_LINES_LIMIT = 100;

export class EarlyTraceLines {
    private written = 0;
    private ended = false;

    /** @param viewShowing whether the Trace view's page is there (from then on it alone shows the trace) */
    constructor(private readonly out: OutputBuffer, private readonly viewShowing: () => boolean, private readonly limit = EARLY_LINES_LIMIT) {}

    /** An event of the run, in order: a line in the terminal while the Trace view is not there yet. */
    add(event: TypedEvent): void {
        if (this.ended) return;
        if (this.viewShowing()) {
            this.ended = true;
            if (this.written > 0) this.line('ukc: the Trace view is open: the trace goes on there');
            return;
        }
        if (this.written === this.limit) {
            this.ended = true;
            this.line(`ukc: the Trace view is still loading: it will show every event; the terminal shows the first ${this.limit}`);
            return;
        }
        this.written++;
        this.line(formatTraceLine(event));
    }

    /** A line of its own, even when the program's output has not ended its line (as `ukc run --trace`). */
    private line(text: string): void {
        this.out.text(this.out.midLine ? `\n${text}\n` : `${text}\n`);
    }
}
