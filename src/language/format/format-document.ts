/**
 * Formats a parsed uk document: the one entry point that the language server's formatting requests and
 * `ukc fmt` (through the session) share. A file with syntax errors is not formatted (its tree is a guess);
 * a formatted text is parsed again and compared with the original tree before anyone sees it, so that a
 * bug in the style can only ever refuse, never change what a program means.
 */
import type { AstNode, LangiumDocument } from 'langium';
import { materializeCst } from '../parser/fast/deferred-cst.js';
import { astDifference } from './ast-equality.js';
import { applyEdits, formatEdits, type FormatEdit } from './format-edits.js';

export type FormatResult =
    /** `edits` turn the document's text into `text`; none when it is already canonical. */
    | { readonly kind: 'formatted'; readonly edits: readonly FormatEdit[]; readonly text: string }
    /** The file does not parse; its syntax errors are the document's diagnostics. */
    | { readonly kind: 'syntax-errors' }
    /** The formatted text would not parse to the same tree: a bug in the formatter, `reason` says where. */
    | { readonly kind: 'refused'; readonly reason: string };

/** Parses a text without syntax errors; undefined when it has any (the language's fast parser). */
export type TreeParser = (text: string) => AstNode | undefined;

export function hasSyntaxErrors(document: LangiumDocument): boolean {
    const { lexerErrors, parserErrors, lexerReport } = document.parseResult;
    return lexerErrors.length > 0 || parserErrors.length > 0 || (lexerReport?.diagnostics.length ?? 0) > 0;
}

export function formatDocument(document: LangiumDocument, parse: TreeParser): FormatResult {
    if (hasSyntaxErrors(document)) return { kind: 'syntax-errors' };
    const root = document.parseResult.value;
    materializeCst(root);
    const original = document.textDocument.getText();
    const edits = formatEdits(root, original);
    if (edits.length === 0) return { kind: 'formatted', edits, text: original };
    const text = applyEdits(original, edits);
    const reparsed = parse(text);
    if (!reparsed) return { kind: 'refused', reason: 'the formatted text does not parse' };
    const difference = astDifference(root, reparsed);
    if (difference !== undefined) return { kind: 'refused', reason: `the formatted text parses differently at ${difference || 'the root'}` };
    return { kind: 'formatted', edits, text };
}
