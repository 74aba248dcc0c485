/**
 * Rename and layout locks, through the protocol: prepareRename and rename refuse the names a lock pins
 * (src/language/lsp/layout-lock-pins.ts) with an InvalidParams error that names the lock, its line and the
 * reason, and still rename everything else. Then every name of a locked workspace is checked against the
 * truth: renamed at every reference, the workspace is checked against its lock as `ukc check` does, and the
 * server refuses exactly the names whose renaming breaks the lock.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver';
import { createUkServices } from '../../../src/language/index.js';
import { MemoryFileSystem, URI } from '../../../src/session/index.js';
import { runUkc, temporaryFolders } from '../../cli/run-ukc.js';
import { LspClient, positionOf, range, ROOT, type Position, type Range } from './lsp-client.js';

const FIXTURE = path.join(ROOT, 'test/fixtures/locked-kv');
const KV = readFileSync(path.join(FIXTURE, 'kv.uk'), 'utf8');
const TYPES = readFileSync(path.join(FIXTURE, 'types.uk'), 'utf8');
const SOURCES: Record<string, string> = { 'kv.uk': KV, 'types.uk': TYPES };
const INVALID_PARAMS = -32602;
const folder = temporaryFolders('ukc-rename-lock-');

let lock: string;
let client: LspClient;
beforeAll(async () => {
    const dir = folder();
    for (const [name, text] of Object.entries(SOURCES)) writeFileSync(path.join(dir, name), text);
    expect((await runUkc(['layout', 'kv.uk', '--lock'], dir)).code).toBe(0);
    lock = readFileSync(path.join(dir, 'kv.uk.lock'), 'utf8');
    client = await LspClient.start({ files: { ...SOURCES, 'kv.uk.lock': lock } });
    await client.open('kv.uk', KV);
    await client.open('types.uk', TYPES);
});
afterAll(() => client.stop());

/** The refusal of a pinned name: the lock, the line recording the name, what it records and the rule that reads the name. */
function pinned(name: string, line: number, subject: string, rule: string): { code: number; message: string } {
    return {
        code: INVALID_PARAMS,
        message: `'${name}' is pinned by the layout lock kv.uk.lock (line ${line}): it records ${subject}, and \`ukc check\` compares ${rule}, `
            + 'so renaming it would break the lock although no bit on the wire changes. Rename it by hand and write the lock again with `ukc layout kv.uk --lock`.'
    };
}

function prepare(name: string, position: Position): Promise<Range | null> {
    return client.at('textDocument/prepareRename', name, position);
}

function rename(name: string, position: Position, newName: string): Promise<{ changes: Record<string, { range: Range; newText: string }[]> }> {
    return client.at('textDocument/rename', name, position, { newName });
}

