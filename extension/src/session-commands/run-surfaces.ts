/**
 * When a traced run opens its Trace view and its terminal. In a fresh window the workbench makes its first
 * webview and its first terminal slowly (seconds on a loaded machine, bench:extension) and draws little else
 * meanwhile: call hints handed to the editor at the moment the view and the terminal were being made were
 * drawn 1.4–2.1 s later. So the runner hands the first hints to the editor first and opens the view and
 * the terminal just after; what it sends them meanwhile is kept, in order (Later), and reaches them when
 * they are there. It opens them at once when there will be no hints to wait for (hints off, no Trace view,
 * the system's file not in view), and without hints once the run has ended or has made no call within
 * CALL_WAIT_MS of starting (a program that reads its input before it calls anyone needs its terminal).
 * Plain logic, no VS Code: the runner passes what opening does.
 */

/** How long a run may go without a call before its view and terminal open without waiting for hints. */
export const CALL_WAIT_MS = 200;

/** Why the view and the terminal were opened. */
export type OpenReason = 'no hints to wait for' | 'hints drawn' | 'no call yet' | 'run ended';

export class RunSurfaces {
    private reason: OpenReason | undefined;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private afterHints = false;

    /**
     * @param open opens the view and the terminal (called once)
     * @param waitForHints whether the first hints will be drawn in an editor in view, and so go first
     */
    constructor(private readonly open: () => void, waitForHints: boolean) {
        if (waitForHints) this.timer = setTimeout(() => this.openFor('no call yet'), CALL_WAIT_MS);
        else this.openFor('no hints to wait for');
    }

    /** Why they were opened, or undefined while they wait. */
    get openedFor(): OpenReason | undefined {
        return this.reason;
    }

    /**
     * Hints were handed to the editor: the view and the terminal open on the host's next turn, so that
     * the editor's message leaves for the workbench before theirs.
     */
    hintsDrawn(): void {
        if (this.reason !== undefined || this.afterHints) return;
        this.afterHints = true;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.openFor('hints drawn'), 0);
    }

    /** The run has ended (or stopped): what it wrote is shown now, or just after its hints if they were just drawn. */
    runEnded(): void {
        if (!this.afterHints) this.openFor('run ended');
    }

    private openFor(reason: OpenReason): void {
        if (this.reason !== undefined) return;
        this.reason = reason;
        clearTimeout(this.timer);
        this.open();
    }
}

/** Calls on something made later (the Trace view): kept in order until it is there, then made on it in that order, and at once from then on. */
export class Later<T> {
    private target: T | undefined;
    private readonly waiting: ((target: T) => void)[] = [];

    /** Whether it is there; `test` says something of it (false while it is not). */
    is(test: (target: T) => boolean): boolean {
        return this.target !== undefined && test(this.target);
    }

    call(action: (target: T) => void): void {
        if (this.target !== undefined) action(this.target);
        else this.waiting.push(action);
    }

    /** It is there: the calls kept are made on it, first to last. */
    arrived(target: T): void {
        this.target = target;
        for (const action of this.waiting.splice(0)) action(target);
    }
}
