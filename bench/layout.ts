/**
 * bench:layout — packing quality. For the interfaces in examples/ and a generated corpus of 1,000 realistic
 * interfaces, the share of messages that travel in registers only (and that take the kernel fastpath) under
 * ukc's packing, against the same-run reference: one value per word with the method in the label.
 */
import '../src/polyfill.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { EmptyFileSystem, URI } from 'langium';
import { isInterfaceDecl, type Module } from '../src/language/generated/ast.js';
import { interfaceSpec } from '../src/language/model/interface-spec.js';
import { createUkServices } from '../src/language/uk-module.js';
import { layoutInterface, PROFILES, scalarBits, type AbiProfile, type FieldSpec, type InterfaceSpec, type MethodSpec, type ScalarKind } from '../src/layout/index.js';

interface Tally { messages: number; ukcRegisterOnly: number; naiveRegisterOnly: number; ukcFastpath: number; naiveFastpath: number }

/** The reference layout: every value in a word of its own (two for values wider than a word). */
function naiveWords(fields: readonly FieldSpec[], profile: AbiProfile): number {
    let words = 0;
    for (const field of fields) {
        if (field.kind === 'scalar') words += Math.ceil(scalarBits(field.type) / profile.wordBits);
        else if (field.kind === 'bulk') words += field.transfer === 'shared' ? 2 : field.transfer === 'lease' ? 1 : Math.ceil(field.bytes * 8 / profile.wordBits);
    }
    return words;
}

function capsOf(fields: readonly FieldSpec[]): number {
    return fields.filter(field => field.kind === 'cap' || (field.kind === 'bulk' && field.transfer === 'lease')).length;
}

function tally(specs: readonly InterfaceSpec[], profile: AbiProfile): Tally {
    const result: Tally = { messages: 0, ukcRegisterOnly: 0, naiveRegisterOnly: 0, ukcFastpath: 0, naiveFastpath: 0 };
    for (const spec of specs) {
        const { layout } = layoutInterface(spec, profile);
        spec.methods.forEach((method, i) => {
            const laid = layout.methods[i];
            const messages: [readonly FieldSpec[], typeof laid.request][] = [[method.params, laid.request]];
            if (laid.reply) messages.push([method.results, laid.reply]);
            for (const [fields, message] of messages) {
                result.messages++;
                const naive = naiveWords(fields, profile);
                if (message.memoryWords === 0) result.ukcRegisterOnly++;
                if (naive <= profile.fastRegisters) result.naiveRegisterOnly++;
                if (message.fastpath) result.ukcFastpath++;
                if (naive <= profile.fastRegisters && capsOf(fields) <= profile.fastpathCaps) result.naiveFastpath++;
            }
        });
    }
    return result;
}

// ---------------------------------------------------------------- the corpus

function lcg(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 2 ** 32;
    };
}

/**
 * Field types drawn with the frequencies seen in real microkernel interfaces (Hubris, CAmkES, MIG, Genode):
 * mostly 32-bit words and small integers, some flags and enums, a few 64-bit values and small structs.
 */
function randomScalar(random: () => number): ScalarKind {
    const r = random();
    if (r < 0.30) return { kind: 'int', signed: false, bits: 32 };
    if (r < 0.45) return { kind: 'int', signed: false, bits: 8 };
    if (r < 0.55) return { kind: 'int', signed: false, bits: 16 };
    if (r < 0.63) return { kind: 'int', signed: random() < 0.5, bits: 64 };
    if (r < 0.75) return { kind: 'bool' };
    if (r < 0.87) return { kind: 'enum', name: 'E', bits: 8, members: [{ name: 'A', value: 0n }] };
    if (r < 0.95) return { kind: 'bitfield', name: 'F', bits: 8, fields: [{ name: 'x', width: 3 }] };
    return { kind: 'int', signed: true, bits: 32 };
}

function randomFields(random: () => number, max: number, prefix: string): FieldSpec[] {
    const fields: FieldSpec[] = [];
    const count = Math.floor(random() * (max + 1));
    for (let i = 0; i < count; i++) {
        if (random() < 0.06) {
            // A small struct, flattened as the language does.
            const leaves = 2 + Math.floor(random() * 2);
            for (let j = 0; j < leaves; j++) fields.push({ kind: 'scalar', path: `${prefix}${i}.f${j}`, type: randomScalar(random) });
        } else {
            fields.push({ kind: 'scalar', path: `${prefix}${i}`, type: randomScalar(random) });
        }
    }
    return fields;
}

