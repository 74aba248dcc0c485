/** The HTML and styles of the Trace view's webview (view.ts draws into it). */
/**
 * The trace view's page: `cspSource` is the webview's source for styles, `script` the text of
 * dist/trace-view.js, inlined: a script the webview fetches goes through its service worker and the
 * workbench, which in a fresh window took longer than everything else the page needs (bench:extension).
 * Apart from the panel, so that the benchmark can load the same page in a browser.
 */
export function pageHtml(cspSource: string, script: string): string {
    const nonce = Array.from({ length: 32 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(Math.random() * 62)]).join('');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
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
<script nonce="${nonce}">${script.replace(/<\/script/gi, '<\\/script')}</script>
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
