/**
 * Strings, vecs and nested byte buffers in message words, back to what the source writes: `"alpha"`,
 * `[1, 2, 3]`, `[{x=1, y=2}]`, a buffer as its bytes `[104, 105, 0]`. A layout lists them in `counted`;
 * each is its `.length` scalar (none for a buffer) and its items' scalars (message-layout.ts,
 * PlacedCounted), which the decoders show as one value instead of one per word. A counted value inside a
 * vec's elements (`vec[bytes[4]; 2]`, a vec of structs holding a string) shows within its element.
 */
import { smallFieldBits, type MessageLayout, type PlacedCounted, type PlacedScalar } from '../contract/index.js';

/** A counted value's scalars, found once per layout. */
export interface CountedPlan {
    readonly counted: PlacedCounted;
    readonly length: PlacedScalar | undefined;
    /** A string's or buffer's words, in order. */
    readonly words: readonly PlacedScalar[];
    /** A vec's elements: each element's leaves with their paths relative to the element (`''`, `.x`). */
    readonly elements: readonly (readonly { readonly rest: string; readonly scalar: PlacedScalar }[])[];
    /** The counted values inside a vec's elements, each shown within its element. */
    readonly inner: readonly CountedPlan[];
    /** Every scalar the value is made of, its inner values' included. */
    readonly members: ReadonlySet<PlacedScalar>;
}

const plans = new WeakMap<MessageLayout, { readonly plans: readonly CountedPlan[]; readonly members: ReadonlySet<PlacedScalar> }>();

/**
 * The counted values of a message that stand on their own (those inside a vec's elements are its `inner`
 * ones) and every scalar counted values are made of (cached per layout).
 */
export function countedPlans(layout: MessageLayout): { readonly plans: readonly CountedPlan[]; readonly members: ReadonlySet<PlacedScalar> } {
    const known = plans.get(layout);
    if (known) return known;
    const byPath = new Map(layout.scalars.map(scalar => [scalar.path, scalar]));
    const all = layout.counted ?? [];
    // Innermost first, so that a vec finds the plans of the values inside its elements already made.
    const made = new Map<PlacedCounted, CountedPlan>();
    for (const counted of [...all].sort((a, b) => b.path.length - a.path.length)) {
        const inner = [...made].filter(([other]) => other.path.startsWith(`${counted.path}[`) && outermostIn(other, counted, all)).map(([, plan]) => plan);
        made.set(counted, planOf(counted, layout, byPath, inner));
    }
    const members = new Set<PlacedScalar>();
    for (const plan of made.values()) for (const scalar of plan.members) members.add(scalar);
    const standalone = [...made].filter(([counted]) => !all.some(other => other !== counted && counted.path.startsWith(`${other.path}[`)));
    // In the layout's order, as the decoders list them.
    const result = { plans: standalone.sort(([a], [b]) => all.indexOf(a) - all.indexOf(b)).map(([, plan]) => plan), members };
    plans.set(layout, result);
    return result;
}

/** Whether `value`, inside vec `outer`, lies in no other counted value that is itself inside `outer`. */
function outermostIn(value: PlacedCounted, outer: PlacedCounted, all: readonly PlacedCounted[]): boolean {
    return !all.some(middle => middle !== value && middle !== outer && middle.path.startsWith(`${outer.path}[`) && value.path.startsWith(`${middle.path}[`));
}

function planOf(counted: PlacedCounted, layout: MessageLayout, byPath: ReadonlyMap<string, PlacedScalar>, inner: readonly CountedPlan[]): CountedPlan {
    const members = new Set<PlacedScalar>();
    const take = (path: string) => {
        const scalar = byPath.get(path);
        if (scalar) members.add(scalar);
        return scalar;
    };
    const length = counted.kind === 'bytes' ? undefined : take(`${counted.path}.length`);
    if (counted.kind !== 'vec') {
        const words = Array.from({ length: Math.ceil(counted.capacity / 4) }, (_, i) => take(`${counted.path}#${i}`))
            .filter((scalar): scalar is PlacedScalar => scalar !== undefined);
        return { counted, length, words, elements: [], inner, members };
    }
    // The layout lists the scalars by placement; an element shows its leaves in declaration order.
    const rank = (rest: string) => counted.elementLeaves?.indexOf(rest) ?? 0;
    const elements = Array.from({ length: counted.capacity }, (_, i) => {
        const prefix = `${counted.path}[${i}]`;
        return layout.scalars.filter(scalar => scalar.path === prefix || scalar.path.startsWith(`${prefix}.`) || scalar.path.startsWith(`${prefix}[`) || scalar.path.startsWith(`${prefix}#`))
            .map(scalar => {
                members.add(scalar);
                return { rest: scalar.path.slice(prefix.length), scalar };
            })
            .sort((a, b) => rank(a.rest) - rank(b.rest));
    });
    return { counted, length, words: [], elements, inner, members };
}

/**
 * One string, vec or buffer as the source writes it. A length beyond the capacity (a bad request, which
 * the server refuses) shows the capacity's worth and says so.
 */
export function formatCounted(plan: CountedPlan, words: readonly number[], formatScalar: (scalar: PlacedScalar) => string): string {
    const byte = (i: number) => {
        const word = plan.words[i >> 2];
        return word ? (smallFieldBits(word.placement, words) >>> (8 * (i & 3))) & 0xff : 0;
    };
    // A buffer always holds all its bytes, shown as an array of them (as inline bytes are).
    if (plan.counted.kind === 'bytes') return `[${Array.from({ length: plan.counted.capacity }, (_, i) => byte(i)).join(', ')}]`;
    const declared = plan.length ? smallFieldBits(plan.length.placement, words) >>> 0 : 0;
    const length = Math.min(declared, plan.counted.capacity);
    const over = declared > length ? ` (length ${declared})` : '';
    if (plan.counted.kind === 'string') {
        // Not UTF-8 (a request the server refuses): the replacement character stands for each bad sequence.
        return JSON.stringify(new TextDecoder().decode(Uint8Array.from({ length }, (_, i) => byte(i)))) + over;
    }
    const elements = plan.elements.slice(0, length).map((leaves, i) => formatElement(plan, `${plan.counted.path}[${i}]`, leaves, words, formatScalar));
    return `[${elements.join(', ')}]${over}`;
}

/** A vec's element: a scalar, a counted value (a buffer, a string), or `{x=1, name="a"}` for a struct. */
function formatElement(plan: CountedPlan, prefix: string, leaves: CountedPlan['elements'][number], words: readonly number[], formatScalar: (scalar: PlacedScalar) => string): string {
    const whole = plan.inner.find(inner => inner.counted.path === prefix);
    if (whole) return formatCounted(whole, words, formatScalar);
    if (leaves.length === 1 && leaves[0].rest === '') return formatScalar(leaves[0].scalar);
    const parts: string[] = [];
    const shown = new Set<CountedPlan>();
    for (const leaf of leaves) {
        const inner = plan.inner.find(candidate => candidate.members.has(leaf.scalar));
        if (!inner) {
            parts.push(`${leaf.rest.replace(/^\./, '')}=${formatScalar(leaf.scalar)}`);
        } else if (!shown.has(inner)) {
            shown.add(inner);
            parts.push(`${inner.counted.path.slice(prefix.length).replace(/^\./, '')}=${formatCounted(inner, words, formatScalar)}`);
        }
    }
    return `{${parts.join(', ')}}`;
}
