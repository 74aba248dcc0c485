/**
 * Compile System: checks the file, compiles its system with the session library, and writes the image
 * directory (`<System>.image` beside the file), the same files `ukc compile` writes. Errors go to the
 * Problems panel.
 */
import * as vscode from 'vscode';
import { Session, imageFiles, type CompileResult } from '../../../src/session/index.js';
import { EditorFileSystem } from './editor-files.js';
import { folderOf, inputOf, showDiagnostics } from './source-files.js';

/** Checks and compiles; source and code generator errors are shown in `problems` (cleared on success). */
export async function compileSource(uri: vscode.Uri, system: string | undefined, problems: vscode.DiagnosticCollection): Promise<CompileResult> {
    const result = await new Session(new EditorFileSystem()).compile(inputOf(uri), system);
    showDiagnostics(problems, result.kind === 'compiled' ? [] : result.diagnostics);
    return result;
}

/** Says in a message why nothing was compiled, and offers the Problems panel. */
export function reportNotCompiled(result: Exclude<CompileResult, { kind: 'compiled' }>, uri: vscode.Uri): void {
    const count = result.diagnostics.length;
    const what = result.kind === 'source-errors'
        ? `${vscode.workspace.asRelativePath(uri, false)} has ${count} error${count === 1 ? '' : 's'}`
        : `system ${result.name} was not compiled: ${count} error${count === 1 ? '' : 's'}`;
    void vscode.window.showErrorMessage(`ukc: ${what}`, 'Show Problems').then(choice => {
        if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
}

export async function compileSystemCommand(uri: vscode.Uri, system: string | undefined, problems: vscode.DiagnosticCollection): Promise<vscode.Uri | undefined> {
    const result = await compileSource(uri, system, problems);
    if (result.kind !== 'compiled') {
        reportNotCompiled(result, uri);
        return undefined;
    }
    const folder = vscode.Uri.joinPath(folderOf(uri), `${result.name}.image`);
    await vscode.workspace.fs.createDirectory(folder);
    for (const [name, bytes] of imageFiles(result.name, result.compiled, false)) await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, name), bytes);
    const components = result.compiled.manifest.components.length;
    void vscode.window.showInformationMessage(`ukc: compiled system ${result.name}: ${components} components, ${result.compiled.images.length} images in ${vscode.workspace.asRelativePath(folder, false)}`);
    return folder;
}
