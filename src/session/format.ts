/**
 * Formatting files as `ukc fmt` does: each `.uk` file the inputs name, parsed on its own (formatting needs
 * no imports) and put in the canonical style by the language's formatter, the one the language server
 * runs. Nothing is written here: the caller decides (the command line rewrites files, `--check` lists them).
 */
import type { FileSystemProvider } from 'langium';
import { createUkServices, formatDocument } from '../language/index.js';
import { sourceDiagnostics, type SourceDiagnostic } from './diagnostics.js';
import { readSource, sourceFiles, type SourceInput } from './workspace.js';

export type FormattedFile = SourceInput & (
    /** `text` is the canonical form of `original` (the same when the file already was). */
    | { readonly kind: 'formatted'; readonly original: string; readonly text: string }
    /** The file does not parse: its syntax errors, as `ukc check` reports them. */
    | { readonly kind: 'syntax-errors'; readonly diagnostics: readonly SourceDiagnostic[] }
    /** A bug in the formatter kept it from formatting; `reason` says what it caught. */
    | { readonly kind: 'refused'; readonly reason: string }
);

export async function formatFiles(inputs: readonly SourceInput[], files: FileSystemProvider): Promise<FormattedFile[]> {
    const { shared, Uk } = createUkServices({ fileSystemProvider: () => files }, { referenceIndex: false });
    const results: FormattedFile[] = [];
    for (const input of await sourceFiles(inputs, files)) {
        const original = await readSource(input, files);
        const document = shared.workspace.LangiumDocumentFactory.fromString(original, input.uri);
        const result = formatDocument(document, text => Uk.parser.FastParser.parse(text)?.value);
        if (result.kind === 'formatted') {
            results.push({ ...input, kind: 'formatted', original, text: result.text });
        } else if (result.kind === 'refused') {
            results.push({ ...input, kind: 'refused', reason: result.reason });
        } else {
            // The validator keeps one diagnostic per mistake; syntax errors stop it before linking and checks.
            const diagnostics = await Uk.validation.DocumentValidator.validateDocument(document, { stopAfterParsingErrors: true, categories: ['built-in'] });
            results.push({ ...input, kind: 'syntax-errors', diagnostics: sourceDiagnostics(document, diagnostics) });
        }
    }
    return results;
}
