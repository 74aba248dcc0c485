/** Rename through the protocol: exact ranges from prepareRename, edits in every file, refusals with reasons. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, range } from './lsp-client.js';

const TYPES = 'struct Key { hi: u32, lo: u16 }\nconst LIMIT: u32 = 4\n';
const MAIN = 'import "types.uk"\nfn first(key: Key, count: u32) -> u32 {\n    let total = key.hi + count\n    return total + LIMIT\n}\n';

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start({ files: { 'types.uk': TYPES, 'main.uk': MAIN } });
    await client.open('main.uk', MAIN);
});
afterAll(() => client.stop());

function rename(needle: string, newName: string, shift = 0) {
    return client.at<{ changes: Record<string, { range: unknown; newText: string }[]> }>('textDocument/rename', 'main.uk', positionOf(MAIN, needle, shift), { newName });
}

describe('rename', () => {
    test('prepareRename gives the exact range of the name', async () => {
        expect(await client.at('textDocument/prepareRename', 'main.uk', positionOf(MAIN, 'Key,', 1))).toEqual(range(1, 14, 1, 17));
        expect(await client.at('textDocument/prepareRename', 'main.uk', positionOf(MAIN, 'hi +', 1))).toEqual(range(2, 20, 2, 22));
    });

    test('builtin types and keywords cannot be renamed', async () => {
        expect(await client.at('textDocument/prepareRename', 'main.uk', positionOf(MAIN, 'u32) ->', 1))).toBeNull();
        expect(await client.at('textDocument/prepareRename', 'main.uk', positionOf(MAIN, 'return', 1))).toBeNull();
        await expect(rename('u32) ->', 'word', 1)).rejects.toThrow('Only names declared in uk sources can be renamed; builtin types and keywords cannot.');
    });

    test('a type across files: its declaration and every use', async () => {
        const edit = await rename('Key,', 'Id', 1);
        expect(edit.changes).toEqual({
            [client.uri('main.uk')]: [{ range: range(1, 14, 1, 17), newText: 'Id' }],
            [client.uri('types.uk')]: [{ range: range(0, 7, 0, 10), newText: 'Id' }]
        });
    });

    test('a field and a local', async () => {
        expect((await rename('hi +', 'high', 1)).changes).toEqual({
            [client.uri('main.uk')]: [{ range: range(2, 20, 2, 22), newText: 'high' }],
            [client.uri('types.uk')]: [{ range: range(0, 13, 0, 15), newText: 'high' }]
        });
        expect((await rename('total +', 'sum', 1)).changes).toEqual({
            [client.uri('main.uk')]: [{ range: range(2, 8, 2, 13), newText: 'sum' }, { range: range(3, 11, 3, 16), newText: 'sum' }]
        });
    });

    test('refuses names that are not identifiers, keywords and names already declared there', async () => {
        await expect(rename('total +', '1 bad', 1)).rejects.toThrow("'1 bad' is not a name: a name starts with a letter or '_' and has only letters, digits and '_'.");
        await expect(rename('total +', 'server', 1)).rejects.toThrow("'server' is a keyword of uk.");
        await expect(rename('total +', 'count', 1)).rejects.toThrow("'count' is already declared on line 2.");
        await expect(rename('hi +', 'lo', 1)).rejects.toThrow("'lo' is already declared in types.uk on line 1.");
        await expect(rename('first', 'LIMIT', 1)).rejects.toThrow("'LIMIT' is already declared in types.uk on line 2.");
    });
});
