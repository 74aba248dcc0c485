/**
 * Capabilities and the derivation tree. A capability names a kernel object with rights and (for endpoints
 * and notifications) a badge; it lives in a slot. Every capability is either an original (made at boot)
 * or derived from another one by copy, mint or transfer, and the slot remembers its parent and children,
 * so that revoke can find and delete everything derived from a capability, wherever it went.
 */
import { KernelError } from '../contract/index.js';
import type { CNode } from './objects/cnode.js';
import type { Endpoint } from './objects/endpoint.js';
import type { Frame } from './objects/frame.js';
import type { IrqHandler } from './objects/irq.js';
import type { Notification } from './objects/notification.js';
import type { Reply } from './objects/reply.js';
import type { Thread } from './objects/tcb.js';
import type { VSpace } from './objects/vspace.js';

export const enum CapType {
    Endpoint = 1,
    Notification = 2,
    Tcb = 3,
    CNode = 4,
    VSpace = 5,
    Frame = 6,
    IrqHandler = 7,
    /** A saved reply capability (CNodeSaveCaller): the right to answer one Call, once. */
    Reply = 8
}

export const CAP_TYPE_NAMES: Readonly<Record<number, string>> = {
    1: 'endpoint', 2: 'notification', 3: 'tcb', 4: 'cnode', 5: 'vspace', 6: 'frame', 7: 'irq-handler', 8: 'reply'
};

export type Capability =
    | { readonly type: CapType.Endpoint; readonly object: Endpoint; readonly rights: number; readonly badge: number }
    | { readonly type: CapType.Notification; readonly object: Notification; readonly rights: number; readonly badge: number }
    | { readonly type: CapType.Tcb; readonly object: Thread; readonly rights: number; readonly badge: 0 }
    | { readonly type: CapType.CNode; readonly object: CNode; readonly rights: number; readonly badge: 0 }
    | { readonly type: CapType.VSpace; readonly object: VSpace; readonly rights: number; readonly badge: 0 }
    | FrameCapability
    | { readonly type: CapType.IrqHandler; readonly object: IrqHandler; readonly rights: number; readonly badge: 0 }
    | ReplyCapability;

/** A reply capability names one Call of its caller: the Reply object and the epoch it was issued in. */
export interface ReplyCapability {
    readonly type: CapType.Reply;
    readonly object: Reply;
    readonly rights: number;
    readonly badge: 0;
    readonly epoch: number;
}

/** A frame capability also records where it is mapped: in seL4 each mapping belongs to one cap. */
export interface FrameCapability {
    readonly type: CapType.Frame;
    readonly object: Frame;
    readonly rights: number;
    readonly badge: 0;
    mappedIn?: VSpace;
    mappedAt?: number;
}

/** The same capability with other rights (or badge), unmapped: what copy, mint and transfer hand out. */
export function deriveCapability(cap: Capability, rights: number, badge?: number): Capability {
    const reduced = cap.rights & rights;
    switch (cap.type) {
        case CapType.Endpoint: return { type: cap.type, object: cap.object, rights: reduced, badge: badge ?? cap.badge };
        case CapType.Notification: return { type: cap.type, object: cap.object, rights: reduced, badge: badge ?? cap.badge };
        case CapType.Frame: return { type: CapType.Frame, object: cap.object, rights: reduced, badge: 0 };
        default: return { ...cap, rights: reduced } as Capability;
    }
}

/**
 * Where a slot lives, for reports: a CNode index, a slot the kernel keeps in a TCB, or one the kernel keeps
 * for a capability in a queued message (the Mach personality's rights in transit), by the message's sender.
 */
export type SlotOwner =
    | { readonly cnode: CNode; readonly index: number }
    | { readonly thread: Thread; readonly role: 'fault-handler' }
    | { readonly sender: Thread; readonly role: 'in-transit' };

export class Slot {
    cap: Capability | undefined;
    parent: Slot | undefined;
    readonly children = new Set<Slot>();

    constructor(readonly owner: SlotOwner) {}

    get isEmpty(): boolean {
        return this.cap === undefined;
    }
}

/** Puts `cap` into the empty slot `destination` as a child of `source` (null: an original). */
export function insertCapability(destination: Slot, cap: Capability, source: Slot | null): void {
    destination.cap = cap;
    destination.parent = source ?? undefined;
    source?.children.add(destination);
}

/**
 * Empties a slot. Its children move up to its parent (seL4's MDB does the same: deleting a copy does not
 * delete what was derived from it). `onLastRemoved` runs for the cleanup the capability type needs
 * (unmapping a frame mapped through this cap).
 */
export function removeCapability(slot: Slot, cleanup: (cap: Capability) => void): void {
    const cap = slot.cap;
    if (!cap) return;
    cleanup(cap);
    const parent = slot.parent;
    parent?.children.delete(slot);
    for (const child of slot.children) {
        child.parent = parent;
        parent?.children.add(child);
    }
    slot.children.clear();
    slot.parent = undefined;
    slot.cap = undefined;
}

/** Moves a capability to an empty slot, keeping its place in the derivation tree. */
export function moveCapability(source: Slot, destination: Slot): void {
    destination.cap = source.cap;
    destination.parent = source.parent;
    source.parent?.children.delete(source);
    source.parent?.children.add(destination);
    for (const child of source.children) {
        child.parent = destination;
        destination.children.add(child);
    }
    source.children.clear();
    source.parent = undefined;
    source.cap = undefined;
}

/** Deletes every capability derived from the one in `slot` (depth first), leaving `slot` itself. */
export function revokeCapability(slot: Slot, cleanup: (cap: Capability) => void): number {
    let deleted = 0;
    const pending = [...slot.children];
    while (pending.length > 0) {
        const child = pending.pop() as Slot;
        pending.push(...child.children);
        child.children.clear();
        if (child.cap) cleanup(child.cap);
        child.cap = undefined;
        child.parent = undefined;
        deleted++;
    }
    slot.children.clear();
    return deleted;
}

/** The capability a cptr names in the thread's space, or the lookup error. */
export function lookupCap(thread: Thread, cptr: number): Capability | KernelError.FailedLookup {
    return thread.cspace.slotAt(cptr >>> 0)?.cap ?? KernelError.FailedLookup;
}
