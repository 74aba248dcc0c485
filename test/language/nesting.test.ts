/**
 * Deep nesting never exhausts the stack: what nests beyond the bound (parser/nesting-limit.ts) is one error
 * at the place it passes the bound, in a one-shot check and on the language server's asynchronous parse;
 * what stays within it checks and compiles.
 */
import { URI, type FileSystemNode, type FileSystemProvider, type LangiumDocument } from 'langium';
import { describe, expect, test } from 'vitest';
import type { Module } from '../../src/language/generated/ast.js';
import { MAX_NESTING, limitNesting } from '../../src/language/parser/nesting-limit.js';
import { createUkServices } from '../../src/language/uk-module.js';
import { compileAndRun } from '../codegen/compile-helper.js';
import { describeDiagnostics } from '../helpers.js';

const MESSAGE = 'This nests too deeply for ukc (brackets, blocks and operator chains together); split it into smaller expressions, functions or blocks.';

const parens = (n: number) => `fn f(x: u32) -> u32 { return ${'('.repeat(n)}x${')'.repeat(n)} }`;
const ifs = (n: number) => `fn f(x: u32) -> u32 { ${'if x > 0 { '.repeat(n)}return 1 ${'} '.repeat(n)}return 0 }`;
const chain = (n: number) => `fn f(x: u32) -> u32 { return ${Array(n).fill('x').join(' + ')} }`;

/** A file system of one file, so that documents come in through the language server's asynchronous parse. */
function oneFile(text: string): FileSystemProvider {
    const node = (uri: URI): FileSystemNode => ({ isFile: true, isDirectory: false, uri });
    return {
        stat: async uri => node(uri), statSync: node, exists: async () => true, existsSync: () => true,
        readFile: async () => text, readFileSync: () => text, readBinary: async () => new Uint8Array(), readBinarySync: () => new Uint8Array(),
        readDirectory: async () => [], readDirectorySync: () => []
    };
}

/** Diagnostics of one file, parsed once as `ukc check` does and once as the language server does. */
async function bothWays(text: string): Promise<{ check: string[]; server: string[] }> {
    const results: string[][] = [];
    for (const async of [false, true]) {
        const { shared } = createUkServices({ fileSystemProvider: () => oneFile(text) });
        const uri = URI.file('/nest/main.uk');
        const document = async
            ? await shared.workspace.LangiumDocumentFactory.fromUri<Module>(uri)
            : shared.workspace.LangiumDocumentFactory.fromString<Module>(text, uri);
        shared.workspace.LangiumDocuments.addDocument(document as LangiumDocument);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        results.push(describeDiagnostics(document));
    }
    return { check: results[0], server: results[1] };
}

describe('deep nesting', () => {
    test.each([
        ['500 nested parentheses', parens(500), `1:${'fn f(x: u32) -> u32 { return '.length + 100}`],
        ['1,000 nested ifs', ifs(1000), '1:1033'],
        ['a chain of 6,000 terms', chain(6000), '1:4784']
    ])('%s: one error where the bound is passed', async (_name, text, position) => {
        const { check, server } = await bothWays(text);
        expect(check).toHaveLength(1);
        expect(check[0]).toMatch(new RegExp(`^${position} error ${MESSAGE.replace(/[()]/g, '\\$&')} @ .$`));
        expect(server).toEqual(check);
    });

    test('nesting up to the bound checks, compiles and runs', async () => {
        const deepest = MAX_NESTING / 12 - 2;
        const source = `${parens(deepest).replace('fn f', 'fn p')}
${ifs(deepest - 8).replace('fn f', 'fn q')}
${chain(MAX_NESTING - 40).replace('fn f', 'fn r')}
program P { main { print("{} {} {}", p(3), q(3), r(1)) } }
system S { instance p: P }`;
        expect(limitNesting(source).problems).toEqual([]);
        const run = await compileAndRun(source);
        expect(run.output).toBe(`3 1 ${MAX_NESTING - 40}\n`);
    }, 60_000);

    test('the cut text keeps every offset and line, and parses in place of what was cut', () => {
        const text = `fn f() {\n${'{\n'.repeat(120)}${'}\n'.repeat(120)}}\nconst A = 1`;
        const limited = limitNesting(text);
        expect(limited.problems).toHaveLength(1);
        expect(limited.text).toHaveLength(text.length);
        expect(limited.text.split('\n')).toHaveLength(text.split('\n').length);
        expect(limited.text.slice(limited.problems[0].offset).replace(/\s/g, '').startsWith('{}}')).toBe(true);
        expect(limited.text.endsWith('}\nconst A = 1')).toBe(true);
    });

    test('brackets in comments, strings and characters do not count', () => {
        const text = `// ${'('.repeat(2000)}\n/* ${'{'.repeat(2000)} */\nfn f() { print("${'['.repeat(2000)}") let c = '(' }`;
        expect(limitNesting(text)).toEqual({ text, problems: [] });
    });
});
