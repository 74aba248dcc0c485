/**
 * The ukc extension's entry point. It only orchestrates: the language server answers questions about
 * the code; the commands hand files to the session library (compile, layouts, runs) and render what it
 * computes. The entry itself only registers the commands: the language client
 * (vscode-languageclient) and the commands' implementation are bundles of their own, the client loaded just
 * after activation and the commands once its server is up (or when one is used, if that is sooner).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { systemTarget } from './command-arguments.js';
import type * as LanguageClientModule from './language-client.js';
import type * as SessionCommandsModule from './session-commands/index.js';

let client: LanguageClient | undefined;
let deactivated = false;
let sessionCommands: SessionCommandsModule.SessionCommands | undefined;

export function activate(context: vscode.ExtensionContext): void {
    const commands = (): SessionCommandsModule.SessionCommands => {
        if (!sessionCommands) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded on first use
            const module = require(path.join(__dirname, 'session-commands.cjs')) as typeof SessionCommandsModule;
            sessionCommands = module.createSessionCommands(context.extensionUri);
        }
        return sessionCommands;
    };
    const systemCommand = (id: string, action: (uri: vscode.Uri, system: string | undefined) => Promise<unknown>) =>
        vscode.commands.registerCommand(id, async (...args: unknown[]) => {
            const target = systemTarget(args);
            if ('error' in target) {
                void vscode.window.showErrorMessage(`ukc: ${id}: ${target.error}`);
                return undefined;
            }
            const uri = target.uri !== undefined ? vscode.Uri.parse(target.uri) : activeUkFile();
            if (!uri) {
                void vscode.window.showErrorMessage('ukc: open a .uk file with a system first');
                return undefined;
            }
            return action(uri, target.system);
        });
    context.subscriptions.push(
        systemCommand('ukc.runSystem', (uri, system) => commands().runSystem(uri, system, false)),
        // The runner opens the Trace view: after the run's first call hints are drawn (session-commands/run-surfaces.ts).
        systemCommand('ukc.traceSystem', (uri, system) => commands().runSystem(uri, system, true)),
        systemCommand('ukc.debugSystem', async (uri, system) => vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), {
            type: 'ukc', request: 'launch', name: `Debug ${system ?? uri.path.slice(uri.path.lastIndexOf('/') + 1)}`, program: uri.fsPath, system
        })),
        // The debug adapter (src/debug) runs inline: the same session library as Run, in this process.
        vscode.debug.registerDebugAdapterDescriptorFactory('ukc', { createDebugAdapterDescriptor: () => commands().debugAdapter() }),
        systemCommand('ukc.compileSystem', (uri, system) => commands().compileSystem(uri, system)),
        vscode.commands.registerCommand('ukc.stopSystem', () => sessionCommands?.stopSystem()),
        vscode.commands.registerCommand('ukc.showLayout', (profile?: unknown) => {
            const editor = vscode.window.activeTextEditor;
            if (!editor || editor.document.languageId !== 'uk') {
                void vscode.window.showErrorMessage('ukc: put the cursor on an interface or a method in a .uk file');
                return undefined;
            }
            return commands().showLayout(editor, typeof profile === 'string' ? profile : undefined);
        }),
        vscode.commands.registerCommand('ukc.openTrace', (file?: unknown) => commands().openTrace(file instanceof vscode.Uri ? file : undefined)),
        { dispose: () => sessionCommands?.dispose() }
    );
    // Activation waits neither for the language client's code nor for its server (bench:extension): loading
    // vscode-languageclient was most of the time VS Code counted as activation, and the server's
    // `initialize` round trip took seconds on a loaded machine. Both happen right after `activate` returns,
    // on the extension host's next turn; the client queues requests until the server is up and itself
    // reports a server that fails to start (output channel, notification).
    setImmediate(() => {
        if (deactivated) return;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded after activation
        const module = require(path.join(__dirname, 'language-client.cjs')) as typeof LanguageClientModule;
        client = module.createLanguageClient(context);
        // Once the server is up, the commands' bundle (compiler, machine, kernel: 1.1 MB) loads in the
        // background: loading it was a large part of the window's first Run (bench:extension). A bundle
        // that fails to load is reported by the command that needs it.
        client.start().catch(() => undefined).then(() => {
            if (deactivated) return;
            try {
                commands();
            } catch {
                // reported on use
            }
        });
    });
}

function activeUkFile(): vscode.Uri | undefined {
    const document = vscode.window.activeTextEditor?.document;
    return document?.languageId === 'uk' ? document.uri : undefined;
}

export async function deactivate(): Promise<void> {
    deactivated = true;
    await sessionCommands?.stopSystem();
    await client?.stop();
    client = undefined;
}
