/**
 * What compiled code can carry in one message, stated once: the checker reports it at the method (or the
 * server) and the code generator refuses the same, so that everything `ukc check` accepts compiles. An
 * interface only described for `ukc layout` may go beyond these limits; they are the code generator's, not
 * the layout engine's.
 */
import { valueCaps } from '../../runtime/contract/index.js';
import type { MessageLayout } from './types.js';

/** The largest lease compiled code maps: one page. */
export const MAX_LEASE_BYTES = 4096;

/** Values a stub or handler passes in registers (a2..a7 in the message convention, src/codegen/ir.ts). */
export const REGISTER_VALUES = 6;

/** Values a stub or handler passes beyond the registers, in the overflow area (`__ukc_overflow`). */
export const OVERFLOW_VALUES = 64;

/** A scalar's message words as compiled code passes them: a value wider than 32 bits is one per word it spans. */
function valueWords(layout: MessageLayout): number {
    return layout.scalars.reduce((sum, scalar) => sum + Math.max(1, Math.ceil(scalar.placement.bits / 32)), 0);
}

/** What a message asks that compiled code cannot do, as "the code generator does not support ...". */
export function unsupportedMessage(layout: MessageLayout): string | undefined {
    // Each lease is one page and one extra capability, so the kernel's three limit them too.
    if (layout.bulk.some(bulk => bulk.transfer === 'lease' && bulk.bytes > MAX_LEASE_BYTES)) return 'leases of more than a page';
    const caps = valueCaps(layout).length;
    const values = valueWords(layout) + caps;
    if (values > REGISTER_VALUES + OVERFLOW_VALUES) return `messages with more than ${REGISTER_VALUES + OVERFLOW_VALUES} scalar words and capabilities`;
    // Capabilities are named in the IPC buffer before packing, from their argument registers.
    if (caps > 0 && values > REGISTER_VALUES) return `capabilities in messages of more than ${REGISTER_VALUES} values`;
    return undefined;
}
