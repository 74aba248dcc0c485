/**
 * `x == none` and `x != none` on optionals of every kind (integers, floats, unions holding floats, structs
 * holding floats), where `==` between two such optionals stays refused: the checker's answers, and compiled
 * results against the host's on random values, in a helper function, as a condition, and in a server
 * that received the values in a message.
 */
import { describe, expect, it } from 'vitest';
import { build, coveredText, format } from '../helpers.js';
import { floatFromBits } from '../../runtime/contract/index.js';
import { xorshift32 } from '../random.js';
import { compileAndRun } from './compile-helper.js';
import { floatLiteral, operands32, operands64 } from './float-operands.js';

const DECLARATIONS = `struct Pair { a: f32, b: u8 }
union Reading { celsius: f32, precise: f64, pair: Pair, failed }
interface Probe { check(a: u32?, b: f64?, c: Reading?, d: Pair?, e: i8?) -> u8 }`;

/** The five values of one case as source text, or null for `none`. */
type Case = [string | null, string | null, string | null, string | null, string | null];

/** `1` or `0` for each comparison the program prints about the five values, in its order. */
function expectedLine(values: Case): string {
    return values.map(value => `${value === null ? 1 : 0}${value === null ? 0 : 1}${value === null ? 1 : 0}`).join(' ');
}

function randomCases(seed: number, count: number): Case[] {
    const next = xorshift32(seed);
    const next32 = operands32(seed + 1);
    const next64 = operands64(seed + 2);
    const f32s = () => floatFromBits(BigInt(next32()), 32);
    const f64s = () => floatFromBits(next64(), 64);
    const maybe = (text: () => string) => next() % 3 === 0 ? null : text();
    return Array.from({ length: count }, () => {
        const reading = (): string => {
            switch (next() % 4) {
                case 0: return `Reading.celsius(${floatLiteral(f32s(), 'f32')})`;
                case 1: return `Reading.precise(${floatLiteral(f64s(), 'f64')})`;
                case 2: return `Reading.pair(Pair { a: ${floatLiteral(f32s(), 'f32')}, b: ${next() % 256} })`;
                default: return 'Reading.failed';
            }
        };
        return [
            maybe(() => String(next())),
            maybe(() => floatLiteral(f64s(), 'f64')),
            maybe(reading),
            maybe(() => `Pair { a: ${floatLiteral(f32s(), 'f32')}, b: ${next() % 256} }`),
            maybe(() => String((next() % 256) - 128))
        ];
    });
}

describe('comparing an optional with none', () => {
    it('is accepted for every optional, either way round, while == between two optionals holding floats stays refused', async () => {
        const document = await build(`${DECLARATIONS}
fn f(a: u32?, b: f64?, c: Reading?, d: Pair?) -> bool {
    let both = b == b
    let n = none == none
    return a == none && none != b && c != none && d == none && a == a
}`);
        expect((document.diagnostics ?? []).map(diagnostic => [diagnostic.code, format(diagnostic), coveredText(document, diagnostic)])).toEqual([
            ['operator-mismatch', "5:18 error '==' cannot compare f64?: it holds floats, which are not equal by their bits (NaN, -0); compare its fields.", '=='],
            ['operator-mismatch', "6:18 error '==' cannot compare none and none.", '==']
        ]);
    });

    it('is true exactly when the optional holds nothing, in a function, a condition and a server, as on the host', async () => {
        const cases = randomCases(0x5eed0, 12);
        const argumentsOf = (values: Case) => values.map(value => value ?? 'none').join(', ');
        const run = await compileAndRun(`${DECLARATIONS}
fn bit(b: bool) -> u8 { if b { return 1 } return 0 }
fn flags(a: u32?, b: f64?, c: Reading?, d: Pair?, e: i8?) {
    print("{}{}{} {}{}{} {}{}{} {}{}{} {}{}{}",
        bit(a == none), bit(a != none), bit(none == a), bit(b == none), bit(b != none), bit(none == b),
        bit(c == none), bit(c != none), bit(none == c), bit(d == none), bit(d != none), bit(none == d),
        bit(e == none), bit(e != none), bit(none == e))
}
server S implements Probe {
    on check(a, b, c, d, e) {
        var empty: u8 = 0
        if a == none { empty += 1 }
        if none == b { empty += 1 }
        if !(c != none) { empty += 1 }
        if d == none { empty += 1 }
        if e == none { empty += 1 }
        reply empty
    }
}
program P { uses probe: Probe main {
${cases.map(values => `    flags(${argumentsOf(values)})\n    print("{}", probe.check(${argumentsOf(values)}))`).join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.probe -> s badge 1 }`);
        expect(run.output).toBe(cases.map(values => `${expectedLine(values)}\n${values.filter(value => value === null).length}\n`).join(''));
        // Both answers happen among the random cases for each value.
        for (let i = 0; i < 5; i++) expect(new Set(cases.map(values => values[i] === null)).size).toBe(2);
    });
});
