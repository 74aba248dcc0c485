/**
 * The Trace view's panel in the extension host: one webview (dist/trace-view.js, inlined, draws it), fed with rows
 * in batches while a system runs or all at once from a trace file, and answering the view's requests
 * (open a source line, export a Chrome trace).
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TraceRow } from '../trace-model/trace-row.js';
import { pageHtml } from './page-html.js';
import { ROWS_PER_MESSAGE, type FromView, type SourceLink, type ToView } from './protocol.js';

/** Rows are sent to the webview at most this often while a system runs. */
const BATCH_MS = 100;


export interface TracePanelHost {
    /** Opens `file:line:column` as the compiler recorded it (a file name, no folder). */
    openLocation(location: string): Promise<void>;
    /** Writes the trace as a Chrome trace, to a file the user chooses. */
    exportChrome(): Promise<void>;
}

export class TracePanel implements vscode.Disposable {
    private static current: TracePanel | undefined;
    private readonly panel: vscode.WebviewPanel;
    private readonly pending: TraceRow[] = [];
    private readonly queue: ToView[] = [];
    private ready = false;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private host: TracePanelHost | undefined;

    /** The open Trace view (revealed), or a new one. */
    static show(extensionUri: vscode.Uri): TracePanel {
        if (TracePanel.current) {
            TracePanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
            return TracePanel.current;
        }
        TracePanel.current = new TracePanel(extensionUri);
        return TracePanel.current;
    }

    private constructor(extensionUri: vscode.Uri) {
        this.panel = vscode.window.createWebviewPanel('ukc.trace', 'uk Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
            enableScripts: true,
            retainContextWhenHidden: true,
            // The page's script is inline (page-html.ts): it loads nothing else.
            localResourceRoots: []
        });
        const script = readFileSync(vscode.Uri.joinPath(extensionUri, 'dist', 'trace-view.js').fsPath, 'utf8');
        this.panel.webview.html = pageHtml(this.panel.webview.cspSource, script);
        this.panel.webview.onDidReceiveMessage((message: FromView) => this.receive(message));
        this.panel.onDidDispose(() => {
            if (TracePanel.current === this) TracePanel.current = undefined;
            if (this.timer) clearTimeout(this.timer);
        });
    }

    /** Whether the view's page is there: what it is sent from now on shows at once. */
    get showing(): boolean {
        return this.ready;
    }

    /** Starts a new trace: `host` answers the view's requests for it. */
    reset(title: string, host: TracePanelHost): void {
        this.host = host;
        this.pending.length = 0;
        this.panel.title = title;
        this.post({ type: 'reset', title });
    }

    /** Adds rows; they reach the view in the next batch. */
    add(rows: readonly TraceRow[]): void {
        for (const row of rows) this.pending.push(row);
        this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
    }

    /** Sends every row still waiting for its batch. */
    flush(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        while (this.pending.length > 0) this.post({ type: 'rows', rows: this.pending.splice(0, ROWS_PER_MESSAGE) });
    }

    showOutcome(lines: readonly SourceLink[], ok: boolean): void {
        this.flush();
        this.post({ type: 'outcome', lines, ok });
    }

    dispose(): void {
        this.panel.dispose();
    }

    private post(message: ToView): void {
        if (this.ready) void this.panel.webview.postMessage(message);
        else this.queue.push(message);
    }

    private receive(message: FromView): void {
        switch (message.type) {
            case 'ready':
                this.ready = true;
                for (const queued of this.queue.splice(0)) void this.panel.webview.postMessage(queued);
                return;
            case 'open':
                void this.host?.openLocation(message.location);
                return;
            case 'export':
                void this.host?.exportChrome();
                return;
        }
    }
}
