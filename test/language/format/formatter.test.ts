/**
 * The formatter on texts: the examples are canonical already, every example and fixture formats
 * idempotently to the same tree, comments stay where they were written, a messy file comes out exactly
 * as the style says, and files with syntax errors are left alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { astDifference } from '../../../src/language/format/index.js';
import { formatResult, formatted, tree } from './format-text.js';

const ROOT = path.resolve(__dirname, '../../..');

function ukFiles(folder: string): string[] {
    return readdirSync(path.join(ROOT, folder)).sort().flatMap(name => {
        const relative = path.join(folder, name);
        if (statSync(path.join(ROOT, relative)).isDirectory()) return ukFiles(relative);
        return name.endsWith('.uk') ? [relative] : [];
    });
}

const EXAMPLES = ukFiles('examples');
/** Fixtures that parse (test/fixtures/broken holds files with syntax errors on purpose). */
const FIXTURES = ukFiles('test/fixtures').filter(file => formatResult(readFileSync(path.join(ROOT, file), 'utf8')).kind !== 'syntax-errors');

describe('the canonical style', () => {
    test('finds the examples and the fixtures', () => {
        expect(EXAMPLES).toHaveLength(10);
        expect(ukFiles('test/fixtures').filter(file => !FIXTURES.includes(file))).toEqual(['test/fixtures/broken/syntax.uk']);
    });

    test.each(EXAMPLES)('%s is canonical already', file => {
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        expect(formatted(text)).toBe(text);
    });

    test.each([...EXAMPLES, ...FIXTURES])('%s formats idempotently to the same tree', file => {
        const text = readFileSync(path.join(ROOT, file), 'utf8');
        const once = formatted(text);
        expect(formatted(once)).toBe(once);
        expect(astDifference(tree(text), tree(once))).toBeUndefined();
    });

    test('a messy file comes out in the canonical style', () => {
        const messy = [
            '// header comment',
            '',
            '',
            'package   demo',
            'enum Status:u8{Ok=0,Failed=1}',
            'struct Pair {',
            '  a : u32,  b:u32 }',
            'interface Store{ get ( key:u32 )->( status:Status,value:u32 ) raises Status',
            '  @ordinal( 7 )  put(key:u32,data : lease in bytes[ 16 ])  ->  bool',
            '  oneway ping( ) }',
            'server S implements Store{',
            '',
            '  var table:[u32;4]   /* slots */',
            '  uses other : Store',
            '  on get(key){ if key>=4{ raise Status.Failed }',
            '',
            '',
            '    reply(Status.Ok,table[ key ])   // found',
            '  }',
            '  on put( key,data ) { reply  !false }',
            '  on ping(){}',
            '  fn twice(x:u32)->u32{return x*2}',
            '}',
            'fn pick(x : u32) -> u32 {',
            '        let (a, b) = (x, - x as u32)',
            '    if a == b {',
            '  return Pair{a:1,b:2}.a }',
            '    else if a > b { return a } else {',
            '        // nothing',
            '    }',
            '    return calc(a,',
            '   b)',
            '}',
            '   '
        ].join('\n');
        expect(formatted(messy).split('\n')).toEqual([
            '// header comment',
            '',
            'package demo',
            'enum Status : u8 { Ok = 0, Failed = 1 }',
            'struct Pair {',
            '    a: u32,',
            '    b: u32',
            '}',
            'interface Store {',
            '    get(key: u32) -> (status: Status, value: u32) raises Status',
            '    @ordinal(7) put(key: u32, data: lease in bytes[16]) -> bool',
            '    oneway ping()',
            '}',
            'server S implements Store {',
            '    var table: [u32; 4] /* slots */',
            '    uses other: Store',
            '    on get(key) {',
            '        if key >= 4 { raise Status.Failed }',
            '',
            '        reply (Status.Ok, table[key])  // found',
            '    }',
            '    on put(key, data) { reply !false }',
            '    on ping() { }',
            '    fn twice(x: u32) -> u32 { return x * 2 }',
            '}',
            'fn pick(x: u32) -> u32 {',
            '    let (a, b) = (x, -x as u32)',
            '    if a == b {',
            '        return Pair { a: 1, b: 2 }.a',
            '    } else if a > b { return a } else {',
            '        // nothing',
            '    }',
            '    return calc(a,',
            '        b)',
            '}',
            ''
        ]);
    });

    test('two statements on a line go on lines of their own; one stays inside its braces', () => {
        expect(formatted('fn f() -> u32 { var a: u32 = 1  a += 2  return a }\nfn g() { return }\n'))
            .toBe('fn f() -> u32 {\n    var a: u32 = 1\n    a += 2\n    return a\n}\nfn g() { return }\n');
    });

    test('a list broken inside an inline one breaks that one too', () => {
        expect(formatted('fn f() { if true { let a = 1 let b = 2 } }\n'))
            .toBe('fn f() {\n    if true {\n        let a = 1\n        let b = 2\n    }\n}\n');
    });

    test('unions, optionals and match: `?` after its type, an arm\'s binding after its name, one arm per line', () => {
        expect(formatted('union U {a: u8 ?, b,c: [u8; 2]}\nfn f(u: U, o: u8 ?) -> u8 ? { match u { a (x) { return x } else { } } if let v = o { return v } return none }\n'))
            .toBe('union U { a: u8?, b, c: [u8; 2] }\nfn f(u: U, o: u8?) -> u8? {\n    match u {\n        a(x) { return x }\n        else { }\n    }\n    if let v = o { return v }\n    return none\n}\n');
    });

    test('CRLF line endings stay CRLF', () => {
        expect(formatted('fn f() {\r\n  return\r\n}\r\n')).toBe('fn f() {\r\n    return\r\n}\r\n');
    });

    test('an empty file stays empty; blank lines at the ends go', () => {
        expect(formatted('')).toBe('');
        expect(formatted('\n\n   \n')).toBe('');
        expect(formatted('\n\nconst A = 1\n\n\n')).toBe('const A = 1\n');
    });
});

