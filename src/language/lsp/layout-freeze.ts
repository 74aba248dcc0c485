/**
 * Freezing a layout: the annotations that fix where an interface's messages travel today, so that later
 * changes (a method added in the middle, a field added before another) cannot move them. Each method without
 * an `@ordinal` gets its current one; each scalar parameter or named result without an `@mr` gets a pin to
 * its current word and bits. The pins are kept only if laying the pinned interface out again gives exactly
 * today's layout (pinning moves pinned fields first, which could push unpinned ones elsewhere) and they fit
 * the profile the checks use; otherwise only the ordinals are written.
 */
import { layoutInterface, profileOrDefault, type AbiProfile, type FieldSpec, type InterfaceLayout, type InterfaceSpec, type MessageLayout, type PinSpec } from '../../layout/index.js';
import type { InterfaceDecl, Method, Param } from '../generated/ast.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';

/** Text to insert before a node (its first character, `offset` in the document). */
export interface Insertion {
    readonly offset: number;
    readonly text: string;
}

/** The insertions that freeze `methods` of `iface` on `profile`; none when nothing is left to freeze or it cannot be laid out. */
export function freezeInsertions(iface: InterfaceDecl, methods: readonly Method[], layouts: InterfaceLayouts, profile: AbiProfile): Insertion[] {
    const current = layouts.layoutOf(iface, profile);
    if (current.problems.length > 0) return [];
    const spec = layouts.specOf(iface);
    const ordinals: Insertion[] = [];
    const pins: Insertion[] = [];
    const pinned = new Map<string, Map<string, PinSpec>>();
    for (const method of methods) {
        const laidOut = current.layout.methods.find(candidate => candidate.name === method.name);
        const start = method.$cstNode?.offset;
        if (!laidOut || start === undefined) continue;
        if (!method.annotations.some(annotation => annotation.name === 'ordinal')) ordinals.push({ offset: start, text: `@ordinal(${laidOut.ordinal}) ` });
        const pinsOfMethod = new Map<string, PinSpec>();
        const wordBits = profile.wordBits;
        for (const [params, message] of [[method.params, laidOut.request], [method.results, laidOut.reply]] as const) {
            for (const param of params) {
                const pin = message ? currentPin(param, message, wordBits) : undefined;
                const at = param.$cstNode?.offset;
                if (!pin || at === undefined) continue;
                pinsOfMethod.set(param.name, pin);
                pins.push({ offset: at, text: `${pinText(pin)} ` });
            }
        }
        pinned.set(method.name, pinsOfMethod);
    }
    const pinnedSpec = withPins(spec, pinned);
    // Pins are written once for every profile: they must also hold on the one the checks use.
    const keepPins = pins.length > 0 && sameLayout(layoutInterface(pinnedSpec, profile).layout, current.layout)
        && layoutInterface(pinnedSpec, profileOrDefault()).problems.length === 0;
    return [...ordinals, ...(keepPins ? pins : [])].sort((a, b) => a.offset - b.offset);
}

/** Where an unpinned top-level scalar travels now, as a pin; undefined for anything else. */
function currentPin(param: Param, message: MessageLayout, wordBits: number): PinSpec | undefined {
    if (param.annotations.some(annotation => annotation.name === 'mr')) return undefined;
    const scalar = message.scalars.find(candidate => candidate.path === param.name);
    if (!scalar || scalar.pinned) return undefined;
    const { word, lo, bits } = scalar.placement;
    // A field of whole words starts its word: `@mr(word)` says all of it.
    return lo === 0 && bits % wordBits === 0 ? { word } : { word, bits: { lo, hi: lo + bits - 1 } };
}

function pinText(pin: PinSpec): string {
    return pin.bits ? `@mr(${pin.word}, ${pin.bits.lo}..${pin.bits.hi})` : `@mr(${pin.word})`;
}

function withPins(spec: InterfaceSpec, pinned: ReadonlyMap<string, ReadonlyMap<string, PinSpec>>): InterfaceSpec {
    const pin = (pins: ReadonlyMap<string, PinSpec> | undefined) => (field: FieldSpec): FieldSpec => {
        if (field.kind !== 'scalar') return field;
        const added = pins?.get(field.path);
        return added ? { ...field, pin: added } : field;
    };
    return {
        ...spec,
        methods: spec.methods.map(method => ({ ...method, params: method.params.map(pin(pinned.get(method.name))), results: method.results.map(pin(pinned.get(method.name))) }))
    };
}

/** Equal layouts, whether or not a field is marked pinned. */
function sameLayout(a: InterfaceLayout, b: InterfaceLayout): boolean {
    const plain = (layout: InterfaceLayout) => JSON.stringify(layout, (key, value: unknown) => key === 'pinned' ? undefined : typeof value === 'bigint' ? value.toString() : value);
    return plain(a) === plain(b);
}