describe('names a layout lock pins', () => {
    test('a method, from its declaration or a handler: prepareRename and rename refuse with the line of its record', async () => {
        const refusal = pinned('get', 10, 'method kv.KeyValue.get (ordinal 1)', 'methods by name (a message carries the ordinal)');
        await expect(prepare('kv.uk', positionOf(KV, 'get(key: Key)'))).rejects.toMatchObject(refusal);
        await expect(prepare('kv.uk', positionOf(KV, 'on get', 3))).rejects.toMatchObject(refusal);
        await expect(rename('kv.uk', positionOf(KV, 'on get', 3), 'fetch')).rejects.toMatchObject(refusal);
    });

    test('the interface', async () => {
        await expect(prepare('kv.uk', positionOf(KV, 'KeyValue {'))).rejects.toMatchObject(
            pinned('KeyValue', 6, 'interface kv.KeyValue', 'interfaces by name'));
    });

    test('an enum a message or an event carries and its members, declared in another file', async () => {
        const rule = "the name of an enum in a message and its members' names";
        await expect(prepare('kv.uk', positionOf(KV, 'status: Status', 8))).rejects.toMatchObject(pinned('Status', 81, 'the enum Status in kv.KeyValue.get', rule));
        await expect(prepare('types.uk', positionOf(TYPES, 'NotFound'))).rejects.toMatchObject(pinned('NotFound', 89, 'the member Status.NotFound in kv.KeyValue.get', rule));
        await expect(prepare('types.uk', positionOf(TYPES, 'High'))).rejects.toMatchObject(pinned('High', 539, 'the member Level.High in event kv.KeyValue.changed', rule));
    });

    test('a bitfield\'s fields, a union\'s variants, a struct inside a union, an error enum\'s members', async () => {
        await expect(prepare('types.uk', positionOf(TYPES, 'ttl'))).rejects.toMatchObject(
            pinned('ttl', 184, 'the field PutFlags.ttl in kv.KeyValue.put', "the name of a bitfield in a message and its fields' names"));
        const union = "the name of a union or optional in a message, its variants' names and the names inside their payloads";
        await expect(prepare('types.uk', positionOf(TYPES, 'Dot'))).rejects.toMatchObject(pinned('Dot', 299, 'the variant Shape.Dot in kv.KeyValue.draw', union));
        await expect(prepare('types.uk', positionOf(TYPES, 'x: u8'))).rejects.toMatchObject(
            pinned('x', 305, 'the field Point.x inside a union or optional in kv.KeyValue.draw', union));
        await expect(prepare('types.uk', positionOf(TYPES, 'Full'))).rejects.toMatchObject(
            pinned('Full', 274, 'Full among the errors of kv.KeyValue.put', "a method's errors by their members' names"));
    });
});

describe('names it does not pin rename as before', () => {
    test('a parameter, a struct that travels as fields, its field, the error enum\'s own name, a local, an unused enum', async () => {
        expect(await prepare('kv.uk', positionOf(KV, 'key: Key'))).toEqual(range(5, 8, 5, 11));
        expect(await prepare('types.uk', positionOf(TYPES, 'Key'))).toEqual(range(5, 7, 5, 10));
        expect(await prepare('types.uk', positionOf(TYPES, 'hi'))).toEqual(range(5, 13, 5, 15));
        expect(await prepare('types.uk', positionOf(TYPES, 'StoreError'))).toEqual(range(3, 5, 3, 15));
        expect(await prepare('types.uk', positionOf(TYPES, 'Spare'))).toEqual(range(8, 5, 8, 10));
        expect((await rename('kv.uk', positionOf(KV, 'total ='), 'sum')).changes).toEqual({
            [client.uri('kv.uk')]: [{ range: range(16, 12, 16, 17), newText: 'sum' }, { range: range(17, 26, 17, 31), newText: 'sum' }]
        });
        expect((await rename('types.uk', positionOf(TYPES, 'hi'), 'high')).changes).toEqual({
            [client.uri('kv.uk')]: [{ range: range(16, 31, 16, 33), newText: 'high' }],
            [client.uri('types.uk')]: [{ range: range(5, 13, 5, 15), newText: 'high' }]
        });
    });
});

interface Location { uri: string; range: Range }

