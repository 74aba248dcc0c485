/**
 * Parses uk documents with the hand-written parser first and with Langium's parser when the file has a
 * syntax error. The fast parser builds the same trees (test/language/parser/fast-parser.test.ts), so the
 * only difference a user sees is speed; the recovering parser still produces the partial trees and the
 * syntax error messages for broken files.
 */
import { DefaultLangiumDocumentFactory, type AstNode, type Cancellation, type ParseResult, type ParserOptions, type URI } from 'langium';
import type { UkFastParser } from '../parser/fast/uk-fast-parser.js';

interface WithFastParser { parser: { FastParser?: UkFastParser } }

export class UkDocumentFactory extends DefaultLangiumDocumentFactory {
    protected override parse<T extends AstNode>(uri: URI, text: string, options?: ParserOptions): ParseResult<T> {
        return (options?.rule ? undefined : this.fastParse<T>(uri, text)) ?? super.parse<T>(uri, text, options);
    }

    /** Re-parsing a changed document (the language server) takes the same route. */
    protected override parseAsync<T extends AstNode>(uri: URI, text: string, cancellationToken: Cancellation.CancellationToken): Promise<ParseResult<T>> {
        const result = this.fastParse<T>(uri, text);
        return result ? Promise.resolve(result) : super.parseAsync<T>(uri, text, cancellationToken);
    }

    private fastParse<T extends AstNode>(uri: URI, text: string): ParseResult<T> | undefined {
        const services = this.serviceRegistry.getServices(uri) as unknown as WithFastParser;
        return services.parser.FastParser?.parse(text) as ParseResult<T> | undefined;
    }
}
