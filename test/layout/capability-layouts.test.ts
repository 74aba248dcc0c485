/**
 * Capabilities inside structs and arrays: golden layout tables (read and checked by hand against
 * docs/ABI.md, "Capabilities": extra capabilities in order of appearance, depth first, no message bits),
 * and a property over generated structs and arrays: the layout's capability order is the order of the
 * code generator's memory leaves (the order stubs send and dispatch code receives them in), and adding
 * capabilities moves no scalar.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { leavesOf } from '../../src/codegen/lower/aggregates.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { PROFILES } from '../../src/layout/profiles.js';
import { build, services } from '../helpers.js';
import { ROOT, runUkc } from '../cli/run-ukc.js';

const FIXTURES = 'test/fixtures/layout';

describe('golden layout tables of capabilities in structs and arrays', () => {
    for (const profile of ['ukvm32', 'sel4-riscv64', 'sel4-ia32']) {
        test(profile, async () => {
            const expected = readFileSync(path.join(ROOT, FIXTURES, `capabilities.${profile}.txt`), 'utf8');
            const run = await runUkc(['layout', '--abi', profile, `${FIXTURES}/capabilities.uk`]);
            expect(run.stderr).toBe('');
            expect(run.code).toBe(0);
            expect(run.stdout).toBe(expected);
        });
    }
});

/** A field type: a scalar, a capability, an array of one, or a struct declared on its own. */
type Shape = { kind: 'u8' | 'u32' | 'cap' | 'note' } | { kind: 'array'; element: Shape; length: number } | { kind: 'struct'; fields: Shape[] };

const shape: fc.Arbitrary<Shape> = fc.letrec<{ shape: Shape }>(tie => ({
    shape: fc.oneof({ depthSize: 'small', withCrossShrink: true },
        fc.constantFrom<Shape>({ kind: 'u8' }, { kind: 'u32' }, { kind: 'cap' }, { kind: 'note' }),
        fc.record({ kind: fc.constant('array' as const), element: tie('shape'), length: fc.integer({ min: 1, max: 2 }) }),
        fc.record({ kind: fc.constant('struct' as const), fields: fc.array(tie('shape'), { minLength: 1, maxLength: 3 }) }))
})).shape;

/** The `.uk` text of a method's parameters of these shapes, declaring a struct for each struct shape. */
function source(params: readonly Shape[]): string {
    const structs: string[] = [];
    const typeOf = (s: Shape): string => {
        switch (s.kind) {
            case 'u8': case 'u32': return s.kind;
            case 'cap': return 'endpoint<Peer>';
            case 'note': return 'notification';
            case 'array': return `[${typeOf(s.element)}; ${s.length}]`;
            case 'struct': {
                const fields = s.fields.map((field, i) => `f${i}: ${typeOf(field)}`).join(', ');
                structs.push(`struct S${structs.length} { ${fields} }`);
                return `S${structs.length - 1}`;
            }
        }
    };
    const list = params.map((param, i) => `p${i}: ${typeOf(param)}`).join(', ');
    return ['interface Peer { hi() }', ...structs, `interface I { m(${list}) }`, ''].join('\n');
}

describe('capability order', () => {
    test('is the order of the memory leaves, depth first; capabilities take no message bits', async () => {
        const types = services.Uk.types.TypeSystem;
        const layouts = services.Uk.layout.InterfaceLayouts;
        await fc.assert(fc.asyncProperty(fc.array(shape, { minLength: 1, maxLength: 3 }), async params => {
            const document = await build(source(params));
            const iface = document.parseResult.value.declarations.filter(isInterfaceDecl).find(decl => decl.name === 'I') as InterfaceDecl;
            const request = layouts.layoutOf(iface).layout.methods[0].request;
            // The code generator's leaves are what stubs send from and dispatch code receives into.
            const capLeaves = iface.methods[0].params.flatMap(param => leavesOf(types.typeOfTypeRef(param.type), param.name, types) ?? [])
                .filter(leaf => leaf.type.kind === 'endpoint' || leaf.type.kind === 'notification').map(leaf => leaf.path);
            expect(request.caps.map(cap => cap.path)).toEqual(capLeaves);
            expect(request.caps.map(cap => cap.capIndex)).toEqual(capLeaves.map((_, i) => i));
            expect(request.extraCaps).toBe(capLeaves.length);
            // More than three is refused (too-many-caps); fewer lays out clean.
            expect((document.diagnostics ?? []).filter(diagnostic => diagnostic.code === 'too-many-caps').length).toBe(capLeaves.length > 3 ? 1 : 0);
            // Leaving the capabilities out of the message places every scalar exactly where it was.
            const spec = layouts.specOf(iface);
            const scalarsOnly = { ...spec, methods: spec.methods.map(method => ({ ...method, params: method.params.filter(field => field.kind !== 'cap') })) };
            const plain = layoutInterface(scalarsOnly, PROFILES[0]).layout.methods[0].request;
            expect(request.scalars).toEqual(plain.scalars);
            expect(request.words).toBe(plain.words);
        }), { numRuns: 60 });
    });
});
