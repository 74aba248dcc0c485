/**
 * Enums with a signed base, end to end: compiled stubs and dispatch carry negative members, compiled code
 * prints them, the layout codec unpacks the words the compiled client sent to the values it meant, and the
 * trace decoder names them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { decodeMessage } from '../../runtime/trace/message-decoder.js';
import { build, services } from '../helpers.js';
import { compileAndRun } from './compile-helper.js';

const DECLARATIONS = `enum Neg : i8 { Min = -128, Minus = -5, Zero = 0, Max = 127 }
enum Wide : i16 { Low = -30000, High = 30000 }
interface Echo { echo(n: Neg, w: Wide, v: i8) -> (n: Neg, w: Wide) }`;

const SERVER = `server S implements Echo { on echo(n, w, v) { print("got {} {} {}", n, w, v) reply (n, w) } }`;

describe('signed enums end to end', () => {
    it('negative members travel both ways and print by name or number', async () => {
        const run = await compileAndRun(`${DECLARATIONS}
${SERVER}
program P { uses e: Echo main {
    let (a, b) = e.echo(Neg.Minus, Wide.Low, -1)
    print("back {} {} {}", a, b, (a as i32) + 1)
    let (c, d) = e.echo(-77 as Neg, -2 as Wide, -128)
    print("back {} {}", c, d)
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.e -> s badge 1 }`);
        expect(run.output).toBe('got Minus Low -1\nback Minus Low -4\ngot -77 -2 -128\nback -77 -2\n');
    });

    it('the codec and the trace decoder read what compiled stubs send, for random values', async () => {
        const document = await build(DECLARATIONS);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const request = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0].request;
        const codec = createCodec(request, profile.wordBits);
        const names = new Map([[-128n, 'Neg.Min'], [-5n, 'Neg.Minus'], [0n, 'Neg.Zero'], [127n, 'Neg.Max'], [-30000n, 'Wide.Low'], [30000n, 'Wide.High']]);
        const sent = fc.sample(fc.record({
            n: fc.bigInt({ min: -128n, max: 127n }), w: fc.bigInt({ min: -32768n, max: 32767n }), v: fc.bigInt({ min: -128n, max: 127n })
        }), { numRuns: 40, seed: 7 });
        sent.push({ n: -128n, w: -32768n, v: -128n }, { n: 127n, w: 32767n, v: 127n });
        const run = await compileAndRun(`${DECLARATIONS}
server S implements Echo { on echo(n, w, v) { reply (n, w) } }
program P { uses e: Echo main {
${sent.map(({ n, w, v }) => `    e.echo(${n} as Neg, ${w} as Wide, ${v})`).join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.e -> s badge 1 }`);
        const calls = run.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'call' ? [event.words] : []));
        expect(calls.map(words => codec.unpack(words.map(word => BigInt(word >>> 0))))).toEqual(sent);
        const named = (value: bigint, type: string) => names.get(value) ?? `${type}(${value})`;
        expect(calls.map(words => decodeMessage(request, words).map(value => value.text))).toEqual(
            sent.map(({ n, w, v }) => [named(n, 'Neg'), named(w, 'Wide'), String(v)]).map(texts => {
                // The decoder lists scalars in layout order; map by path to compare.
                return request.scalars.map(scalar => texts[['n', 'w', 'v'].indexOf(scalar.path)]);
            }));
    });
});
