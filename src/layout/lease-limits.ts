/**
 * What compiled code can do with leases, stated once so that the checker reports it at the method and the
 * code generator refuses it too: one lease of at most a page per message, and no other capability beside
 * it (a client maps one lease window, and a lease is the message's only extra capability).
 */
import type { MessageLayout } from './types.js';

/** The largest lease compiled code maps: one page. */
export const MAX_LEASE_BYTES = 4096;

/** What a message asks of leases that compiled code cannot do, as "the code generator does not support ...". */
export function unsupportedLease(layout: MessageLayout): string | undefined {
    const leases = layout.bulk.filter(bulk => bulk.transfer === 'lease');
    if (leases.length === 0) return undefined;
    const leasePaths = new Set(leases.map(bulk => bulk.path));
    if (layout.caps.some(cap => !leasePaths.has(cap.path))) return 'capabilities and a lease in one message';
    if (leases.length > 1) return 'more than one lease in a message';
    if (leases.some(bulk => bulk.bytes > MAX_LEASE_BYTES)) return 'leases of more than a page';
    return undefined;
}
