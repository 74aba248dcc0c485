/**
 * Event payloads of every value that travels inline in message words (docs/ABI.md, "Events"): floats,
 * unions and optionals, byte buffers inside structs, strings and vecs. What a compiled server emits
 * arrives equal at a compiled client's handler (its `print`, soft-float for the floats), in the words the
 * layout codec packs from this file's own encoding, and typed in the trace as the host formats it; the
 * same under every personality.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IPC_BUFFER_BASE, KERNEL_PERSONALITIES, OWN_ENDPOINT_SLOT, Syscall, formatFloat, floatToBits, messageInfo } from '../../runtime/contract/index.js';
import type { EventRecordEvent, KernelEvent } from '../../runtime/kernel/index.js';
import { TypedTrace, formatTraceLine } from '../../runtime/trace/index.js';
import { createCodec, type ScalarKind } from '../../src/layout/index.js';
import type { CompiledSystem } from '../../src/codegen/index.js';
import { bootWithHandWritten, compileSource, outputUnderEveryPersonality, runCompiled } from './compile-helper.js';

const DECLARATIONS = `
struct Tag { id: u8, data: bytes[3] }
union Reading { raw: u16, off, neg: i8 }
interface Probe {
    oneway go()
    event sample(t: f32, d: f64, r: Reading, o: u16?, tag: Tag, name: string[7], v: vec[i8; 3])
}`;

const HANDLER = `
    on event probe.sample(t, d, r, o, tag, name, v) {
        print("{} {:x} {} {:x} {} {} {} {} {} {} \\"{}\\" {}", t, t, d, d, r, o, tag.id, tag.data[0], tag.data[1], tag.data[2], name, len(v))
        for i in 0..len(v) { print("  v {}", v[i]) }
    }`;

function system(emits: readonly string[]): string {
    return `${DECLARATIONS}
server Source implements Probe {
    on go() {
${emits.map(line => `        ${line}`).join('\n')}
    }
}
program Sink {
    uses probe: Probe
    main { probe.go() }${HANDLER}
}
system Probing {
    instance source: Source { priority: 10 }
    instance sink: Sink { priority: 20 }
    connect sink.probe -> source badge 1
}`;
}

type Reading = { variant: 'raw'; value: number } | { variant: 'off' } | { variant: 'neg'; value: number };
interface Sample {
    t: number;
    d: number;
    r: Reading;
    o: number | null;
    tag: { id: number; data: [number, number, number] };
    name: string;
    v: number[];
}

/** A float literal that the compiler reads back to exactly this value (a point, and no `e+`). */
function floatLiteral(value: number): string {
    const text = String(Math.abs(value)).replace('e+', 'e');
    const [mantissa, exponent] = text.split('e');
    const pointed = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
    return `${value < 0 ? '-' : ''}${pointed}${exponent === undefined ? '' : `e${exponent}`}`;
}

const readingSource = (r: Reading) => (r.variant === 'off' ? 'Reading.off' : `Reading.${r.variant}(${r.value})`);
const readingText = (r: Reading) => (r.variant === 'off' ? 'Reading.off' : `Reading.${r.variant}(${r.value})`);
/** Tag in bits 0..1, then the variant's payload from bit 2 (docs/ABI.md, "Unions and optionals"). */
const readingBits = (r: Reading) => (r.variant === 'raw' ? BigInt(r.value) << 2n : r.variant === 'off' ? 1n : 2n | (BigInt(r.value & 0xff) << 2n));
const optionalText = (o: number | null) => (o === null ? 'none' : `some(${o})`);
const optionalBits = (o: number | null) => (o === null ? 0n : 1n | (BigInt(o) << 1n));

function emitSource(s: Sample): string {
    return `emit sample(${floatLiteral(s.t)}, ${floatLiteral(s.d)}, ${readingSource(s.r)}, ${s.o === null ? 'none' : s.o}, `
        + `Tag { id: ${s.tag.id}, data: [${s.tag.data.join(', ')}] }, "${s.name}", [${s.v.join(', ')}])`;
}

