/**
 * The layout engine: where every field of every message goes. The algorithm, documented in docs/ABI.md:
 *
 *  1. Pinned fields go where their pins say.
 *  2. Fields as wide as a word or wider take the lowest run of whole free words, in declaration order.
 *  3. Narrower fields, widest first (ties in declaration order), take the lowest free bits of the lowest
 *     word that has room (first-fit decreasing); a field never straddles two words.
 *  4. Inline bulk data takes the lowest run of whole free words after that.
 *
 * Bulk data sent through the shared region becomes two scalars, `<name>.offset` and `<name>.length`; a
 * lease becomes an extra capability and `<name>.length`. A string or vec in message words comes already
 * flattened (its `.length` field and its items), and so does a byte buffer inside a struct, array or vec
 * (its words); the engine lists each in `counted` for the decoders. The same interface and profile always
 * give the same layout, and a pinned field stays put whatever else changes.
 */
import type { AbiProfile } from './profiles.js';
import { errorFields, errorLabel } from './error-messages.js';
import type {
    BulkFieldSpec, CountedKind, FieldSpec, InterfaceLayout, InterfaceSpec, LayoutProblem, MessageKind, MessageLayout, MethodLayout, MethodSpec,
    PinSpec, PlacedBulk, PlacedCap, PlacedCounted, PlacedScalar, Placement, ScalarFieldSpec, ScalarKind, SourceRef
} from './types.js';

const PAGE_BYTES = 4096;

/** Bits needed to hold the unsigned values 0..max. */
export function bitsFor(max: number): number {
    return max <= 1 ? 1 : Math.floor(Math.log2(max)) + 1;
}

export function scalarBits(type: ScalarKind): number {
    return type.kind === 'bool' ? 1 : type.bits;
}

export interface LayoutResult {
    readonly layout: InterfaceLayout;
    readonly problems: readonly LayoutProblem[];
}

export function layoutInterface(spec: InterfaceSpec, profile: AbiProfile): LayoutResult {
    const problems: LayoutProblem[] = [];
    const sharedRegionBytes = sharedRegionSize(spec);
    const methods = spec.methods.map(method => layoutMethod(method, profile, sharedRegionBytes, problems));
    // An event's payload is packed by the same rules as a request; its label is the event's number.
    const events = (spec.events ?? []).map(event => ({
        name: event.name, ordinal: event.ordinal,
        payload: layoutMessage('event', event.ordinal, event.params, profile, sharedRegionBytes, problems, event.source, event.name)
    }));
    return { layout: { name: spec.name, profile: profile.name, methods, events, sharedRegionBytes }, problems };
}

/** The region shared per connection: room for the largest set of `shared` arguments of one message, in pages. */
function sharedRegionSize(spec: InterfaceSpec): number {
    let largest = 0;
    for (const method of spec.methods) {
        for (const fields of [method.params, method.results]) {
            const bytes = fields.reduce((sum, field) => sum + (field.kind === 'bulk' && field.transfer === 'shared' ? field.bytes : 0), 0);
            largest = Math.max(largest, bytes);
        }
    }
    return largest === 0 ? 0 : Math.ceil(largest / PAGE_BYTES) * PAGE_BYTES;
}

function layoutMethod(method: MethodSpec, profile: AbiProfile, regionBytes: number, problems: LayoutProblem[]): MethodLayout {
    // Inline bytes are copied: `in` ones travel with the request, `out` ones with the reply, `inout` both
    // ways. Shared and leased bytes stay where both sides see them; only their handles travel, in the request.
    const isInline = (field: FieldSpec) => field.kind === 'bulk' && field.transfer === 'inline';
    const requestFields = method.params.filter(field => !isInline(field) || (field.kind === 'bulk' && field.direction !== 'out'));
    const replyFields = [...method.results, ...method.params.filter(field => isInline(field) && field.kind === 'bulk' && field.direction !== 'in')];
    const request = layoutMessage('request', method.ordinal, requestFields, profile, regionBytes, problems, method.source, method.name);
    const reply = method.oneway ? undefined : layoutMessage('reply', 0, replyFields, profile, regionBytes, problems, method.source, method.name);
    const errorMembers = method.errors?.members ?? [];
    const errorSpec = method.errors;
    // Every member's reply has the same fields; a problem with them is reported once, for the first.
    const errors = errorSpec ? errorMembers.map((member, i) =>
        layoutMessage('error', errorLabel(errorSpec, member.value), errorFields(errorSpec), profile, regionBytes, i === 0 ? problems : [], method.source, method.name)) : [];
    return {
        name: method.name,
        ordinal: method.ordinal,
        oneway: method.oneway,
        request,
        reply,
        errors,
        errorNames: errorMembers.map(member => `${method.errors?.name}.${member.name}`)
    };
}

