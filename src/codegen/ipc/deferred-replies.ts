/**
 * Deferred replies (docs/ABI.md, "Deferred replies"): the routines a server with `reply<I.m>` state gets.
 * `v = defer` saves the caller's reply capability into v's slot (CNodeSaveCaller) after deleting what the
 * slot held (a caller dropped that way gets ServerFailed from the kernel); `v.reply(...)` packs the values
 * exactly as the dispatch loop packs the method's reply (packMessage on the same layout) and sends them on
 * the slot, which spends the capability; `v.raise(E.X)` sends the error label alone. At start the server
 * deletes every saved-reply slot: callers a faulted incarnation kept get ServerFailed instead of waiting.
 */
import type { MethodLayout } from '../../layout/index.js';
import { Invocation, OWN_CNODE_SLOT, Syscall, messageInfo, valueCaps } from '../../../runtime/contract/index.js';
import { argumentIndex, packMessage, valueAt } from './packing.js';
import { storeReplyCaps } from './capability-transfer.js';

/** The routine answering a deferred call of the method with this ordinal (values as a handler returns them). */
export function answerSymbol(ordinal: number): string {
    return `__ukc_answer_${ordinal}`;
}

/** The routine answering a deferred call with an error: a2 = the label, a1 = the slot. */
export const ANSWER_ERROR_SYMBOL = '__ukc_answer_error';
/** `__ukc_defer(a0 = slot)`: keeps the caller of the request being served in the slot. */
export const DEFER_SYMBOL = '__ukc_defer';

export interface DeferredMethod {
    readonly layout: MethodLayout;
    readonly resultOrder: readonly string[];
}

/** CNode invocation `operation` on the server's own CNode with the slot (in `slotRegister`) as MR0. */
function cnodeInvocation(operation: Invocation, slotRegister: string, out: (line: string) => void): void {
    out(`mv a2, ${slotRegister}`);
    out(`li a0, ${OWN_CNODE_SLOT}`);
    out(`li a1, ${messageInfo(operation, 1)}`);
    out(`li a7, ${Syscall.Call}`);
    out('ecall');
}

/** Start-up: deletes the saved-reply slots `first`..`first + count - 1` (errors on empty slots ignored). */
export function releaseSavedReplies(first: number, count: number): string[] {
    const lines: string[] = [];
    const out = (line: string) => lines.push(`    ${line}`);
    for (let slot = first; slot < first + count; slot++) {
        out(`li t0, ${slot}`);
        cnodeInvocation(Invocation.CNodeDelete, 't0', out);
    }
    return lines;
}

/**
 * The routines: `__ukc_defer`, `__ukc_answer_error`, and per deferred method `__ukc_answer_N`, which takes
 * the reply's values in the message convention (a2.., then the overflow words) and the slot in a1.
 */
export function deferredReplyRoutines(methods: readonly DeferredMethod[]): string[] {
    const lines: string[] = [`${DEFER_SYMBOL}:`];
    const out = (line: string) => lines.push(`    ${line}`);
    // The slot stays in t1 across both invocations: the kernel changes only a0..a7 (docs/ABI.md).
    out('mv t1, a0');
    cnodeInvocation(Invocation.CNodeDelete, 't1', out);
    cnodeInvocation(Invocation.CNodeSaveCaller, 't1', out);
    out('ret');
    for (const method of methods) {
        const reply = method.layout.reply;
        if (!reply) continue;
        const symbol = answerSymbol(method.layout.ordinal);
        lines.push(`${symbol}:`);
        // Packing touches neither a0 nor a1 (message-code.ts); the slot moves to a0 for the Send.
        out('mv a0, a1');
        storeReplyCaps(reply, path => valueAt(method.resultOrder.indexOf(path)), symbol, out, lines);
        packMessage(reply, scalar => valueAt(argumentIndex(scalar, method.resultOrder)), out);
        out(`li a1, ${messageInfo(0, reply.words)}`);
        if (valueCaps(reply).length > 0) out('or a1, a1, t3');
        out('j __ukc_answer_send');
    }
    lines.push(`${ANSWER_ERROR_SYMBOL}:`);
    out('mv a0, a1');
    out('slli a1, a2, 12');
    lines.push('__ukc_answer_send:');
    out(`li a7, ${Syscall.Send}`);
    out('ecall');
    out('bnez a6, __ukc_ipc_failed');
    out('ret');
    return lines;
}
