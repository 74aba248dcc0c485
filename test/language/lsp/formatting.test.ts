/**
 * Formatting through the protocol: the whole document, a range, and on typing `}`, with the exact edits
 * the server sends; nothing for a file with a syntax error.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range } from './lsp-client.js';

const MESSY = [
    'fn f(x:u32)->u32{',
    '  let y=x+1',
    '      return y',
    '}',
    'fn g( ) {',
    'print("g")   // says g',
    '}',
    ''
].join('\n');

const OPTIONS = { options: { tabSize: 2, insertSpaces: true } };

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start();
    await client.open('messy.uk', MESSY);
});
afterAll(() => client.stop());

describe('formatting', () => {
    test('the server offers formatting, range formatting and formatting on typing }', () => {
        const capabilities = client.initializeResult?.capabilities;
        expect(capabilities?.documentFormattingProvider).toBe(true);
        expect(capabilities?.documentRangeFormattingProvider).toBe(true);
        expect(capabilities?.documentOnTypeFormattingProvider).toEqual({ firstTriggerCharacter: '}' });
    });

    test('the whole document: the canonical style, whatever the editor\'s tab size', async () => {
        expect(await client.about('textDocument/formatting', 'messy.uk', OPTIONS)).toEqual([
            edit(0, 7, 0, 7, ' '), edit(0, 11, 0, 11, ' '), edit(0, 13, 0, 13, ' '), edit(0, 16, 0, 16, ' '),
            edit(0, 17, 1, 2, '\n    '), edit(1, 7, 1, 7, ' '), edit(1, 8, 1, 8, ' '), edit(1, 9, 1, 9, ' '), edit(1, 10, 1, 10, ' '),
            edit(1, 11, 2, 6, '\n    '),
            edit(4, 5, 4, 6, ''), edit(4, 9, 5, 0, '\n    '), edit(5, 10, 5, 13, '  ')
        ]);
    });

    test('a range: the edits before the tokens and comments on the lines it covers', async () => {
        expect(await client.about('textDocument/rangeFormatting', 'messy.uk', { range: range(1, 0, 3, 0), ...OPTIONS })).toEqual([
            edit(0, 17, 1, 2, '\n    '), edit(1, 7, 1, 7, ' '), edit(1, 8, 1, 8, ' '), edit(1, 9, 1, 9, ' '), edit(1, 10, 1, 10, ' '),
            edit(1, 11, 2, 6, '\n    ')
        ]);
        expect(await client.about('textDocument/rangeFormatting', 'messy.uk', { range: range(3, 0, 3, 1), ...OPTIONS })).toEqual([]);
    });

    test('typing } formats the lines from the one where what it closes opens to its own', async () => {
        expect(await client.at('textDocument/onTypeFormatting', 'messy.uk', { line: 6, character: 1 }, { ch: '}', ...OPTIONS })).toEqual([
            edit(4, 5, 4, 6, ''), edit(4, 9, 5, 0, '\n    '), edit(5, 10, 5, 13, '  ')
        ]);
    });

    test('a file with a syntax error gets no edits', async () => {
        const broken = 'fn f() {\n  let x =\n}\n';
        await client.open('broken.uk', broken);
        expect(await client.about('textDocument/formatting', 'broken.uk', OPTIONS)).toEqual([]);
        expect(await client.at('textDocument/onTypeFormatting', 'broken.uk', { line: 2, character: 1 }, { ch: '}', ...OPTIONS })).toEqual([]);
    });
});

function edit(startLine: number, startCharacter: number, endLine: number, endCharacter: number, newText: string) {
    return { range: range(startLine, startCharacter, endLine, endCharacter), newText };
}
