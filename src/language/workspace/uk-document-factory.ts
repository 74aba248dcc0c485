/**
 * Parses uk documents with the hand-written parser first and with Langium's parser when the file has a
 * syntax error. The fast parser builds the same trees (test/language/parser/fast-parser.test.ts), so the
 * only difference a user sees is speed; the recovering parser still produces the partial trees and the
 * syntax error messages for broken files. Either parser sees the text with anything nested beyond
 * `MAX_NESTING` cut (parser/nesting-limit.ts), which is then an error where it was cut.
 */
import { DefaultLangiumDocumentFactory, type AstNode, type Cancellation, type LangiumDocument, type LexingDiagnostic, type ParseResult, type ParserOptions, type URI } from 'langium';
import { dropDeferredCst, isCstDeferred } from '../parser/fast/deferred-cst.js';
import type { UkFastParser } from '../parser/fast/uk-fast-parser.js';
import { limitNesting, type NestingProblem } from '../parser/nesting-limit.js';

interface WithFastParser { parser: { FastParser?: UkFastParser } }

export class UkDocumentFactory extends DefaultLangiumDocumentFactory {
    protected override parse<T extends AstNode>(uri: URI, text: string, options?: ParserOptions): ParseResult<T> {
        const limited = limitNesting(text);
        const result = (options?.rule ? undefined : this.fastParse<T>(uri, limited.text)) ?? super.parse<T>(uri, limited.text, options);
        return withNestingProblems(result, text, limited.problems);
    }

    /**
     * A document whose tree has no CST yet (a file the editor did not have open) is parsed anew: Langium
     * would otherwise build that CST only to find the text unchanged and keep the tree, and a file just
     * opened would then keep a tree whose CST was grafted on (parser/fast/deferred-cst.ts), while an open
     * file gets a tree parsed with its CST.
     */
    override async update<T extends AstNode = AstNode>(document: LangiumDocument<T>, cancellationToken: Cancellation.CancellationToken): Promise<LangiumDocument<T>> {
        if (isCstDeferred(document.parseResult.value)) dropDeferredCst(document.parseResult.value);
        return super.update(document, cancellationToken);
    }

    /** Re-parsing a changed document (the language server) takes the same route. */
    protected override async parseAsync<T extends AstNode>(uri: URI, text: string, cancellationToken: Cancellation.CancellationToken): Promise<ParseResult<T>> {
        const limited = limitNesting(text);
        const result = this.fastParse<T>(uri, limited.text) ?? await super.parseAsync<T>(uri, limited.text, cancellationToken);
        return withNestingProblems(result, text, limited.problems);
    }

    private fastParse<T extends AstNode>(uri: URI, text: string): ParseResult<T> | undefined {
        const services = this.serviceRegistry.getServices(uri) as unknown as WithFastParser;
        const open = this.textDocuments?.get(uri.toString()) !== undefined;
        return services.parser.FastParser?.parse(text, open) as ParseResult<T> | undefined;
    }
}

function withNestingProblems<T extends AstNode>(result: ParseResult<T>, text: string, problems: readonly NestingProblem[]): ParseResult<T> {
    if (problems.length === 0) return result;
    const diagnostics: LexingDiagnostic[] = problems.map(problem => {
        const before = text.slice(0, problem.offset);
        const line = before.split('\n').length;
        const column = problem.offset - before.lastIndexOf('\n');
        return { offset: problem.offset, length: problem.length, line, column, message: problem.message, severity: 'error' };
    });
    return { ...result, lexerReport: { ...result.lexerReport, diagnostics: [...(result.lexerReport?.diagnostics ?? []), ...diagnostics] } };
}
