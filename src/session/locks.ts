/**
 * Layout locks (`kv.uk.lock`, written by `ukc layout --lock`) checked against the sources: every change
 * since the lock that breaks the wire layout is an error at the interface or method it is about.
 * Compatible changes are not reported; `ukc diff` lists them. The comparison is the language's
 * (model/layout-locks.ts), which the language server asks too; this reads the locks and words the places.
 */
import { URI, type FileSystemProvider, type LangiumDocument } from 'langium';
import { compareWithLock, lockUri, type Module, type UkServices } from '../language/index.js';
import { compareDiagnostics, nodeDiagnostic, START_OF_FILE, type SourceDiagnostic } from './diagnostics.js';

export { lockUri };

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
        const found: SourceDiagnostic[] = [];
        for (const finding of compareWithLock(document.parseResult.value, text, services.layout.InterfaceLayouts, shownAs(lockFile))) {
            if (finding.kind === 'unusable-lock') {
                diagnostics.push({ uri: lockFile.toString(), range: START_OF_FILE, severity: 'error', code: 'layout-lock', message: finding.message });
            } else {
                found.push(nodeDiagnostic(finding.node, 'error', 'layout-lock', finding.message, true));
            }
        }
        diagnostics.push(...found.sort(compareDiagnostics));
    }
    return diagnostics;
}
