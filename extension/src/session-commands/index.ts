/**
 * The commands that use the session library (compile, layouts, runs, traces), bundled apart from the
 * extension's entry (dist/session-commands.cjs) and loaded on their first use, so that activating the
 * extension for a `.uk` file does not pay for loading the compiler and the machine.
 */
import '../../../src/polyfill.js';
import * as vscode from 'vscode';
import { compileSystemCommand } from './compile-command.js';
import { LAYOUT_SCHEME, LayoutDocuments, showLayoutCommand } from './layout-command.js';
import { openTraceCommand } from './open-trace-command.js';
import { SystemRunner } from './system-runner.js';
import { TracePanel } from '../trace-view/trace-panel.js';
import { createUkcDebugSession } from '../../../src/cli/debug-adapter-host.js';

export interface SessionCommands extends vscode.Disposable {
    /** Runs the system of `uri`; `traced`, its typed trace goes to the Trace view. */
    runSystem(uri: vscode.Uri, system: string | undefined, traced: boolean): Promise<unknown>;
    stopSystem(): Promise<void>;
    compileSystem(uri: vscode.Uri, system: string | undefined): Promise<unknown>;
    showLayout(editor: vscode.TextEditor, profile: string | undefined): Promise<unknown>;
    openTrace(file: vscode.Uri | undefined): Promise<unknown>;
    /** The debug adapter for a `ukc` debug session, run inside the extension host (no process of its own). */
    debugAdapter(): vscode.DebugAdapterDescriptor;
}

/** `extensionUri` is where the Trace view's script is (dist/trace-view.js). */
export function createSessionCommands(extensionUri: vscode.Uri): SessionCommands {
    const showTracePanel = () => TracePanel.show(extensionUri);
    const problems = vscode.languages.createDiagnosticCollection('ukc');
    const runner = new SystemRunner(problems, showTracePanel);
    const layouts = new LayoutDocuments();
    const provider = vscode.workspace.registerTextDocumentContentProvider(LAYOUT_SCHEME, layouts);
    return {
        runSystem: (uri, system, traced) => runner.start(uri, system, traced),
        stopSystem: () => runner.stop(),
        compileSystem: (uri, system) => compileSystemCommand(uri, system, problems),
        showLayout: (editor, profile) => showLayoutCommand(editor, profile, layouts, problems),
        openTrace: file => openTraceCommand(showTracePanel, file),
        debugAdapter: () => new vscode.DebugAdapterInlineImplementation(createUkcDebugSession()),
        dispose: () => {
            runner.dispose();
            provider.dispose();
            problems.dispose();
        }
    };
}
