/**
 * Show Message Layout: the interface or method at the cursor, laid out for an ABI profile (the setting
 * `ukc.layout.abiProfile`, or one chosen when the command is given a profile name), shown as the table
 * `ukc layout` prints: which bits of which message register hold each field, and whether it takes the
 * fastpath. The text is the layout library's own formatting, so the editor and the command line agree.
 */
import * as vscode from 'vscode';
import { formatInterface } from '../../../src/layout/index.js';
import { Session, layoutProblemDiagnostics, resolveProfile, type InterfaceLayoutEntry } from '../../../src/session/index.js';
import { EditorFileSystem } from './editor-files.js';
import { inputOf, showDiagnostics } from './source-files.js';

export const LAYOUT_SCHEME = 'ukc-layout';

/** Read-only documents holding layout tables, by URI. */
export class LayoutDocuments implements vscode.TextDocumentContentProvider {
    private readonly texts = new Map<string, string>();
    private readonly changed = new vscode.EventEmitter<vscode.Uri>();
    readonly onDidChange = this.changed.event;

    provideTextDocumentContent(uri: vscode.Uri): string {
        return this.texts.get(uri.toString()) ?? '';
    }

    put(uri: vscode.Uri, text: string): void {
        this.texts.set(uri.toString(), text);
        this.changed.fire(uri);
    }
}

/** The interface and (when the cursor is on one) the method at `offset`. */
function atCursor(entries: readonly InterfaceLayoutEntry[], document: vscode.TextDocument, offset: number): { entry: InterfaceLayoutEntry; method?: string } | undefined {
    const contains = (node: { $cstNode?: { offset: number; end: number } }) => node.$cstNode !== undefined && node.$cstNode.offset <= offset && offset <= node.$cstNode.end;
    const local = document.uri.toString();
    for (const entry of entries) {
        if (entry.decl.$document?.uri.toString() !== local || !contains(entry.decl)) continue;
        return { entry, method: entry.decl.methods.find(contains)?.name };
    }
    // Elsewhere (a handler, a call, a `uses`): the word under the cursor names a method or an interface.
    const range = document.getWordRangeAtPosition(document.positionAt(offset));
    if (!range) return undefined;
    const word = document.getText(range);
    const line = document.lineAt(range.start.line).text;
    const qualifier = /([A-Za-z_]\w*)\.$/.exec(line.slice(0, range.start.character))?.[1];
    const byInterface = entries.find(entry => entry.decl.name === word);
    if (byInterface) return { entry: byInterface };
    const withMethod = entries.filter(entry => entry.layout.methods.some(method => method.name === word));
    const chosen = withMethod.find(entry => entry.decl.name === qualifier) ?? withMethod[0];
    return chosen ? { entry: chosen, method: word } : undefined;
}

export async function showLayoutCommand(editor: vscode.TextEditor, profileName: string | undefined, documents: LayoutDocuments,
    problems: vscode.DiagnosticCollection): Promise<vscode.TextEditor | undefined> {
    const name = profileName ?? vscode.workspace.getConfiguration('ukc').get<string>('layout.abiProfile');
    let profile;
    try {
        profile = resolveProfile(name);
    } catch (error) {
        void vscode.window.showErrorMessage(`ukc: ${(error as Error).message}`);
        return undefined;
    }
    const result = await new Session(new EditorFileSystem()).layouts(inputOf(editor.document.uri), profile, true);
    if (result.kind === 'source-errors') {
        showDiagnostics(problems, result.diagnostics);
        void vscode.window.showErrorMessage(`ukc: ${vscode.workspace.asRelativePath(editor.document.uri, false)} has errors; fix them to see its layouts`);
        return undefined;
    }
    const found = atCursor(result.layouts.layouts, editor.document, editor.document.offsetAt(editor.selection.active));
    if (!found) {
        void vscode.window.showInformationMessage('ukc: put the cursor on an interface or a method to see its message layout');
        return undefined;
    }
    const layoutProblems = layoutProblemDiagnostics({ profile, layouts: [found.entry] });
    showDiagnostics(problems, layoutProblems);
    const title = `${found.entry.decl.name}${found.method ? `.${found.method}` : ''} on ${profile.name}`;
    const uri = vscode.Uri.from({ scheme: LAYOUT_SCHEME, path: `/${title}.layout` });
    documents.put(uri, formatInterface(found.entry.layout, profile, found.method));
    const shown = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(shown, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}
