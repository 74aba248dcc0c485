/**
 * The UART example's `getc` waits for a byte without spinning (examples/uart-driver): with no input it
 * defers the call and the run ends (the driver waits for its interrupt, which is no deadlock); bytes typed
 * later raise the interrupt, whose handler answers the deferred call — the trace shows that answer as the
 * reply to the `getc` made before.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, Session, URI, bootRunnable } from '../../src/session/index.js';
import { ROOT } from '../cli/run-ukc.js';

async function uartExample() {
    const memory = new MemoryFileSystem();
    memory.write(URI.file('/w/uart.uk'), readFileSync(path.join(ROOT, 'examples/uart-driver/uart.uk'), 'utf8'));
    const result = await new Session(memory).compile({ uri: URI.file('/w/uart.uk'), shownAs: 'uart.uk' });
    if (result.kind !== 'compiled') throw new Error('the example does not compile');
    return result.system;
}

describe('the UART example with a deferred getc', () => {
    it('ends when input ends, and answers a waiting getc from the interrupt when input comes', async () => {
        const console: number[] = [];
        const run = bootRunnable(await uartExample(), { console: { byte: value => console.push(value), bytes: values => console.push(...values) } });
        const typed: string[] = [];
        run.subscribeTyped(event => {
            if (event.kind === 'call') typed.push(`${event.from} -> ${event.to} ${event.method}(${event.args.map(arg => arg.text).join(', ')})`);
            if (event.kind === 'reply') typed.push(`${event.to} <- ${event.from} ${event.method} = ${event.results.map(value => value.text).join(', ') || 'done'}`);
            if (event.kind === 'other' && event.event.kind === 'interrupt') typed.push('interrupt');
        });
        const text = () => new TextDecoder().decode(new Uint8Array(console));

        expect(await run.run({ yieldToHost: async () => {} })).toMatchObject({ kind: 'finished' });
        expect(text()).toBe('>>>>>\n');
        expect(typed).toEqual(['echo -> driver write({offset=0, length=128}, 6)', 'echo <- driver write = 6', 'echo -> driver getc()']);

        typed.length = 0;
        run.input(new TextEncoder().encode('k\n'));
        expect(await run.run({ yieldToHost: async () => {} })).toMatchObject({ kind: 'finished' });
        expect(text()).toBe('>>>>>\nk\nechoed a line of 2 bytes\n');
        expect(typed).toEqual([
            'interrupt',
            'echo <- driver getc = 107',
            'echo -> driver putc(107)',
            'echo <- driver putc = done',
            'echo -> driver getc()',
            'echo <- driver getc = 10',
            'echo -> driver putc(10)',
            'echo <- driver putc = done',
            'echo -> driver getc()'
        ]);
    });
});
