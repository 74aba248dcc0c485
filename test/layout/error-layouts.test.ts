/**
 * Error replies that carry words: golden tables for a file of errors with payloads and 32-bit codes (read
 * and checked by hand against docs/ABI.md, "Labels" and "Packing"), and properties over generated error
 * enums and payloads: every member's reply has the same words, the label is the member's value or
 * WIDE_ERROR_LABEL with the code first, and every field round-trips through pack/unpack.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface, scalarBits } from '../../src/layout/engine.js';
import { PROFILES } from '../../src/layout/profiles.js';
import type { InterfaceSpec, ScalarFieldSpec, ScalarKind } from '../../src/layout/types.js';
import { WIDE_ERROR_LABEL } from '../../runtime/contract/index.js';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURES = 'test/fixtures/layout';

describe('golden layout tables of error replies', () => {
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `errors.${profile}.txt`), 'utf8');
            const run = await runUkc(['layout', '--abi', profile, `${FIXTURES}/errors.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }
});

const payloadKind: fc.Arbitrary<ScalarKind> = fc.oneof(
    fc.record({ kind: fc.constant('int' as const), signed: fc.boolean(), bits: fc.constantFrom(8, 16, 32, 64) }),
    fc.constant({ kind: 'bool' as const }),
    fc.record({ kind: fc.constant('enum' as const), name: fc.constant('E'), bits: fc.constantFrom(8, 16), members: fc.constant([{ name: 'A', value: 1n }]) }),
    fc.record({ kind: fc.constant('bitfield' as const), name: fc.constant('F'), bits: fc.constantFrom(8, 16, 32), fields: fc.constant([{ name: 'x', width: 3 }]) })
);

/** Error members with distinct non-zero values, some beyond the label (32-bit codes), and a payload. */
const errorSpec = fc.tuple(
    fc.uniqueArray(fc.oneof(fc.bigInt({ min: 1n, max: 0xffffbn }), fc.bigInt({ min: 0x100000n, max: 0xffffffffn })), { minLength: 1, maxLength: 5 }),
    fc.array(payloadKind, { maxLength: 10 })
).map(([values, kinds]) => ({
    members: values.map((value, i) => ({ name: `M${i}`, value })),
    payload: kinds.map((type, i): ScalarFieldSpec => ({ kind: 'scalar', path: `p${i}`, type }))
}));

function valueFor(type: ScalarKind, seed: bigint): bigint {
    const bits = BigInt(scalarBits(type));
    const raw = ((seed % (1n << bits)) + (1n << bits)) % (1n << bits);
    return type.kind === 'int' && type.signed ? BigInt.asIntN(Number(bits), raw) : raw;
}

describe.each(PROFILES.map(profile => [profile.name, profile] as const))('error reply properties on %s', (_name, profile) => {
    test('one layout for every member; the label or the code tells the member; every field round-trips', () => {
        fc.assert(fc.property(errorSpec, fc.array(fc.bigInt({ min: 0n, max: 1n << 70n }), { minLength: 10, maxLength: 10 }), (errors, seeds) => {
            const spec: InterfaceSpec = { name: 'I', methods: [{ name: 'm', ordinal: 1, oneway: false, params: [], results: [], errors: { name: 'Err', ...errors } }] };
            const result = layoutInterface(spec, profile);
            expect(result.problems).toEqual([]);
            const method = result.layout.methods[0];
            const wide = errors.members.some(member => member.value >= BigInt(WIDE_ERROR_LABEL));
            expect(method.errors.map(error => error.label)).toEqual(errors.members.map(member => (wide ? WIDE_ERROR_LABEL : Number(member.value))));
            expect(method.errorNames).toEqual(errors.members.map(member => `Err.${member.name}`));
            for (const error of method.errors) expect(error.scalars).toEqual(method.errors[0].scalars);
            const paths = method.errors[0].scalars.map(scalar => scalar.path).sort();
            expect(paths).toEqual([...(wide ? ['error'] : []), ...errors.payload.map(field => field.path)].sort());
            const codec = createCodec(method.errors[0], profile.wordBits);
            for (const member of errors.members) {
                const values = Object.fromEntries([
                    ...(wide ? [['error', member.value] as const] : []),
                    ...errors.payload.map((field, i) => [field.path, valueFor(field.type, seeds[i])] as const)
                ]);
                expect(codec.unpack(codec.pack(values))).toEqual(values);
            }
        }), { numRuns: 200 });
    });
});
