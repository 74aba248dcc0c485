/** Code actions through the protocol: quick fixes that write missing handlers and correct misspelt names. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LspClient, range, ROOT, type Diagnostic, type Range } from './lsp-client.js';

/** kv.uk, out of package kv so that its copies here do not clash with the workspace's kv.uk. */
const KV = readFileSync(path.join(ROOT, 'test/fixtures/kv-struct-keys/kv.uk'), 'utf8').replace('package kv\n', '// package kv\n');

interface TextEdit { range: Range; newText: string }
interface Action { title: string; kind: string; isPreferred?: boolean; diagnostics: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }

let client: LspClient;
beforeAll(async () => { client = await LspClient.start({ files: { 'kv.uk': KV } }); });
afterAll(() => client.stop());

/** The code actions offered for each diagnostic of `text` opened as `name`, with the diagnostics. */
async function actionsFor(name: string, text: string): Promise<{ diagnostics: Diagnostic[]; actions: Action[] }> {
    const { diagnostics } = await client.open(name, text);
    const actions: Action[] = [];
    for (const diagnostic of diagnostics) {
        actions.push(...await client.about<Action[]>('textDocument/codeAction', name, { range: diagnostic.range, context: { diagnostics: [diagnostic] } }));
    }
    return { diagnostics, actions };
}

function apply(text: string, edits: TextEdit[]): string {
    const lines = text.split('\n');
    const offset = (line: number, character: number): number => lines.slice(0, line).reduce((sum, item) => sum + item.length + 1, 0) + character;
    const sorted = [...edits].sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character));
    let result = text;
    for (const edit of sorted) {
        result = result.slice(0, offset(edit.range.start.line, edit.range.start.character)) + edit.newText + result.slice(offset(edit.range.end.line, edit.range.end.character));
    }
    return result;
}

describe('quick fix: implement missing handlers', () => {
    test('writes the missing handlers with their parameters after the last member, at its indentation', async () => {
        const text = KV.replace('    on flush() { used = 0 }\n\n', '').replace('\n    on ping(tag) { reply tag + 1 }\n', '');
        const { diagnostics, actions } = await actionsFor('missing.uk', text);
        expect(diagnostics.map(diagnostic => [diagnostic.code, diagnostic.message])).toEqual([
            ['missing-handler', "Server 'Store' does not handle KeyValue.flush, KeyValue.ping."]
        ]);
        const uri = client.uri('missing.uk');
        expect(actions).toEqual([{
            title: 'Handle the 2 missing methods of KeyValue',
            kind: 'quickfix',
            isPreferred: true,
            diagnostics,
            edit: { changes: { [uri]: [{ range: range(56, 5, 56, 5), newText: '\n\n    on flush() {\n    }\n\n    on ping(tag) {\n    }' }] } }
        }]);
        const fixed = apply(text, actions[0].edit.changes[uri]);
        expect(fixed).toContain('        reply 1\n    }\n\n    on flush() {\n    }\n\n    on ping(tag) {\n    }\n}\n');
        // What is left is the reply the stub still owes, not the missing handler.
        expect((await client.change('missing.uk', fixed)).diagnostics.map(diagnostic => diagnostic.code)).toEqual(['missing-reply']);
    });

    test('a server without members gets its handler inside its braces, one level in', async () => {
        const inline = 'interface Ping {\n    ping(tag: u8) -> u8\n}\n\nserver P implements Ping {}\n';
        const { actions: inlineActions } = await actionsFor('inline.uk', inline);
        expect(apply(inline, inlineActions[0].edit.changes[client.uri('inline.uk')])).toBe('interface Ping {\n    ping(tag: u8) -> u8\n}\n\nserver P implements Ping {\n    on ping(tag) {\n    }\n}\n');
        const text = 'interface Ping {\n    ping(tag: u8) -> u8\n}\n\nserver P implements Ping {\n}\n';
        const { actions } = await actionsFor('empty.uk', text);
        expect(actions.map(action => [action.title, action.edit.changes[client.uri('empty.uk')]])).toEqual([
            ['Handle Ping.ping', [{ range: range(5, 0, 5, 0), newText: '    on ping(tag) {\n    }\n' }]]
        ]);
        expect(apply(text, actions[0].edit.changes[client.uri('empty.uk')])).toBe('interface Ping {\n    ping(tag: u8) -> u8\n}\n\nserver P implements Ping {\n    on ping(tag) {\n    }\n}\n');
    });
});

describe('quick fix: misspelt names', () => {
    test('a name, a type and a method: the nearest in scope, the nearest preferred', async () => {
        const text = KV.replace('let slot = find(key)\n        if slot == CAPACITY { reply (', 'let slot = fnd(key)\n        if slot == CAPACITY { reply (')
            .replace('fn find(key: Key)', 'fn find(key: Kye)')
            .replace('store.flush()\n', 'store.flsh()\n');
        const { diagnostics, actions } = await actionsFor('typo.uk', text);
        expect(diagnostics.map(diagnostic => [diagnostic.message, diagnostic.range])).toEqual([
            ["Unknown type 'Kye'.", range(24, 17, 24, 20)],
            ["Unknown name 'fnd'.", range(32, 19, 32, 22)],
            ["interface KeyValue has no method 'flsh'.", range(78, 14, 78, 18)]
        ]);
        expect(actions.map(action => [action.title, action.isPreferred, action.edit.changes[client.uri('typo.uk')]])).toEqual([
            ["Change to 'Key'", true, [{ range: range(24, 17, 24, 20), newText: 'Key' }]],
            ["Change to 'find'", true, [{ range: range(32, 19, 32, 22), newText: 'find' }]],
            ["Change to 'flush'", true, [{ range: range(78, 14, 78, 18), newText: 'flush' }]]
        ]);
    });

    test('nothing is offered for a name unlike any in scope', async () => {
        const text = KV.replace('let slot = find(key)\n        if slot == CAPACITY { reply (', 'let slot = zzzzzz(key)\n        if slot == CAPACITY { reply (');
        const { diagnostics, actions } = await actionsFor('far.uk', text);
        expect(diagnostics.map(diagnostic => diagnostic.message)).toEqual(["Unknown name 'zzzzzz'."]);
        expect(actions).toEqual([]);
    });
});
