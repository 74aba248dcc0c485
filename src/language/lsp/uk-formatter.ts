/**
 * Formatting requests: the whole document, a range, and on typing `}`. All three run the one formatter
 * (format/, the same as `ukc fmt`) over the whole text and keep the edits they concern: each edit replaces
 * the whitespace before one token or comment, and belongs to the line that element is on. A range keeps the
 * edits of the lines it touches; a typed `}` those of the lines from the start of what it closes to itself.
 * The editor's tab settings are ignored: there is one canonical style. A file with syntax errors gets no
 * edits (its diagnostics say what is wrong).
 */
import { CstUtils, type LangiumDocument } from 'langium';
import type { Formatter } from 'langium/lsp';
import type {
    DocumentFormattingParams, DocumentOnTypeFormattingOptions, DocumentOnTypeFormattingParams, DocumentRangeFormattingParams, Range, TextEdit
} from 'vscode-languageserver';
import { formatDocument, type FormatEdit } from '../format/index.js';
import type { UkFastParser } from '../parser/fast/uk-fast-parser.js';

export class UkFormatter implements Formatter {
    private readonly parser: () => UkFastParser;

    constructor(services: { parser: { FastParser: UkFastParser } }) {
        this.parser = () => services.parser.FastParser;
    }

    get formatOnTypeOptions(): DocumentOnTypeFormattingOptions {
        return { firstTriggerCharacter: '}' };
    }

    formatDocument(document: LangiumDocument, _params: DocumentFormattingParams): TextEdit[] {
        return this.edits(document, () => true);
    }

    formatDocumentRange(document: LangiumDocument, params: DocumentRangeFormattingParams): TextEdit[] {
        const [first, last] = linesOf(params.range);
        return this.edits(document, line => line >= first && line <= last);
    }

    formatDocumentOnType(document: LangiumDocument, params: DocumentOnTypeFormattingParams): TextEdit[] {
        if (params.ch !== '}') return [];
        const root = document.parseResult.value.$cstNode;
        const typedAt = document.textDocument.offsetAt(params.position) - 1;
        const brace = root && typedAt >= 0 ? CstUtils.findLeafNodeAtOffset(root, typedAt) : undefined;
        const closed = brace?.text === '}' ? brace.astNode.$cstNode : undefined;
        if (!closed) return [];
        const first = closed.range.start.line;
        return this.edits(document, line => line >= first && line <= params.position.line);
    }

    private edits(document: LangiumDocument, wanted: (line: number) => boolean): TextEdit[] {
        const result = formatDocument(document, text => this.parser().parse(text)?.value);
        if (result.kind === 'syntax-errors') return [];
        if (result.kind === 'refused') throw new Error(`Formatting was refused, because ${result.reason}. This is a bug in ukc; please report it with this file.`);
        return result.edits.filter(edit => wanted(edit.line)).map(edit => textEdit(document, edit));
    }
}

/** The lines a range covers; a range that ends at the start of a line does not cover that line. */
function linesOf(range: Range): [number, number] {
    const last = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
    return [range.start.line, last];
}

function textEdit(document: LangiumDocument, edit: FormatEdit): TextEdit {
    const text = document.textDocument;
    return { range: { start: text.positionAt(edit.start), end: text.positionAt(edit.end) }, newText: edit.newText };
}
