/**
 * Deferred concrete syntax trees (src/language/parser/fast/deferred-cst.ts): a one-shot check builds a
 * file's CST only when something asks for a position. A deferred tree, once its CST is built, must be
 * exactly the tree an eager parse builds; a check of files without mistakes must never build one; and
 * files with mistakes must get exactly the diagnostics an eager check gives.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AstUtils, EmptyFileSystem, URI, type AstNode, type CstNode, type LangiumDocument, type Reference } from 'langium';
import { describe, expect, test } from 'vitest';
import { createUkServices } from '../../../src/language/uk-module.js';
import { isCstDeferred } from '../../../src/language/parser/fast/deferred-cst.js';
import { UkFastParser } from '../../../src/language/parser/fast/uk-fast-parser.js';
import { isNameRef, type Module } from '../../../src/language/generated/ast.js';
import { generateText } from '../../../bench/generate-workspace.js';
import { describeDiagnostics, services as eagerServices } from '../../helpers.js';
import { describeAst, describeCst, exampleFiles } from './tree-description.js';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = exampleFiles(path.join(ROOT, 'examples'));

const eager = new UkFastParser(eagerServices.Uk);
const deferred = new UkFastParser(eagerServices.Uk, { deferCst: true });

/** Checks `files` in a fresh workspace (eager or deferred) at a folder of their own. */
async function check(files: Record<string, string>, deferCst: boolean): Promise<LangiumDocument<Module>[]> {
    const { shared } = createUkServices(EmptyFileSystem, { referenceIndex: false, deferCst });
    const folder = '/deferred';
    const documents = Object.entries(files).map(([name, text]) =>
        shared.workspace.LangiumDocumentFactory.fromString<Module>(text, URI.file(`${folder}/${name}`)));
    for (const document of documents) shared.workspace.LangiumDocuments.addDocument(document);
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    return documents;
}

function parseDeferred(text: string): Module {
    const result = deferred.parse(text);
    expect(result, 'the fast parser gave up on valid input').toBeDefined();
    return (result as { value: Module }).value;
}

describe('a deferred tree gets the CST an eager parse builds', () => {
    for (const file of [...EXAMPLES, path.join(ROOT, 'test/fixtures/layout/golden.uk')]) {
        test(path.relative(ROOT, file), () => {
            const text = readFileSync(file, 'utf8');
            const expected = eager.parse(text)?.value as Module;
            const actual = parseDeferred(text);
            expect(isCstDeferred(actual)).toBe(true);
            // Walking the tree and reading its properties does not build the CST ...
            expect(AstUtils.streamAst(actual).count()).toBe(AstUtils.streamAst(expected).count());
            expect(isCstDeferred(actual)).toBe(true);
            // ... asking for a position does, and the result is the eager tree, node for node.
            expect(describeAst(actual)).toEqual(describeAst(expected));
            expect(isCstDeferred(actual)).toBe(false);
            expect(describeCst(actual.$cstNode as CstNode)).toEqual(describeCst(expected.$cstNode as CstNode));
        });
    }

    test('a generated workspace', () => {
        const text = generateText(2000);
        expect(describeAst(parseDeferred(text))).toEqual(describeAst(eager.parse(text)?.value));
    });

    test('nodes keep their identity: the CST points back at the nodes that existed before it', () => {
        const module = parseDeferred('const A: u32 = 1\nconst B = A + 2 * A\n');
        const [a, b] = module.declarations as Array<AstNode & { name: string; value: AstNode & { left: AstNode; right: AstNode & { right: AstNode } } }>;
        const use = b.value.right.right;
        expect(isNameRef(use)).toBe(true);
        const reference = (use as unknown as { target: Reference }).target;
        expect(reference.$refNode).toBeUndefined();
        // The first position asked for anywhere builds the whole file's CST.
        expect(use.$cstNode?.text).toBe('A');
        expect(use.$cstNode?.astNode).toBe(use);
        expect(a.$cstNode?.text).toBe('const A: u32 = 1');
        expect(a.$cstNode?.astNode).toBe(a);
        expect(b.value.$cstNode?.text).toBe('A + 2 * A');
        expect(b.value.$cstNode?.astNode).toBe(b.value);
        expect(reference.$refNode?.text).toBe('A');
        expect(reference.$refNode?.range.start).toEqual({ line: 1, character: 18 });
        expect(module.$cstNode?.astNode).toBe(module);
    });

    test('the CST is not enumerable before it is built, so walks over properties never build it', () => {
        const module = parseDeferred('struct S { x: u8 }');
        const seen: string[] = [];
        for (const key in module.declarations[0]) seen.push(key);
        expect(seen).toEqual(['$type', 'name', 'fields', '$container', '$containerProperty', '$containerIndex']);
        expect(isCstDeferred(module)).toBe(true);
    });
});

