/**
 * Langium's recovering parser (used for files with syntax errors) made total: a parse never throws.
 *
 * Chevrotain's error recovery can leave Langium's node stack empty on some broken inputs
 * (`program{main(q,=/*` ends in "Cannot read properties of undefined" inside `LangiumParser.assign`).
 * Such a parse is abandoned: the file gets an empty module and the syntax errors found before the
 * failure, or one at the file's first token when there were none, so the user sees a positioned
 * diagnostic instead of an internal error, and the language server keeps serving.
 *
 * It also remembers which tokens may follow a place in the grammar: Chevrotain works that out by walking
 * the grammar anew each time it considers recovering inside a repetition, which was about a quarter of
 * parsing a file with mistakes (the language server parses one on every keystroke until it is fixed).
 *
 * Chevrotain analyses the grammar (`finalize`, about 0.1 s of CPU) when this parser first parses, not
 * when it is made: files without syntax errors never reach it (workspace/uk-document-factory.ts), and the
 * language server makes every service when it starts, before the first diagnostics.
 */
import {
    CstNodeBuilder, LangiumParser, type AstNode, type LangiumCoreServices, type ParseResult, type ParserOptions
} from 'langium';
import { createParser } from 'langium';
import type { IRecognitionException, IToken, ITokenGrammarPath, TokenType } from 'chevrotain';
import type { Module } from '../generated/ast.js';

/** The message of the diagnostic of an abandoned parse that had not reported an error yet. */
export const ABANDONED_PARSE_MESSAGE = 'Syntax error: the parser could not make sense of the file from here.';

export class UkRecoveringParser extends LangiumParser {
    constructor(services: LangiumCoreServices) {
        super(services);
        rememberNextTokenTypes(this.wrapper as unknown as NextTokenTypes);
    }

    private prepared = false;

    /** Runs Chevrotain's analysis of the grammar, once. */
    prepare(): void {
        if (this.prepared) return;
        this.prepared = true;
        this.finalize();
    }

    override parse<T extends AstNode = AstNode>(input: string, options: ParserOptions = {}): ParseResult<T> {
        this.prepare();
        try {
            return super.parse<T>(input, options);
        } catch (error) {
            return this.abandonedParse(input, error) as unknown as ParseResult<T>;
        }
    }

    private abandonedParse(input: string, error: unknown): ParseResult<Module> {
        const recorded = [...this.wrapper.errors];
        // Recovery failed, so it must not resume with this parse's leftovers; `parse` resets the input and
        // errors, and the stack is found empty (that is what failed).
        this.wrapper.errors = [];
        const lexed = this.lexer.tokenize(input);
        const parserErrors = recorded.length > 0 || lexed.errors.length > 0 ? recorded : [abandonedAt(lexed.tokens, error)];
        const root = new CstNodeBuilder().buildRootNode(input);
        const module: Module = { $type: 'Module', $cstNode: root, imports: [], declarations: [] } as unknown as Module;
        (root as { astNode: AstNode }).astNode = module;
        return { value: module, lexerErrors: lexed.errors, lexerReport: lexed.report, parserErrors };
    }
}

/** Chevrotain's (untyped) account of the tokens that may come after a path through the grammar. */
interface NextTokenTypes {
    getNextPossibleTokenTypes(path: ITokenGrammarPath): TokenType[];
}

/** The answer depends on the path alone (the grammar does not change), so each path is walked once. */
function rememberNextTokenTypes(parser: NextTokenTypes): void {
    const walk = parser.getNextPossibleTokenTypes.bind(parser);
    const known = new Map<string, TokenType[]>();
    parser.getNextPossibleTokenTypes = path => {
        const key = `${path.ruleStack.join(' ')}|${path.occurrenceStack.join(' ')}|${path.lastTok.tokenTypeIdx}|${path.lastTokOccurrence}`;
        let next = known.get(key);
        if (!next) {
            next = walk(path);
            known.set(key, next);
        }
        return next;
    };
}

function abandonedAt(tokens: IToken[], cause: unknown): IRecognitionException {
    const token = tokens[0] ?? { image: '', startOffset: 0, endOffset: 0, startLine: 1, endLine: 1, startColumn: 1, endColumn: 0, tokenTypeIdx: 0, tokenType: { name: 'EOF' } } as IToken;
    return {
        name: 'AbandonedParse',
        message: ABANDONED_PARSE_MESSAGE,
        token,
        resyncedTokens: [],
        context: { ruleStack: [], ruleOccurrenceStack: [] },
        cause
    } as IRecognitionException;
}

/** The service factory: Langium's `createLangiumParser`, with this class and without its `finalize()`. */
export function createUkRecoveringParser(services: LangiumCoreServices): UkRecoveringParser {
    return createParser(services.Grammar, new UkRecoveringParser(services), services.parser.Lexer.definition);
}
