/**
 * Language support in a real VS Code: the installed extension activates on a `.uk` file and its bundled
 * language server answers with diagnostics and layout hovers.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { screenshot, test, waitFor } from './harness.js';

const EXTENSION_ID = 'ukc.ukc';

function workspaceFile(relative: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the driver opens the examples as the workspace folder');
    return vscode.Uri.joinPath(folder.uri, relative);
}

async function openEditor(relative: string): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(workspaceFile(relative));
    return vscode.window.showTextDocument(document, { preview: false });
}

function rangeOf(document: vscode.TextDocument, text: string, occurrence = 0): vscode.Range {
    let offset = -1;
    for (let index = 0; index <= occurrence; index++) offset = document.getText().indexOf(text, offset + 1);
    assert.ok(offset >= 0, `'${text}' occurs ${occurrence + 1} times in ${document.uri.path}`);
    return new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
}

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    return hovers.flatMap(hover => hover.contents).map(content => typeof content === 'string' ? content : content.value).join('\n');
}

test('the extension activates on a .uk file', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const editor = await openEditor('calculator/calculator.uk');
    assert.equal(editor.document.languageId, 'uk');
    await waitFor('the extension to activate', () => extension.isActive);
    // The server has the file once it answers about it; a clean example then has no diagnostics.
    const at = rangeOf(editor.document, 'add(a: i32').start;
    await waitFor('a hover from the language server', async () => (await hoverText(editor.document.uri, at)).length > 0, 60_000);
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri), []);
});

test('diagnostics appear after a breaking edit and disappear after the fix', async () => {
    const editor = await openEditor('calculator/calculator.uk');
    const uri = editor.document.uri;
    const original = rangeOf(editor.document, 'reply a + b');
    assert.ok(await editor.edit(edit => edit.replace(original, 'reply a + missingName')));
    const diagnostics = await waitFor('a diagnostic for the unknown name', () => {
        const found = vscode.languages.getDiagnostics(uri);
        return found.length > 0 && found;
    });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].message, "Unknown name 'missingName'.");
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual([diagnostics[0].range.start.line, diagnostics[0].range.start.character], [23, 18]);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('diagnostics after the breaking edit');

    const broken = rangeOf(editor.document, 'reply a + missingName');
    assert.ok(await editor.edit(edit => edit.replace(broken, 'reply a + b')));
    await waitFor('the diagnostic to go away', () => vscode.languages.getDiagnostics(uri).length === 0);
    await editor.document.save();
});

test('hovering a method shows its layout table', async () => {
    const editor = await openEditor('calculator/calculator.uk');
    const at = rangeOf(editor.document, 'div(a: i32').start;
    const text = await hoverText(editor.document.uri, at);
    // The rows `ukc layout examples/calculator/calculator.uk --method Calculator.div` prints.
    assert.match(text, /\*\*Calculator\.div\*\* on ukvm32/);
    for (const row of [
        'request  label 2, 2 words in registers, fastpath',
        'MR0     a2      0..31   a: i32',
        'MR1     a3      0..31   b: i32',
        'MR1     a3      0..31   remainder: i32',
        'errors   label CalcError.DivideByZero=1, CalcError.Overflow=2, no payload'
    ]) assert.ok(text.includes(row), `the hover has the row '${row}':\n${text}`);
    // Shown in the window too, for the screenshot.
    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.showHover');
});
