/** Test helper: a text parsed as a document and formatted by the formatter the server and `ukc fmt` use. */
import { URI, type AstNode } from 'langium';
import { formatDocument, type FormatResult } from '../../../src/language/format/index.js';
import { services } from '../../helpers.js';

let counter = 0;

export function parse(text: string) {
    return services.shared.workspace.LangiumDocumentFactory.fromString(text, URI.file(`/format${++counter}/main.uk`));
}

export function formatResult(text: string): FormatResult {
    return formatDocument(parse(text), source => services.Uk.parser.FastParser.parse(source)?.value);
}

/** The formatted text; fails the test when the formatter does not format. */
export function formatted(text: string): string {
    const result = formatResult(text);
    if (result.kind !== 'formatted') throw new Error(`not formatted: ${result.kind === 'refused' ? result.reason : 'syntax errors'}`);
    return result.text;
}

export function tree(text: string): AstNode {
    const document = parse(text);
    return document.parseResult.value;
}
