/**
 * A hand-written lexer for the fast parser's deferred mode (no CST, so no positions or comments needed).
 * It splits text into the tokens Langium's lexer (Chevrotain, built from the grammar) produces: the same
 * kinds and the same text, in two plain arrays instead of a token object each. It does not report errors:
 * on anything unusual (a character no token starts with, an unterminated comment, string or character
 * literal) it gives up and the caller uses Langium's lexer, which knows what to say.
 *
 * The keywords come from the token types Langium's lexer is built from; the terminals (identifiers, integers, strings, characters,
 * whitespace and comments) are written out here, so the constructor checks that the grammar still defines
 * them as this code reads them. test/language/parser/fast-lexer.test.ts compares the two lexers.
 */
import type { TokenType } from 'chevrotain';

/** Token kinds (Chevrotain's token type names: the keyword itself, or a terminal's name) and texts. */
export interface LexedText {
    readonly kinds: string[];
    readonly images: string[];
}

/** The terminal rules this lexer implements, as the grammar spells their patterns. */
const EXPECTED_TERMINALS: Readonly<Record<string, string>> = {
    WS: '\\s+',
    ML_COMMENT: '\\/\\*[\\s\\S]*?\\*\\/',
    SL_COMMENT: '\\/\\/[^\\n\\r]*',
    FLOAT: '[0-9][0-9_]*(\\.[0-9][0-9_]*([eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+)',
    INT: '0[xX][0-9a-fA-F_]*|0[bB][01_]*|[0-9][0-9_]*',
    ID: '[_a-zA-Z][\\w]*',
    STRING: '"(\\\\.|[^"\\\\\\r\\n])*"',
    CHAR: '\'(\\\\.|[^\'\\\\\\r\\n])*\''
};

const enum Char {
    Tab = 9, LineFeed = 10, VerticalTab = 11, FormFeed = 12, CarriageReturn = 13, Space = 32,
    DoubleQuote = 34, Quote = 39, Star = 42, Plus = 43, Minus = 45, Dot = 46, Slash = 47, Zero = 48, Nine = 57,
    UpperA = 65, UpperB = 66, UpperE = 69, UpperF = 70, UpperX = 88, UpperZ = 90, Backslash = 92, Underscore = 95,
    LowerA = 97, LowerB = 98, LowerE = 101, LowerF = 102, LowerX = 120, LowerZ = 122, LineSeparator = 0x2028, ParagraphSeparator = 0x2029
}

function isWordStart(c: number): boolean {
    return (c >= Char.LowerA && c <= Char.LowerZ) || (c >= Char.UpperA && c <= Char.UpperZ) || c === Char.Underscore;
}

function isWordPart(c: number): boolean {
    return isWordStart(c) || (c >= Char.Zero && c <= Char.Nine);
}

function isDigit(c: number): boolean {
    return c >= Char.Zero && c <= Char.Nine;
}

function isHexDigitOrUnderscore(c: number): boolean {
    return isDigit(c) || (c >= Char.LowerA && c <= Char.LowerF) || (c >= Char.UpperA && c <= Char.UpperF) || c === Char.Underscore;
}

