/**
 * The language server's side of layout locks: reads a file's lock through Langium's file system provider
 * (Node's under `ukc lsp`, an in-memory one in a browser) and turns what model/layout-locks.ts finds into
 * diagnostics, as `ukc check` reports them: a breaking change at the name of the method or interface it is
 * about, an unusable lock at the start of the lock file. Messages name the lock by its path in the
 * workspace folder, as `ukc check` run there does.
 */
import { GrammarUtils, UriUtils, URI, type FileSystemProvider, type LangiumDocument, type WorkspaceManager } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { Module } from '../generated/ast.js';
import { compareWithLock, lockUri } from '../model/layout-locks.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';

/** The stable code of every lock diagnostic, the same as `ukc check`'s. */
export const LAYOUT_LOCK_CODE = 'layout-lock';

export interface LockDiagnostics {
    /** Diagnostics on the source file: the changes that break its lock. */
    readonly source: Diagnostic[];
    /** The lock file and what is wrong with the lock itself (nothing when it is usable or absent). */
    readonly lock: { readonly uri: string; readonly diagnostics: Diagnostic[] };
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export class LayoutLockDiagnostics {
    private readonly files: FileSystemProvider;
    private readonly layouts: InterfaceLayouts;
    private readonly workspace: WorkspaceManager;

    constructor(services: LangiumServices & { layout: { InterfaceLayouts: InterfaceLayouts } }) {
        this.files = services.shared.workspace.FileSystemProvider;
        this.layouts = services.layout.InterfaceLayouts;
        this.workspace = services.shared.workspace.WorkspaceManager;
    }

    /** The lock diagnostics of a checked document; none for a document with errors or without a lock. */
    async check(document: LangiumDocument): Promise<LockDiagnostics> {
        const lockFile = lockUri(document.uri);
        const none: LockDiagnostics = { source: [], lock: { uri: lockFile.toString(), diagnostics: [] } };
        if ((document.diagnostics ?? []).some(diagnostic => diagnostic.severity === DiagnosticSeverity.Error)) return none;
        let text: string;
        try {
            text = await this.files.readFile(lockFile);
        } catch {
            return none;
        }
        const changes: { range: Range; message: string }[] = [];
        const lock: Diagnostic[] = [];
        for (const finding of compareWithLock(document.parseResult.value as Module, text, this.layouts, shownInWorkspace(lockFile, this.workspace))) {
            if (finding.kind === 'unusable-lock') {
                lock.push(this.diagnostic(START, finding.message));
            } else {
                const cst = finding.node.$cstNode;
                const range = cst ? (GrammarUtils.findNodeForProperty(cst, 'name') ?? cst).range : START;
                changes.push({ range, message: finding.message });
            }
        }
        // Source order, as `ukc check` lists them.
        changes.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.message.localeCompare(b.message));
        return { source: changes.map(change => this.diagnostic(change.range, change.message)), lock: { uri: lockFile.toString(), diagnostics: lock } };
    }

    private diagnostic(range: Range, message: string): Diagnostic {
        return { range, severity: DiagnosticSeverity.Error, code: LAYOUT_LOCK_CODE, source: 'uk', message, data: { code: LAYOUT_LOCK_CODE } };
    }
}

/** A file's path relative to the workspace folder holding it, else its whole path: how messages name a lock. */
export function shownInWorkspace(file: URI, workspace: WorkspaceManager): string {
    const folder = (workspace.workspaceFolders ?? []).map(candidate => URI.parse(candidate.uri))
        .find(candidate => file.path.startsWith(candidate.path.endsWith('/') ? candidate.path : `${candidate.path}/`));
    return folder ? UriUtils.relative(folder, file) : file.fsPath;
}
