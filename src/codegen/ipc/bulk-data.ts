/**
 * Bulk data in compiled components: inline bytes between message words and buffers, the lease window's
 * map and unmap, finding a caller's shared region by its badge, and the checks a server makes on what a
 * client says about its buffers before a handler sees them.
 */
import type { MessageLayout, MethodLayout, PlacedBulk } from '../../layout/index.js';
import {
    Invocation, Syscall, messageInfo, BAD_BULK_LABEL, IPC_BUFFER, LEASE_SLOT, OWN_CNODE_SLOT,
    OWN_VSPACE_SLOT, SHARED_REGIONS, SHARED_TABLE, leaseWindow
} from '../../../runtime/contract/index.js';
import { loaded, valueAt, wordOffset, wordRegister } from './packing.js';

/**
 * Inline bytes: the caller wrote every word of them into the IPC buffer's message words; those that
 * travel in registers are loaded there, after the scalars are packed (they share no word with them).
 */
export function loadInlineRegisters(layout: MessageLayout, out: (line: string) => void): void {
    const words = inlineWords(layout).filter(word => wordRegister(word) !== undefined);
    if (words.length === 0) return;
    out(`li t6, ${IPC_BUFFER}`);
    for (const word of words) out(`lw ${wordRegister(word)}, ${wordOffset(word)}(t6)`);
}

/**
 * The dispatch loop's copy of a request's inline bytes into the handler's own buffer (`symbol`), before
 * anything can overwrite the registers or IPC-buffer words they came in. Uses t0, t1 and t6.
 */
export function saveInlineBytes(inline: readonly InlineBuffer[], out: (line: string) => void): void {
    for (const buffer of inline) {
        out(`la t1, ${buffer.symbol}`);
        out(`li t6, ${IPC_BUFFER}`);
        for (let i = 0; i < buffer.count; i++) {
            // An `out` buffer starts as zeros; the others as the request's words.
            const word = buffer.request === undefined ? undefined : buffer.request + i;
            const register = word === undefined ? 'zero' : wordRegister(word);
            if (register) {
                out(`sw ${register}, ${4 * i}(t1)`);
            } else {
                out(`lw t0, ${wordOffset(word as number)}(t6)`);
                out(`sw t0, ${4 * i}(t1)`);
            }
        }
    }
}

/**
 * The dispatch loop's copy of `out` and `inout` inline bytes from the handler's buffer into the reply's
 * words, after the results are packed (they share no word with them). Uses t0, t1 and t6 only.
 */
export function replyInlineBytes(inline: readonly InlineBuffer[], out: (line: string) => void): void {
    for (const buffer of inline) {
        if (buffer.reply === undefined) continue;
        out(`la t1, ${buffer.symbol}`);
        out(`li t6, ${IPC_BUFFER}`);
        for (let i = 0; i < buffer.count; i++) {
            const word = buffer.reply + i;
            const register = wordRegister(word);
            if (register) {
                out(`lw ${register}, ${4 * i}(t1)`);
            } else {
                out(`lw t0, ${4 * i}(t1)`);
                out(`sw t0, ${wordOffset(word)}(t6)`);
            }
        }
    }
}

/**
 * A stub's copy of a reply's inline bytes that travel in registers into the IPC buffer, where the rest
 * of them are, before unpacking reuses those registers: the caller copies them all from there.
 */
export function storeInlineReplyRegisters(layout: MessageLayout, out: (line: string) => void): void {
    const words = inlineWords(layout).filter(word => wordRegister(word) !== undefined);
    if (words.length === 0) return;
    out(`li t6, ${IPC_BUFFER}`);
    for (const word of words) out(`sw ${wordRegister(word)}, ${wordOffset(word)}(t6)`);
}

/** The message words of a message's inline bytes. */
export function inlineWords(layout: MessageLayout): number[] {
    return layout.bulk.flatMap(bulk => (bulk.transfer === 'inline' && bulk.words ? Array.from({ length: bulk.words.count }, (_, i) => (bulk.words?.first ?? 0) + i) : []));
}

