/**
 * Soft keywords: words that are keywords in one place and may name things everywhere else (`at`, `size`,
 * `len`, ...). Their tokens are put in the ID token's category, so wherever the grammar expects a name it
 * accepts them too. This keeps the grammar's Name rule a single token instead of a choice among fifteen,
 * which the parser would otherwise evaluate for every name in a file.
 *
 * The vocabulary is built once per grammar and shared: building it tests every keyword against every
 * terminal's regular expression (about a tenth of the CPU of a `ukc run` of a small example), and each set
 * of services asked for it twice (the fast parser's lexer and Langium's), and a host that makes several
 * sets of services (bench:check, a test suite, the extension's sessions) anew for each.
 */
import { DefaultTokenBuilder, type Grammar, type GrammarAST, type TokenBuilderOptions } from 'langium';
import type { TokenType, TokenVocabulary } from 'chevrotain';

export const SOFT_KEYWORDS: ReadonlySet<string> = new Set([
    'at', 'size', 'ro', 'wo', 'rw', 'restart', 'main', 'init', 'on', 'signal', 'wait', 'poll', 'badge', 'len',
    'pending', 'push', 'in', 'out', 'inout', 'kernel', 'flags', 'union'
]);

/** Vocabularies already built, by grammar and then by case-insensitivity. */
const vocabularies = new WeakMap<Grammar, Map<boolean, TokenVocabulary>>();

export class UkTokenBuilder extends DefaultTokenBuilder {
    override buildTokens(grammar: Grammar, options?: TokenBuilderOptions): TokenVocabulary {
        const caseInsensitive = options?.caseInsensitive ?? false;
        let built = vocabularies.get(grammar);
        if (!built) vocabularies.set(grammar, built = new Map());
        let vocabulary = built.get(caseInsensitive);
        if (!vocabulary) built.set(caseInsensitive, vocabulary = super.buildTokens(grammar, options));
        // The token types are shared (Chevrotain's token types are meant to be); the list is each caller's.
        return Array.isArray(vocabulary) ? [...vocabulary] : vocabulary;
    }

    protected override buildKeywordToken(keyword: GrammarAST.Keyword, terminalTokens: TokenType[], caseInsensitive: boolean): TokenType {
        const token = super.buildKeywordToken(keyword, terminalTokens, caseInsensitive);
        if (SOFT_KEYWORDS.has(keyword.value)) {
            const id = terminalTokens.find(terminal => terminal.name === 'ID');
            if (id) token.CATEGORIES = [id];
        }
        return token;
    }
}
