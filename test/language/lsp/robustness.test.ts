/**
 * The language server survives whatever it is given: a text that makes Langium's recovering parser fail
 * (typed in the editor and lying on disk at start-up), requests with nonsense parameters, and requests about
 * documents it does not know. After each, it still answers.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range } from './lsp-client.js';

/** Made Langium's recovering parser throw inside `LangiumParser.assign` (issue 15, item 20). */
const PARSER_KILLER = 'program{main(q,=/*';
const FIRST_SYNTAX_ERROR = { message: "Expected a name, but found '{'.", range: range(0, 7, 0, 8) };

describe('a text that broke the recovering parser', () => {
    let client: LspClient;
    beforeAll(async () => {
        client = await LspClient.start({
            files: { 'broken.uk': PARSER_KILLER, 'fine.uk': 'const LIMIT: u32 = 4\n' }
        });
    });
    afterAll(() => client.stop());

    test('on disk at start-up: the workspace is built, and the file has a positioned syntax error', async () => {
        const fine = await client.open('fine.uk', 'const LIMIT: u32 = 4\nconst MORE: u32 = LIMIT + 1\n');
        expect(fine.diagnostics).toEqual([]);
        const symbols = await client.connection.sendRequest('workspace/symbol', { query: 'LIMIT' }) as { name: string }[];
        expect(symbols.map(symbol => symbol.name)).toContain('LIMIT');
        const broken = await client.diagnostics('broken.uk');
        expect(broken.diagnostics[0]).toMatchObject(FIRST_SYNTAX_ERROR);
    });

    test('typed in the editor: a syntax error, and the server keeps answering', async () => {
        const typed = await client.open('typed.uk', 'const A: u32 = 1\n');
        expect(typed.diagnostics).toEqual([]);
        const broken = await client.change('typed.uk', PARSER_KILLER);
        expect(broken.diagnostics[0]).toMatchObject(FIRST_SYNTAX_ERROR);
        expect(client.exitCode).toBeUndefined();
        const repaired = await client.change('typed.uk', 'const A: u32 = 1\n');
        expect(repaired.diagnostics).toEqual([]);
        const hover = await client.at<{ contents: { value: string } } | null>('textDocument/hover', 'typed.uk', { line: 0, character: 6 });
        expect(hover).not.toBeUndefined();
    });
});

describe('failing requests', () => {
    let client: LspClient;
    beforeAll(async () => { client = await LspClient.start(); });
    afterAll(() => client.stop());

    test('a request with nonsense parameters is answered with an error, and the server goes on', async () => {
        await expect(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: 42 }, position: 'here' })).rejects.toThrow();
        await expect(client.connection.sendRequest('textDocument/documentSymbol', {})).rejects.toThrow();
        await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere.uk', version: 3 }, contentChanges: [{ text: 'x' }] });
        const opened = await client.open('after.uk', 'const B: u32 = 2\nconst C: bool = B\n');
        expect(opened.diagnostics.map(d => d.message)).toEqual(["The value of constant 'C' must be bool, not u32."]);
        expect(client.exitCode).toBeUndefined();
    });
});
