/**
 * Deferred replies (docs/ABI.md, "Deferred replies"): the routines a server with `reply<I.m>` state gets.
 * `v = defer` saves the caller's reply capability into v's slot (CNodeSaveCaller) after deleting what the
 * slot held (a caller dropped that way gets ServerFailed from the kernel); `v.reply(...)` packs the values
 * exactly as the dispatch loop packs the method's reply (packMessage on the same layout) and sends them on
 * the slot, which spends the capability; `v.raise(E.X)` sends the error label alone, and for a method whose
 * errors carry words (a payload or a 32-bit code) packs them as the dispatch loop packs an error a handler
 * raises (error-replies.ts). At start the server deletes every saved-reply slot: callers a faulted
 * incarnation kept get ServerFailed instead of waiting.
 */
import type { MethodLayout } from '../../layout/index.js';
import { OVERFLOW_SYMBOL } from '../ir.js';
import { Invocation, OWN_CNODE_SLOT, Syscall, messageInfo, valueCaps } from '../../../runtime/contract/index.js';
import { argumentIndex, overflowWord, packMessage, valueAt } from './packing.js';
import { storeReplyCaps } from './capability-transfer.js';
import { errorInfo, errorLocation, errorWords } from './error-replies.js';

/** The routine answering a deferred call of the method with this ordinal (values as a handler returns them). */
export function answerSymbol(ordinal: number): string {
    return `__ukc_answer_${ordinal}`;
}

/** The routine answering a deferred call with an error that carries no words: a2 = the label, a1 = the slot. */
export const ANSWER_ERROR_SYMBOL = '__ukc_answer_error';

/**
 * The routine answering a deferred call of the method with this ordinal with an error that carries words:
 * the payload's values as a raising handler returns them (a2.., then the overflow words), the error's value
 * after them, the slot in a1.
 */
export function answerErrorSymbol(ordinal: number): string {
    return `__ukc_answer_error_${ordinal}`;
}
/** `__ukc_defer(a0 = slot)`: keeps the caller of the request being served in the slot. */
export const DEFER_SYMBOL = '__ukc_defer';

export interface DeferredMethod {
    readonly layout: MethodLayout;
    readonly resultOrder: readonly string[];
    readonly errorOrder: readonly string[];
    /** Which answers some code gives: the routines made are those. */
    readonly replies: boolean;
    readonly raises: boolean;
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
        if (method.raises) answerErrorRoutine(method, lines);
        const reply = method.layout.reply;
        if (!reply || !method.replies) continue;
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

/** `__ukc_answer_error_N`, for a method whose errors carry words (nothing for one whose errors do not). */
function answerErrorRoutine(method: DeferredMethod, lines: string[]): void {
    const layout = errorWords(method.layout);
    if (!layout) return;
    const out = (line: string) => lines.push(`    ${line}`);
    lines.push(`${answerErrorSymbol(method.layout.ordinal)}:`);
    // The error's value comes after the payload's values; it goes to a0, where a raising handler leaves it.
    const value = valueAt(method.errorOrder.length);
    const word = overflowWord(value);
    if (word === undefined) {
        out(`mv a0, ${value}`);
    } else {
        out(`la t5, ${OVERFLOW_SYMBOL}`);
        out(`lw a0, ${4 * word}(t5)`);
    }
    // Packing touches neither a0 nor a1 (message-code.ts).
    packMessage(layout, scalar => errorLocation(scalar, method.errorOrder, layout), out);
    out('mv t0, a0');
    out('mv a0, a1');
    errorInfo(layout, 't0', out);
    out('j __ukc_answer_send');
}