/** Free and used bits of the message words, growing as fields are placed. */
class WordMap {
    private readonly used: boolean[][] = [];

    constructor(readonly wordBits: number) {}

    private word(index: number): boolean[] {
        while (this.used.length <= index) this.used.push(new Array<boolean>(this.wordBits).fill(false));
        return this.used[index];
    }

    isFree(word: number, lo: number, bits: number): boolean {
        if (bits > this.wordBits) {
            const words = Math.ceil(bits / this.wordBits);
            for (let w = word; w < word + words; w++) {
                if (!this.isFree(w, 0, this.wordBits)) return false;
            }
            return true;
        }
        const cells = this.word(word);
        for (let bit = lo; bit < lo + bits; bit++) {
            if (cells[bit]) return false;
        }
        return true;
    }

    take(word: number, lo: number, bits: number): void {
        if (bits > this.wordBits) {
            const words = Math.ceil(bits / this.wordBits);
            for (let w = word; w < word + words; w++) this.take(w, 0, this.wordBits);
            return;
        }
        const cells = this.word(word);
        for (let bit = lo; bit < lo + bits; bit++) cells[bit] = true;
    }

    /** The lowest run of `count` entirely free words. */
    firstFreeWords(count: number): number {
        for (let word = 0; ; word++) {
            let free = true;
            for (let w = word; w < word + count && free; w++) free = this.isFree(w, 0, this.wordBits);
            if (free) return word;
        }
    }

    /** The lowest word and bit where `bits` consecutive free bits fit inside one word. */
    firstFit(bits: number): { word: number; lo: number } {
        for (let word = 0; ; word++) {
            for (let lo = 0; lo + bits <= this.wordBits; lo++) {
                if (this.isFree(word, lo, bits)) return { word, lo };
            }
        }
    }

    /** Words up to and including the last one with any used bit. */
    get length(): number {
        for (let word = this.used.length - 1; word >= 0; word--) {
            if (this.used[word].some(Boolean)) return word + 1;
        }
        return 0;
    }
}

interface PendingScalar {
    readonly path: string;
    readonly type: ScalarKind;
    readonly bits: number;
    readonly pin?: PinSpec;
    readonly order: number;
    readonly source?: SourceRef;
}

