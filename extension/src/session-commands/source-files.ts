/**
 * Turning what the compiler records back into editor places: a diagnostic's URI and range, and a
 * `file:line:column` position, which names a file without its folder (images hold no paths).
 */
import * as path from 'node:path';
import { URI } from 'langium';
import * as vscode from 'vscode';
import type { SourceDiagnostic, SourceInput } from '../../../src/session/index.js';
import { parseLocation } from '../command-arguments.js';

/** The session's input for an editor URI, named in messages by its path relative to the workspace. */
export function inputOf(uri: vscode.Uri): SourceInput {
    return { uri: URI.parse(uri.toString()), shownAs: vscode.workspace.asRelativePath(uri, false) };
}

const SEVERITY: Record<SourceDiagnostic['severity'], vscode.DiagnosticSeverity> = {
    error: vscode.DiagnosticSeverity.Error,
    warning: vscode.DiagnosticSeverity.Warning,
    info: vscode.DiagnosticSeverity.Information,
    hint: vscode.DiagnosticSeverity.Hint
};

/** Puts the diagnostics into `collection`, file by file (replacing what it held). */
export function showDiagnostics(collection: vscode.DiagnosticCollection, diagnostics: readonly SourceDiagnostic[]): void {
    collection.clear();
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const diagnostic of diagnostics) {
        const { start, end } = diagnostic.range;
        const shown = new vscode.Diagnostic(new vscode.Range(start.line, start.character, end.line, end.character), diagnostic.message, SEVERITY[diagnostic.severity]);
        shown.source = 'ukc';
        if (diagnostic.code !== undefined) shown.code = diagnostic.code;
        byFile.set(diagnostic.uri, [...(byFile.get(diagnostic.uri) ?? []), shown]);
    }
    for (const [uri, list] of byFile) collection.set(vscode.Uri.parse(uri), list);
}

/**
 * Opens `file:line:column`: the file is looked for first in `folders` (the compiled file's own folder),
 * then anywhere in the workspace.
 */
export async function openLocation(location: string, folders: readonly vscode.Uri[]): Promise<vscode.TextEditor | undefined> {
    const parsed = parseLocation(location);
    if (!parsed) {
        void vscode.window.showErrorMessage(`ukc: '${location}' is not a source position (file:line:column)`);
        return undefined;
    }
    let target: vscode.Uri | undefined;
    for (const folder of folders) {
        const candidate = vscode.Uri.joinPath(folder, parsed.file);
        try {
            await vscode.workspace.fs.stat(candidate);
            target = candidate;
            break;
        } catch {
            // Not in this folder: try the next, then the workspace.
        }
    }
    target ??= (await vscode.workspace.findFiles(`**/${path.basename(parsed.file)}`, '**/node_modules/**', 1))[0];
    if (!target) {
        void vscode.window.showErrorMessage(`ukc: cannot find ${parsed.file} in the workspace`);
        return undefined;
    }
    const position = new vscode.Position(parsed.line - 1, parsed.column - 1);
    return vscode.window.showTextDocument(target, { selection: new vscode.Range(position, position), preview: true, viewColumn: vscode.ViewColumn.One });
}

/** The folder of a file URI. */
export function folderOf(uri: vscode.Uri): vscode.Uri {
    return vscode.Uri.joinPath(uri, '..');
}
