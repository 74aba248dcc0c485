/**
 * Run System and Trace System: compile with the session library, boot on the bundled machine and kernel
 * inside the extension host, and run in slices, giving the editor a turn between them. Console output
 * goes to a pseudoterminal (what is typed there feeds the UART); the typed trace goes to the Trace view (and
 * its first events to the terminal while the view loads: EarlyTraceLines; and each call to its source lines:
 * CallHints); the view and the terminal open once the first hints are drawn (RunSurfaces);
 * a status bar item shows instances, messages and emulated cycles, and stops the run when clicked. The
 * run also stops when its terminal or its source file is closed. One system runs at a time.
 */
import * as vscode from 'vscode';
import { ChromeTraceBuilder, OutputBuffer } from '../../../runtime/trace/index.js';
import {
    BootError, SourceMap, TraceSinks, bootRunnable, outcomeReport, type RunOutcome, type SystemRun
} from '../../../src/session/index.js';
import { CallHints } from '../trace-model/call-hints.js';
import { rowOf } from '../trace-model/trace-row.js';
import type { SourceLink } from '../trace-view/protocol.js';
import type { TracePanel } from '../trace-view/trace-panel.js';
import { CallHintDecorations } from './call-hint-decorations.js';
import { compileSource, reportNotCompiled } from './compile-command.js';
import { EarlyTraceLines } from './early-trace-lines.js';
import { Later, RunSurfaces } from './run-surfaces.js';
import { folderOf, openLocation } from './source-files.js';

/** Emulated cycles per slice: small enough that Stop and typing are answered within a few milliseconds. */
const SLICE_CYCLES = 2_000_000;

/** Call hints are redrawn at most this often while a system runs (the first at once). */
const HINTS_MS = 100;

/** How a run ended, as `ukc run` reports it: lines, those about a place in the source with its position. */
export function outcomeLines(outcome: RunOutcome, name: string, maxCycles: number | undefined): { lines: readonly SourceLink[]; ok: boolean } {
    const report = outcomeReport(outcome, name, { cycleLimit: `ukc.run.maxCycles ${maxCycles ?? (outcome.kind === 'cycle-limit' ? outcome.maxCycles : '')}`, timeout: 'timeout' });
    return { lines: report.lines, ok: report.exitStatus === 0 };
}

/** A pseudoterminal for one run: writes arrive before the terminal opens are kept until it does. */
class RunTerminal implements vscode.Pseudoterminal {
    private readonly writer = new vscode.EventEmitter<string>();
    readonly onDidWrite = this.writer.event;
    private opened = false;
    private readonly early: string[] = [];
    private readonly decoder = new TextDecoder();

    constructor(private readonly onInput: (bytes: Uint8Array) => void, readonly onClose: () => void) {}

    open(): void {
        this.opened = true;
        for (const text of this.early.splice(0)) this.writer.fire(text);
    }

    close(): void {
        this.onClose();
    }

    handleInput(data: string): void {
        // The terminal sends Enter as a carriage return; programs read lines ending in a newline.
        this.onInput(new TextEncoder().encode(data.replace(/\r/g, '\n')));
    }

    bytes(bytes: Uint8Array): void {
        this.text(this.decoder.decode(bytes, { stream: true }));
    }

    text(text: string): void {
        const converted = text.replace(/\r?\n/g, '\r\n');
        if (this.opened) this.writer.fire(converted);
        else this.early.push(converted);
    }
}

interface ActiveRun {
    readonly run: SystemRun;
    readonly done: Promise<RunOutcome>;
}

export class SystemRunner implements vscode.Disposable {
    private active: ActiveRun | undefined;
    private readonly status = vscode.window.createStatusBarItem('ukc.run', vscode.StatusBarAlignment.Left, 100);
    private readonly listeners: vscode.Disposable[] = [];
    private readonly hintDecorations = new CallHintDecorations();

    /** @param showTracePanel opens the Trace view (the open one, or a new one) */
    constructor(private readonly problems: vscode.DiagnosticCollection, private readonly showTracePanel: () => TracePanel) {
        this.status.name = 'uk run';
        this.status.command = 'ukc.stopSystem';
    }

    /** Stops the running system (if any) and waits until it has stopped. */
    async stop(): Promise<void> {
        const active = this.active;
        if (!active) return;
        active.run.stop();
        await active.done;
    }

