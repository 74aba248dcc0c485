/**
 * Diagnostics as every client of the session sees them: the file's URI, an LSP-style range (0-based), a
 * severity, the stable code and the message. The command line prints them as `file:line:col`, an editor
 * puts them in its Problems panel.
 */
import type { AstNode, LangiumDocument } from 'langium';
import { AstUtils, GrammarUtils } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface SourceRange {
    readonly start: { readonly line: number; readonly character: number };
    readonly end: { readonly line: number; readonly character: number };
}

export interface SourceDiagnostic {
    readonly uri: string;
    readonly range: SourceRange;
    readonly severity: Severity;
    readonly code?: string;
    readonly message: string;
}

const SEVERITIES = ['error', 'error', 'warning', 'info', 'hint'] as const;

/** A checked document's diagnostics, in source order. */
export function documentDiagnostics(document: LangiumDocument): SourceDiagnostic[] {
    return sourceDiagnostics(document, document.diagnostics ?? []);
}

/** Language-server diagnostics of a document as the session's, in source order. */
export function sourceDiagnostics(document: LangiumDocument, diagnostics: readonly Diagnostic[]): SourceDiagnostic[] {
    const uri = document.uri.toString();
    return diagnostics.map((diagnostic: Diagnostic): SourceDiagnostic => ({
        uri,
        range: diagnostic.range,
        severity: SEVERITIES[diagnostic.severity ?? 1],
        code: codeOf(diagnostic),
        message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value
    })).sort(compareDiagnostics);
}

function codeOf(diagnostic: Diagnostic): string | undefined {
    if (typeof diagnostic.code === 'string') return diagnostic.code;
    const data = diagnostic.data as { code?: unknown } | undefined;
    return typeof data?.code === 'string' ? data.code : undefined;
}

/** Source order within one file: by start position, then by message. */
export function compareDiagnostics(a: SourceDiagnostic, b: SourceDiagnostic): number {
    return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.message.localeCompare(b.message);
}

export const START_OF_FILE: SourceRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** A diagnostic at a syntax node (its `name` when `atName`, else all of it). */
export function nodeDiagnostic(node: AstNode, severity: Severity, code: string, message: string, atName = false): SourceDiagnostic {
    const cst = node.$cstNode;
    const range = !cst ? START_OF_FILE : atName ? (GrammarUtils.findNodeForProperty(cst, 'name') ?? cst).range : cst.range;
    return { uri: AstUtils.getDocument(node).uri.toString(), range, severity, code, message };
}

export function hasErrors(diagnostics: readonly SourceDiagnostic[]): boolean {
    return diagnostics.some(diagnostic => diagnostic.severity === 'error');
}
