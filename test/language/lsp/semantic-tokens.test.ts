/** Semantic tokens through the protocol: the legend, and every name's token type and modifiers, in full and in a range. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range } from './lsp-client.js';

const SOURCE = [
    'enum Mode : u8 { Fast = 1 }',
    'struct Pair { a: u32, b: u32 }',
    'interface Clock {',
    '    @ordinal(3) now(mode: Mode) -> u64',
    '}',
    'server Timer implements Clock {',
    '    var ticks: u64 = 0',
    '    on now(mode) {',
    '        let start = ticks',
    '        var step: u64 = 1',
    '        step = step + start',
    '        reply step',
    '    }',
    '}',
    'program Tick {',
    '    uses clock: Clock',
    '    main { let p = Pair { a: 1, b: 2 }',
    '        print("{}", clock.now(Mode.Fast) + p.a as u64) }',
    '}',
    'system S {',
    '    instance timer: Timer { priority: 10 }',
    '    instance tick: Tick { priority: 5 }',
    '    connect tick.clock -> timer',
    '}',
    ''
].join('\n');

interface Legend { tokenTypes: string[]; tokenModifiers: string[] }

let client: LspClient;
let legend: Legend;
beforeAll(async () => {
    client = await LspClient.start({ capabilities: { textDocument: { semanticTokens: { requests: { full: true, range: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'] } } } });
    legend = (client.initializeResult?.capabilities.semanticTokensProvider as { legend: Legend }).legend;
    await client.open('clock.uk', SOURCE);
});
afterAll(() => client.stop());

/** Decodes the protocol's relative encoding into `line:character text type modifiers` lines. */
function decode(data: number[]): string[] {
    const lines = SOURCE.split('\n');
    const tokens: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < data.length; i += 5) {
        line += data[i];
        character = data[i] === 0 ? character + data[i + 1] : data[i + 1];
        const text = lines[line].slice(character, character + data[i + 2]);
        const modifiers = legend.tokenModifiers.filter((_, bit) => (data[i + 4] & (1 << bit)) !== 0);
        tokens.push([`${line}:${character}`, text, legend.tokenTypes[data[i + 3]], ...modifiers].join(' '));
    }
    return tokens;
}

describe('semantic tokens', () => {
    test('the legend has the standard types and modifiers, and ukc\'s capability and mutable', () => {
        expect(legend.tokenTypes).toContain('enumMember');
        expect(legend.tokenModifiers).toEqual([
            'abstract', 'async', 'declaration', 'defaultLibrary', 'definition', 'deprecated', 'documentation',
            'modification', 'readonly', 'static', 'capability', 'mutable'
        ]);
        expect(client.initializeResult?.capabilities.semanticTokensProvider).toMatchObject({ full: { delta: false }, range: true });
    });

    test('full: declarations and uses, with state, lets, vars, capabilities and builtin types told apart', async () => {
        const tokens = await client.about<{ data: number[] }>('textDocument/semanticTokens/full', 'clock.uk');
        expect(decode(tokens.data)).toEqual([
            '0:5 Mode enum declaration',
            '0:12 u8 type defaultLibrary',
            '0:17 Fast enumMember declaration readonly',
            '1:7 Pair struct declaration',
            '1:14 a property declaration',
            '1:17 u32 type defaultLibrary',
            '1:22 b property declaration',
            '1:25 u32 type defaultLibrary',
            '2:10 Clock interface declaration',
            '3:5 ordinal decorator',
            '3:16 now method declaration',
            '3:20 mode parameter declaration readonly',
            '3:26 Mode enum',
            '3:35 u64 type defaultLibrary',
            '5:7 Timer class declaration',
            '5:24 Clock interface',
            '6:8 ticks variable declaration static mutable',
            '6:15 u64 type defaultLibrary',
            '7:7 now method',
            '7:11 mode parameter declaration readonly',
            '8:12 start variable declaration readonly',
            '8:20 ticks variable static mutable',
            '9:12 step variable declaration mutable',
            '9:18 u64 type defaultLibrary',
            '10:8 step variable mutable',
            '10:15 step variable mutable',
            '10:22 start variable readonly',
            '11:14 step variable mutable',
            '14:8 Tick class declaration',
            '15:9 clock variable declaration readonly capability',
            '15:16 Clock interface',
            '16:15 p variable declaration readonly',
            '16:19 Pair struct',
            '16:26 a property',
            '16:32 b property',
            '17:20 clock variable readonly capability',
            '17:26 now method',
            '17:30 Mode enum',
            '17:35 Fast enumMember readonly',
            '17:43 p variable readonly',
            '17:45 a property',
            '17:50 u64 type defaultLibrary',
            '19:7 S namespace declaration',
            '20:13 timer variable declaration readonly',
            '20:20 Timer class',
            '20:28 priority property',
            '21:13 tick variable declaration readonly',
            '21:19 Tick class',
            '21:26 priority property',
            '22:12 tick variable readonly',
            '22:17 clock variable readonly capability',
            '22:26 timer variable readonly'
        ]);
    });

    test('range: only the tokens inside it', async () => {
        const tokens = await client.about<{ data: number[] }>('textDocument/semanticTokens/range', 'clock.uk', { range: range(8, 0, 10, 0) });
        expect(decode(tokens.data)).toEqual([
            '8:12 start variable declaration readonly',
            '8:20 ticks variable static mutable',
            '9:12 step variable declaration mutable',
            '9:18 u64 type defaultLibrary'
        ]);
    });
});
