/**
 * The Trace view's panel in the extension host: one webview (dist/trace-view.js draws it), fed with rows
 * in batches while a system runs or all at once from a trace file, and answering the view's requests
 * (open a source line, export a Chrome trace).
 */
import * as vscode from 'vscode';
import type { TraceRow } from '../trace-model/trace-row.js';
import type { FromView, SourceLink, ToView } from './protocol.js';

/** Rows are sent to the webview at most this often while a system runs. */
const BATCH_MS = 100;

export interface TracePanelHost {
    /** Opens `file:line:column` as the compiler recorded it (a file name, no folder). */
    openLocation(location: string): Promise<void>;
    /** Writes the current trace as a Chrome trace; undefined when there is nothing to export. */
    exportChrome(): Promise<void>;
}

export class TracePanel implements vscode.Disposable {
    private static current: TracePanel | undefined;
    private readonly panel: vscode.WebviewPanel;
    private readonly pending: TraceRow[] = [];
    private readonly queue: ToView[] = [];
    private ready = false;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private readonly selectedListeners: ((index: number, label: string) => void)[] = [];
    private host: TracePanelHost | undefined;

    /** The open Trace view, or a new one. */
    static show(extensionUri: vscode.Uri): TracePanel {
        if (TracePanel.current) {
            TracePanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
            return TracePanel.current;
        }
        TracePanel.current = new TracePanel(extensionUri);
        return TracePanel.current;
    }

    static get open(): TracePanel | undefined {
        return TracePanel.current;
    }

    private constructor(extensionUri: vscode.Uri) {
        this.panel = vscode.window.createWebviewPanel('ukc.trace', 'uk Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
            enableScripts: true,
            retainContextWhenHidden: true,
            localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')]
        });
        const script = this.panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'trace-view.js'));
        this.panel.webview.html = pageHtml(this.panel.webview.cspSource, script.toString());
        this.panel.webview.onDidReceiveMessage((message: FromView) => this.receive(message));
        this.panel.onDidDispose(() => {
            if (TracePanel.current === this) TracePanel.current = undefined;
            if (this.timer) clearTimeout(this.timer);
        });
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
        if (this.pending.length === 0) return;
        this.post({ type: 'rows', rows: this.pending.splice(0) });
    }

    showOutcome(lines: readonly SourceLink[], ok: boolean): void {
        this.flush();
        this.post({ type: 'outcome', lines, ok });
    }

    /** Selects a row as a click would (the row's index in the whole trace). */
    select(index: number): void {
        this.flush();
        this.post({ type: 'select', index });
    }

    onDidSelect(listener: (index: number, label: string) => void): vscode.Disposable {
        this.selectedListeners.push(listener);
        return new vscode.Disposable(() => this.selectedListeners.splice(this.selectedListeners.indexOf(listener), 1));
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
            case 'selected':
                for (const listener of this.selectedListeners) listener(message.index, message.label);
                return;
            case 'export':
                void this.host?.exportChrome();
                return;
        }
    }
}

function pageHtml(cspSource: string, script: string): string {
    const nonce = Array.from({ length: 32 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)]).join('');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}' ${cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>uk Trace</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<div id="toolbar"><span id="title">uk Trace</span> <span id="count"></span>
<select id="filter-instance" title="Instance"></select><select id="filter-interface" title="Interface"></select>
<select id="filter-method" title="Method"></select><select id="filter-kind" title="Kind"></select>
<button id="export" title="Save the trace as a Chrome trace, for Perfetto">Export Chrome trace</button></div>
<div id="outcome"></div>
<div id="header"><div id="lanes"></div></div>
<div id="scroller"><div id="spacer"></div><div id="rows"></div></div>
<div id="details"></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}

const STYLE = `
body { margin: 0; padding: 0; font-family: var(--vscode-editor-font-family); font-size: 12px; color: var(--vscode-foreground);
  display: flex; flex-direction: column; height: 100vh; overflow: hidden; }
#toolbar { padding: 4px 8px; display: flex; gap: 6px; align-items: center; flex-wrap: wrap; border-bottom: 1px solid var(--vscode-panel-border); }
#title { font-weight: bold; }
#count { opacity: 0.8; margin-right: 8px; }
select, button { font-size: 12px; background: var(--vscode-dropdown-background); color: var(--vscode-dropdown-foreground); border: 1px solid var(--vscode-dropdown-border); }
#outcome { padding: 2px 8px; }
#outcome.failed { color: var(--vscode-errorForeground); }
#header { position: relative; height: 20px; overflow: hidden; border-bottom: 1px solid var(--vscode-panel-border); }
#lanes { position: absolute; top: 0; left: 0; height: 20px; }
.lane-head { position: absolute; top: 2px; text-align: center; font-weight: bold; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
#scroller { position: relative; flex: 1; overflow: auto; }
#spacer { position: absolute; top: 0; left: 0; }
#rows { position: absolute; top: 0; left: 0; }
.row { position: absolute; left: 0; height: 22px; line-height: 22px; cursor: pointer; white-space: nowrap; }
.row:hover { background: var(--vscode-list-hoverBackground); }
.row.selected { background: var(--vscode-list-activeSelectionBackground); color: var(--vscode-list-activeSelectionForeground); }
.stamp { position: absolute; left: 2px; width: 56px; text-align: right; opacity: 0.7; }
.guide { position: absolute; top: 0; bottom: 0; width: 1px; background: var(--vscode-panel-border); }
.arrow { position: absolute; top: 10px; height: 2px; background: var(--vscode-charts-blue); }
.arrow.right::after, .arrow.left::before { content: ''; position: absolute; top: -4px; border: 5px solid transparent; }
.arrow.right::after { right: -6px; border-left-color: var(--vscode-charts-blue); }
.arrow.left::before { left: -6px; border-right-color: var(--vscode-charts-blue); }
.kind-reply .arrow { background: var(--vscode-charts-green); }
.kind-reply .arrow.left::before { border-right-color: var(--vscode-charts-green); }
.kind-reply .arrow.right::after { border-left-color: var(--vscode-charts-green); }
.kind-reply.error .arrow, .kind-fault .dot { background: var(--vscode-errorForeground); }
.kind-reply.error .arrow.left::before { border-right-color: var(--vscode-errorForeground); }
.kind-reply.error .arrow.right::after { border-left-color: var(--vscode-errorForeground); }
.kind-send .arrow { background: var(--vscode-charts-purple); }
.kind-signal .arrow, .kind-interrupt .dot { background: var(--vscode-charts-orange); }
.kind-restart .arrow { background: var(--vscode-charts-yellow); }
.dot { position: absolute; top: 6px; width: 10px !important; height: 10px; border-radius: 5px; margin-left: -5px; background: var(--vscode-charts-blue); }
.label { position: absolute; }
.error .label, .kind-fault .label { color: var(--vscode-errorForeground); }
.tag { margin-left: 6px; padding: 0 4px; border-radius: 3px; font-size: 10px; }
.tag.fast { background: var(--vscode-charts-green); color: var(--vscode-editor-background); }
.tag.slow { background: var(--vscode-charts-orange); color: var(--vscode-editor-background); }
#details { min-height: 60px; max-height: 30vh; overflow: auto; padding: 4px 8px; border-top: 1px solid var(--vscode-panel-border); }
.details-title { font-weight: bold; }
.source-link { color: var(--vscode-textLink-foreground); }
`;
