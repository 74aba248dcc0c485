/**
 * A match arm's name refers to the union variant it takes, through the protocol: definition, references,
 * document highlight, hover and rename across files (from the arm and from the declaration) reach the
 * arms; an optional's `some` and `none` name nothing declared and stay out of every answer; an arm naming
 * no variant gives the match check's one diagnostic, not a second one from linking.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, range } from './lsp-client.js';

const SHAPES = 'union Shape { circle: u32, square: u32, empty }\n';
const MAIN = [
    'import "shapes.uk"',
    'fn area(s: Shape) -> u32 {',
    '    match s {',
    '        circle(r) { return r * r * 3 }',
    '        square(w) { return w * w }',
    '        empty { return 0 }',
    '    }',
    '}',
    'fn unit() -> Shape {',
    '    return Shape.circle(1)',
    '}',
    'fn size(v: u32?) -> u32 {',
    '    match v {',
    '        some(x) { return x }',
    '        none { return 0 }',
    '    }',
    '}',
    ''
].join('\n');

const CIRCLE_ARM = positionOf(MAIN, 'circle(r)', 1);
const SOME_ARM = positionOf(MAIN, 'some(x)', 1);
const NONE_ARM = positionOf(MAIN, 'none {', 1);

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start({ files: { 'shapes.uk': SHAPES, 'main.uk': MAIN } });
    expect((await client.open('main.uk', MAIN)).diagnostics).toEqual([]);
});
afterAll(() => client.stop());

type Locations = { uri: string; range: unknown }[];
type Edit = { changes: Record<string, { range: unknown; newText: string }[]> };

describe('match arms refer to union variants', () => {
    test('definition of an arm is the variant in the other file', async () => {
        expect(await client.at('textDocument/definition', 'main.uk', CIRCLE_ARM)).toEqual([{
            targetUri: client.uri('shapes.uk'), targetRange: range(0, 14, 0, 25), targetSelectionRange: range(0, 14, 0, 20), originSelectionRange: range(3, 8, 3, 14)
        }]);
    });

    test('references of a variant include the arm, from the arm and from the declaration', async () => {
        const expected = [
            { uri: client.uri('shapes.uk'), range: range(0, 14, 0, 20) },
            { uri: client.uri('main.uk'), range: range(3, 8, 3, 14) },
            { uri: client.uri('main.uk'), range: range(9, 17, 9, 23) }
        ];
        expect(await client.at<Locations>('textDocument/references', 'main.uk', CIRCLE_ARM, { context: { includeDeclaration: true } })).toEqual(expected);
        expect(await client.at<Locations>('textDocument/references', 'shapes.uk', positionOf(SHAPES, 'circle', 1), { context: { includeDeclaration: true } })).toEqual(expected);
        expect(await client.at('textDocument/documentHighlight', 'main.uk', CIRCLE_ARM)).toEqual([{ range: range(3, 8, 3, 14) }, { range: range(9, 17, 9, 23) }]);
    });

    test('hover on an arm shows the variant', async () => {
        expect(await client.at('textDocument/hover', 'main.uk', CIRCLE_ARM)).toEqual({ contents: { kind: 'markdown', value: '```uk\ncircle: u32\n```' } });
    });

    test('rename from an arm and from the declaration edits the declaration, the arm and the constructor', async () => {
        expect(await client.at('textDocument/prepareRename', 'main.uk', CIRCLE_ARM)).toEqual(range(3, 8, 3, 14));
        expect((await client.at<Edit>('textDocument/rename', 'main.uk', CIRCLE_ARM, { newName: 'round' })).changes).toEqual({
            [client.uri('shapes.uk')]: [{ range: range(0, 14, 0, 20), newText: 'round' }],
            [client.uri('main.uk')]: [{ range: range(3, 8, 3, 14), newText: 'round' }, { range: range(9, 17, 9, 23), newText: 'round' }]
        });
        expect((await client.at<Edit>('textDocument/rename', 'shapes.uk', positionOf(SHAPES, 'empty', 1), { newName: 'blank' })).changes).toEqual({
            [client.uri('shapes.uk')]: [{ range: range(0, 40, 0, 45), newText: 'blank' }],
            [client.uri('main.uk')]: [{ range: range(5, 8, 5, 13), newText: 'blank' }]
        });
        await expect(client.at('textDocument/rename', 'main.uk', CIRCLE_ARM, { newName: 'square' })).rejects.toThrow("'square' is already declared in shapes.uk on line 1.");
    });

    test("an optional's some and none refer to nothing", async () => {
        for (const arm of [SOME_ARM, NONE_ARM]) {
            expect(await client.at('textDocument/definition', 'main.uk', arm)).toBeNull();
            expect(await client.at('textDocument/prepareRename', 'main.uk', arm)).toBeNull();
            expect(await client.at('textDocument/hover', 'main.uk', arm)).toBeNull();
        }
    });

    test('an arm naming no variant gives one diagnostic, at the name', async () => {
        const misspelt = MAIN.replace('circle(r)', 'circel(r)');
        const published = await client.change('main.uk', misspelt);
        expect(published.diagnostics.map(diagnostic => [diagnostic.code, diagnostic.message, diagnostic.range])).toEqual([
            ['unknown-variant', "Shape has no variant 'circel'; its variants are circle, square, empty.", range(3, 8, 3, 14)],
            ['non-exhaustive-match', "This match does not cover 'circle'; add an arm or an 'else' arm.", range(2, 4, 2, 9)]
        ]);
        expect((await client.change('main.uk', MAIN)).diagnostics).toEqual([]);
    });
});