/** Every identifier in the sources, by file and position. */
function identifiers(): { file: string; position: Position; name: string }[] {
    return Object.entries(SOURCES).flatMap(([file, text]) => [...text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map(match => {
        const before = text.slice(0, match.index).split('\n');
        return { file, name: match[0], position: { line: before.length - 1, character: before[before.length - 1].length } };
    }));
}

/** The sources with every location renamed to `newName`. */
function renamed(locations: readonly Location[], newName: string): Record<string, string> {
    const texts: Record<string, string> = {};
    for (const [file, text] of Object.entries(SOURCES)) {
        const lines = text.split('\n');
        const here = locations.filter(location => location.uri === client.uri(file))
            .sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
        for (const { range: at } of here) {
            const line = lines[at.start.line];
            lines[at.start.line] = line.slice(0, at.start.character) + newName + line.slice(at.end.character);
        }
        texts[file] = lines.join('\n');
    }
    return texts;
}

/** What a check of `texts` beside the lock says: its own errors and the lock's findings. */
async function checkAgainstLock(texts: Record<string, string>): Promise<{ errors: string[]; lock: string[] }> {
    const memory = new MemoryFileSystem();
    for (const [file, text] of Object.entries(texts)) memory.write(`memory:///${file}`, text);
    memory.write('memory:///kv.uk.lock', lock);
    const { shared, Uk } = createUkServices({ fileSystemProvider: () => memory });
    const documents = Object.entries(texts).map(([file, text]) => shared.workspace.LangiumDocuments.createDocument(URI.parse(`memory:///${file}`), text));
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    const text = (diagnostic: Diagnostic): string => typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
    const errors = documents.flatMap(document => (document.diagnostics ?? []).filter(diagnostic => diagnostic.severity === 1).map(text));
    const kv = documents[0];
    return { errors, lock: (await Uk.lsp.LayoutLockDiagnostics.check(kv)).source.map(text) };
}

describe('the lock pins exactly what breaks it', () => {
    test('every name: refused by the server if and only if renaming it everywhere breaks the lock', async () => {
        expect(Object.keys(SOURCES)[0]).toBe('kv.uk');
        expect((await checkAgainstLock(SOURCES))).toEqual({ errors: [], lock: [] });
        // Every occurrence of a name asks prepareRename; occurrences of one declaration are grouped by their references.
        const declarations = new Map<string, { name: string; locations: Location[]; verdicts: Set<string> }>();
        for (const { file, position, name } of identifiers()) {
            let verdict: string;
            try {
                const answer = await prepare(file, position);
                if (answer === null) continue; // a keyword or builtin
                verdict = 'renames';
            } catch (error) {
                expect((error as { code: number }).code).toBe(INVALID_PARAMS);
                verdict = 'pinned';
            }
            const locations = await client.at<Location[]>('textDocument/references', file, position, { context: { includeDeclaration: true } });
            const key = JSON.stringify(locations.map(location => [location.uri, location.range]).sort());
            const entry = declarations.get(key) ?? { name, locations, verdicts: new Set<string>() };
            entry.verdicts.add(verdict);
            declarations.set(key, entry);
        }
        const outcomes: string[] = [];
        const expected: string[] = [];
        for (const { name, locations, verdicts } of declarations.values()) {
            // One declaration, one verdict, wherever the cursor is.
            expect([...verdicts], name).toHaveLength(1);
            const check = await checkAgainstLock(renamed(locations, `${name}Renamed`));
            // Renaming at every reference is a whole rename: the sources still check.
            expect(check.errors, name).toEqual([]);
            outcomes.push(`${name}: ${[...verdicts][0]}`);
            expected.push(`${name}: ${check.lock.length > 0 ? 'pinned' : 'renames'}`);
        }
        expect(outcomes).toEqual(expected);
        // What that is here, in the order the names first occur (handler parameters are names of their own).
        expect(outcomes).toEqual([
            'KeyValue: pinned', 'get: pinned', 'key: renames', 'Key: renames', 'status: renames', 'Status: pinned', 'value: renames',
            'put: pinned', 'key: renames', 'value: renames', 'flags: renames', 'PutFlags: pinned', 'StoreError: renames', 'draw: pinned',
            'shape: renames', 'Shape: pinned', 'at: renames', 'Point: pinned', 'ping: pinned', 'tag: renames', 'Level: pinned', 'Store: renames',
            'used: renames', 'key: renames', 'total: renames', 'hi: renames', 'Ok: pinned', 'key: renames', 'value: renames',
            'flags: renames', 'LIMIT: renames', 'Full: pinned', 'shape: renames', 'at: renames', 'tag: renames', 'NotFound: pinned',
            'ReadOnly: pinned', 'create: pinned', 'overwrite: pinned', 'ttl: pinned', 'lo: renames', 'x: pinned', 'y: pinned',
            'Empty: pinned', 'Dot: pinned', 'Spare: renames', 'One: renames', 'Low: pinned', 'High: pinned'
        ]);
    });
});
