/**
 * Open Trace: a trace `ukc run` wrote (`--trace-jsonl` or `--trace-chrome`) in the Trace view. Source
 * positions in it are looked for beside the trace file first, then in the workspace.
 */
import * as vscode from 'vscode';
import { ChromeTraceBuilder } from '../../../runtime/trace/index.js';
import { readTraceFile } from '../trace-model/trace-file.js';
import type { TracePanel } from '../trace-view/trace-panel.js';
import { folderOf, openLocation } from './source-files.js';
import { exportChrome } from './system-runner.js';

export async function openTraceCommand(showTracePanel: () => TracePanel, file: vscode.Uri | undefined): Promise<TracePanel | undefined> {
    const chosen = file ?? (await vscode.window.showOpenDialog({
        canSelectMany: false, openLabel: 'Open Trace', filters: { 'ukc traces': ['jsonl', 'json'], 'All files': ['*'] }
    }))?.[0];
    if (!chosen) return undefined;
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(chosen));
    const trace = readTraceFile(text);
    const shown = vscode.workspace.asRelativePath(chosen, false);
    if ('error' in trace) {
        void vscode.window.showErrorMessage(`ukc: ${shown}: ${trace.error}`);
        return undefined;
    }
    const panel = showTracePanel();
    panel.reset(`uk Trace: ${shown}`, {
        openLocation: async location => { await openLocation(location, [folderOf(chosen)]); },
        exportChrome: async () => {
            if (trace.format === 'chrome') {
                void vscode.window.showInformationMessage(`ukc: ${shown} is a Chrome trace already`);
                return;
            }
            const chrome = new ChromeTraceBuilder();
            for (const event of trace.events) chrome.add(event);
            await exportChrome(chrome, `${shown.replace(/^.*\//, '').replace(/\.jsonl$/, '')}.trace.json`, folderOf(chosen));
        }
    });
    panel.add(trace.rows);
    panel.showOutcome([{ text: `${trace.rows.length} events from ${shown}` }], true);
    return panel;
}