function layoutMessage(kind: MessageKind, label: number, fields: readonly FieldSpec[], profile: AbiProfile, regionBytes: number,
    problems: LayoutProblem[], methodSource: SourceRef, methodName: string): MessageLayout {
    const wordBits = profile.wordBits;
    const map = new WordMap(wordBits);
    const scalars: PendingScalar[] = [];
    const caps: PlacedCap[] = [];
    const bulk: PlacedBulk[] = [];
    const inline: { path: string; bytes: number; direction: 'in' | 'out' | 'inout' }[] = [];
    const leaseCaps = new Map<string, number>();
    const counted: PlacedCounted[] = [];

    for (const field of fields) {
        if (field.kind === 'scalar') {
            scalars.push(pending(field, scalars.length));
            if (field.counts) counted.push(placedCounted(field.counts, countedPath(field.path, field.counts), fields));
        } else if (field.kind === 'cap') {
            caps.push({ kind: 'cap', path: field.path, capType: field.capType, capIndex: caps.length });
        } else if (field.transfer === 'shared') {
            const u = (bits: number): ScalarKind => ({ kind: 'int', signed: false, bits });
            scalars.push({ path: `${field.path}.offset`, type: u(bitsFor(Math.max(regionBytes - 1, 1))), bits: bitsFor(Math.max(regionBytes - 1, 1)), order: scalars.length, source: field.source });
            scalars.push({ path: `${field.path}.length`, type: u(lengthBits(field)), bits: lengthBits(field), order: scalars.length, source: field.source });
        } else if (field.transfer === 'lease') {
            leaseCaps.set(field.path, caps.length);
            caps.push({ kind: 'cap', path: field.path, capType: 'frame', capIndex: caps.length });
            scalars.push({ path: `${field.path}.length`, type: { kind: 'int', signed: false, bits: lengthBits(field) }, bits: lengthBits(field), order: scalars.length, source: field.source });
        } else {
            inline.push({ path: field.path, bytes: field.bytes, direction: field.direction });
        }
    }

    const placed = new Map<string, { placement: Placement; pinned: boolean }>();
    const place = (scalar: PendingScalar, placement: Placement, pinned: boolean) => {
        map.take(placement.word, placement.lo, placement.bits);
        placed.set(scalar.path, { placement, pinned });
    };

    // 1. Pins.
    for (const scalar of scalars.filter(candidate => candidate.pin)) {
        const pin = scalar.pin as PinSpec;
        const lo = pin.bits?.lo ?? 0;
        const width = pin.bits ? pin.bits.hi - pin.bits.lo + 1 : scalar.bits;
        const words = Math.ceil((lo + width) / wordBits);
        if (pin.bits && pin.bits.hi >= wordBits) {
            problems.push({ code: 'pin-out-of-range', source: scalar.source, message: `'${scalar.path}' is pinned to bits ${pin.bits.lo}..${pin.bits.hi}, but a ${profile.name} word has ${wordBits} bits.` });
            continue;
        }
        if (pin.word + words > profile.maxMessageWords) {
            problems.push({ code: 'pin-out-of-range', source: scalar.source, message: `'${scalar.path}' is pinned to word ${pin.word}, beyond the ${profile.maxMessageWords} message words of ${profile.name}.` });
            continue;
        }
        if (width !== scalar.bits) {
            problems.push({ code: 'pin-width', source: scalar.source, message: `'${scalar.path}' needs ${scalar.bits} bits, but its pin holds ${width}.` });
            continue;
        }
        if (!map.isFree(pin.word, lo, width)) {
            const other = [...placed.entries()].find(([, entry]) => overlaps(entry.placement, { word: pin.word, lo, bits: width }, wordBits));
            problems.push({ code: 'pin-overlap', source: scalar.source, message: `The pin of '${scalar.path}' overlaps '${other?.[0] ?? 'another field'}' in word ${pin.word}.` });
            continue;
        }
        place(scalar, { word: pin.word, lo, bits: width }, true);
    }

    // 2. Whole words, in declaration order.
    for (const scalar of scalars) {
        if (scalar.pin || scalar.bits < wordBits) continue;
        const words = Math.ceil(scalar.bits / wordBits);
        place(scalar, { word: map.firstFreeWords(words), lo: 0, bits: scalar.bits }, false);
    }

    // 3. Narrower fields, first fit decreasing.
    const narrow = scalars.filter(scalar => !scalar.pin && scalar.bits < wordBits)
        .sort((a, b) => b.bits - a.bits || a.order - b.order);
    for (const scalar of narrow) {
        const { word, lo } = map.firstFit(scalar.bits);
        place(scalar, { word, lo, bits: scalar.bits }, false);
    }

    // 4. Inline bulk data in whole words.
    const inlineWords = new Map<string, { first: number; count: number }>();
    for (const item of inline) {
        const count = Math.ceil(item.bytes * 8 / wordBits);
        const first = map.firstFreeWords(count);
        map.take(first, 0, count * wordBits);
        inlineWords.set(item.path, { first, count });
    }

    for (const field of fields) {
        if (field.kind !== 'bulk') continue;
        bulk.push({
            kind: 'bulk', path: field.path, bytes: field.bytes, transfer: field.transfer, direction: field.direction,
            words: inlineWords.get(field.path), capIndex: leaseCaps.get(field.path), ...(field.counts ? { counts: field.counts } : {}),
            ...(field.elements ? { elements: field.elements } : {})
        });
    }

    const placedScalars: PlacedScalar[] = scalars
        .filter(scalar => placed.has(scalar.path))
        .map(scalar => {
            const entry = placed.get(scalar.path) as { placement: Placement; pinned: boolean };
            return { kind: 'scalar' as const, path: scalar.path, type: scalar.type, placement: entry.placement, pinned: entry.pinned };
        })
        .sort((a, b) => a.placement.word - b.placement.word || a.placement.lo - b.placement.lo);

    const words = map.length;
    const what = kind === 'request' ? 'request' : kind === 'reply' ? 'reply' : kind === 'event' ? 'payload' : 'error reply';
    if (words > profile.maxMessageWords) {
        problems.push({ code: 'message-too-long', source: methodSource, message: `The ${what} of '${methodName}' needs ${words} message words, but ${profile.name} allows ${profile.maxMessageWords}.` });
    }
    if (caps.length > profile.maxExtraCaps) {
        // Reported where the first capability past the limit comes from: the parameter or result that
        // holds it, however deep in a struct or array (the method itself for an unnamed result).
        const past = caps[profile.maxExtraCaps].path;
        const source = fields.find(field => (field.kind === 'cap' || field.kind === 'bulk') && field.path === past)?.source ?? methodSource;
        problems.push({
            code: 'too-many-caps', source,
            message: `The ${what} of '${methodName}' carries ${caps.length} capabilities (${caps.map(cap => cap.path).join(', ')}), but ${profile.name} allows ${profile.maxExtraCaps} per message; '${past}' is the first past the limit.`
        });
    }
    const slowpathReasons: string[] = [];
    if (words > profile.fastRegisters) {
        slowpathReasons.push(`${words} words, but only ${profile.fastRegisters} travel in registers`);
    }
    if (caps.length > profile.fastpathCaps) {
        slowpathReasons.push(profile.fastpathCaps === 0
            ? `carries ${caps.length === 1 ? 'a capability' : `${caps.length} capabilities`}; the ${profile.name} fastpath takes none`
            : `carries ${caps.length} capabilities; the ${profile.name} fastpath takes at most ${profile.fastpathCaps}`);
    }
    const registerWords = Math.min(words, profile.fastRegisters);
    return {
        kind, label, scalars: placedScalars, bulk, caps, ...(counted.length > 0 ? { counted } : {}),
        words, registerWords, memoryWords: words - registerWords, extraCaps: caps.length,
        fastpath: slowpathReasons.length === 0, slowpathReasons
    };
}

