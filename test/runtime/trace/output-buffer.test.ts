import { describe, expect, it } from 'vitest';
import { OutputBuffer } from '../../../runtime/trace/index.js';

function collect(write: (out: OutputBuffer) => void): { text: string; flushes: number[] } {
    const chunks: Uint8Array[] = [];
    const out = new OutputBuffer(bytes => chunks.push(bytes));
    write(out);
    out.flush();
    return { text: new TextDecoder().decode(Buffer.concat(chunks)), flushes: chunks.map(chunk => chunk.length) };
}

describe('the output buffer', () => {
    it('writes integers as String() does, padded ones right-aligned', () => {
        const values = [0, 7, 9, 10, 99, 100, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 1e15, 2 ** 53 - 1, 1e16, 3e20];
        expect(collect(out => values.forEach(value => { out.digits(value); out.byte(32); })).text).toBe(values.map(String).join(' ') + ' ');
        expect(collect(out => [-1, -2147483648, 5].forEach(value => { out.integer(value); out.byte(59); })).text).toBe('-1;-2147483648;5;');
        expect(collect(out => { out.padded(42, 10); out.padded(12345678901, 10); out.padded(0, 3); }).text).toBe('        4212345678901  0');
    });

    it('writes text as UTF-8, knows whether a line is open, and flushes in pieces of at most 64 KiB', () => {
        const out = new OutputBuffer(() => {});
        expect(out.midLine).toBe(false);
        out.text('abc');
        expect(out.midLine).toBe(true);
        out.text('é\n');
        expect(out.midLine).toBe(false);
        expect(collect(o => { o.text('naïve → ok'); o.bytes(new Uint8Array([10])); }).text).toBe('naïve → ok\n');
        const long = 'x'.repeat(100_000);
        const written = collect(o => { o.text('start '); o.text(long); o.digits(12); });
        expect(written.text).toBe(`start ${long}12`);
        expect(written.flushes).toEqual([6, 100_000, 2]);
    });
});
