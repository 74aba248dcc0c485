/**
 * A narrow signed value alone in its word (docs/ABI.md, "Packing"): compiled stubs and dispatch code send it
 * sign-extended to the whole word, as it sits in a register; the layout codec packs only its bits. Both
 * words mean the same value, since receivers read only the field's bits: this pins each word, and that the
 * codec and the compiled receiver read either one as the value sent.
 */
import { describe, expect, it } from 'vitest';
import { isInterfaceDecl, type InterfaceDecl } from '../../src/language/generated/ast.js';
import { interfaceSpec } from '../../src/language/model/interface-spec.js';
import { createCodec } from '../../src/layout/codec.js';
import { layoutInterface } from '../../src/layout/engine.js';
import { profileOrDefault } from '../../src/layout/profiles.js';
import { Syscall, messageInfo } from '../../runtime/contract/index.js';
import { build, services } from '../helpers.js';
import { compileAndRun, compileSource, runRawClient } from './compile-helper.js';

const DECLARATIONS = 'interface Alone { put(v: i8) -> i16 }';

describe('a narrow signed value alone in its word', () => {
    it('is sent sign-extended by compiled code, packed to its bits by the codec, and read as the same value', async () => {
        const document = await build(DECLARATIONS);
        const iface = document.parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
        const profile = profileOrDefault('ukvm32');
        const method = layoutInterface(interfaceSpec(iface, services.Uk.types.TypeSystem), profile).layout.methods[0];
        const request = createCodec(method.request, profile.wordBits);
        if (!method.reply) throw new Error('put has a reply');
        const reply = createCodec(method.reply, profile.wordBits);

        const run = await compileAndRun(`${DECLARATIONS}
server S implements Alone { on put(v) { print("got {}", v) reply (v as i16) * 100 } }
program P { uses a: Alone main { print("back {}", a.put(-3)) } }
system Y { instance s: S { priority: 2 } instance p: P { priority: 1 } connect p.a -> s badge 1 }`);
        expect(run.output).toBe('got -3\nback -300\n');
        const ipc = run.events.flatMap(event => (event.kind === 'ipc' && (event.operation === 'call' || event.operation === 'reply') ? [event] : []));
        const word = (operation: string) => (ipc.find(event => event.operation === operation)?.words[0] ?? 0) >>> 0;
        // What compiled code sends: the whole register, sign-extended.
        expect([word('call'), word('reply')]).toEqual([0xfffffffd, 0xfffffed4]);
        // What the codec packs: only the field's bits.
        expect(request.pack({ v: -3n })).toEqual([0xfdn]);
        expect(reply.pack({ result: -300n })).toEqual([0xfed4n]);
        // Either word reads back as the value.
        expect([request.unpack([0xfffffffdn]), request.unpack([0xfdn])]).toEqual([{ v: -3n }, { v: -3n }]);
        expect([reply.unpack([0xfffffed4n]), reply.unpack([0xfed4n])]).toEqual([{ result: -300n }, { result: -300n }]);

        // A compiled server given the codec's word (high bits clear) reads -3 all the same.
        const server = (await compileSource({ 'main.uk': `${DECLARATIONS}
server S implements Alone { on put(v) { print("got {}", v) reply (v as i16) * 100 } }
system Y { instance s: S { priority: 100 } }` })).compiled;
        if (!server) throw new Error('not compiled');
        const sent = runRawClient(server, `
    li a2, ${Number(request.pack({ v: -3n })[0])}
    li a0, 1
    li a1, ${messageInfo(method.ordinal, 1)}
    li a7, ${Syscall.Call}
    ecall
`);
        expect(sent).toEqual({ labels: [0], output: 'got -3\n' });
    });
});
