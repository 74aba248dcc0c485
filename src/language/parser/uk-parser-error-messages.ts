/**
 * Syntax error messages that name what was expected the way a user would ("a name", "'}'") instead of
 * listing token types. Chevrotain hands over the token types that could have come next; every keyword
 * token's name is the keyword itself.
 */
import { DefaultLexerErrorMessageProvider, LangiumParserErrorMessageProvider } from 'langium';
import type { IToken, TokenType } from 'chevrotain';

/** Tokens that the grammar's Name rule accepts: all of them read as "a name" to a user. */
const NAME_TOKENS = new Set(['ID', 'at', 'size', 'ro', 'wo', 'rw', 'restart', 'main', 'init', 'signal', 'wait', 'poll', 'badge', 'len']);
const MAX_LISTED = 6;

export function describeToken(type: TokenType): string {
    if (NAME_TOKENS.has(type.name)) return 'a name';
    switch (type.name) {
        case 'INT': return 'a number';
        case 'STRING': return 'a string';
        case 'CHAR': return 'a character';
        case 'EOF': return 'the end of the file';
        default: return `'${type.name}'`;
    }
}

export function describeFound(token: IToken): string {
    return token.tokenType.name === 'EOF' ? 'the end of the file' : `'${token.image}'`;
}

function describeAlternatives(types: readonly TokenType[]): string {
    const described = [...new Set(types.map(describeToken))];
    const listed = described.slice(0, MAX_LISTED);
    const more = described.length > MAX_LISTED ? ', ...' : '';
    if (listed.length === 1) return listed[0];
    return `${listed.slice(0, -1).join(', ')}${more} or ${listed[listed.length - 1]}`;
}

export class UkParserErrorMessageProvider extends LangiumParserErrorMessageProvider {
    override buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
        return `Expected ${describeToken(options.expected)}, but found ${describeFound(options.actual)}.`;
    }

    override buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
        return `Unexpected ${describeFound(options.firstRedundant)}: expected a declaration (const, enum, bitfield, struct, interface, device, fn, server, program or system).`;
    }

    override buildNoViableAltMessage(options: { expectedPathsPerAlt: TokenType[][][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string }): string {
        const firsts = options.expectedPathsPerAlt.flatMap(paths => paths.map(path => path[0])).filter((type): type is TokenType => type !== undefined);
        const found = options.actual[0];
        return `Expected ${describeAlternatives(firsts)}, but found ${found ? describeFound(found) : 'the end of the file'}.`;
    }

    override buildEarlyExitMessage(options: { expectedIterationPaths: TokenType[][]; actual: IToken[]; previous: IToken; customUserDescription?: string; ruleName: string }): string {
        const firsts = options.expectedIterationPaths.map(path => path[0]).filter((type): type is TokenType => type !== undefined);
        const found = options.actual[0];
        return `Expected ${describeAlternatives(firsts)}, but found ${found ? describeFound(found) : 'the end of the file'}.`;
    }
}

export class UkLexerErrorMessageProvider extends DefaultLexerErrorMessageProvider {
    override buildUnexpectedCharactersMessage(fullText: string, startOffset: number, length: number): string {
        const text = fullText.substring(startOffset, startOffset + length);
        const hint = text.startsWith('"') ? ' (a string must end on the line it starts)' : '';
        return `Unexpected character${length === 1 ? '' : 's'} '${text}'${hint}.`;
    }
}
