/**
 * Syntax error messages that name what was expected the way a user would ("a name", "'}'") instead of
 * listing token types. Chevrotain hands over the token types that could have come next; every keyword
 * token's name is the keyword itself.
 */
import { DefaultLexerErrorMessageProvider, LangiumParserErrorMessageProvider } from 'langium';
import type { IToken, TokenType } from 'chevrotain';
import { SOFT_KEYWORDS } from './uk-token-builder.js';

const MAX_LISTED = 6;

/** Tokens that read as "a name" to a user: identifiers and the soft keywords. */
function isNameToken(name: string): boolean {
    return name === 'ID' || SOFT_KEYWORDS.has(name);
}

export function describeToken(type: TokenType): string {
    if (isNameToken(type.name)) return 'a name';
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
    // "a name" is the most telling alternative, so it goes first; the rest keep the grammar's order.
    const described = [...new Set(types.map(describeToken))].sort((a, b) => Number(b === 'a name') - Number(a === 'a name'));
    if (described.length > MAX_LISTED) return `${described.slice(0, MAX_LISTED).join(', ')}, ...`;
    if (described.length === 1) return described[0];
    return `${described.slice(0, -1).join(', ')} or ${described[described.length - 1]}`;
}

const DECLARATION_EXPECTED = 'a declaration (const, enum, bitfield, struct, interface, device, fn, server, program or system)';

export class UkParserErrorMessageProvider extends LangiumParserErrorMessageProvider {
    override buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; previous: IToken; ruleName: string }): string {
        if (options.expected.name === 'EOF') {
            return `Unexpected ${describeFound(options.actual)}: expected ${DECLARATION_EXPECTED}.`;
        }
        return `Expected ${describeToken(options.expected)}, but found ${describeFound(options.actual)}.`;
    }

    override buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
        return `Unexpected ${describeFound(options.firstRedundant)}: expected ${DECLARATION_EXPECTED}.`;
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
