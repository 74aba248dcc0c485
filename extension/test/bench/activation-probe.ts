/**
 * The extension benchmark's probe (scripts/vscode-e2e/bench-extension.mjs), run inside the real extension
 * host as a tests module: it opens a `.uk` file, which activates the extension (`onLanguage:uk`), and reads
 * VS Code's own activation times for it from Developer: Startup Performance (the `perf:` document's
 * "Extension Activation Stats" table: loading the code, the `activate` call, and the promise it returned
 * settling) and how long after opening the file the language server first gave its code lenses, then
 * writes them to the file UKC_BENCH_REPORT names.
 */
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { waitFor } from '../e2e/harness.js';

const EXTENSION_ID = 'ukc.ukc';

export interface ActivationTimes {
    readonly event: string;
    readonly loadCodeMs: number;
    readonly callActivateMs: number;
    readonly finishActivateMs: number;
}

export interface ProbeReport extends ActivationTimes {
    /** From opening calculator.uk until the language server's code lenses for it. */
    readonly codeLensMs: number;
}

/** The extension's row of the "Extension Activation Stats" table, or undefined while it is not there. */
export function activationRow(performanceText: string, extensionId: string): ActivationTimes | undefined {
    const table = performanceText.split('## Extension Activation Stats')[1];
    // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
    const row = table?.split('\n').map(line => line.split('|').map(cell => cell.trim()).slice(1, -1)).find(cells => cells[0] === extensionId);
    if (!row) return undefined;
    const [, , loadCode, callActivate, finishActivate, event] = row;
    return { event, loadCodeMs: Number(loadCode), callActivateMs: Number(callActivate), finishActivateMs: Number(finishActivate) };
}

export async function run(): Promise<void> {
    const report = process.env.UKC_BENCH_REPORT;
    if (!report) throw new Error('UKC_BENCH_REPORT names no file');
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('no workspace folder');
    const opened = performance.now();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'calculator/calculator.uk'));
    await vscode.window.showTextDocument(document);
    // When the language server (which activation does not wait for) first answers for the file: its code
    // lenses, asked for every 100 ms from now on. Also, the window closes when this returns: it should not
    // stop the server in the middle of starting.
    const codeLens = waitFor('the language server\'s code lenses', async () =>
        (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri)).length > 0 && performance.now(), 60_000);
    await waitFor('the extension to activate', () => vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 60_000);
    // Developer: Startup Performance registers the `perf:` document's provider on its first use; the document
    // fills in once the workbench reaches its last start-up phase.
    await vscode.commands.executeCommand('perfview.show');
    const startup = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'perf', path: 'Startup Performance' }));
    const times = await waitFor('the activation times in Startup Performance', () => activationRow(startup.getText(), EXTENSION_ID), 60_000);
    const codeLensMs = Math.round(await codeLens - opened);
    const probed: ProbeReport = { ...times, codeLensMs };
    writeFileSync(report, JSON.stringify(probed) + '\n');
}