/**
 * A handler's inline byte-buffer parameter: the buffer it is saved in (`symbol`, `count` words), and its
 * first word in the request (in, inout) and in the reply (out, inout).
 */
export interface InlineBuffer {
    readonly symbol: string;
    readonly count: number;
    readonly request: number | undefined;
    readonly reply: number | undefined;
}

/** A message's leases in order of appearance: lease k is staged, sent and mapped at page k (docs/ABI.md). */
export function messageLeases(layout: MessageLayout): PlacedBulk[] {
    return layout.bulk.filter(bulk => bulk.transfer === 'lease');
}

/** The routine that maps a request's `count` leases for its handler. */
export function leaseMapSymbol(count: number): string {
    return `__ukc_lease_map_${count}`;
}

/** The routine that lets go of a request's `count` leases; LEASE_RELEASE_ALL when that is every lease slot the server uses. */
export function leaseReleaseSymbol(count: number, most: number): string {
    return count === most ? LEASE_RELEASE_ALL : `__ukc_lease_release_${count}`;
}

/** The routine that lets go of every lease slot a server uses (after a failure, at start, on a bad request). */
export const LEASE_RELEASE_ALL = '__ukc_lease_release';

/**
 * For each number of leases a server's requests carry (`counts`): `__ukc_lease_map_<n>` maps leases
 * 0..n-1 (received in LEASE_SLOT + k) at leaseWindow(k), keeping a2..a7 (the handler's arguments), and
 * returns t0 = 0 when every map succeeded; `__ukc_lease_release_<n>` unmaps and deletes them, keeping a0
 * and a2..a7 (the handler's results), and LEASE_RELEASE_ALL does so for as many as the most any request
 * carries. A lease that did not arrive (an empty slot) or is no frame fails its map, so the dispatch loop
 * refuses the request (checkBulkBounds) instead of letting the handler fault on an unmapped window.
 */
