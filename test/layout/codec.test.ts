import { describe, expect, test } from 'vitest';
import { CodecError, createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import type { FieldSpec } from '../../src/layout/types.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { build, services } from '../helpers.js';

function requestCodec(fields: FieldSpec[], profileName = 'ukvm32') {
    const profile = profileOrDefault(profileName);
    const { layout } = layoutInterface({ name: 'I', methods: [{ name: 'm', ordinal: 1, oneway: false, params: fields, results: [] }] }, profile);
    return createCodec(layout.methods[0].request, profile.wordBits);
}

describe('pack and unpack', () => {
    test('a key-value put packs into three register words', async () => {
        const document = await build(`
bitfield PutFlags : u8 { create: 1, overwrite: 1, ttl: 4 }
struct Key { hi: u32, lo: u16 }
interface KeyValue { put(key: Key, value: u32, flags: PutFlags) -> u8 }`);
        const decl = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const { layout } = layoutInterface(interfaceSpec(decl, services.Uk.types.TypeSystem), profile);
        const codec = createCodec(layout.methods[0].request, 32);
        const words = codec.pack({ 'key.hi': 0xdead_beefn, 'key.lo': 2n, value: 42n, flags: 0b0000_0101n });
        expect(words).toEqual([0xdead_beefn, 42n, 2n | (0b101n << 16n)]);
        expect(codec.unpack(words)).toEqual({ 'key.hi': 0xdead_beefn, 'key.lo': 2n, value: 42n, flags: 5n });
    });

    test('signed fields are two-complement in the word and sign-extended when unpacked', () => {
        const codec = requestCodec([
            { kind: 'scalar', path: 'a', type: { kind: 'int', signed: true, bits: 8 } },
            { kind: 'scalar', path: 'b', type: { kind: 'int', signed: true, bits: 16 } }
        ]);
        const words = codec.pack({ a: -1n, b: -2n });
        expect(words).toEqual([0xfffen | (0xffn << 16n)]);
        expect(codec.unpack(words)).toEqual({ a: -1n, b: -2n });
    });

    test('a u64 on 32-bit words is split low word first; on 64-bit words it takes one word', () => {
        const fields: FieldSpec[] = [{ kind: 'scalar', path: 'big', type: { kind: 'int', signed: false, bits: 64 } }];
        expect(requestCodec(fields).pack({ big: 0x1122_3344_5566_7788n })).toEqual([0x5566_7788n, 0x1122_3344n]);
        expect(requestCodec(fields, 'sel4-riscv64').pack({ big: 0x1122_3344_5566_7788n })).toEqual([0x1122_3344_5566_7788n]);
        const signed: FieldSpec[] = [{ kind: 'scalar', path: 'v', type: { kind: 'int', signed: true, bits: 64 } }];
        const codec = requestCodec(signed);
        expect(codec.pack({ v: -2n })).toEqual([0xffff_fffen, 0xffff_ffffn]);
        expect(codec.unpack([0xffff_fffen, 0xffff_ffffn])).toEqual({ v: -2n });
    });

    test('missing and out-of-range values are refused', () => {
        const codec = requestCodec([
            { kind: 'scalar', path: 'flag', type: { kind: 'bool' } },
            { kind: 'scalar', path: 'n', type: { kind: 'int', signed: false, bits: 8 } }
        ]);
        expect(() => codec.pack({ flag: 1n })).toThrow(new CodecError("no value for 'n'"));
        expect(() => codec.pack({ flag: 2n, n: 1n })).toThrow(new CodecError("2 does not fit 'flag' (0..1)"));
        expect(() => codec.pack({ flag: 0n, n: 256n })).toThrow(new CodecError("256 does not fit 'n' (0..255)"));
    });

    test('unpacking ignores bits that belong to no field and tolerates missing words', () => {
        const codec = requestCodec([{ kind: 'scalar', path: 'n', type: { kind: 'int', signed: false, bits: 8 } }]);
        expect(codec.unpack([0xffff_ff07n])).toEqual({ n: 7n });
        expect(codec.unpack([])).toEqual({ n: 0n });
    });
});

describe('signed enums', () => {
    const neg = { kind: 'enum', name: 'Neg', bits: 8, signed: true, members: [{ name: 'Minus', value: -5n }, { name: 'Plus', value: 5n }] } as const;

    test('pack a negative member in two\'s complement and unpack it sign-extended', () => {
        const codec = requestCodec([{ kind: 'scalar', path: 'n', type: neg }, { kind: 'scalar', path: 'm', type: { ...neg, signed: undefined } }]);
        const words = codec.pack({ n: -5n, m: 251n });
        expect(words).toEqual([0xfbn | (0xfbn << 8n)]);
        expect(codec.unpack(words)).toEqual({ n: -5n, m: 251n });
        expect(() => codec.pack({ n: 128n, m: 0n })).toThrow(CodecError);
    });

    test('the model marks enums with a signed base, and only those', async () => {
        const document = await build(`enum Neg : i8 { Minus = -5 }
enum Pos : u8 { A }
interface I { m(n: Neg, p: Pos) }`);
        const decl = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const spec = interfaceSpec(decl, services.Uk.types.TypeSystem);
        expect(spec.methods[0].params.map(param => (param.kind === 'scalar' ? param.type : undefined))).toEqual([
            { kind: 'enum', name: 'Neg', bits: 8, signed: true, members: [{ name: 'Minus', value: -5n }] },
            { kind: 'enum', name: 'Pos', bits: 8, members: [{ name: 'A', value: 0n }] }
        ]);
    });
});
