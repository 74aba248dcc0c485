/**
 * The commands in a real VS Code: Compile System writes the image directory and puts errors in the
 * Problems panel; Show Message Layout shows the table `ukc layout` prints, for any profile; Run System
 * (called as the language server's code lens calls it) runs the calculator to the end; Open Trace opens
 * a trace `ukc run` wrote in the Trace view; Debug System stops at a breakpoint in a server's handler.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { test, waitFor } from './harness.js';

function workspaceFile(relative: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the driver opens the examples as the workspace folder');
    return vscode.Uri.joinPath(folder.uri, relative);
}

async function openEditor(relative: string): Promise<vscode.TextEditor> {
    return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(workspaceFile(relative)), { preview: false, viewColumn: vscode.ViewColumn.One });
}

function cursorAt(editor: vscode.TextEditor, text: string): void {
    const offset = editor.document.getText().indexOf(text);
    assert.ok(offset >= 0, `'${text}' is in ${editor.document.uri.path}`);
    const position = editor.document.positionAt(offset);
    editor.selection = new vscode.Selection(position, position);
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

test('every command is registered', async () => {
    const registered = await vscode.commands.getCommands(true);
    for (const id of ['ukc.runSystem', 'ukc.traceSystem', 'ukc.debugSystem', 'ukc.compileSystem', 'ukc.stopSystem', 'ukc.showLayout', 'ukc.openTrace']) {
        assert.ok(registered.includes(id), `${id} is registered`);
    }
});

test('Compile System writes the image directory', async () => {
    const source = workspaceFile('calculator/calculator.uk');
    const folder = await vscode.commands.executeCommand<vscode.Uri>('ukc.compileSystem', source);
    assert.equal(folder?.toString(), workspaceFile('calculator/Demo.image').toString());
    const manifest = JSON.parse(text(await vscode.workspace.fs.readFile(workspaceFile('calculator/Demo.image/manifest.json')))) as { components: { name: string; image: string }[] };
    assert.deepEqual(manifest.components.map(component => component.name), ['calc', 'client']);
    for (const component of manifest.components) {
        const elf = await vscode.workspace.fs.readFile(workspaceFile(`calculator/Demo.image/${component.image}`));
        assert.deepEqual([...elf.slice(0, 4)], [0x7f, 0x45, 0x4c, 0x46], `${component.image} is an ELF file`);
    }
    const debug = JSON.parse(text(await vscode.workspace.fs.readFile(workspaceFile('calculator/Demo.image/debug.json')))) as { system: string };
    assert.equal(debug.system, 'Demo');
});

test('Compile System puts errors in the Problems panel', async () => {
    const editor = await openEditor('calculator/calculator.uk');
    const original = editor.document.getText();
    const at = editor.document.getText().indexOf('reply a + b');
    const range = new vscode.Range(editor.document.positionAt(at), editor.document.positionAt(at + 'reply a + b'.length));
    assert.ok(await editor.edit(edit => edit.replace(range, 'reply a + nowhere')));
    try {
        const folder = await vscode.commands.executeCommand<vscode.Uri | undefined>('ukc.compileSystem', editor.document.uri);
        assert.equal(folder, undefined);
        const ours = vscode.languages.getDiagnostics(editor.document.uri).filter(diagnostic => diagnostic.source === 'ukc');
        assert.deepEqual(ours.map(diagnostic => [diagnostic.range.start.line + 1, diagnostic.range.start.character + 1, diagnostic.message]), [[24, 19, "Unknown name 'nowhere'."]]);
    } finally {
        const all = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
        assert.ok(await editor.edit(edit => edit.replace(all, original)));
        await editor.document.save();
    }
    // Compiling again clears them.
    await vscode.commands.executeCommand('ukc.compileSystem', editor.document.uri);
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri).filter(diagnostic => diagnostic.source === 'ukc'), []);
});

test('Show Message Layout shows the method at the cursor as ukc layout does, for any profile', async () => {
    const editor = await openEditor('calculator/calculator.uk');
    cursorAt(editor, 'div(a: i32');
    const shown = await vscode.commands.executeCommand<vscode.TextEditor>('ukc.showLayout');
    assert.equal(shown.document.uri.scheme, 'ukc-layout');
    assert.equal(shown.document.getText(), [
        'interface calc.Calculator on ukvm32 (32-bit words, 4 fast registers a2 a3 a4 a5)',
        '',
        'div  ordinal 2',
        '  request  label 2, 2 words in registers, fastpath',
        '    MR0     a2      0..31   a: i32',
        '    MR1     a3      0..31   b: i32',
        '  reply    label 0, 2 words in registers, fastpath',
        '    MR0     a2      0..31   quotient: i32',
        '    MR1     a3      0..31   remainder: i32',
        '  errors   label CalcError.DivideByZero=1, CalcError.Overflow=2, no payload',
        ''
    ].join('\n'));
    // From a call in the client, on another profile.
    await openEditor('calculator/calculator.uk');
    cursorAt(editor, 'square(i)');
    const other = await vscode.commands.executeCommand<vscode.TextEditor>('ukc.showLayout', 'sel4-x86_64');
    assert.match(other.document.getText(), /^interface calc\.Calculator on sel4-x86_64 \(64-bit words, 4 fast registers r10 r8 r9 r15\)\n\nsquare  ordinal 3\n/);
});

test('Run System runs the system the code lens names to its end', async () => {
    const source = workspaceFile('calculator/calculator.uk');
    const outcome = await vscode.commands.executeCommand<{ kind: string; cycle: number }>('ukc.runSystem', source.toString(), 'Demo');
    assert.equal(outcome.kind, 'finished');
    assert.ok(outcome.cycle > 0);
    await waitFor('the run terminal', () => vscode.window.terminals.find(terminal => terminal.name === 'uk: Demo'));
});

test('Open Trace shows a trace ukc run wrote', async () => {
    await vscode.commands.executeCommand('ukc.openTrace', workspaceFile('calculator/calculator.trace.jsonl'));
    await waitFor('the Trace view', () => vscode.window.tabGroups.all.flatMap(group => group.tabs)
        .find(tab => tab.input instanceof vscode.TabInputWebview && tab.label === 'uk Trace: calculator/calculator.trace.jsonl'));
});

test('the code lens over a system runs it', async () => {
    const editor = await openEditor('calculator/calculator.uk');
    const lenses = await waitFor('code lenses from the language server', async () => {
        const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
        return found.length > 0 && found;
    });
    const run = lenses.find(lens => lens.command?.command === 'ukc.runSystem');
    assert.ok(run?.command, 'a Run lens');
    assert.deepEqual(run.command.arguments, [editor.document.uri.toString(), 'Demo']);
    const outcome = await vscode.commands.executeCommand<{ kind: string }>(run.command.command, ...(run.command.arguments ?? []));
    assert.equal(outcome.kind, 'finished');
});

test('Debug System stops at a breakpoint in the server\'s handler, shows its arguments, and runs to the end', async () => {
    const source = workspaceFile('calculator/calculator.uk');
    // `if b == 0` in Calc's div handler, reached by the client's first div call.
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(27, 8)));
    vscode.debug.addBreakpoints([breakpoint]);
    const ended = new Promise<void>(resolve => {
        const listener = vscode.debug.onDidTerminateDebugSession(() => { listener.dispose(); resolve(); });
    });
    try {
        assert.equal(await vscode.commands.executeCommand('ukc.debugSystem', source.toString(), 'Demo'), true);
        const session = await waitFor('a debug session starts', () => vscode.debug.activeDebugSession);
        const frame = await waitFor('the session stops at the breakpoint', () => {
            const item = vscode.debug.activeStackItem;
            return item instanceof vscode.DebugStackFrame ? item : undefined;
        });
        const stack = await session.customRequest('stackTrace', { threadId: frame.threadId }) as { stackFrames: { name: string; line: number }[] };
        assert.equal(stack.stackFrames[0]?.line, 28);
        const scopes = await session.customRequest('scopes', { frameId: frame.frameId }) as { scopes: { name: string; variablesReference: number }[] };
        const argumentsScope = scopes.scopes.find(scope => scope.name === 'Arguments');
        assert.ok(argumentsScope, 'an Arguments scope');
        const values = await session.customRequest('variables', { variablesReference: argumentsScope.variablesReference }) as { variables: { name: string; value: string }[] };
        assert.deepEqual(values.variables.map(variable => `${variable.name}=${variable.value}`), ['a=17', 'b=5']);
        vscode.debug.removeBreakpoints([breakpoint]);
        await session.customRequest('continue', { threadId: frame.threadId });
        await ended;
    } finally {
        vscode.debug.removeBreakpoints([breakpoint]);
    }
});
