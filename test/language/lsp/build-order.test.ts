/**
 * The open file first, through the protocol: its diagnostics are the first published at start-up, while
 * requests about the whole workspace, sent before the workspace is built, still answer for all of it;
 * completion and hover sent with an edit (which wait only for the edited file's scopes) answer for the new text.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { LspClient, range } from './lsp-client.js';

const TYPES = 'package app\n\nstruct Pair { a: u32, b: u32 }\n';
const user = (name: string) => `package app\nimport "types.uk"\n\nfn ${name}(p: Pair) -> u32 {\n    return p.a\n}\n`;
const FILES: Record<string, string> = {
    'app/types.uk': TYPES,
    'app/one.uk': user('one'),
    'app/two.uk': user('two'),
    'app/three.uk': `${user('three')}const BAD: u8 = 300\n`
};

const clients: LspClient[] = [];
afterAll(async () => { await Promise.all(clients.map(client => client.stop())); });

describe('the open file first', () => {
    test('its diagnostics are published before any other file\'s; references asked at once find every file', async () => {
        const client = await LspClient.start({ files: FILES });
        clients.push(client);
        const opened = client.open('app/one.uk', FILES['app/one.uk']);
        const references = client.at<{ uri: string; range: unknown }[]>('textDocument/references', 'app/one.uk', { line: 3, character: 10 }, { context: { includeDeclaration: true } });
        // The declaration and the references, in the open file and in files not open (whose ranges come from
        // CSTs built only now, parser/fast/deferred-cst.ts); sorted by file, as the index's order is the
        // order files were loaded in.
        const byFile = (locations: (string | unknown)[][]) => [...locations].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        expect(byFile((await references).map(location => [location.uri, location.range]))).toEqual(byFile([
            [client.uri('app/types.uk'), range(2, 7, 2, 11)],
            [client.uri('app/one.uk'), range(3, 10, 3, 14)],
            [client.uri('app/three.uk'), range(3, 12, 3, 16)],
            [client.uri('app/two.uk'), range(3, 10, 3, 14)]
        ]));
        expect((await opened).diagnostics).toEqual([]);
        const three = await client.diagnostics('app/three.uk');
        expect(three.diagnostics.map(diagnostic => [diagnostic.message, diagnostic.range])).toEqual([["Constant 300 does not fit u8 (0..255).", range(6, 16, 6, 19)]]);
        await Promise.all(Object.keys(FILES).map(name => client.diagnostics(name)));
        expect(client.publishOrder[0]).toBe(client.uri('app/one.uk'));
        expect(new Set(client.publishOrder)).toEqual(new Set(Object.keys(FILES).map(name => client.uri(name))));
    });
});

describe('requests right after an edit', () => {
    test('completion and hover sent with the edit answer for the new text (they run before the file is linked)', async () => {
        const client = await LspClient.start({ files: FILES });
        clients.push(client);
        await client.open('app/one.uk', FILES['app/one.uk']);
        // The edit adds a line above, so the old tree would answer at the wrong place; nothing is awaited
        // between the edit and the requests.
        const edited = FILES['app/one.uk'].replace('fn one', 'const EXTRA: u32 = 1\nfn one');
        const diagnostics = client.change('app/one.uk', edited);
        const hover = client.at<{ contents: { value: string } }>('textDocument/hover', 'app/one.uk', { line: 4, character: 11 });
        const completion = client.at<{ items: { label: string }[] }>('textDocument/completion', 'app/one.uk', { line: 5, character: 13 }, { context: { triggerKind: 2, triggerCharacter: '.' } });
        expect((await hover).contents.value).toBe('```uk\nstruct Pair { a: u32, b: u32 }\n```\n\nsize 8 bytes: a: u32 4 bytes, b: u32 4 bytes');
        expect((await completion).items.map(item => item.label)).toEqual(['a', 'b']);
        expect((await diagnostics).diagnostics).toEqual([]);
    });
});
