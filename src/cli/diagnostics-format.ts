/**
 * Diagnostics for people (`file:line:col: severity: message`, the shape compilers print and editors and CI
 * parse) and for machines (JSON). Lines and columns are 1-based in both.
 */
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';

export interface FileDiagnostic {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly endLine: number;
    readonly endColumn: number;
    readonly severity: 'error' | 'warning' | 'info' | 'hint';
    readonly code?: string;
    readonly message: string;
}

const SEVERITIES = ['error', 'error', 'warning', 'info', 'hint'] as const;

export function toFileDiagnostics(document: LangiumDocument, cwd: string): FileDiagnostic[] {
    const file = displayPath(document.uri.fsPath, cwd);
    return (document.diagnostics ?? []).map((diagnostic: Diagnostic): FileDiagnostic => ({
        file,
        line: diagnostic.range.start.line + 1,
        column: diagnostic.range.start.character + 1,
        endLine: diagnostic.range.end.line + 1,
        endColumn: diagnostic.range.end.character + 1,
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

export function compareDiagnostics(a: FileDiagnostic, b: FileDiagnostic): number {
    return a.line - b.line || a.column - b.column || a.message.localeCompare(b.message);
}

/** Paths under the working folder are shown relative to it, others as they are. */
export function displayPath(file: string, cwd: string): string {
    const relative = path.relative(cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

export function formatDiagnostic(diagnostic: FileDiagnostic): string {
    return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}: ${diagnostic.message}`;
}

export function summary(diagnostics: readonly FileDiagnostic[], files: number): string {
    const errors = diagnostics.filter(d => d.severity === 'error').length;
    const warnings = diagnostics.filter(d => d.severity === 'warning').length;
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}
