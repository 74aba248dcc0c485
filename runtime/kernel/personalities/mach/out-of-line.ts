/**
 * Out-of-line memory (GNU Mach manual, "Memory" and "Message Send"): a page sent in a message travels by a
 * copy-on-write mapping — "after the send, the caller can freely modify the message buffer or the
 * out-of-line memory regions and the message contents will remain unchanged". Under this personality a
 * frame capability in a one-way message is such a region: the receiver gets a capability to a copy of the
 * page as it was at the send, so the sender's later writes are not seen. The copy is taken eagerly at the
 * send (the emulated MMU has no copy-on-write fault); the cycle model charges it as Mach's lazy copy —
 * a mapping per page, no per-byte copy (costs.ts) — which is what Mach pays when neither side writes.
 *
 * A frame in a Call is lent for the call instead, as the seL4 personality lends it: the caller waits for
 * the reply and cannot write, and the server's `out` and `inout` bytes go back through the same page
 * (Mach's MIG would return them out-of-line in the reply; the neutral stubs use the page itself).
 */
import type { FrameCapability } from '../../capability.js';
import { CapType } from '../../capability.js';
import type { Kernel } from '../../kernel.js';
import { PAGE_SHIFT, PAGE_SIZE } from '../../../machine/index.js';

/** A capability to a copy of `cap`'s page as it is now, or undefined for a device page or when RAM is exhausted. */
export function copyOnWrite(k: Kernel, cap: FrameCapability): FrameCapability | undefined {
    const original = cap.object;
    if (original.device !== undefined) return undefined;
    const copy = k.createFrame();
    if (copy === undefined) return undefined;
    copy.copyOf = original;
    const from = original.frame << PAGE_SHIFT;
    k.memory.bytes.copyWithin(copy.frame << PAGE_SHIFT, from, from + PAGE_SIZE);
    return { type: CapType.Frame, object: copy, rights: cap.rights, badge: 0 };
}
