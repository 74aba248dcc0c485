/** Hover through the protocol: every named thing shows its declaration, what it holds and its doc comment. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, positionOf, ROOT } from './lsp-client.js';

const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8');

let client: LspClient;
beforeAll(async () => {
    client = await LspClient.start({ files: { 'kv.uk': KV } });
    await client.open('kv.uk', KV);
});
afterAll(() => client.stop());

async function hoverAt(needle: string, shift = 0, occurrence = 0, name = 'kv.uk', text = KV): Promise<string | null> {
    const hover = await client.at<{ contents: { kind: string; value: string } } | null>('textDocument/hover', name, positionOf(text, needle, shift, occurrence));
    if (hover) expect(hover.contents.kind).toBe('markdown');
    return hover ? hover.contents.value : null;
}

describe('hover', () => {
    test('a union shows its bits: where the tag lies and each variant\'s payload', async () => {
        const text = 'struct P { x: i8, y: i8 }\nunion Shape { circle: u32, point: P, empty }\ninterface G { put(s: Shape) -> u8? }\n';
        await client.open('shape.uk', text);
        expect(await hoverAt('Shape', 1, 0, 'shape.uk', text)).toBe([
            '```uk', 'union Shape { circle: u32, point: P, empty }', '```', '',
            '34 bits in a message', '', '```text',
            'Shape: tag at 0..1, payload region 2..33, unused bits 0',
            'Shape: tag 0 circle: u32 at 2..33',
            'Shape: tag 1 point: P { x: i8 at 2..9, y: i8 at 10..17 }',
            'Shape: tag 2 empty',
            '```'
        ].join('\n'));
        expect(await hoverAt('put', 1, 0, 'shape.uk', text)).toBe([
            '**G.put** on ukvm32', '', '```text',
            'put  ordinal 1',
            '  request  label 1, 2 words in registers, fastpath',
            '    MR0-MR1 a2-a3   0..31   s: Shape',
            '                            s: tag at 0..1, payload region 2..33, unused bits 0',
            '                            s: tag 0 circle: u32 at 2..33',
            '                            s: tag 1 point: P { x: i8 at 2..9, y: i8 at 10..17 }',
            '                            s: tag 2 empty',
            '  reply    label 0, 1 word in registers, fastpath',
            '    MR0     a2      0..8    result: u8?',
            '                            result: tag at 0..0, payload region 1..8, unused bits 0',
            '                            result: tag 0 none',
            '                            result: tag 1 some: u8 at 1..8',
            '```'
        ].join('\n'));
    });

    test('a method shows its doc comment and message layout on the bundled machine', async () => {
        const text = 'interface Clock {\n    /** Reads the time. */\n    now(precise: bool) -> u64\n}\n';
        await client.open('clock.uk', text);
        expect(await hoverAt('now', 1, 0, 'clock.uk', text)).toBe([
            'Reads the time.',
            '',
            '**Clock.now** on ukvm32',
            '',
            '```text',
            'now  ordinal 1',
            '  request  label 1, 1 word in registers, fastpath',
            '    MR0     a2      0..0    precise: bool',
            '  reply    label 0, 2 words in registers, fastpath',
            '    MR0-MR1 a2-a3   0..31   result: u64',
            '```'
        ].join('\n'));
    });

    test('a method whose errors carry a payload shows the error reply\'s words', async () => {
        const text = 'enum IoError : u32 { Short = 1 }\ninterface Disk {\n    read(n: u32) raises IoError { code: u32, offset: u64 }\n}\n';
        await client.open('disk.uk', text);
        expect(await hoverAt('read', 1, 0, 'disk.uk', text)).toBe([
            '**Disk.read** on ukvm32',
            '',
            '```text',
            'read  ordinal 1',
            '  request  label 1, 1 word in registers, fastpath',
            '    MR0     a2      0..31   n: u32',
            '  reply    label 0, no words, fastpath',
            '  errors   label IoError.Short=1, 3 words in registers, fastpath',
            '    MR0     a2      0..31   code: u32',
            '    MR1-MR2 a3-a4   0..31   offset: u64',
            '```'
        ].join('\n'));
    });

    test('a method with a string and a vec shows where their lengths and items travel', async () => {
        const text = 'interface Names {\n    put(key: string[6], ids: vec[u8; 2]) -> string[4]\n}\n';
        await client.open('names.uk', text);
        expect(await hoverAt('put', 1, 0, 'names.uk', text)).toBe([
            '**Names.put** on ukvm32',
            '',
            '```text',
            'put  ordinal 1',
            '  request  label 1, 3 words in registers, fastpath',
            '    MR0     a2      0..31   key#0: u32',
            '    MR1     a3      0..31   key#1: u32',
            '    MR2     a4      0..7    ids[0]: u8',
            '    MR2     a4      8..15   ids[1]: u8',
            '    MR2     a4      16..18  key.length: u3',
            '    MR2     a4      19..20  ids.length: u2',
            '    string                  key: string[6], length in key.length, bytes in key#0..#1, 4 to a word',
            '    vec                     ids: vec[2], length in ids.length, elements ids[0]..[1]',
            '  reply    label 0, 2 words in registers, fastpath',
            '    MR0     a2      0..31   result#0: u32',
            '    MR1     a3      0..2    result.length: u3',
            '    string                  result: string[4], length in result.length, bytes in result#0..#0, 4 to a word',
            '```'
        ].join('\n'));
    });

    test('a method with byte buffers inside a struct and a vec shows the words of each buffer', async () => {
        const text = 'struct Entry { key: u16, data: bytes[6] }\ninterface Blobs {\n    put(e: Entry, b: vec[bytes[3]; 2]) -> u8\n}\n';
        await client.open('blobs.uk', text);
        expect(await hoverAt('put', 1, 0, 'blobs.uk', text)).toBe([
            '**Blobs.put** on ukvm32',
            '',
            '```text',
            'put  ordinal 1',
            '  request  label 1, 4 words in registers, fastpath',
            '    MR0     a2      0..31   e.data#0: u32',
            '    MR1     a3      0..23   b[0]#0: u24',
            '    MR1     a3      24..25  b.length: u2',
            '    MR2     a4      0..23   b[1]#0: u24',
            '    MR3     a5      0..15   e.key: u16',
            '    MR3     a5      16..31  e.data#1: u16',
            '    bytes                   e.data: bytes[6], all 6 bytes in e.data#0..#1, 4 to a word',
            '    vec                     b: vec[2], length in b.length, elements b[0]..[1]',
            '    bytes                   b[0]: bytes[3], all 3 bytes in b[0]#0..#0, 4 to a word',
            '    bytes                   b[1]: bytes[3], all 3 bytes in b[1]#0..#0, 4 to a word',
            '  reply    label 0, 1 word in registers, fastpath',
            '    MR0     a2      0..7    result: u8',
            '```'
        ].join('\n'));
    });

    test('a method with an out string and a shared inout vec shows the string in the reply and the vec\'s length coming back', async () => {
        const text = 'interface Names {\n    get(id: u8, name: out string[4], ids: shared inout vec[u8; 2])\n}\n';
        await client.open('outs.uk', text);
        expect(await hoverAt('get', 1, 0, 'outs.uk', text)).toBe([
            '**Names.get** on ukvm32',
            '',
            '```text',
            'get  ordinal 1',
            '  request  label 1, 1 word in registers, fastpath',
            '    MR0     a2      0..11   ids.offset: u12',
            '    MR0     a2      12..19  id: u8',
            '    MR0     a2      20..21  ids.length: u2',
            '    bulk                    ids: vec[2], 8 bytes inout, through the shared region (offset and length above)',
            '  reply    label 0, 2 words in registers, fastpath',
            '    MR0     a2      0..31   name#0: u32',
            '    MR1     a3      0..2    name.length: u3',
            '    MR1     a3      3..4    ids.length: u2',
            '    string                  name: string[4], length in name.length, bytes in name#0..#0, 4 to a word',
            '```'
        ].join('\n'));
    });

    test('a method with capabilities in a struct and an array shows each in its cap slot; the struct counts them apart from bytes', async () => {
        const text = 'interface G { hi() }\nstruct Team { lead: endpoint<G>, id: u8, backup: endpoint<G> }\ninterface Hub {\n    meet(team: Team, extra: [notification; 1])\n}\n';
        await client.open('team.uk', text);
        expect(await hoverAt('meet', 1, 0, 'team.uk', text)).toBe([
            '**Hub.meet** on ukvm32',
            '',
            '```text',
            'meet  ordinal 1',
            '  request  label 1, 1 word in registers, 3 capabilities, slowpath: carries 3 capabilities; the ukvm32 fastpath takes at most 1',
            '    MR0     a2      0..7    team.id: u8',
            '    cap 0                   team.lead: endpoint<G>',
            '    cap 1                   team.backup: endpoint<G>',
            '    cap 2                   extra[0]: notification',
            '  reply    label 0, no words, fastpath',
            '```'
        ].join('\n'));
        expect(await hoverAt('team: Team', 7, 0, 'team.uk', text)).toBe(
            '```uk\nstruct Team { lead: endpoint<G>, id: u8, backup: endpoint<G> }\n```\n\nsize 1 byte and 2 capabilities: lead: endpoint<G> a capability, id: u8 1 byte, backup: endpoint<G> a capability');
    });

    test('a constant where it is used: its declaration, type and value', async () => {
        expect(await hoverAt('[Key; CAPACITY]', 7)).toBe('```uk\nconst CAPACITY = 64\n```\n\nuntyped integer, value 64');
    });

    test('floats: a constant\'s value as print writes it and its bits, and a method\'s float fields', async () => {
        const text = 'const PI = 3.14159\nconst HALF: f32 = 0.1\ninterface Thermo {\n    read() -> (temp: f32, precise: f64)\n}\nfn f() -> f32 { return HALF * 2.0 + PI }\n';
        await client.open('thermo.uk', text);
        expect(await hoverAt('HALF * 2.0', 1, 0, 'thermo.uk', text)).toBe('```uk\nconst HALF: f32 = 0.1\n```\n\nf32, value 0.100000001 (0x3dcccccd)');
        expect(await hoverAt('PI }', 0, 0, 'thermo.uk', text)).toBe('```uk\nconst PI = 3.14159\n```\n\nuntyped float (f64 here), value 3.1415899999999999 (0x400921f9f01b866e)');
        expect(await hoverAt('read', 1, 0, 'thermo.uk', text)).toBe([
            '**Thermo.read** on ukvm32',
            '',
            '```text',
            'read  ordinal 1',
            '  request  label 1, no words, fastpath',
            '  reply    label 0, 3 words in registers, fastpath',
            '    MR0     a2      0..31   temp: f32',
            '    MR1-MR2 a3-a4   0..31   precise: f64',
            '```'
        ].join('\n'));
    });

    test('an enum member: its value', async () => {
        expect(await hoverAt('Status.NotFound', 8)).toBe('```uk\nNotFound = 1\n```\n\nStatus.NotFound = 1');
    });

    test('a type: its whole declaration when it fits on a line, its size and what it is made of', async () => {
        expect(await hoverAt('find(key: Key)', 11)).toBe('```uk\nstruct Key { hi: u32, lo: u16 }\n```\n\nsize 6 bytes: hi: u32 4 bytes, lo: u16 2 bytes');
        expect(await hoverAt('flags: PutFlags', 8)).toBe('```uk\nbitfield PutFlags : u8 { create: 1, overwrite: 1, ttl: 4 }\n```\n\nsize 1 byte, 8 bits: create bit 0, overwrite bit 1, ttl bits 2..5');
        expect(await hoverAt('-> (status: Status', 13)).toBe('```uk\nenum Status : u8 { Ok = 0, NotFound = 1 }\n```\n\nsize 1 byte, 8 bits in a message');
    });

    test('a bitfield field: its bits', async () => {
        expect(await hoverAt('ttl: 4', 0)).toBe('```uk\nttl: 4\n```\n\nbits 2..5');
    });

    test('a state variable, a handler parameter and a local: their types', async () => {
        expect(await hoverAt('if readOnly', 4)).toBe('```uk\nvar readOnly: bool = false\n```\n\ntype bool');
        expect(await hoverAt('on put(key, value, flags)', 12)).toBe('```uk\nparameter value\n```\n\ntype u32');
        expect(await hoverAt('if slot == CAPACITY', 4)).toBe('```uk\nlet slot\n```\n\ntype u32');
    });

    test('a capability port: its interface', async () => {
        expect(await hoverAt('store.flush()', 1)).toBe('```uk\nuses store: KeyValue\n```\n\ntype endpoint<KeyValue>');
    });

    test('an instance and a component', async () => {
        expect(await hoverAt('connect shell.store', 9)).toBe('```uk\ninstance shell: Shell { priority: 50 }\n```');
        expect(await hoverAt('instance store: Store', 17)).toBe('```uk\nserver Store implements KeyValue\n```');
    });
});
