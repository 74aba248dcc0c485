/**
 * bench:stubs — what a call costs on the client side. For every method of the interfaces in examples/
 * that the code generator compiles, the instructions of its client stub (success path: packing, the
 * system call, the reply check, unpacking) under ukc's bit-packed layout, next to the same stub for a
 * one-value-per-word layout measured in the same run, and the message words each needs.
 */
import '../src/polyfill.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { EmptyFileSystem, URI } from 'langium';
import { clientStub } from '../src/codegen/ipc/message-code.js';
import { isInterfaceDecl, type Module } from '../src/language/generated/ast.js';
import { interfaceSpec } from '../src/language/model/interface-spec.js';
import { createUkServices } from '../src/language/uk-module.js';
import { layoutInterface, unsupportedMessage, profileOrDefault, type FieldSpec, type MessageLayout, type MethodLayout } from '../src/layout/index.js';
import { assemble } from '../runtime/machine/index.js';

function exampleFiles(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const full = path.join(folder, entry);
        if (statSync(full).isDirectory()) return exampleFiles(full);
        return entry.endsWith('.uk') ? [full] : [];
    });
}

/** The same message with every scalar alone in a word (two for 64 bits) of its own, in declaration order. */
function onePerWord(message: MessageLayout, order: readonly string[]): MessageLayout {
    let next = 0;
    const scalars = [...message.scalars]
        .sort((a, b) => order.indexOf(a.path) - order.indexOf(b.path))
        .map(scalar => {
            const word = next;
            next += Math.ceil(scalar.placement.bits / 32);
            return { ...scalar, placement: { word, lo: 0, bits: scalar.placement.bits } };
        });
    const words = next;
    return { ...message, scalars, words, registerWords: Math.min(words, 4), memoryWords: Math.max(0, words - 4) };
}

/** Instructions on the stub's success path, counted after assembly (so `li` and `la` count what they expand to). */
function stubInstructions(method: MethodLayout, params: readonly string[], results: readonly string[]): number {
    const lines = clientStub('stub', 3, method, params, results);
    const assembly = assemble([...lines, '__ukc_ipc_failed:', '__ukc_unexpected_reply:', '    nop'].join('\n'), { sectionAddresses: { '.text': 0 } });
    if (assembly.errors.length > 0) throw new Error(assembly.errors[0].message);
    const end = assembly.symbols.get('stub.error') ?? assembly.symbols.get('__ukc_ipc_failed') ?? 0;
    return end / 4;
}

const { shared, Uk } = createUkServices(EmptyFileSystem, { referenceIndex: false });
const documents = exampleFiles(path.resolve('examples')).map(file =>
    shared.workspace.LangiumDocumentFactory.fromString<Module>(readFileSync(file, 'utf8'), URI.file(file)));
for (const document of documents) shared.workspace.LangiumDocuments.addDocument(document);
await shared.workspace.DocumentBuilder.build(documents, { validation: true });

const profile = profileOrDefault('ukvm32');
let measured = 0;
let skipped = 0;
let packedTotal = 0;
let naiveTotal = 0;
console.log(`bench:stubs on ${profile.name}: client stub instructions (success path) and message words, ukc's layout vs one value per word`);
console.log(`${'method'.padEnd(34)} ${'instructions'.padStart(12)} ${'one-per-word'.padStart(12)}   ${'words'.padStart(5)} ${'one-per-word'.padStart(12)}`);
for (const document of documents) {
    for (const decl of document.parseResult.value.declarations.filter(isInterfaceDecl)) {
        const spec = interfaceSpec(decl, Uk.types.TypeSystem);
        const { layout } = layoutInterface(spec, profile);
        layout.methods.forEach((method, i) => {
            // The stub convention's register order: scalar leaves in declaration order, 64-bit ones as two.
            const order = (fields: readonly FieldSpec[]) => fields.flatMap(field => field.kind !== 'scalar' ? []
                : field.type.kind === 'int' && field.type.bits > 32 ? [field.path, `${field.path}#hi`] : [field.path]);
            const params = order(spec.methods[i].params);
            const results = order(spec.methods[i].results);
            const problem = unsupportedMessage(method.request) ?? (method.reply ? unsupportedMessage(method.reply) : undefined);
            const scalarsOnly = [...spec.methods[i].params, ...spec.methods[i].results].every(field => field.kind === 'scalar');
            if (problem || !scalarsOnly) {
                skipped++;
                return;
            }
            const naive: MethodLayout = {
                ...method,
                request: onePerWord(method.request, params),
                reply: method.reply ? onePerWord(method.reply, results) : undefined
            };
            const packed = stubInstructions(method, params, results);
            const plain = stubInstructions(naive, params, results);
            const words = `${method.request.words}+${method.reply?.words ?? 0}`;
            const naiveWords = `${naive.request.words}+${naive.reply?.words ?? 0}`;
            console.log(`${`${decl.name}.${method.name}`.padEnd(34)} ${String(packed).padStart(12)} ${String(plain).padStart(12)}   ${words.padStart(5)} ${naiveWords.padStart(12)}`);
            measured++;
            packedTotal += packed;
            naiveTotal += plain;
        });
    }
}
console.log(`${measured} methods measured, ${skipped} skipped (they carry buffers or capabilities: the comparison is of scalar packing)`);
console.log(`bench:stubs methods=${measured} mean_instructions=${(packedTotal / Math.max(1, measured)).toFixed(2)} mean_instructions_one_per_word=${(naiveTotal / Math.max(1, measured)).toFixed(2)} skipped=${skipped}`);
