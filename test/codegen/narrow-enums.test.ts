/**
 * Enums of any width through real runs on the machine: random members of 1-, 3-, 5-bit signed and 12-bit
 * enums written by a client arrive equal at the server and come back in the reply, travel packed to exactly
 * their bits (the layout codec reads the request words as the client meant them), and the trace decoder
 * shows them by name.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { TypedTrace } from '../../runtime/trace/typed-trace.js';
import { formatTraceLine } from '../../runtime/trace/text-writer.js';
import { build, services } from '../helpers.js';
import { compileSource, runCompiled } from './compile-helper.js';

/** Each enum: its base and member values, extremes of the width included. */
const ENUMS = [
    { name: 'Bit', base: 'u1', values: [0n, 1n] },
    { name: 'Mode', base: 'u3', values: [0n, 1n, 2n, 5n, 7n] },
    { name: 'Delta', base: 'i5', values: [-16n, -1n, 0n, 3n, 15n] },
    { name: 'Zone', base: 'u12', values: [0n, 1n, 100n, 2048n, 4095n] }
] as const;

const memberName = (enumName: string, value: bigint) => `${enumName[0]}${value < 0n ? `m${-value}` : value}`;
const DECLARATIONS = [
    ...ENUMS.map(e => `enum ${e.name} : ${e.base} { ${e.values.map(value => `${memberName(e.name, value)} = ${value}`).join(', ')} }`),
    'interface Echo { put(bit: Bit, mode: Mode, delta: Delta, zone: Zone, tag: u8) -> (bit: Bit, mode: Mode, delta: Delta, zone: Zone) }'
].join('\n');

describe('narrow enums end to end', () => {
    it('random members arrive equal at the server and back, packed to their bits, and the trace shows their names', async () => {
        const document = await build(DECLARATIONS);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const request = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0].request;
        // 1 + 3 + 5 + 12 + 8 bits: one word.
        expect(request.scalars.map(scalar => [scalar.path, scalar.placement.bits])).toEqual([['zone', 12], ['tag', 8], ['delta', 5], ['mode', 3], ['bit', 1]]);
        expect(request.words).toBe(1);
        const codec = createCodec(request, profile.wordBits);

        const sent = fc.sample(fc.record({
            bit: fc.constantFrom(...ENUMS[0].values), mode: fc.constantFrom(...ENUMS[1].values),
            delta: fc.constantFrom(...ENUMS[2].values), zone: fc.constantFrom(...ENUMS[3].values), tag: fc.bigInt({ min: 0n, max: 255n })
        }), { numRuns: 20, seed: 18 });
        const names = (v: { bit: bigint; mode: bigint; delta: bigint; zone: bigint }) =>
            [memberName('Bit', v.bit), memberName('Mode', v.mode), memberName('Delta', v.delta), memberName('Zone', v.zone)];
        const outcome = await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Echo {
    on put(bit, mode, delta, zone, tag) {
        print("server {} {} {} {} {} {}", bit, mode, delta, zone, delta as i32, tag)
        reply (bit, mode, delta, zone)
    }
}
program P { uses s: Echo main {
${sent.map((v, i) => {
        const [bit, mode, delta, zone] = names(v);
        return `    let (b${i}, m${i}, d${i}, z${i}) = s.put(Bit.${bit}, Mode.${mode}, Delta.${delta}, Zone.${zone}, ${v.tag}) catch e { return }
    print("client {} {} {} {}", b${i}, m${i}, d${i}, z${i})`;
    }).join('\n')}
} }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.s -> s badge 1 }` });
        expect(outcome.problems).toEqual([]);
        if (!outcome.compiled) throw new Error('does not compile');
        const result = runCompiled(outcome.compiled);
        expect(result.output).toBe(sent.map(v => {
            const [bit, mode, delta, zone] = names(v);
            return `server ${bit} ${mode} ${delta} ${zone} ${v.delta} ${v.tag}\nclient ${bit} ${mode} ${delta} ${zone}\n`;
        }).join(''));

        const requests = result.events.flatMap(event => (event.kind === 'ipc' && event.operation === 'call' ? [event.words] : []));
        expect(requests.map(words => codec.unpack(words.map(word => BigInt(word >>> 0))))).toEqual(sent);

        const trace = new TypedTrace(outcome.compiled.trace);
        const lines = result.events.flatMap(event => {
            const typed = trace.translate(event);
            if (typed?.kind !== 'reply') return [];
            const line = formatTraceLine(typed).replace(/^\[ *\d+\] /, '');
            return [line.slice(0, line.lastIndexOf('  '))];
        });
        expect(lines).toEqual(sent.map(v => {
            const [bit, mode, delta, zone] = names(v);
            return `p <- s  Echo.put = (bit=Bit.${bit}, mode=Mode.${mode}, delta=Delta.${delta}, zone=Zone.${zone})`;
        }));
    });
});
