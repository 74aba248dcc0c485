/**
 * The extension's snippets (extension/snippets/uk.json) are uk that checks: each one expanded with its
 * default texts parses, and filled in with matching names they make up a system without diagnostics.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { build, describeDiagnostics, diagnosticsWithText } from '../helpers.js';

interface Snippet {
    readonly prefix: string;
    readonly body: readonly string[];
}

const snippets = JSON.parse(readFileSync(new URL('../../extension/snippets/uk.json', import.meta.url), 'utf8')) as Record<string, Snippet>;

/** A snippet's text as VS Code inserts it when `values` are typed into its tab stops (others keep their defaults). */
function expand(snippet: Snippet, values: Record<number, string> = {}): string {
    let text = snippet.body.join('\n');
    const chosen = new Map<number, string>();
    // Innermost placeholders first, so that a default containing another placeholder sees it filled.
    const placeholder = /\$\{(\d+):([^${}]*)\}/;
    for (let match = placeholder.exec(text); match; match = placeholder.exec(text)) {
        const stop = Number(match[1]);
        const value = values[stop] ?? match[2];
        chosen.set(stop, value);
        text = text.slice(0, match.index) + value + text.slice(match.index + match[0].length);
    }
    return text.replace(/\$\{(\d+)\}|\$(\d+)/g, (_all, braced: string | undefined, bare: string | undefined) => {
        const stop = Number(braced ?? bare);
        return values[stop] ?? chosen.get(stop) ?? '';
    });
}

describe('snippets', () => {
    test('there is one for each common declaration', () => {
        expect(Object.values(snippets).map(snippet => snippet.prefix).sort()).toEqual(['interface', 'on', 'program', 'server', 'system']);
    });

    test('each parses with its default texts', async () => {
        for (const [name, snippet] of Object.entries(snippets)) {
            const text = name === 'handler' ? `server S implements I {\n${expand(snippet)}\n}` : expand(snippet);
            const syntaxErrors = (await diagnosticsWithText(text)).filter(line => /Expecting|Unexpected|unexpected/.test(line));
            expect(syntaxErrors, `${name}:\n${text}`).toEqual([]);
        }
    });

    test('filled in with matching names, they make up a system that checks', async () => {
        const text = [
            expand(snippets.interface, { 1: 'Echo', 2: 'echo', 3: 'value' }),
            expand(snippets.server, { 1: 'EchoServer', 2: 'Echo', 3: 'echo', 4: 'value', 5: 'value' }),
            `server OtherEcho implements Echo {\n${expand(snippets.handler, { 1: 'echo', 2: 'value', 3: 'reply value + 1' })}\n}`,
            expand(snippets.program, { 1: 'Client', 2: 'echo', 3: 'Echo', 0: 'print("{}", echo.echo(41))' }),
            expand(snippets.system, { 1: 'Demo', 2: 'echoes', 3: 'EchoServer', 4: 'client', 5: 'Client', 6: 'echo', 7: '1' })
        ].join('\n\n');
        expect(describeDiagnostics(await build(text)), text).toEqual([]);
    });
});
