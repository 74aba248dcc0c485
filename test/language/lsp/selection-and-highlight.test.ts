/** Expand selection and document highlight through the protocol, with exact ranges. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, range, type Range } from './lsp-client.js';

const TEXT = 'fn twice(count: u32) -> u32 {\n    let total = count + count\n    return total\n}\n';

interface SelectionRange { range: Range; parent?: SelectionRange }

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start();
    await client.open('main.uk', TEXT);
});
afterAll(() => client.stop());

describe('selection ranges', () => {
    test('from a name outwards: the name, the sum, the statement, the body, the function, the file', async () => {
        expect(client.initializeResult?.capabilities).toHaveProperty('selectionRangeProvider', true);
        const [selection] = await client.about<SelectionRange[]>('textDocument/selectionRange', 'main.uk', { positions: [positionOf(TEXT, 'count +', 2)] });
        const chain: Range[] = [];
        for (let current: SelectionRange | undefined = selection; current; current = current.parent) chain.push(current.range);
        expect(chain).toEqual([
            range(1, 16, 1, 21), // count
            range(1, 16, 1, 29), // count + count
            range(1, 4, 1, 29), // let total = count + count
            range(0, 28, 3, 1), // { ... }
            range(0, 0, 3, 1) // fn twice ... (and the file, which is no larger)
        ]);
    });
});

describe('document highlight', () => {
    test('a parameter: its declaration and both uses', async () => {
        const highlights = await client.at<{ range: Range }[]>('textDocument/documentHighlight', 'main.uk', positionOf(TEXT, 'count:', 1));
        expect(highlights.map(highlight => highlight.range)).toEqual([range(0, 9, 0, 14), range(1, 16, 1, 21), range(1, 24, 1, 29)]);
    });
});