function printed(s: Sample): string {
    return `${formatFloat(s.t, 32)} ${floatToBits(s.t, 32).toString(16)} ${formatFloat(s.d, 64)} ${floatToBits(s.d, 64).toString(16)} `
        + `${readingText(s.r)} ${optionalText(s.o)} ${s.tag.id} ${s.tag.data.join(' ')} "${s.name}" ${s.v.length}\n`
        + s.v.map(value => `  v ${value}\n`).join('');
}

/** The record's words as this file packs them: little-endian bytes four to a word, the last word as wide as its bytes. */
function leaves(s: Sample): Record<string, bigint> {
    const utf8 = [...new TextEncoder().encode(s.name), 0, 0, 0, 0, 0, 0, 0].slice(0, 7);
    const word = (bytes: readonly number[]) => bytes.reduce((sum, byte, i) => sum | (BigInt(byte) << BigInt(8 * i)), 0n);
    const padded = [...s.v, 0, 0, 0].slice(0, 3);
    return {
        t: floatToBits(s.t, 32), d: floatToBits(s.d, 64), r: readingBits(s.r), o: optionalBits(s.o),
        'tag.id': BigInt(s.tag.id), 'tag.data#0': word(s.tag.data),
        'name.length': BigInt(new TextEncoder().encode(s.name).length), 'name#0': word(utf8.slice(0, 4)), 'name#1': word(utf8.slice(4)),
        'v.length': BigInt(s.v.length), 'v[0]': BigInt(padded[0]), 'v[1]': BigInt(padded[1]), 'v[2]': BigInt(padded[2])
    };
}

function traced(compiled: CompiledSystem, events: readonly KernelEvent[]): string[] {
    const trace = new TypedTrace(compiled.trace);
    return events.filter(event => event.kind === 'event').flatMap(event => {
        const typed = trace.translate(event);
        return typed ? [formatTraceLine(typed).replace(/^\[\s*\d+\] /, '')] : [];
    });
}

const notNegativeZero = (value: number) => !Object.is(value, -0);
const reading: fc.Arbitrary<Reading> = fc.oneof(
    fc.record({ variant: fc.constant('raw' as const), value: fc.integer({ min: 0, max: 0xffff }) }),
    fc.constant({ variant: 'off' as const }),
    fc.record({ variant: fc.constant('neg' as const), value: fc.integer({ min: -128, max: 127 }) })
);
const byte = fc.integer({ min: 0, max: 255 });
/** Up to 7 bytes of UTF-8 from one- to three-byte characters. */
const name = fc.array(fc.constantFrom('a', 'Z', '0', ' ', 'é', 'ß', '€', '→'), { maxLength: 7 })
    .map(chars => chars.join(''))
    .filter(text => new TextEncoder().encode(text).length <= 7);
const sample: fc.Arbitrary<Sample> = fc.record({
    t: fc.float({ noNaN: true, noDefaultInfinity: true }).filter(notNegativeZero),
    d: fc.double({ noNaN: true, noDefaultInfinity: true }).filter(notNegativeZero),
    r: reading,
    o: fc.option(fc.integer({ min: 0, max: 0xffff }), { nil: null }),
    tag: fc.record({ id: byte, data: fc.tuple(byte, byte, byte) }),
    name,
    v: fc.array(fc.integer({ min: -128, max: 127 }), { maxLength: 3 })
});

