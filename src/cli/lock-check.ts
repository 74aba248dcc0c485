/**
 * What `ukc check` adds for files that have a layout lock next to them (`kv.uk.lock`, written by
 * `ukc layout --lock`): every change since the lock that breaks the wire layout is an error at the
 * interface or method it is about. Compatible changes are not reported; `ukc diff` lists them.
 */
import { readFile } from 'node:fs/promises';
import { GrammarUtils, type AstNode, type LangiumDocument } from 'langium';
import { isInterfaceDecl, type Module, type UkServices } from '../language/index.js';
import { diffLayouts, findProfile, LockError, parseLock, type LayoutLock } from '../layout/index.js';
import { compareDiagnostics, displayPath, type FileDiagnostic } from './diagnostics-format.js';
import { layoutDocuments } from './layout-command.js';

/** Lock diagnostics for `documents`; a document with errors is not compared (its layout means nothing yet). */
export async function checkLocks(documents: readonly LangiumDocument<Module>[], services: UkServices, cwd: string): Promise<FileDiagnostic[]> {
    const diagnostics: FileDiagnostic[] = [];
    for (const document of documents) {
        if ((document.diagnostics ?? []).some(diagnostic => diagnostic.severity === 1)) continue;
        const lockPath = `${document.uri.fsPath}.lock`;
        let text: string;
        try {
            text = await readFile(lockPath, 'utf8');
        } catch {
            continue;
        }
        const lockFile = displayPath(lockPath, cwd);
        const atLockStart = { file: lockFile, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error' as const, code: 'layout-lock' };
        let lock: LayoutLock;
        try {
            lock = parseLock(text);
        } catch (error) {
            if (!(error instanceof LockError)) throw error;
            diagnostics.push({ ...atLockStart, message: `not a ukc layout lock: ${error.message}` });
            continue;
        }
        const profile = findProfile(lock.profile);
        if (!profile) {
            diagnostics.push({ ...atLockStart, message: `the lock is for the unknown ABI profile '${lock.profile}'` });
            continue;
        }
        const current = layoutDocuments([document], services, profile);
        const changes = diffLayouts(lock.interfaces, current.layouts.map(entry => entry.layout));
        const file = displayPath(document.uri.fsPath, cwd);
        const found: FileDiagnostic[] = [];
        for (const change of changes.filter(candidate => candidate.breaking)) {
            const entry = current.layouts.find(candidate => candidate.layout.name === change.interfaceName);
            const method = entry?.decl.methods.find(candidate => candidate.name === change.methodName);
            // The method if it still exists, else its interface, else (a removed interface) the file's first one.
            const node: AstNode = method ?? entry?.decl ?? document.parseResult.value.declarations.find(isInterfaceDecl) ?? document.parseResult.value;
            const range = nameRange(node);
            found.push({
                file, line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1,
                severity: 'error', code: 'layout-lock',
                message: `breaks the layout locked in ${lockFile} (${lock.profile}): ${change.message}`
            });
        }
        diagnostics.push(...found.sort(compareDiagnostics));
    }
    return diagnostics;
}

/** The range of a declaration's name, or of the whole node when it has none. */
function nameRange(node: AstNode): { start: { line: number; character: number }; end: { line: number; character: number } } {
    const cst = node.$cstNode;
    if (!cst) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return (GrammarUtils.findNodeForProperty(cst, 'name') ?? cst).range;
}
