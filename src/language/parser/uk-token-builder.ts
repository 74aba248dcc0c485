/**
 * Soft keywords: words that are keywords in one place and may name things everywhere else (`at`, `size`,
 * `len`, ...). Their tokens are put in the ID token's category, so wherever the grammar expects a name it
 * accepts them too. This keeps the grammar's Name rule a single token instead of a choice among fifteen,
 * which the parser would otherwise evaluate for every name in a file.
 */
import { DefaultTokenBuilder, type GrammarAST } from 'langium';
import type { TokenType } from 'chevrotain';

export const SOFT_KEYWORDS: ReadonlySet<string> = new Set([
    'at', 'size', 'ro', 'wo', 'rw', 'restart', 'main', 'init', 'on', 'signal', 'wait', 'poll', 'badge', 'len',
    'pending', 'push', 'in', 'out', 'inout', 'kernel', 'flags', 'union'
]);

export class UkTokenBuilder extends DefaultTokenBuilder {
    protected override buildKeywordToken(keyword: GrammarAST.Keyword, terminalTokens: TokenType[], caseInsensitive: boolean): TokenType {
        const token = super.buildKeywordToken(keyword, terminalTokens, caseInsensitive);
        if (SOFT_KEYWORDS.has(keyword.value)) {
            const id = terminalTokens.find(terminal => terminal.name === 'ID');
            if (id) token.CATEGORIES = [id];
        }
        return token;
    }
}