export function generateCorpus(count: number, seed = 1): InterfaceSpec[] {
    const random = lcg(seed);
    const specs: InterfaceSpec[] = [];
    for (let i = 0; i < count; i++) {
        const methods: MethodSpec[] = [];
        const methodCount = 2 + Math.floor(random() * 8);
        for (let m = 0; m < methodCount; m++) {
            const params = randomFields(random, 5, 'p');
            if (random() < 0.18) params.push({ kind: 'bulk', path: 'data', bytes: 64 << Math.floor(random() * 7), transfer: random() < 0.8 ? 'shared' : 'lease', direction: random() < 0.5 ? 'in' : 'out' });
            if (random() < 0.21) params.push({ kind: 'cap', path: 'cap', capType: 'endpoint<X>' });
            const oneway = random() < 0.1;
            methods.push({ name: `m${m}`, ordinal: m + 1, oneway, params, results: oneway ? [] : randomFields(random, 3, 'r') });
        }
        specs.push({ name: `I${i}`, methods });
    }
    return specs;
}

// ---------------------------------------------------------------- error replies

/**
 * A corpus of methods whose errors carry data, as MIG's `kern_return_t` with out-parameters, Barrelfish's
 * `errval` next to results and FIDL's error payloads do: up to four payload fields drawn like arguments,
 * and one error enum in five with 32-bit codes (HRESULT-like values beyond the label). Its own seed, so
 * that the corpus above keeps its figures.
 */
export function generateErrorCorpus(count: number, seed = 18): InterfaceSpec[] {
    const random = lcg(seed);
    const specs: InterfaceSpec[] = [];
    for (let i = 0; i < count; i++) {
        const methods: MethodSpec[] = [];
        const methodCount = 2 + Math.floor(random() * 6);
        for (let m = 0; m < methodCount; m++) {
            const wide = random() < 0.2;
            const members = [1, 2, 3].map(n => ({ name: `E${n}`, value: wide ? 0x8007_0000n + BigInt(n) : BigInt(n) }));
            const payload = randomFields(random, 4, 'e').filter((field): field is Extract<FieldSpec, { kind: 'scalar' }> => field.kind === 'scalar');
            methods.push({ name: `m${m}`, ordinal: m + 1, oneway: false, params: randomFields(random, 3, 'p'), results: randomFields(random, 2, 'r'), errors: { name: 'Err', members, payload } });
        }
        specs.push({ name: `X${i}`, methods });
    }
    return specs;
}

/** Error replies in registers only: ukc's layout against one value per word (a 32-bit code in a word of its own). */
function reportErrors(specs: readonly InterfaceSpec[], profile: AbiProfile, label = 'error replies (1,000)'): { messages: number; ukc: number; naive: number } {
    const t = { messages: 0, ukc: 0, naive: 0 };
    for (const spec of specs) {
        const { layout } = layoutInterface(spec, profile);
        spec.methods.forEach((method, i) => {
            const reply = layout.methods[i].errors[0];
            if (!reply || !method.errors) return;
            const wide = method.errors.members.some(member => member.value >= 0xffffcn);
            t.messages++;
            if (reply.memoryWords === 0) t.ukc++;
            if (naiveWords(method.errors.payload ?? [], profile) + (wide ? 1 : 0) <= profile.fastRegisters) t.naive++;
        });
    }
    console.log(`${label.padEnd(26)} ${profile.name.padEnd(13)} ${String(t.messages).padStart(6)} messages  register-only: ukc ${percent(t.ukc, t.messages).padStart(6)}  one-per-word ${percent(t.naive, t.messages).padStart(6)}`);
    return t;
}

/**
 * A corpus with strings and vecs: the same mix of scalars, plus in most methods a `string[N]` or a
 * `vec[T; N]` argument and in some a string result, written as uk source and flattened by the language
 * (interface-spec.ts), so that their transport (inline or shared, by size) is the one compiled code uses.
 */