export function leaseRoutines(counts: readonly number[]): string[] {
    const save = ['a0', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
    const invoke = (slot: number, operation: number, args: readonly number[]) => [
        `    li a0, ${slot}`, `    li a1, ${messageInfo(operation, args.length)}`, ...args.map((arg, i) => `    li a${2 + i}, ${arg}`),
        `    li a7, ${Syscall.Call}`, '    ecall'
    ];
    const around = (body: string[]) => [
        '    addi sp, sp, -32',
        ...save.map((register, i) => `    sw ${register}, ${4 * i}(sp)`),
        ...body,
        ...save.map((register, i) => `    lw ${register}, ${4 * i}(sp)`),
        '    addi sp, sp, 32',
        '    ret'
    ];
    const leases = (count: number) => Array.from({ length: count }, (_, k) => k);
    const most = Math.max(...counts);
    const lines: string[] = [];
    for (const count of [...new Set(counts)].sort((a, b) => a - b)) {
        // An invocation's error comes back in the reply label (docs/ABI.md, "Invocations").
        const map = (k: number) => [...invoke(LEASE_SLOT + k, Invocation.FrameMap, [OWN_VSPACE_SLOT, leaseWindow(k), 3]), '    srli t1, a1, 12', '    or t0, t0, t1'];
        lines.push(`${leaseMapSymbol(count)}:`, ...around(['    li t0, 0', ...leases(count).flatMap(map)]));
        lines.push(`${leaseReleaseSymbol(count, most)}:`, ...around(leases(count).flatMap(k =>
            [...invoke(LEASE_SLOT + k, Invocation.FrameUnmap, []), ...invoke(OWN_CNODE_SLOT, Invocation.CNodeDelete, [LEASE_SLOT + k])])));
    }
    return lines;
}

/**
 * `__ukc_find_region` (t5 = region size): the caller's shared region, by its badge in the server's table
 * (docs/ABI.md), into `__ukc_region`; 0 when the caller has none (its accesses then fault). Uses t0..t6 only.
 */
export function findRegion(): string[] {
    return [
        '__ukc_find_region:',
        '    la t6, __ukc_badge',
        '    lw t0, 0(t6)',
        `    li t1, ${SHARED_TABLE}`,
        '    lw t2, 0(t1)',
        '    li t3, 0',
        '    li t4, 0',
        '__ukc_find_region_next:',
        '    beq t3, t2, __ukc_find_region_done',
        '    slli t4, t3, 2',
        '    add t4, t4, t1',
        '    lw t4, 4(t4)',
        '    beq t4, t0, __ukc_find_region_found',
        '    addi t3, t3, 1',
        '    li t4, 0',
        '    j __ukc_find_region_next',
        '__ukc_find_region_found:',
        '    mul t4, t3, t5',
        `    li t5, ${SHARED_REGIONS}`,
        '    add t4, t4, t5',
        '__ukc_find_region_done:',
        '    la t6, __ukc_region',
        '    sw t4, 0(t6)',
        '    ret'
    ];
}

/**
 * The dispatch loop's check of what a client says about its bulk data, before the handler trusts it: a
 * shared buffer's length fits the parameter, and its offset leaves room for the parameter's whole capacity
 * in the region; a lease's length fits the
 * parameter and the page; with leases (`lease`), every one was mapped (t0 = 0 from the map routine). A
 * request that fails gets an error reply (BAD_BULK_LABEL; leased frames are let go first), so a client
 * cannot make the server touch memory outside its buffers. Uses t0 and t1.
 */
export function checkBulkBounds(method: { readonly layout: MethodLayout; readonly paramOrder: readonly string[]; readonly sharedRegionBytes: number },
    out: (line: string) => void, lines: string[], lease: boolean): void {
    const register = (path: string) => valueAt(method.paramOrder.indexOf(path));
    const bad = `__ukc_bad_bulk_${method.layout.ordinal}`;
    let checks = 0;
    if (lease) {
        out(`bnez t0, ${bad}`);
        checks++;
    }
    if (method.sharedRegionBytes > 0 && usesRegion(method.layout)) {
        // A caller with no region here (one that reached the server through an endpoint value) has no
        // shared bytes to offer or take.
        out('la t0, __ukc_region');
        out('lw t0, 0(t0)');
        out(`beqz t0, ${bad}`);
        checks++;
    }
    for (const bulk of method.layout.request.bulk) {
        if (bulk.transfer === 'inline') continue;
        const length = loaded(register(`${bulk.path}.length`), 't1', out);
        // A string's or vec's length counts bytes or elements up to its capacity; a buffer's, bytes.
        const limit = bulk.counts?.capacity ?? bulk.bytes;
        out(`li t0, ${bulk.transfer === 'lease' ? Math.min(limit, 4096) : limit}`);
        out(`bltu t0, ${length}, ${bad}`);
        if (bulk.transfer === 'shared') {
            // The offset leaves room in the region for the parameter's whole capacity.
            const offset = loaded(register(`${bulk.path}.offset`), 't1', out);
            out(`li t0, ${method.sharedRegionBytes - bulk.bytes}`);
            out(`bltu t0, ${offset}, ${bad}`);
        }
        checks++;
    }
    if (checks === 0) return;
    const checked = `__ukc_bulk_ok_${method.layout.ordinal}`;
    out(`j ${checked}`);
    lines.push(`${bad}:`);
    if (lease) out(`call ${LEASE_RELEASE_ALL}`);
    out(`li a1, ${messageInfo(BAD_BULK_LABEL, 0)}`);
    out('j __ukc_reply');
    lines.push(`${checked}:`);
}

/** Whether a method's request or reply has bulk data in the shared region. */
export function usesRegion(layout: MethodLayout): boolean {
    return [layout.request, layout.reply].some(message => message?.bulk.some(bulk => bulk.transfer === 'shared'));
}