describe('event payloads beyond integers', () => {
    it('carry floats, unions, optionals, nested bytes, strings and vecs: printed, traced and identical under every personality', async () => {
        const samples: Sample[] = [
            { t: 21.5, d: -0.125, r: { variant: 'neg', value: -7 }, o: 513, tag: { id: 9, data: [104, 105, 33] }, name: 'héllo', v: [1, -2] },
            { t: Math.fround(0.1), d: 1e300, r: { variant: 'off' }, o: null, tag: { id: 0, data: [0, 0, 255] }, name: '', v: [] }
        ];
        const outcome = await compileSource({ 'main.uk': system(samples.map(emitSource)) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.result.reason).toBe('idle');
        expect(run.output).toBe([
            '21.5 41ac0000 -0.125 bfc0000000000000 Reading.neg(-7) some(513) 9 104 105 33 "héllo" 2',
            '  v 1',
            '  v -2',
            '0.100000001 3dcccccd 1.0000000000000001e+300 7e37e43c8800759c Reading.off none 0 0 0 255 "" 0',
            ''
        ].join('\n'));
        expect(traced(outcome.compiled, run.events)).toEqual([
            'source => sink  Probe.sample(t=21.5, d=-0.125, r=Reading.neg(-7), o=some(513), tag={id=9, data=[104, 105, 33]}, name="héllo", v=[1, -2])  1 queued',
            'sink <= source  Probe.sample(t=21.5, d=-0.125, r=Reading.neg(-7), o=some(513), tag={id=9, data=[104, 105, 33]}, name="héllo", v=[1, -2])  0 queued',
            'source => sink  Probe.sample(t=0.100000001, d=1.0000000000000001e+300, r=Reading.off, o=none, tag={id=0, data=[0, 0, 255]}, name="", v=[])  1 queued',
            'sink <= source  Probe.sample(t=0.100000001, d=1.0000000000000001e+300, r=Reading.off, o=none, tag={id=0, data=[0, 0, 255]}, name="", v=[])  0 queued'
        ]);
        const outputs = outputUnderEveryPersonality(outcome.compiled);
        expect(outputs).toHaveLength(KERNEL_PERSONALITIES.length);
        expect(outputs).toEqual(KERNEL_PERSONALITIES.map(() => run.output));
    });

    it('arrive equal to random values emitted, in the words the layout codec packs, as the trace decoder shows them', async () => {
        const isSigned = (type: ScalarKind) => type.kind === 'int' && type.signed;
        const samples = fc.sample(sample, { seed: 18, numRuns: 16 });
        const outcome = await compileSource({ 'main.uk': system(samples.map(emitSource)) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe(samples.map(printed).join(''));
        const layout = outcome.compiled.trace.endpoints['source.endpoint'].interface.events[0];
        const codec = createCodec(layout.payload, 32);
        const queued = run.events.filter((event): event is EventRecordEvent => event.kind === 'event' && event.operation === 'queue');
        expect(queued.map(event => codec.unpack(event.words.map(word => BigInt(word >>> 0))))).toEqual(samples.map(leaves));
        // Word for word too, but for the one packing liberty (ipc/packing.ts): a narrow signed value alone in
        // its word is sent sign-extended, as its register holds it; unpacking reads only the field's bits.
        const alone = layout.payload.scalars.filter(scalar => isSigned(scalar.type) && scalar.placement.bits < 32
            && layout.payload.scalars.filter(other => other.placement.word === scalar.placement.word).length === 1);
        expect(alone.map(scalar => `${scalar.path} MR${scalar.placement.word}`)).toEqual(['v[2] MR8']);
        const signExtended = (words: bigint[]) => words.map((word, w) => {
            const field = alone.find(scalar => scalar.placement.word === w);
            return field ? BigInt.asUintN(32, BigInt.asIntN(field.placement.bits, word)) : word;
        });
        expect(queued.map(event => event.words.map(word => BigInt(word >>> 0)))).toEqual(samples.map(s => signExtended(codec.pack(leaves(s)))));
        const shown = traced(outcome.compiled, run.events).filter(line => line.startsWith('source => sink'));
        expect(shown).toEqual(samples.map(s => `source => sink  Probe.sample(t=${formatFloat(s.t, 32)}, d=${formatFloat(s.d, 64)}, r=${readingText(s.r)}, `
            + `o=${optionalText(s.o)}, tag={id=${s.tag.id}, data=[${s.tag.data.join(', ')}]}, name=${JSON.stringify(s.name)}, v=[${s.v.join(', ')}])  1 queued`));
    });
    it('a record a hand-written server fills badly is taken, and its handler does not run', async () => {
        const outcome = await compileSource({ 'main.uk': system([]) });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const layout = outcome.compiled.trace.endpoints['source.endpoint'].interface.events[0];
        const codec = createCodec(layout.payload, 32);
        const good: Sample = { t: -1.5, d: 2, r: { variant: 'raw', value: 40000 }, o: 3, tag: { id: 1, data: [2, 3, 4] }, name: 'ok', v: [-1] };
        const records = [
            { ...leaves(good), r: 3n },
            { ...leaves(good), 'v.length': 0n },
            { ...leaves(good), 'name#0': 0x80c0n },
            leaves(good)
        ].map(values => codec.pack(values).map(word => Number(BigInt.asIntN(32, word))));
        const emit = (words: readonly number[]) => [
            ...words.slice(0, 4).map((word, i) => `    li a${2 + i}, ${word}`),
            `    li t0, ${DEFAULT_IPC_BUFFER_BASE}`,
            ...words.slice(4).flatMap((word, i) => [`    li t1, ${word}`, `    sw t1, ${4 + 4 * (i + 4)}(t0)`]),
            `    li a0, ${OWN_ENDPOINT_SLOT}`,
            `    li a1, ${messageInfo(1, words.length)}`,
            `    li a7, ${Syscall.EventEmit}`,
            '    ecall'
        ].join('\n');
        const booted = bootWithHandWritten(outcome.compiled, {
            name: 'raw', priority: 10, replaces: 'source', source: `
_start:
    li a0, ${OWN_ENDPOINT_SLOT}
    li a7, ${Syscall.Recv}
    ecall
${records.map(emit).join('\n')}
park:
    j park
`,
            caps: [{ slot: OWN_ENDPOINT_SLOT, endpoint: 'source.endpoint', rights: 'rw' }]
        });
        let output = '';
        booted.kernel.consoleOutput = bytes => { output += new TextDecoder().decode(bytes); };
        const events: KernelEvent[] = [];
        booted.kernel.events.subscribe(event => events.push(event));
        booted.kernel.run(2_000_000);
        const taken = events.filter((event): event is EventRecordEvent => event.kind === 'event' && event.operation === 'take');
        expect(taken.map(event => event.words.map(word => word | 0))).toEqual(records);
        // A tag that names no variant and bytes that are not UTF-8 are skipped; an empty vec is a vec. (A length
        // beyond the capacity cannot be sent here: 7 and 3 are the largest its 3 and 2 bits hold.)
        expect(output).toBe(printed({ ...good, v: [] }) + printed(good));
    });
    it('carry them nested too: bytes in a vec, strings in an array, a string and an optional in a struct, floats in an array and a vec', async () => {
        const outcome = await compileSource({ 'main.uk': `struct Named { id: u8, name: string[5], opt: i8? }
interface Meter {
    oneway go()
    event a(blobs: vec[bytes[3]; 2], names: [string[3]; 2])
    event b(n: Named, fs: [f32; 2], ds: vec[f64; 1])
}
server Source implements Meter {
    on go() {
        emit a([[1, 2, 3]], ["ab", "cd"])
        emit b(Named { id: 4, name: "xyz", opt: -3 }, [1.25, -2.5], [3.0e10])
    }
}
program Sink {
    uses meter: Meter
    main { meter.go() }
    on event meter.a(blobs, names) { print("a {} {} {} {} {}", len(blobs), blobs[0][2], names[0], names[1], len(names[1])) }
    on event meter.b(n, fs, ds) { print("b {} {} {} {} {} {} {}", n.id, n.name, n.opt, fs[0], fs[1], len(ds), ds[0]) }
}
system Metering {
    instance source: Source { priority: 10 }
    instance sink: Sink { priority: 20 }
    connect sink.meter -> source badge 1
}` });
        if (!outcome.compiled) throw new Error(outcome.problems.join('\n'));
        const run = runCompiled(outcome.compiled);
        expect(run.output).toBe('a 1 3 ab cd 2\nb 4 xyz some(-3) 1.25 -2.5 1 30000000000\n');
        expect(traced(outcome.compiled, run.events)).toEqual([
            'source => sink  Meter.a(blobs=[[1, 2, 3]], names={[0]="ab", [1]="cd"})  1 queued',
            'sink <= source  Meter.a(blobs=[[1, 2, 3]], names={[0]="ab", [1]="cd"})  0 queued',
            'source => sink  Meter.b(n={id=4, name="xyz", opt=some(-3)}, fs={[0]=1.25, [1]=-2.5}, ds=[30000000000])  1 queued',
            'sink <= source  Meter.b(n={id=4, name="xyz", opt=some(-3)}, fs={[0]=1.25, [1]=-2.5}, ds=[30000000000])  0 queued'
        ]);
    });
});