describe('comments', () => {
    test('line, block and trailing comments stay where they are, re-indented', () => {
        const text = [
            '/* A block comment',
            '   over two lines. */',
            'const A = 1 // one',
            'const LONGER_NAME = 2 /* inline */ // two',
            '',
            'fn f(/* none */) {',
            '        // inside',
            '  let x = /* value */ 3',
            '     /* before the brace */ }',
            'struct S { a: u32, // first',
            '  b: u32 }'
        ].join('\n');
        expect(formatted(text).split('\n')).toEqual([
            '/* A block comment',
            '   over two lines. */',
            'const A = 1                         // one',
            'const LONGER_NAME = 2 /* inline */  // two',
            '',
            'fn f(/* none */) {',
            '    // inside',
            '    let x = /* value */ 3',
            '    /* before the brace */',
            '}',
            'struct S {',
            '    a: u32,  // first',
            '    b: u32',
            '}',
            ''
        ]);
    });

    test('trailing comments of consecutive lines line up; a blank line starts a new group', () => {
        const text = 'device D {\n    a: u8 at 0 ro // first\n    longer: u32 at 4 // second\n\n    c: u8 at 8 // third\n}\n';
        expect(formatted(text)).toBe('device D {\n    a: u8 at 0 ro     // first\n    longer: u32 at 4  // second\n\n    c: u8 at 8  // third\n}\n');
    });

    test('a line comment in a one-line list breaks the list', () => {
        expect(formatted('enum E : u8 { A, // the first\n B }\n')).toBe('enum E : u8 {\n    A,  // the first\n    B\n}\n');
    });
});

describe('files that do not parse', () => {
    test('are not formatted', () => {
        expect(formatResult('struct Key { hi: u32').kind).toBe('syntax-errors');
        expect(formatResult('const A = 1 $').kind).toBe('syntax-errors');
    });
});
