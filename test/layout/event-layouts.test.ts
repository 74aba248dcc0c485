/**
 * Event payloads in `ukc layout` (docs/ABI.md, "Events"): packed by the same rules as a request (whole
 * words first, then narrower fields first-fit decreasing), numbered from 1 apart from the methods, with no
 * fastpath verdict (a record is not an IPC message). Read and checked by hand against the rules.
 */
import { describe, expect, test } from 'vitest';
import { runUkc } from '../cli/run-ukc.js';

describe('event layouts', () => {
    test('ukc layout prints every event after the methods, and one with the method filter', async () => {
        const run = await runUkc(['layout', 'examples/sensor-events/sensor.uk']);
        expect(run.code).toBe(0);
        expect(run.stdout.split('\n').slice(13)).toEqual([
            'event dataReady  number 1',
            '  payload  label 1, 3 words in registers',
            '    MR0     a2      0..31   count: u32',
            '    MR1     a3      0..31   celsius: f32',
            '    MR2     a4      0..7    port: u8',
            '',
            'summary sensors.Sensor: 2 methods, 2 register-only, 0 spill; 0 words through memory',
            ''
        ]);
        expect(run.stdout.split('\n').slice(0, 2)).toEqual(['interface sensors.Sensor on ukvm32 (32-bit words, 4 fast registers a2 a3 a4 a5)', '']);
    });

    test('a payload beyond the registers continues in the IPC buffer words, and structs travel as their leaves', async () => {
        const source = `interface Wide {
    event burst(a: u64, b: [u32; 3], flag: bool, small: u8, r: R)
}
struct R { x: i16, y: u16 }
`;
        const { mkdtempSync, writeFileSync } = await import('node:fs');
        const { tmpdir } = await import('node:os');
        const folder = mkdtempSync(`${tmpdir()}/ukc-event-layout-`);
        writeFileSync(`${folder}/wide.uk`, source);
        const run = await runUkc(['layout', `${folder}/wide.uk`, '--method', 'Wide.burst']);
        expect(run.stdout).toBe([
            'interface Wide on ukvm32 (32-bit words, 4 fast registers a2 a3 a4 a5)',
            '',
            'event burst  number 1',
            '  payload  label 1, 7 words (4 in registers, 3 in the IPC buffer)',
            '    MR0-MR1 a2-a3   0..31   a: u64',
            '    MR2     a4      0..31   b[0]: u32',
            '    MR3     a5      0..31   b[1]: u32',
            '    MR4     buffer  0..31   b[2]: u32',
            '    MR5     buffer  0..15   r.x: i16',
            '    MR5     buffer  16..31  r.y: u16',
            '    MR6     buffer  0..7    small: u8',
            '    MR6     buffer  8..8    flag: bool',
            ''
        ].join('\n'));
    });
    test('floats, unions, optionals, byte buffers inside structs and arrays, strings and vecs travel in the payload as in a request', async () => {
        const source = `struct Tag { id: u16, name: bytes[5] }
union Reading { tenths: i16, raw: u16, off }
interface Meter {
    event temp(t: f32, precise: f64)
    event state(r: Reading, o: u8?)
    event tagged(tag: Tag, pair: [bytes[3]; 2])
    event named(s: string[6], v: vec[i16; 3])
}
`;
        const { mkdtempSync, writeFileSync } = await import('node:fs');
        const { tmpdir } = await import('node:os');
        const folder = mkdtempSync(`${tmpdir()}/ukc-event-layout-`);
        writeFileSync(`${folder}/meter.uk`, source);
        const run = await runUkc(['layout', `${folder}/meter.uk`]);
        expect(run.code).toBe(0);
        expect(run.stdout).toBe([
            'interface Meter on ukvm32 (32-bit words, 4 fast registers a2 a3 a4 a5)',
            '',
            'event temp  number 1',
            '  payload  label 1, 3 words in registers',
            '    MR0     a2      0..31   t: f32',
            '    MR1-MR2 a3-a4   0..31   precise: f64',
            '',
            'event state  number 2',
            '  payload  label 2, 1 word in registers',
            '    MR0     a2      0..17   r: Reading',
            '                            r: tag at 0..1, payload region 2..17, unused bits 0',
            '                            r: tag 0 tenths: i16 at 2..17',
            '                            r: tag 1 raw: u16 at 2..17',
            '                            r: tag 2 off',
            '    MR0     a2      18..26  o: u8?',
            '                            o: tag at 0..0, payload region 1..8, unused bits 0',
            '                            o: tag 0 none',
            '                            o: tag 1 some: u8 at 1..8',
            '',
            'event tagged  number 3',
            '  payload  label 3, 4 words in registers',
            '    MR0     a2      0..31   tag.name#0: u32',
            '    MR1     a3      0..23   pair[0]#0: u24',
            '    MR1     a3      24..31  tag.name#1: u8',
            '    MR2     a4      0..23   pair[1]#0: u24',
            '    MR3     a5      0..15   tag.id: u16',
            '    bytes                   tag.name: bytes[5], all 5 bytes in tag.name#0..#1, 4 to a word',
            '    bytes                   pair[0]: bytes[3], all 3 bytes in pair[0]#0..#0, 4 to a word',
            '    bytes                   pair[1]: bytes[3], all 3 bytes in pair[1]#0..#0, 4 to a word',
            '',
            'event named  number 4',
            '  payload  label 4, 4 words in registers',
            '    MR0     a2      0..31   s#0: u32',
            '    MR1     a3      0..31   s#1: u32',
            '    MR2     a4      0..15   v[0]: i16',
            '    MR2     a4      16..31  v[1]: i16',
            '    MR3     a5      0..15   v[2]: i16',
            '    MR3     a5      16..18  s.length: u3',
            '    MR3     a5      19..20  v.length: u2',
            '    string                  s: string[6], length in s.length, bytes in s#0..#1, 4 to a word',
            '    vec                     v: vec[3], length in v.length, elements v[0]..[2]',
            '',
            'summary Meter: 0 methods, 0 register-only, 0 spill; 0 words through memory',
            ''
        ].join('\n'));
    });

    test('a string too long for a record is the record-size error, in words', async () => {
        const { mkdtempSync, writeFileSync } = await import('node:fs');
        const { tmpdir } = await import('node:os');
        const folder = mkdtempSync(`${tmpdir()}/ukc-event-layout-`);
        writeFileSync(`${folder}/long.uk`, 'interface Long {\n    event named(s: string[64])\n}\n');
        const run = await runUkc(['check', `${folder}/long.uk`]);
        expect(run.code).toBe(1);
        expect(run.stdout + run.stderr).toContain(`${folder}/long.uk:2:11: error: Event 'named' needs 17 message words, but an event record holds at most 16.`);
    });
});
