/**
 * One rule for constants and run time: the constant evaluator (which the checker and the code generator's
 * folding use) must give exactly the value the compiled code computes. Random typed expressions are
 * evaluated at compile time, then compiled with every literal read from a variable (so nothing folds) and
 * run; the printed values must agree (docs/LANGUAGE.md, "Integer semantics").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPrintStmt, type PrintStmt } from '../../src/language/generated/ast.js';
import { AstUtils } from 'langium';
import { build, diagnosticsWithText, services } from '../helpers.js';
import { compileAndRun, compileSource, runCompiled } from './compile-helper.js';

interface IntType { readonly name: string; readonly bits: number; readonly signed: boolean }

const TYPES: IntType[] = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'u64', 'i64']
    .map(name => ({ name, bits: Number(name.slice(1)), signed: name.startsWith('i') }));
const ARITHMETIC = ['+', '-', '*', '/', '%', '&', '|', '^'] as const;
const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='] as const;

function range(type: IntType): { min: bigint; max: bigint } {
    const bits = BigInt(type.bits);
    return type.signed ? { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n } : { min: 0n, max: (1n << bits) - 1n };
}

/** An expression in two spellings: folded (literals cast in place) and run time (literals read from variables). */
interface Generated { readonly folded: string; readonly runtime: string; readonly leaves: readonly Leaf[] }
interface Leaf { readonly type: IntType; readonly value: bigint }

/** Values near the edges of a type are where wrapping goes wrong; plain random values cover the rest. */
function valueOf(type: IntType): fc.Arbitrary<bigint> {
    const { min, max } = range(type);
    return fc.oneof(
        fc.bigInt({ min, max }),
        fc.constantFrom(min, max, 0n, 1n, type.signed ? -1n : 2n, min + 1n, max - 1n, 7n)
    );
}

function leaf(type: IntType): fc.Arbitrary<Generated> {
    return valueOf(type).map(value => ({ folded: `(${value} as ${type.name})`, runtime: '#', leaves: [{ type, value }] }));
}

/** An untyped literal that fits `type`, as an operand beside a typed one. */
function untyped(type: IntType): fc.Arbitrary<Generated> {
    return valueOf(type).map(value => ({ folded: `(${value})`, runtime: `(${value})`, leaves: [] }));
}

function join(parts: readonly (Generated | string)[]): Generated {
    const pieces = parts.map(part => (typeof part === 'string' ? { folded: part, runtime: part, leaves: [] } : part));
    return {
        folded: pieces.map(piece => piece.folded).join(''),
        runtime: pieces.map(piece => piece.runtime).join(''),
        leaves: pieces.flatMap(piece => piece.leaves)
    };
}

const typeArb = fc.constantFrom(...TYPES);

function expression(type: IntType, depth: number): fc.Arbitrary<Generated> {
    if (depth === 0) return leaf(type);
    const sub = (t: IntType) => expression(t, depth - 1);
    const options: fc.Arbitrary<Generated>[] = [
        leaf(type),
        typeArb.chain(source => sub(source).map(operand => join(['(', operand, ` as ${type.name})`]))),
        fc.tuple(fc.constantFrom(...ARITHMETIC), sub(type), fc.oneof(sub(type), untyped(type)))
            .map(([op, left, right]) => join(['(', left, ` ${op} `, right, ')'])),
        fc.tuple(fc.constantFrom(...ARITHMETIC), untyped(type), sub(type))
            .map(([op, left, right]) => join(['(', left, ` ${op} `, right, ')'])),
        fc.tuple(fc.constantFrom('<<', '>>'), sub(type), typeArb.chain(count => sub(count)))
            .map(([op, left, right]) => join(['(', left, ` ${op} `, right, ')'])),
        fc.tuple(fc.constantFrom(...(type.signed ? ['-', '~'] : ['~'])), sub(type))
            .map(([op, operand]) => join([`(${op}`, operand, ')']))
    ];
    return fc.oneof(...options);
}

const topLevel: fc.Arbitrary<Generated> = typeArb.chain(type => fc.oneof(
    expression(type, 3),
    fc.tuple(fc.constantFrom(...COMPARISONS), expression(type, 2), fc.oneof(expression(type, 2), untyped(type)))
        .map(([op, left, right]) => join(['(', left, ` ${op} `, right, ')']))
));

/** The runtime spelling with `#` placeholders numbered, and the variables they read. */
function numbered(expressions: readonly Generated[]): { lines: string[]; declarations: string[] } {
    let counter = 0;
    const declarations: string[] = [];
    const lines = expressions.map(expr => {
        let index = 0;
        return expr.runtime.replace(/#/g, () => {
            const { type, value } = expr.leaves[index++];
            const name = `v${counter++}`;
            declarations.push(`var ${name}: ${type.name} = ${value}`);
            return name;
        });
    });
    return { lines, declarations };
}

function printed(value: bigint, folded: PrintStmt): string {
    const type = services.Uk.types.TypeSystem.typeOf(folded.args[0]);
    return type.kind === 'bool' ? String(value !== 0n) : String(value);
}

