/**
 * Layout locks (`kv.uk.lock`, written by `ukc layout --lock`) checked against the sources: every change
 * since the lock that breaks the wire layout is an error at the interface or method it is about.
 * Compatible changes are not reported; `ukc diff` lists them.
 */
import { URI, type AstNode, type FileSystemProvider, type LangiumDocument } from 'langium';
import { isInterfaceDecl, type Module } from '../language/generated/ast.js';
import type { UkServices } from '../language/index.js';
import { diffLayouts, findProfile, LockError, parseLock, type LayoutLock } from '../layout/index.js';
import { compareDiagnostics, nodeDiagnostic, START_OF_FILE, type SourceDiagnostic } from './diagnostics.js';
import { layoutDocuments } from './layouts.js';

/** The lock of a source file: its name with `.lock` appended. */
export function lockUri(source: URI): URI {
    return source.with({ path: `${source.path}.lock` });
}

/**
 * Lock diagnostics for `documents`; a document with errors is not compared (its layout means nothing yet).
 * `shownAs` names a lock file in messages (the command line shows paths relative to its folder).
 */
export async function checkLocks(documents: readonly LangiumDocument<Module>[], services: UkServices, files: FileSystemProvider,
    shownAs: (uri: URI) => string = uri => uri.fsPath): Promise<SourceDiagnostic[]> {
    const diagnostics: SourceDiagnostic[] = [];
    for (const document of documents) {
        if ((document.diagnostics ?? []).some(diagnostic => diagnostic.severity === 1)) continue;
        const lockFile = lockUri(document.uri);
        let text: string;
        try {
            text = await files.readFile(lockFile);
        } catch {
            continue;
        }
        const atLockStart = { uri: lockFile.toString(), range: START_OF_FILE, severity: 'error' as const, code: 'layout-lock' };
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
        const found: SourceDiagnostic[] = [];
        for (const change of changes.filter(candidate => candidate.breaking)) {
            const entry = current.layouts.find(candidate => candidate.layout.name === change.interfaceName);
            const method = entry?.decl.methods.find(candidate => candidate.name === change.methodName);
            // The method if it still exists, else its interface, else (a removed interface) the file's first one.
            const node: AstNode = method ?? entry?.decl ?? document.parseResult.value.declarations.find(isInterfaceDecl) ?? document.parseResult.value;
            found.push(nodeDiagnostic(node, 'error', 'layout-lock', `breaks the layout locked in ${shownAs(lockFile)} (${lock.profile}): ${change.message}`, true));
        }
        diagnostics.push(...found.sort(compareDiagnostics));
    }
    return diagnostics;
}
