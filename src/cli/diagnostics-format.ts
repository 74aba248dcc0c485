/**
 * Diagnostics for people (`file:line:col: severity: message`, the shape compilers print and editors and CI
 * parse) and for machines (JSON). Lines and columns are 1-based in both.
 */
import * as path from 'node:path';
import { URI } from 'langium';
import type { SourceDiagnostic } from '../session/checking.js';

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

/** A session's diagnostic with its file shown relative to `cwd` and 1-based lines and columns. */
export function toFileDiagnostic(diagnostic: SourceDiagnostic, cwd: string): FileDiagnostic {
    return {
        file: displayPath(URI.parse(diagnostic.uri).fsPath, cwd),
        line: diagnostic.range.start.line + 1,
        column: diagnostic.range.start.character + 1,
        endLine: diagnostic.range.end.line + 1,
        endColumn: diagnostic.range.end.character + 1,
        severity: diagnostic.severity,
        code: diagnostic.code,
        message: diagnostic.message
    };
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

/** Prints diagnostics to stderr, one line each (how commands other than `check` report source errors). */
export function printDiagnostics(diagnostics: readonly SourceDiagnostic[], io: { readonly cwd: string; stderr(text: string): void }): void {
    for (const diagnostic of diagnostics) io.stderr(formatDiagnostic(toFileDiagnostic(diagnostic, io.cwd)) + '\n');
}