describe('constant folding follows run time', () => {
    it('folds casts, wrapping division and narrowing as the compiled code computes them', async () => {
        const source = `program P { main {
            let x: u32 = (300 as u8) as u32
            let z: i32 = (-1 as u16) as i32
            let a = 300 as u8
            print("{} {} {} {}", x, z, a, (300 as u8) == 44)
            print("{} {}", -1 as u16, (-128 as i8) / (-1 as i8))
            print("{} {} {}", (200 as u8) + (100 as u8), (1 as u8) << 9, -(-128 as i8))
        } }
        system S { instance p: P }`;
        expect(await diagnosticsWithText(source)).toEqual([]);
        expect((await compileAndRun(source)).output).toBe('44 65535 44 true\n65535 -128\n44 2 -128\n');
    });

    it('still reports an untyped constant that does not fit', async () => {
        expect(await diagnosticsWithText(`const A: u8 = 300
            const B: u8 = 200 + 100`)).toEqual([
            '1:15 error Constant 300 does not fit u8 (0..255). @ 300',
            '2:27 error Constant 300 does not fit u8 (0..255). @ 200 + 100'
        ]);
    });

    it('gives the compiled code\'s value for random typed expressions', async () => {
        await fc.assert(fc.asyncProperty(fc.array(topLevel, { minLength: 30, maxLength: 30 }), async expressions => {
            // Fold each expression; those that divide by zero are compile errors, not values, and are left out.
            const document = await build(`program F { main {\n${expressions.map(expr => `print("{}", ${expr.folded})`).join('\n')}\n} }`);
            const prints = AstUtils.streamAllContents(document.parseResult.value).filter(isPrintStmt).toArray();
            expect(prints).toHaveLength(expressions.length);
            const kept: Generated[] = [];
            const expected: string[] = [];
            prints.forEach((print, i) => {
                const result = services.Uk.types.TypeSystem.evaluate(print.args[0]);
                if (result.ok) {
                    kept.push(expressions[i]);
                    expected.push(printed(result.value, print));
                } else {
                    expect(result.reason).toBe('division-by-zero');
                }
            });
            const { lines: printedLines, declarations } = numbered(kept);
            const program = `program R { main {\n${declarations.join('\n')}\n${printedLines.map(line => `print("{}", ${line})`).join('\n')}\n} }
                system S { instance r: R { stack: 65536 } }`;
            const compiled = await compileSource({ 'main.uk': program });
            const lines = program.split('\n');
            expect(compiled.problems.map(problem => `${problem} in ${lines[Number(problem.split(':')[0]) - 1]}`)).toEqual([]);
            const run = runCompiled(compiled.compiled!);
            const pair = (values: readonly string[]) => kept.map((expr, i) => `${expr.folded} = ${values[i]}`);
            expect(pair(run.output.split('\n'))).toEqual(pair(expected));
        }), { numRuns: 8, seed: 1522 });
    }, 120_000);

    it('converts integer constants to the type of their place at compile time, to the host\'s value', async () => {
        // Random in-range constants of every integer type, given as a typed let, an argument, a returned and a
        // replied value, a struct field and a print argument with a cast: each must print as the host's value.
        const cases = fc.sample(fc.constantFrom(...TYPES).chain(type => valueOf(type).map(value => ({ type, value }))), { numRuns: 40, seed: 4021 });
        const helpers = TYPES.map(type => `fn id_${type.name}(x: ${type.name}) -> ${type.name} { return x }`).join('\n');
        const server = `interface Back { ${TYPES.map(type => `k_${type.name}(i: u32) -> ${type.name}`).join('\n')} }
server S implements Back {
${TYPES.map(type => `    on k_${type.name}(i) {\n${cases.map(({ type: t, value }, i) => t === type ? `        if i == ${i} { reply ${value} }\n` : '').join('')}        reply 0\n    }`).join('\n')}
}`;
        const lines = cases.map(({ type, value }, i) => [
            `    let a${i}: ${type.name} = ${value}`,
            `    let s${i} = W_${type.name} { v: ${value} }`,
            `    print("{} {} {} {} {}", a${i}, id_${type.name}(${value}), s${i}.v, back.k_${type.name}(${i}), ${value} as ${type.name})`
        ].join('\n'));
        const program = `${helpers}
${TYPES.map(type => `struct W_${type.name} { v: ${type.name} }`).join('\n')}
${server}
program P { uses back: Back main {
${lines.join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.back -> s badge 1 }`;
        const run = await compileAndRun(program);
        expect(run.output).toBe(cases.map(({ value }) => `${value} ${value} ${value} ${value} ${value}\n`).join(''));
        expect(new Set(cases.map(({ type }) => type.name)).size).toBe(TYPES.length);
    }, 60_000);

    it('emits no extension for a constant converted to a narrower or wider integer', async () => {
        const outcome = await compileSource({ 'main.uk': `fn one() -> u16 { return 1 }
fn minus() -> i8 { return -3 }
fn word(x: u8) -> u32 { let y: u16 = 0xffff return x as u32 + y as u32 }
fn narrowed(x: u32) -> u16 { return x as u16 }
program P { main { print("{} {} {} {}", one(), minus(), word(1), narrowed(0x12345)) } }
system S { instance p: P }` });
        expect(outcome.problems).toEqual([]);
        const assembly = outcome.compiled!.images[0].assembly.split('\n');
        /** The shifts and masks that extend a value, in function `name`'s body. */
        const extensions = (name: string) => {
            const start = assembly.indexOf(`fn.${name}:`);
            const end = assembly.findIndex((line, i) => i > start && line.trim() === 'ret');
            return assembly.slice(start, end).filter(line => /^\s+(slli|srli|srai|andi)\b/.test(line)).map(line => line.trim().split(' ')[0]);
        };
        expect([extensions('one'), extensions('minus'), extensions('word')]).toEqual([[], [], []]);
        // A value known only at run time is still truncated: the check above would see it.
        expect(extensions('narrowed')).toEqual(['slli', 'srli']);
        expect(runCompiled(outcome.compiled!).output).toBe('1 -3 65536 9029\n');
    });
});
