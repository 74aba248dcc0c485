/**
 * The hand-written lexer (src/language/parser/fast/fast-lexer.ts) must split text exactly as Langium's
 * lexer does wherever it does not give up: the same token kinds and texts, comments and whitespace left out.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FastLexer } from '../../../src/language/parser/fast/fast-lexer.js';
import { generateText } from '../../../bench/generate-workspace.js';
import { services } from '../../helpers.js';
import { exampleFiles } from './tree-description.js';

const ROOT = path.resolve(__dirname, '../../..');
const langiumLexer = services.Uk.parser.Lexer;
const vocabulary = Object.values(langiumLexer.definition);
const fast = new FastLexer(vocabulary);

/** Langium's tokens as `kind text`, or undefined when it reports a lexing error. */
function langiumTokens(text: string): string[] | undefined {
    const lexed = langiumLexer.tokenize(text);
    if (lexed.errors.length > 0) return undefined;
    return lexed.tokens.map(token => `${token.tokenType.name} ${token.image}`);
}

function fastTokens(text: string): string[] | undefined {
    const lexed = fast.tokenize(text);
    return lexed?.kinds.map((kind, i) => `${kind} ${lexed.images[i]}`);
}

describe('the fast lexer splits text as Langium does', () => {
    const files = [
        ...exampleFiles(path.join(ROOT, 'examples')),
        ...exampleFiles(path.join(ROOT, 'test/fixtures/codegen')),
        ...exampleFiles(path.join(ROOT, 'test/fixtures/broken')).filter(file => !file.endsWith('syntax.uk'))
    ];
    test.each(files.map(file => [path.relative(ROOT, file), file]))('%s', (_name, file) => {
        const text = readFileSync(file, 'utf8');
        const expected = langiumTokens(text);
        expect(expected?.length).toBeGreaterThan(10);
        expect(fastTokens(text)).toEqual(expected);
    });

    test('a generated workspace', () => {
        const text = generateText(3000);
        expect(fastTokens(text)).toEqual(langiumTokens(text));
    });

    test.each([
        ['integers', '0 7 1_000 0x1F_a 0XFF 0b1011 0B1_0 0b102 0x 0b 12abc 1..2'],
        ['words and keywords', 'in inout int_x interface interfaces u8 u8x u64 _a _ at size lens len on only'],
        ['operators, longest first', '<<= << <= < >>= >> >= > -> - -= == = != ! && & &= || | |= .. ... . ^= ^ ~ %= %'],
        ['slashes and comments', 'a/b a /= b // line comment\nc /* block\ncomment */ d /**/ e/*x*/f'],
        ['strings and characters', String.raw`"plain" "with \"quote\"" "tab\t" 'c' '\n' '\'' "a\\" '\\'`],
        ['no spaces', 'fn f(){let x=a.b[1]+c(2,3)*-4 as u8}'],
        ['line endings', 'a\r\nb\rc\nd\t\fe']
    ])('%s', (_name, text) => {
        const expected = langiumTokens(text);
        expect(expected?.length).toBeGreaterThan(4);
        expect(fastTokens(text)).toEqual(expected);
    });

    test('random token soup', () => {
        const pieces = ['a', 'x1', '_', 'in', 'interface', 'u8', 'at', '0', '12', '0x1f', '0b10', '1_0', '"s"', "'c'",
            '1.5', '2.0e-3', '1e9', '3E+2', 'e', 'e5', '1e', '1.', 'f32', 'f64', '0x1e5',
            '+', '-', '->', '<', '<<', '<<=', '=', '==', '!', '!=', '.', '..', '/', '*', '(', ')', '{', '}', '[', ']',
            ',', ';', ':', '@', '&', '&&', '|', '||', '^', '~', '%', '//c\n', '/*c*/', ' ', '\n', '\t', '\u00a0', '\ufeff'];
        let seed = 12345;
        const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
        let compared = 0;
        for (let i = 0; i < 2000; i++) {
            let text = '';
            const count = 1 + next() % 12;
            for (let j = 0; j < count; j++) text += pieces[next() % pieces.length];
            const actual = fastTokens(text);
            // A '/' next to a '*' may open a comment that never closes: the one thing it leaves to Langium.
            if (/\/\*(?![\s\S]*\*\/)/.test(text.replace(/\/\*[\s\S]*?\*\//g, ''))) {
                expect(actual, JSON.stringify(text)).toBeUndefined();
                continue;
            }
            compared++;
            expect(actual, JSON.stringify(text)).toEqual(langiumTokens(text));
        }
        expect(compared).toBe(1996);
    });
});

describe('the fast lexer gives up where Langium has something to say', () => {
    test.each([
        ['an unterminated string', 'const S = "abc'],
        ['a string across lines', 'const S = "a\nb"'],
        ['an unterminated character', "const C = 'a"],
        ['an escaped line end', 'const S = "a\\\nb"'],
        ['an unterminated comment', 'const A = 1 /* no end'],
        ['a character no token starts with', 'const A = 1 $ 2'],
        ['a letter outside ASCII', 'const Ä = 1']
    ])('%s', (_name, text) => {
        expect(fast.tokenize(text)).toBeUndefined();
    });

    test('Unicode spaces and a byte-order mark are whitespace, as in Langium', () => {
        const text = '\ufeffconst\u00a0A\u2003=\u30001\u2028const B = 2';
        const expected = langiumTokens(text);
        expect(expected).toEqual(['const const', 'ID A', '= =', 'INT 1', 'const const', 'ID B', '= =', 'INT 2']);
        expect(fastTokens(text)).toEqual(expected);
    });

    test('non-ASCII inside strings and comments is fine', () => {
        const text = 'const S = "héllo ✓" // ünïcode\n/* ∀ */';
        expect(fastTokens(text)).toEqual(langiumTokens(text));
    });
});

describe('the fast lexer is written for the grammar\'s terminals', () => {
    test('it refuses a grammar whose terminals differ', () => {
        const changed = vocabulary.map(tokenType => tokenType.name === 'INT' ? { ...tokenType, PATTERN: /[0-9]+/ } : tokenType);
        expect(() => new FastLexer(changed))
            .toThrow("the grammar's terminal INT is /[0-9]+/; the fast lexer reads /0[xX][0-9a-fA-F_]*|0[bB][01_]*|[0-9][0-9_]*/");
    });
});
