/**
 * Strings and vecs in messages (docs/ABI.md, "Strings and vecs"): how many message values their items
 * take, and how one travels when the source does not say — in the message's own words when its items are
 * few, in the shared region otherwise, as `bytes[N]` do. One rule, read by the layout model, the checker
 * and the code generator.
 */
import type { Param } from '../generated/ast.js';
import type { StringType, UkType, VecType } from '../type-system/types.js';

/** Strings and vecs whose items take at most this many message values travel inline unless told otherwise. */
export const INLINE_ITEM_LIMIT = 16;

export type Transfer = 'shared' | 'lease' | 'inline';

export function isCounted(type: UkType): type is StringType | VecType {
    return type.kind === 'string' || type.kind === 'vec';
}

/** Message values a string's or vec's items take inline: a string's bytes four to a word, a vec's element leaves. */
export function countedItemValues(type: StringType | VecType, elementLeaves: number): number {
    return type.kind === 'string' ? Math.ceil(type.capacity / 4) : type.capacity * elementLeaves;
}

/** How a string or vec travels: as the parameter says, else inline when its items are few, else shared. */
export function countedTransfer(param: Pick<Param, 'transfer'> | undefined, type: StringType | VecType, elementLeaves: number): Transfer {
    if (param?.transfer) return param.transfer as Transfer;
    return countedItemValues(type, elementLeaves) <= INLINE_ITEM_LIMIT ? 'inline' : 'shared';
}