describe('a deferred check', () => {
    const exampleFolders = [...new Set(EXAMPLES.map(file => path.dirname(file)))];
    test.each(exampleFolders.map(folder => [path.relative(ROOT, folder), folder]))('of %s builds no CST and reports nothing', async (_name, folder) => {
        const files = Object.fromEntries(EXAMPLES.filter(file => path.dirname(file) === folder)
            .map(file => [path.basename(file), readFileSync(file, 'utf8')]));
        const documents = await check(files, true);
        for (const document of documents) {
            expect(document.diagnostics, document.uri.path).toEqual([]);
            expect(isCstDeferred(document.parseResult.value), document.uri.path).toBe(true);
        }
    });

    const BROKEN = ['syntax.uk', 'system.uk', 'types.uk'].map(name => path.join(ROOT, 'test/fixtures/broken', name));
    const SNIPPETS: Record<string, string> = {
        'an unknown type': 'struct S { x: Kye }\n',
        'an unknown name in an expression': 'fn f() -> u32 { return y }\n',
        'a type mismatch': 'fn f() -> u8 { let x: bool = 1 return 2 }\n',
        'an unknown member': 'struct K { a: u8 }\nfn f(k: K) -> u8 { return k.b }\n',
        'a warning only': 'fn f() -> u8 { return 1 return 2 }\n',
        'a duplicate on a later line': 'const A = 1\n\nconst A = 2\n'
    };

    for (const file of BROKEN) {
        test(`gives the eager diagnostics for ${path.relative(ROOT, file)}`, async () => {
            const text = readFileSync(file, 'utf8');
            const [expected] = await check({ 'f.uk': text }, false);
            const [actual] = await check({ 'f.uk': text }, true);
            expect(describeDiagnostics(expected).length).toBeGreaterThan(0);
            expect(describeDiagnostics(actual)).toEqual(describeDiagnostics(expected));
        });
    }

    // Every example with one line deleted (most variants still parse, and then have linking or type
    // errors): the deferred check must report exactly what the eager one does.
    const LINE_VARIANTS = 25;
    test.each(exampleFolders.map(folder => [path.relative(ROOT, folder), folder]))('of %s with a line deleted gives the eager diagnostics', async (_name, folder) => {
        const files = EXAMPLES.filter(file => path.dirname(file) === folder).map(file => [path.basename(file), readFileSync(file, 'utf8')] as const);
        const eagerWorkspace = createUkServices(EmptyFileSystem, { referenceIndex: false });
        const deferredWorkspace = createUkServices(EmptyFileSystem, { referenceIndex: false, deferCst: true });
        let variant = 0;
        let withDiagnostics = 0;
        for (const [name, text] of files) {
            const lines = text.split('\n');
            for (let i = 0; i < LINE_VARIANTS; i++) {
                const deleted = Math.floor(lines.length * i / LINE_VARIANTS);
                const broken = [...lines.slice(0, deleted), ...lines.slice(deleted + 1)].join('\n');
                const variantFiles = Object.fromEntries(files.map(([other, otherText]) => [other, other === name ? broken : otherText]));
                const folderUri = `/variant${++variant}`;
                const [expected, actual] = await Promise.all([eagerWorkspace, deferredWorkspace].map(async ({ shared }) => {
                    const documents = Object.entries(variantFiles).map(([file, content]) =>
                        shared.workspace.LangiumDocumentFactory.fromString<Module>(content, URI.file(`${folderUri}/${file}`)));
                    for (const document of documents) shared.workspace.LangiumDocuments.addDocument(document);
                    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
                    const described = documents.map(document => describeDiagnostics(document));
                    for (const document of documents) shared.workspace.LangiumDocuments.deleteDocument(document.uri);
                    return described;
                }));
                expect(actual, `${name} without line ${deleted + 1}`).toEqual(expected);
                if (expected.some(list => list.length > 0)) withDiagnostics++;
            }
        }
        // Most deleted lines break something; the comparison is about those.
        expect(withDiagnostics).toBeGreaterThan(variant / 3);
    });

    for (const [name, text] of Object.entries(SNIPPETS)) {
        test(`gives the eager diagnostics for ${name}`, async () => {
            const [expected] = await check({ 'f.uk': text }, false);
            const [actual] = await check({ 'f.uk': text }, true);
            expect(describeDiagnostics(expected).length).toBeGreaterThan(0);
            expect(describeDiagnostics(actual)).toEqual(describeDiagnostics(expected));
            expect(isCstDeferred(actual.parseResult.value)).toBe(false);
        });
    }
});
