/**
 * Strings and vecs in message words, back to what the source writes: `"alpha"`, `[1, 2, 3]`,
 * `[{x=1, y=2}]`. A layout lists them in `counted`; each is its `.length` scalar and its items' scalars
 * (message-layout.ts, PlacedCounted), which the decoders show as one value instead of one per word.
 */
import { smallFieldBits, type MessageLayout, type PlacedCounted, type PlacedScalar } from '../contract/index.js';

/** A counted value's scalars, found once per layout. */
export interface CountedPlan {
    readonly counted: PlacedCounted;
    readonly length: PlacedScalar | undefined;
    /** A string's words, in order. */
    readonly words: readonly PlacedScalar[];
    /** A vec's elements: each element's leaves with their paths relative to the element (`''`, `.x`). */
    readonly elements: readonly (readonly { readonly rest: string; readonly scalar: PlacedScalar }[])[];
}

const plans = new WeakMap<MessageLayout, { readonly plans: readonly CountedPlan[]; readonly members: ReadonlySet<PlacedScalar> }>();

/** The counted values of a message and the scalars they are made of (cached per layout). */
export function countedPlans(layout: MessageLayout): { readonly plans: readonly CountedPlan[]; readonly members: ReadonlySet<PlacedScalar> } {
    const known = plans.get(layout);
    if (known) return known;
    const members = new Set<PlacedScalar>();
    const made = (layout.counted ?? []).map(counted => {
        const byPath = new Map(layout.scalars.map(scalar => [scalar.path, scalar]));
        const take = (path: string) => {
            const scalar = byPath.get(path);
            if (scalar) members.add(scalar);
            return scalar;
        };
        const length = take(`${counted.path}.length`);
        if (counted.kind === 'string') {
            const words = Array.from({ length: Math.ceil(counted.capacity / 4) }, (_, i) => take(`${counted.path}#${i}`))
                .filter((scalar): scalar is PlacedScalar => scalar !== undefined);
            return { counted, length, words, elements: [] };
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
        return { counted, length, words: [], elements };
    });
    const result = { plans: made, members };
    plans.set(layout, result);
    return result;
}

/**
 * One string or vec as the source writes it. A length beyond the capacity (a bad request, which the
 * server refuses) shows the capacity's worth and says so.
 */
export function formatCounted(plan: CountedPlan, words: readonly number[], formatScalar: (scalar: PlacedScalar) => string): string {
    const declared = plan.length ? smallFieldBits(plan.length.placement, words) >>> 0 : 0;
    const length = Math.min(declared, plan.counted.capacity);
    const over = declared > length ? ` (length ${declared})` : '';
    if (plan.counted.kind === 'string') {
        const bytes = new Uint8Array(length);
        for (let i = 0; i < length; i++) {
            const word = plan.words[i >> 2];
            bytes[i] = word ? (smallFieldBits(word.placement, words) >>> (8 * (i & 3))) & 0xff : 0;
        }
        // Not UTF-8 (a request the server refuses): the replacement character stands for each bad sequence.
        return JSON.stringify(new TextDecoder().decode(bytes)) + over;
    }
    const elements = plan.elements.slice(0, length).map(leaves => {
        if (leaves.length === 1 && leaves[0].rest === '') return formatScalar(leaves[0].scalar);
        return `{${leaves.map(leaf => `${leaf.rest.replace(/^\./, '')}=${formatScalar(leaf.scalar)}`).join(', ')}}`;
    });
    return `[${elements.join(', ')}]${over}`;
}
