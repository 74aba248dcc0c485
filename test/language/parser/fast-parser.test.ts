/**
 * The hand-written parser must build exactly the trees Langium's parser builds: the same AST (types,
 * properties, references, containers) and the same CST (every node's range, kind, grammar element and AST
 * node). It is compared with Langium's parser on every example, on a generated workspace, and on small
 * inputs that exercise each rule; and it must give up (so that Langium's parser handles the file) on
 * every input with a syntax error.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { CstNode } from 'langium';
import { describe, expect, test } from 'vitest';
import { describeAst, describeCst, exampleFiles } from './tree-description.js';
import { UkFastParser } from '../../../src/language/parser/fast/uk-fast-parser.js';
import { generateText } from '../../../bench/generate-workspace.js';
import { services } from '../../helpers.js';

const fast = new UkFastParser(services.Uk);
const langium = services.Uk.parser.LangiumParser;

function compare(text: string): void {
    const expected = langium.parse(text);
    expect(expected.parserErrors).toEqual([]);
    const actual = fast.parse(text);
    expect(actual, 'the fast parser gave up on valid input').toBeDefined();
    if (!actual) return;
    expect(describeAst(actual.value)).toEqual(describeAst(expected.value));
    expect(describeCst(actual.value.$cstNode as CstNode)).toEqual(describeCst(expected.value.$cstNode as CstNode));
}

const ROOT = path.resolve(__dirname, '../../..');

describe('the fast parser builds the trees Langium builds', () => {
    for (const file of [...exampleFiles(path.join(ROOT, 'examples')), path.join(ROOT, 'test/fixtures/layout/golden.uk'), path.join(ROOT, 'test/fixtures/layout/errors.uk'), path.join(ROOT, 'test/fixtures/layout/enums.uk'), path.join(ROOT, 'test/fixtures/layout/unions.uk')]) {
        test(path.relative(ROOT, file), () => compare(readFileSync(file, 'utf8')));
    }

    test('a generated workspace', () => compare(generateText(2000)));

    test.each([
        ['an empty file', ''],
        ['only comments', '// one\n/* two */\n'],
        ['comments everywhere', '/* a */ package /* b */ p.q // c\n// d\nconst /* e */ X = 1 // f\n'],
        ['soft keywords as names', 'struct S { at: u8, size: u8, ro: u8, main: u8, on: u8, len: u8, wait: u8 }\ndevice D size 4096 { ro: u8 at 0 ro, wo: u8 at 1 }'],
        ['directions as names', 'interface I { m(in: u32, out: u8, inout: u16, a: in bytes[4], b: out in, c: inout out, d: in) }\nstruct in { out: u8 }\nfn f(in: u32) { var out = in for inout in 0..out { out = inout } }'],
        ['expressions', 'const A = -1 + 2 * 3 << 1 & 7 | 8 ^ 9 == 10 && !true || false as bool != (1, 2).x[3](4)'],
        ['casts, unary and try', 'fn f() { let x = try a.b(1) let y = ~-!c as u8 as u16 }'],
        ['literals', "fn f() { let a = [1, 2, 3,] let b = [0; 4] let c = K { x: 1, y: 'c', } let d = len(a) let e = wait }"],
        ['statements', 'fn f() { if a { } else if b { } else { } while c { break continue } for i in 0..n { } return reply 1 raise E.X print("{}", x) assert(y, "m") { } x += 1 }'],
        ['let forms', 'fn f() { let (a, b) = g() var c: u8 var d = 1 let e: u16 = 2 }'],
        ['catch', 'fn f() { let v = s.m() catch e { return } s.n() catch e { } }'],
        ['interfaces', 'interface I { @ordinal(3) @x a(@mr(0, 1..2) b: lease out bytes[4], c: shared in [u8; 2]) -> (d: u8, e: bool) raises E oneway f() g() -> u32 }'],
        ['components', 'server S implements I { uses a: I device d: D interrupt r notification n var v: u8 = 1 fn h() { } init { } on m(x, y) { } on interrupt r { } on notification n(bits) { } } program P { main { } }'],
        ['systems', 'system Y { device d0: D { base: 0x1000, irq: 3 } instance a: A { priority: 1, } instance b: B connect a.p -> b badge 1 connect a.q -> b.r connect a.s -> d0 supervise a restart 2 }'],
        ['the kernel line', 'system Y { kernel: qnx instance kernel: A }'],
        ['types', 'struct T { a: [u8; 4], b: bytes[8], c: endpoint<I>, d: notification, e: K, f: u64 }'],
        ['imports', 'package a.b.c\nimport "x.uk"\nimport "dir"\n'],
        ['error payloads', 'interface I { m() raises E { a: u32, b: K, } n() raises E { c: bool } } server S implements I { on m() { raise E.X { a: 1, b: K { x: 2 }, } } on n() { raise E.Y { c: true } { } raise E.Z } }'],
        ['unions and optionals', 'union U { a: u32, b: [K; 2], c, d: V?, } union union { x } struct S { o: u8??, p: U } fn f(u: U, o: u8?) -> u8? { let x = U.a(1) let y = U.c let z: u8? = none match u { a(v) { } c { } none { } else { } } match o { some(w) { } } if let v = o { } else if let w = o { } else { } return none }'],
        ['deferred replies', 'server S implements I { var r: reply<I.m> on m() { r = defer } on n() { if pending(r) { r.reply(1, 2) r.raise(E.X) r.raise(E.Y { a: 1, b: K { x: 2 }, }) r.reply() } reply } }']
    ])('%s', (_name, text) => compare(text));
});

describe('on syntax errors the fast parser gives up', () => {
    test.each([
        'struct S { x: u8',
        'let x = 1',
        'fn f() { return x = 1 }',
        'const A = ',
        'const A = 1 $ 2',
        'fn f() { print("oops) }',
        'interface I { m(x: ) }',
        'system S { connect a -> b }',
        'fn f() { r.reply }'
    ])('%s', text => {
        expect(fast.parse(text)).toBeUndefined();
    });
});