export function countedCorpusSource(count: number, seed = 2): string {
    const random = lcg(seed);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)];
    const scalars = ['u8', 'u16', 'u32', 'u32', 'bool', 'i32', 'u64'];
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
        lines.push(`interface S${i} {`);
        const methodCount = 2 + Math.floor(random() * 6);
        for (let m = 0; m < methodCount; m++) {
            const params = Array.from({ length: Math.floor(random() * 4) }, (_, j) => `p${j}: ${pick(scalars)}`);
            const r = random();
            if (r < 0.45) params.push(`name: string[${pick([8, 12, 16, 32, 64, 256])}]`);
            else if (r < 0.8) params.push(`items: vec[${pick(['u8', 'u16', 'u32'])}; ${pick([2, 4, 8, 16, 32])}]`);
            const result = random() < 0.25 ? ` -> string[${pick([8, 16, 32])}]` : random() < 0.6 ? ` -> ${pick(scalars)}` : '';
            lines.push(`    m${m}(${params.join(', ')})${result}`);
        }
        lines.push('}');
    }
    return lines.join('\n') + '\n';
}

/**
 * A corpus with every kind of value issue 18 added, written as uk source and flattened by the language, so
 * that each packs as compiled code packs it: narrow enums (`enum Mode : u3`), `flags` sets, `f32` and
 * `f64`, tagged unions and optionals (`T?`), byte buffers inside structs (`struct Rec { id: u16, tag:
 * bytes[6] }`, four bytes to a word and the last word only as wide as its bytes), strings and vecs in every
 * direction (`out` and `inout` ones come back in the reply) and errors that carry data (with 32-bit codes in one enum in five). Its own
 * seed, so that the corpora above keep their figures.
 */
export function newTypesCorpusSource(count: number, seed = 19): string {
    const random = lcg(seed);
    const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)];
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
        const wideCodes = random() < 0.2;
        lines.push(
            `enum Mode${i} : u${pick([1, 2, 3, 4, 5])} { A = 0, B = 1 }`,
            `flags Perm${i} : u${pick([3, 4, 7, 8, 12])} { Read, Write, Exec }`,
            `struct Pt${i} { x: i16, y: i16 }`,
            `union Shape${i} { circle: u${pick([8, 16, 32])}, point: Pt${i}, empty }`,
            `struct Rec${i} { id: u16, tag: bytes[${pick([2, 3, 6, 8, 12])}] }`,
            `enum Err${i} : u32 { Busy = ${wideCodes ? '0x80070001' : '1'}, Gone = ${wideCodes ? '0x80070002' : '2'} }`,
            `interface T${i} {`
        );
        const types = ['u8', 'u16', 'u32', 'u32', 'bool', 'u64', `Mode${i}`, `Perm${i}`, 'f32', 'f64', `Shape${i}`, 'u16?', 'u32?', `Mode${i}?`, `Rec${i}`];
        const methodCount = 2 + Math.floor(random() * 6);
        for (let m = 0; m < methodCount; m++) {
            const params = Array.from({ length: Math.floor(random() * 4) }, (_, j) => `p${j}: ${pick(types)}`);
            const r = random();
            const direction = pick(['', '', 'out ', 'inout ']);
            if (r < 0.3) params.push(`name: ${direction}string[${pick([8, 12, 16, 32, 64, 256])}]`);
            else if (r < 0.5) params.push(`items: ${direction}vec[${pick(['u8', 'u16', 'u32', 'f32', `Mode${i}`, 'bytes[4]'])}; ${pick([2, 4, 8, 16, 32])}]`);
            const results = Array.from({ length: Math.floor(random() * 3) }, (_, j) => `r${j}: ${pick(types)}`);
            const raises = random() < 0.4
                ? ` raises Err${i} { ${Array.from({ length: 1 + Math.floor(random() * 3) }, (_, j) => `e${j}: ${pick(['u8', 'u32', 'u64', 'bool', `Mode${i}`])}`).join(', ')} }`
                : random() < 0.3 ? ` raises Err${i}` : '';
            lines.push(`    m${m}(${params.join(', ')})${results.length > 0 ? ` -> (${results.join(', ')})` : ''}${raises}`);
        }
        lines.push('}');
    }
    return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- the examples

function exampleFiles(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const full = path.join(folder, entry);
        if (statSync(full).isDirectory()) return exampleFiles(full);
        return entry.endsWith('.uk') ? [full] : [];
    });
}

