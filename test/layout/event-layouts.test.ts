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
            '  payload  label 1, 2 words in registers',
            '    MR0     a2      0..31   count: u32',
            '    MR1     a3      0..7    port: u8',
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
});
