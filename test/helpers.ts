/**
 * Shared test helpers: build uk sources in a virtual workspace and look at their diagnostics in the
 * `line:col severity message` shape the CLI prints, which makes expectations short and exact.
 */
import { EmptyFileSystem, URI, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import { createUkServices } from '../src/language/uk-module.js';
import type { Module } from '../src/language/generated/ast.js';

export const services = createUkServices(EmptyFileSystem);
let counter = 0;

/** Builds one or more files (name -> text) together; returns the documents in the same order. */
export async function buildFiles(files: Record<string, string>): Promise<LangiumDocument<Module>[]> {
    const folder = `/ws${++counter}`;
    const documents = Object.entries(files).map(([name, text]) =>
        services.shared.workspace.LangiumDocumentFactory.fromString<Module>(text, URI.file(`${folder}/${name}`)));
    for (const document of documents) services.shared.workspace.LangiumDocuments.addDocument(document);
    await services.shared.workspace.DocumentBuilder.build(documents, { validation: true });
    return documents;
}

export async function build(text: string): Promise<LangiumDocument<Module>> {
    const [document] = await buildFiles({ 'main.uk': text });
    return document;
}

/** `3:5 error message` with 1-based line and column, sorted by position. */
export function format(diagnostic: Diagnostic): string {
    const severity = diagnostic.severity === 1 ? 'error' : diagnostic.severity === 2 ? 'warning' : 'info';
    return `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${severity} ${diagnostic.message}`;
}

/** The source text a diagnostic's range covers, to assert ranges without counting columns. */
export function coveredText(document: LangiumDocument, diagnostic: Diagnostic): string {
    return document.textDocument.getText(diagnostic.range);
}

/** Diagnostics as `line:col severity message @ covered text`, in source order. */
export function describeDiagnostics(document: LangiumDocument): string[] {
    return [...(document.diagnostics ?? [])]
        .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character
            || String(a.message).localeCompare(String(b.message)))
        .map(d => `${format(d)} @ ${coveredText(document, d)}`);
}

export async function diagnosticsWithText(text: string): Promise<string[]> {
    return describeDiagnostics(await build(text));
}