/** The path of the value a counted scalar marks: a string's or vec's `.length` field, a nested buffer's first word `#0`. */
function countedPath(path: string, counts: CountedKind): string {
    return path.slice(0, -(counts.kind === 'bytes' ? '#0' : '.length').length);
}

/** A string, vec or nested buffer in message words; a vec with its element's leaves in declaration order, for decoders. */
function placedCounted(counts: CountedKind, path: string, fields: readonly FieldSpec[]): PlacedCounted {
    if (counts.kind !== 'vec') return { ...counts, path };
    const first = `${path}[0]`;
    const elementLeaves = fields.filter(field => field.path === first || field.path.startsWith(`${first}.`) || field.path.startsWith(`${first}[`) || field.path.startsWith(`${first}#`))
        .map(field => field.path.slice(first.length));
    return { ...counts, path, elementLeaves };
}

/** The width of bulk data's length field: as wide as its capacity needs (bytes, or a string's or vec's count). */
function lengthBits(field: BulkFieldSpec): number {
    return bitsFor(field.counts?.capacity ?? field.bytes);
}

function pending(field: ScalarFieldSpec, order: number): PendingScalar {
    return { path: field.path, type: field.type, bits: scalarBits(field.type), pin: field.pin, order, source: field.source };
}

/** Whether two placements share a bit. */
export function overlaps(a: Placement, b: Placement, wordBits: number): boolean {
    const start = (p: Placement) => p.word * wordBits + p.lo;
    const end = (p: Placement) => start(p) + (p.bits > wordBits ? Math.ceil(p.bits / wordBits) * wordBits : p.bits);
    return start(a) < end(b) && start(b) < end(a);
}