async function exampleSpecs(): Promise<InterfaceSpec[]> {
    return specsOf(exampleFiles(path.resolve('examples')).map(file => ({ text: readFileSync(file, 'utf8'), uri: URI.file(file) })));
}

/** The interfaces of uk sources, flattened as the language does. */
async function specsOf(sources: readonly { text: string; uri: URI }[]): Promise<InterfaceSpec[]> {
    const { shared, Uk } = createUkServices(EmptyFileSystem, { referenceIndex: false });
    const documents = sources.map(source => shared.workspace.LangiumDocumentFactory.fromString<Module>(source.text, source.uri));
    for (const document of documents) shared.workspace.LangiumDocuments.addDocument(document);
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    // A corpus the checker refuses would measure something compiled code never sends.
    const errors = documents.flatMap(document => (document.diagnostics ?? []).filter(diagnostic => diagnostic.severity === 1));
    if (errors.length > 0) throw new Error(`bench:layout: a generated interface does not check: ${errors[0].message} (line ${errors[0].range.start.line + 1})`);
    return documents.flatMap(document => document.parseResult.value.declarations.filter(isInterfaceDecl))
        .map(decl => interfaceSpec(decl, Uk.types.TypeSystem));
}

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const percent = (part: number, whole: number) => `${(100 * share(part, whole)).toFixed(1)}%`;

function report(label: string, specs: readonly InterfaceSpec[], profile: AbiProfile): Tally {
    const t = tally(specs, profile);
    console.log(`${label.padEnd(26)} ${profile.name.padEnd(13)} ${String(t.messages).padStart(6)} messages  register-only: ukc ${percent(t.ukcRegisterOnly, t.messages).padStart(6)}  one-per-word ${percent(t.naiveRegisterOnly, t.messages).padStart(6)}   fastpath: ukc ${percent(t.ukcFastpath, t.messages).padStart(6)}  one-per-word ${percent(t.naiveFastpath, t.messages).padStart(6)}`);
    return t;
}

const examples = await exampleSpecs();
const corpus = generateCorpus(1000);
const errorCorpus = generateErrorCorpus(1000);
const countedCorpus = await specsOf([{ text: countedCorpusSource(1000), uri: URI.file(path.resolve('bench-strings.uk')) }]);
const newTypesCorpus = await specsOf([{ text: newTypesCorpusSource(1000), uri: URI.file(path.resolve('bench-new-types.uk')) }]);
console.log(`bench:layout: ${examples.length} example interfaces, ${corpus.length} generated interfaces, ${countedCorpus.length} with strings and vecs, ${newTypesCorpus.length} with every new type`);
let examplesUkvm: Tally | undefined;
let corpusUkvm: Tally | undefined;
for (const profile of PROFILES) {
    const e = report('examples', examples, profile);
    const c = report('generated corpus (1,000)', corpus, profile);
    report('strings and vecs (1,000)', countedCorpus, profile);
    report('new types (1,000)', newTypesCorpus, profile);
    if (profile.name === 'ukvm32') {
        examplesUkvm = e;
        corpusUkvm = c;
    }
}
let errorsUkvm: ReturnType<typeof reportErrors> | undefined;
for (const profile of PROFILES) {
    const t = reportErrors(errorCorpus, profile);
    if (profile.name === 'ukvm32') errorsUkvm = t;
}
for (const profile of PROFILES) reportErrors(newTypesCorpus, profile, 'new types, errors');
if (!examplesUkvm || !corpusUkvm || !errorsUkvm) throw new Error('the ukvm32 profile is missing');
const ratio = (t: Tally) => share(t.ukcRegisterOnly, t.messages).toFixed(3);
const naive = (t: Tally) => share(t.naiveRegisterOnly, t.messages).toFixed(3);
console.log(`bench:layout profile=ukvm32 corpus_messages=${corpusUkvm.messages} corpus_register_only=${ratio(corpusUkvm)} corpus_one_per_word_register_only=${naive(corpusUkvm)} examples_messages=${examplesUkvm.messages} examples_register_only=${ratio(examplesUkvm)} examples_one_per_word_register_only=${naive(examplesUkvm)} error_replies=${errorsUkvm.messages} error_replies_register_only=${share(errorsUkvm.ukc, errorsUkvm.messages).toFixed(3)} error_replies_one_per_word_register_only=${share(errorsUkvm.naive, errorsUkvm.messages).toFixed(3)}`);
