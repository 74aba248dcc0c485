/**
 * Completion that knows what the place expects, through the protocol: in a call's arguments, after `=`,
 * `==` and `!=`, the names of the expected type first and an enum's members; in a struct literal the fields
 * not yet given; in `connect`, the instances. Nothing is dropped: the rest follow (sortText).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, range } from './lsp-client.js';

const SOURCE = `enum Mode : u8 { Read = 0, Write = 1 }
struct Point { x: u32, y: u32, z: u16 }
const LIMIT = 8

interface Dev {
    set(mode: Mode, level: u32) -> Mode
}

server D implements Dev {
    on set(mode, level) { reply mode }
}

program P {
    uses dev: Dev
    var current: Mode = Mode.Read
    var count: u32 = 0

    fn draw(p: Point, m: Mode) -> u32 { return p.x }

    main {
        let level: u32 = 3
        let flag = true
        /*HERE*/
    }
}

system S {
    instance d: D { priority: 10 }
    instance p: P { priority: 5 }
    /*SYSTEM*/
}
`;

interface Item { label: string; kind: number; detail?: string; sortText?: string; textEdit?: { range: unknown; newText: string } }

let client: LspClient;
let count = 0;
beforeAll(async () => { client = await LspClient.start(); });
afterAll(() => client.stop());

/** Completes at the end of `typed` written at `marker`; the items in the order an editor lists them. */
async function complete(typed: string, marker = '/*HERE*/'): Promise<Item[]> {
    const text = SOURCE.replace(marker, typed);
    const name = `expected${count++}.uk`;
    await client.open(name, text);
    const list = await client.at<{ items: Item[] }>('textDocument/completion', name, positionOf(text, typed, typed.length), { context: { triggerKind: 1 } });
    return [...list.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label));
}

/** Labels with their sort texts, as listed. */
const ranked = (items: Item[]) => items.map(item => `${item.label}:${item.sortText}`);

describe('completion by expected type', () => {
    test("an enum argument: the enum's members, then names of the enum's type, then the rest", async () => {
        const items = await complete('dev.set(');
        expect(ranked(items)).toEqual([
            'current:0', 'Mode:0', 'Mode.Read:0', 'Mode.Write:0',
            ...['badge:1', 'count:1', 'defer:1', 'dev:1', 'draw:1', 'false:1', 'flag:1', 'len:1', 'level:1', 'LIMIT:1', 'none:1', 'pending:1', 'Point:1', 'poll:1', 'push:1', 'signal:1', 'true:1', 'try:1', 'wait:1']
        ]);
        const at = positionOf(SOURCE.replace('/*HERE*/', 'dev.set('), 'dev.set(', 8);
        expect(items.find(item => item.label === 'Mode.Write')).toEqual({
            label: 'Mode.Write', kind: 20, detail: 'Mode', sortText: '0', textEdit: { range: range(at.line, at.character, at.line, at.character), newText: 'Mode.Write' }
        });
    });

    test('an integer argument: the variables and constants that fit first, nothing dropped', async () => {
        expect(ranked(await complete('dev.set(Mode.Read, '))).toEqual([
            'count:0', 'level:0', 'LIMIT:0',
            ...['badge:1', 'current:1', 'defer:1', 'dev:1', 'draw:1', 'false:1', 'flag:1', 'len:1', 'Mode:1', 'none:1', 'pending:1', 'Point:1', 'poll:1', 'push:1', 'signal:1', 'true:1', 'try:1', 'wait:1']
        ]);
    });

    test('a partly typed argument of a helper function: what starts so, the typed part replaced', async () => {
        const items = await complete('count = draw(Point { x: 1, y: 2, z: 3 }, Mo');
        const at = positionOf(SOURCE.replace('/*HERE*/', 'count = draw(Point { x: 1, y: 2, z: 3 }, Mo'), ', Mo', 2);
        expect(items.filter(item => item.sortText === '0').map(item => [item.label, item.textEdit?.range])).toEqual([
            ['Mode', range(at.line, at.character, at.line, at.character + 2)],
            ['Mode.Read', range(at.line, at.character, at.line, at.character + 2)],
            ['Mode.Write', range(at.line, at.character, at.line, at.character + 2)]
        ]);
    });

    test('after == and != against an enum value, and after = to an enum variable: its members first', async () => {
        const expected = ['current:0', 'Mode:0', 'Mode.Read:0', 'Mode.Write:0'];
        for (const typed of ['if current == ', 'if current != ', 'current = ']) {
            const items = ranked(await complete(typed));
            expect(items.slice(0, 4)).toEqual(expected);
            expect(items.slice(4)).toEqual(['badge:1', 'count:1', 'defer:1', 'dev:1', 'draw:1', 'false:1', 'flag:1', 'len:1', 'level:1', 'LIMIT:1', 'none:1', 'pending:1', 'Point:1', 'poll:1', 'push:1', 'signal:1', 'true:1', 'try:1', 'wait:1']);
        }
    });

    test('after = to an integer: the integers first', async () => {
        expect(ranked(await complete('count = ')).filter(item => item.endsWith(':0'))).toEqual(['count:0', 'level:0', 'LIMIT:0']);
    });

    test('a struct literal: the fields not yet given, with their types', async () => {
        expect((await complete('count = draw(Point { ')).map(item => [item.label, item.kind, item.detail])).toEqual([
            ['x', 5, 'u32'], ['y', 5, 'u32'], ['z', 5, 'u16']
        ]);
        expect((await complete('count = draw(Point { x: draw(Point { x: 1, y: 1, z: 1 }, Mode.Read), ')).map(item => item.label)).toEqual(['y', 'z']);
        // A struct's declaration is not a literal: its field names are new.
        const declaring = await complete('struct Point { x: u32, y: u32, z: u16 }\nstruct Point { ', 'struct Point { x: u32, y: u32, z: u16 }');
        expect(declaring.some(item => item.kind === 5)).toBe(false);
    });

    test('connect: the instances, those that serve the port first', async () => {
        expect(ranked(await complete('connect ', '/*SYSTEM*/'))).toEqual(['d:0', 'p:0']);
        expect(ranked(await complete('connect p.dev -> ', '/*SYSTEM*/'))).toEqual(['d:0', 'p:1']);
    });

    test('a union argument: its variants first; an optional argument: none first', async () => {
        const text = 'union Shape { circle: u32, empty }\nprogram Q {\n    fn f(s: Shape, o: u8?) { }\n    fn g(t: Shape) {\n        f(/*A*/\n    }\n}\n';
        const at = async (typed: string) => {
            const source = text.replace('/*A*/', typed);
            const name = `expected${count++}.uk`;
            await client.open(name, source);
            const list = await client.at<{ items: Item[] }>('textDocument/completion', name, positionOf(source, `        f(${typed}`, typed.length + 10), { context: { triggerKind: 1 } });
            return ranked([...list.items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label) || a.label.localeCompare(b.label)))
                .filter(item => item.endsWith(':0'));
        };
        expect(await at('')).toEqual(['Shape:0', 'Shape.circle:0', 'Shape.empty:0', 't:0']);
        expect(await at('t, ')).toEqual(['none:0']);
    });

    test('where nothing is expected, Langium\'s order stands', async () => {
        const items = ranked(await complete('let x = 1\n        '));
        expect(items).toContain('count:0');
        expect(items.some(item => item.startsWith('Mode.'))).toBe(false);
    });
});