    /** Compiles and runs the system of `uri`; `traced`, its typed trace goes to the Trace view. */
    async start(uri: vscode.Uri, systemName: string | undefined, traced: boolean): Promise<RunOutcome | undefined> {
        await this.stop();
        const compiled = await compileSource(uri, systemName, this.problems);
        if (compiled.kind !== 'compiled') {
            reportNotCompiled(compiled, uri);
            return undefined;
        }
        const settings = vscode.workspace.getConfiguration('ukc');
        const maxCycles = settings.get<number>('run.maxCycles') || undefined;
        const name = compiled.name;
        let run: SystemRun | undefined;
        const terminal = new RunTerminal(bytes => run?.input(bytes), () => run?.stop());
        const console = new OutputBuffer(bytes => terminal.bytes(bytes));
        const openTerminal = () => vscode.window.createTerminal({ name: `uk: ${name}`, pty: terminal }).show(true);
        try {
            run = bootRunnable(compiled.system, { console });
        } catch (error) {
            if (!(error instanceof BootError)) throw error;
            terminal.text(`ukc: system ${name} cannot boot: ${error.message}\n`);
            openTerminal();
            void vscode.window.showErrorMessage(`ukc: system ${name} cannot boot: ${error.message}`);
            return undefined;
        }
        const sourceFolders = [folderOf(uri)];
        const sinks = settings.get<boolean>('run.traceInTerminal') ? new TraceSinks(run, { lines: console }) : undefined;
        // The Trace view: calls on it are kept until it is open.
        const panel = traced ? new Later<TracePanel>() : undefined;
        const chrome = new ChromeTraceBuilder();
        let rows = 0;
        this.hintDecorations.show([]);
        const hints = panel && settings.get<boolean>('run.callHints') !== false ? new CallHints() : undefined;
        // Hints go first only where an editor shows them: the system's file in view (its handlers are there).
        const hintsInView = hints !== undefined && vscode.window.visibleTextEditors.some(editor => editor.document.uri.toString() === uri.toString());
        const surfaces = new RunSurfaces(() => {
            openTerminal();
            panel?.arrived(this.showTracePanel());
        }, hintsInView);
        let hintsTimer: ReturnType<typeof setTimeout> | undefined;
        let hintsDrawn = false;
        const drawHints = () => {
            if (hintsTimer) clearTimeout(hintsTimer);
            hintsTimer = undefined;
            hintsDrawn = true;
            if (!hints) return;
            const shown = hints.hints();
            this.hintDecorations.show(shown);
            if (shown.length > 0) surfaces.hintsDrawn();
        };
        if (panel) {
            panel.call(view => view.reset(`uk Trace: ${name}`, {
                openLocation: async location => { await openLocation(location, sourceFolders); },
                exportChrome: () => exportChrome(chrome, `${name}.trace.json`, folderOf(uri))
            }));
            // Unless the terminal shows the whole trace anyway, it shows the first events until the view is there.
            const early = sinks ? undefined : new EarlyTraceLines(console, () => panel.is(view => view.showing));
            const faultSite = (thread: string, pc: number) => {
                const location = run?.sourceMap.locate(thread, pc);
                return location && SourceMap.format(location);
            };
            this.listeners.push(new vscode.Disposable(run.subscribeTyped(event => {
                chrome.add(event);
                const row = rowOf(event, rows, faultSite);
                if (row) {
                    rows++;
                    panel.call(view => view.add([row]));
                    early?.add(event);
                }
                if (hints) {
                    hints.add(event);
                    // The first hints at once: in a fresh window they are the first sign of the run (bench:extension).
                    hintsTimer ??= setTimeout(drawHints, hintsDrawn ? HINTS_MS : 0);
                }
            })));
        }
        let messages = 0;
        this.listeners.push(new vscode.Disposable(run.subscribe(() => { messages++; }, ['ipc'])));
        const instances = compiled.system.manifest.components.length;
        const showStatus = (cycle: number) => {
            this.status.text = `$(debug-stop) ${name}: ${instances} instances, ${messages} messages, ${cycle.toLocaleString('en-US')} cycles`;
            this.status.tooltip = `uk system ${name} is running: click to stop it`;
        };
        showStatus(0);
        this.status.show();
        // Closing the file the system came from stops it, as closing its terminal does.
        this.listeners.push(vscode.workspace.onDidCloseTextDocument(document => {
            if (document.uri.toString() === uri.toString()) run?.stop();
        }));
        const started = run;
        const done = started.run({
            maxCycles,
            sliceCycles: SLICE_CYCLES,
            yieldToHost: () => new Promise(resolve => setImmediate(resolve)),
            onSlice: cycle => {
                console.flush();
                showStatus(cycle);
            }
        }).then(outcome => {
            console.flush();
            sinks?.finish();
            console.flush();
            const report = outcomeLines(outcome, name, maxCycles);
            terminal.text(report.lines.map(line => line.text).join('\n') + '\n');
            panel?.call(view => view.showOutcome(report.lines, report.ok));
            drawHints();
            surfaces.runEnded();
            return outcome;
        }).finally(() => {
            for (const listener of this.listeners.splice(0)) listener.dispose();
            this.status.hide();
            this.active = undefined;
        });
        this.active = { run: started, done };
        return done;
    }

    dispose(): void {
        this.active?.run.stop();
        this.status.dispose();
        this.hintDecorations.dispose();
        for (const listener of this.listeners.splice(0)) listener.dispose();
    }
}

export async function exportChrome(chrome: ChromeTraceBuilder, fileName: string, folder: vscode.Uri): Promise<void> {
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, fileName), filters: { 'Chrome trace': ['json'] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(chrome.build()) + '\n'));
    void vscode.window.showInformationMessage(`ukc: wrote ${vscode.workspace.asRelativePath(target, false)}; open it in Perfetto or chrome://tracing`);
}