/** What JavaScript's `\s` matches (the grammar's WS terminal): ASCII spaces and Unicode's, and the BOM. */
function isSpace(c: number): boolean {
    if (c < 128) return c === Char.Space || (c >= Char.Tab && c <= Char.CarriageReturn);
    return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === Char.LineSeparator || c === Char.ParagraphSeparator
        || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** What JavaScript's `.` does not match: a line terminator. */
function isLineTerminator(c: number): boolean {
    return c === Char.LineFeed || c === Char.CarriageReturn || c === Char.LineSeparator || c === Char.ParagraphSeparator;
}

export class FastLexer {
    /** Keywords that look like words (`interface`, `u8`, `at`), by their text. */
    private readonly wordKeywords = new Map<string, string>();
    /** Punctuation keywords by first character, longest first (Chevrotain tries the longest keyword first). */
    private readonly symbols = new Map<number, string[]>();

    /** `tokens`: the token types Langium's token builder makes from the grammar (its lexer's vocabulary). */
    constructor(tokens: readonly TokenType[]) {
        const terminals = new Map<string, string>();
        for (const tokenType of tokens) {
            const name = tokenType.name;
            const pattern = tokenType.PATTERN;
            if (name in EXPECTED_TERMINALS) {
                terminals.set(name, pattern instanceof RegExp ? pattern.source : String(pattern));
            } else if (typeof pattern === 'string' && pattern === name) {
                if (/^[_a-zA-Z]\w*$/.test(name)) {
                    this.wordKeywords.set(name, name);
                } else {
                    const first = name.charCodeAt(0);
                    const list = this.symbols.get(first) ?? [];
                    list.push(name);
                    this.symbols.set(first, list);
                }
            } else {
                throw new Error(`the fast lexer does not know token '${name}'`);
            }
        }
        for (const [name, source] of Object.entries(EXPECTED_TERMINALS)) {
            if (terminals.get(name) !== source) {
                throw new Error(`the grammar's terminal ${name} is /${terminals.get(name)}/; the fast lexer reads /${source}/`);
            }
        }
        for (const list of this.symbols.values()) list.sort((a, b) => b.length - a.length);
    }

    /** The tokens of `text`, or undefined where this lexer leaves the text to Langium's. */
    tokenize(text: string): LexedText | undefined {
        const kinds: string[] = [];
        const images: string[] = [];
        const length = text.length;
        let pos = 0;
        while (pos < length) {
            const c = text.charCodeAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (isWordStart(c)) {
                let end = pos + 1;
                while (end < length && isWordPart(text.charCodeAt(end))) end++;
                const word = text.slice(pos, end);
                const keyword = this.wordKeywords.get(word);
                kinds.push(keyword ?? 'ID');
                images.push(keyword ?? word);
                pos = end;
            } else if (isDigit(c)) {
                const floatEnd = this.floatEnd(text, pos);
                const end = floatEnd ?? this.integerEnd(text, pos);
                kinds.push(floatEnd === undefined ? 'INT' : 'FLOAT');
                images.push(text.slice(pos, end));
                pos = end;
            } else if (c === Char.Slash && text.charCodeAt(pos + 1) === Char.Slash) {
                pos += 2;
                while (pos < length && text.charCodeAt(pos) !== Char.LineFeed && text.charCodeAt(pos) !== Char.CarriageReturn) pos++;
            } else if (c === Char.Slash && text.charCodeAt(pos + 1) === Char.Star) {
                const close = text.indexOf('*/', pos + 2);
                if (close < 0) return undefined;
                pos = close + 2;
            } else if (c === Char.DoubleQuote || c === Char.Quote) {
                const end = this.quotedEnd(text, pos, c);
                if (end < 0) return undefined;
                kinds.push(c === Char.DoubleQuote ? 'STRING' : 'CHAR');
                images.push(text.slice(pos, end));
                pos = end;
            } else {
                const symbol = this.symbolAt(text, pos, c);
                if (symbol === undefined) return undefined;
                kinds.push(symbol);
                images.push(symbol);
                pos += symbol.length;
            }
        }
        return { kinds, images };
    }

    /**
     * FLOAT: decimal digits (with `_`), then `.` and a digit and maybe an exponent, or an exponent alone;
     * undefined when the number is none (then it is an INT).
     */
    private floatEnd(text: string, start: number): number | undefined {
        let end = start + 1;
        for (let c = text.charCodeAt(end); isDigit(c) || c === Char.Underscore; c = text.charCodeAt(end)) end++;
        if (text.charCodeAt(end) === Char.Dot && isDigit(text.charCodeAt(end + 1))) {
            end += 2;
            for (let c = text.charCodeAt(end); isDigit(c) || c === Char.Underscore; c = text.charCodeAt(end)) end++;
            return this.exponentEnd(text, end) ?? end;
        }
        return this.exponentEnd(text, end);
    }

    /** The end of `e`, an optional sign and digits at `start`, or undefined when there is no exponent there. */
    private exponentEnd(text: string, start: number): number | undefined {
        const e = text.charCodeAt(start);
        if (e !== Char.LowerE && e !== Char.UpperE) return undefined;
        let end = start + 1;
        const sign = text.charCodeAt(end);
        if (sign === Char.Plus || sign === Char.Minus) end++;
        if (!isDigit(text.charCodeAt(end))) return undefined;
        while (isDigit(text.charCodeAt(end))) end++;
        return end;
    }

    /** INT: `0x` hex digits, `0b` binary digits, or decimal digits, each with `_` separators. */
    private integerEnd(text: string, start: number): number {
        let end = start + 1;
        const next = text.charCodeAt(end);
        if (text.charCodeAt(start) === Char.Zero && (next === Char.LowerX || next === Char.UpperX)) {
            end++;
            while (end < text.length && isHexDigitOrUnderscore(text.charCodeAt(end))) end++;
        } else if (text.charCodeAt(start) === Char.Zero && (next === Char.LowerB || next === Char.UpperB)) {
            end++;
            for (let c = text.charCodeAt(end); c === Char.Zero || c === Char.Zero + 1 || c === Char.Underscore; c = text.charCodeAt(end)) end++;
        } else {
            for (let c = text.charCodeAt(end); isDigit(c) || c === Char.Underscore; c = text.charCodeAt(end)) end++;
        }
        return end;
    }

    /** The end of a string or character literal opened by `quote` at `start`, or -1 if it is not closed. */
    private quotedEnd(text: string, start: number, quote: number): number {
        let pos = start + 1;
        while (pos < text.length) {
            const c = text.charCodeAt(pos);
            if (c === quote) return pos + 1;
            if (c === Char.Backslash) {
                // `\\.`: a backslash and any character but a line terminator.
                if (pos + 1 >= text.length || isLineTerminator(text.charCodeAt(pos + 1))) return -1;
                pos += 2;
            } else if (c === Char.LineFeed || c === Char.CarriageReturn) {
                return -1;
            } else {
                pos++;
            }
        }
        return -1;
    }

    private symbolAt(text: string, pos: number, c: number): string | undefined {
        const candidates = this.symbols.get(c);
        if (!candidates) return undefined;
        for (const symbol of candidates) {
            if (text.startsWith(symbol, pos)) return symbol;
        }
        return undefined;
    }
}
