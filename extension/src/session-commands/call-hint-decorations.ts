/**
 * Draws a traced run's call hints (trace-model/call-hints.ts) at the end of their lines in every visible
 * editor of the file they name, as faded text after the code (like a debugger's inline values). They stay
 * until the next run, or until the file is edited (its lines may have moved).
 */
import * as vscode from 'vscode';
import { isHintedFile, type LineHint } from '../trace-model/call-hints.js';

export class CallHintDecorations implements vscode.Disposable {
    private readonly type = vscode.window.createTextEditorDecorationType({
        after: { margin: '0 0 0 3ch', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed
    });
    private hints: readonly LineHint[] = [];
    private disposed = false;
    private readonly listeners: vscode.Disposable[];

    constructor() {
        this.listeners = [
            vscode.window.onDidChangeVisibleTextEditors(editors => { for (const editor of editors) this.draw(editor); }),
            vscode.workspace.onDidChangeTextDocument(change => {
                if (change.contentChanges.length === 0 || !this.hints.some(hint => isHintedFile(change.document.uri.path, hint.file))) return;
                this.show(this.hints.filter(hint => !isHintedFile(change.document.uri.path, hint.file)));
            })
        ];
    }

    /** Replaces the hints shown (an empty list clears them). */
    show(hints: readonly LineHint[]): void {
        // A run stopped by the extension's disposal ends (and draws its last hints) after it.
        if (this.disposed) return;
        this.hints = hints;
        for (const editor of vscode.window.visibleTextEditors) this.draw(editor);
    }

    dispose(): void {
        this.disposed = true;
        this.type.dispose();
        for (const listener of this.listeners) listener.dispose();
    }

    private draw(editor: vscode.TextEditor): void {
        const document = editor.document;
        const options = this.hints.filter(hint => hint.line <= document.lineCount && isHintedFile(document.uri.path, hint.file)).map(hint => {
            const end = document.lineAt(hint.line - 1).range.end;
            return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: hint.text } } };
        });
        editor.setDecorations(this.type, options);
    }
}
