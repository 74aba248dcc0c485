/**
 * Error replies that carry words (docs/ABI.md, "Labels"): a payload (`raises E { code: u32 }`) and, for an
 * error enum with 32-bit codes, the code itself under WIDE_ERROR_LABEL. Every error reply of a method has
 * the same layout (src/layout/error-messages.ts), so both sides pack and unpack it whatever the error.
 *
 * Conventions (ir.ts, `message`): a handler that raises returns a0 = the error's value and the payload's
 * values where results would be (a2.. and the overflow words, `errorOrder`); a client stub returns the
 * same to its caller. A reply that is not the method's own (ServerFailed) leaves the payload zero.
 */
import { ERROR_CODE_PATH, type MethodLayout, type MessageLayout, type PlacedScalar } from '../../layout/index.js';
import { OVERFLOW_SYMBOL } from '../ir.js';
import { SERVER_FAILED_LABEL, WIDE_ERROR_LABEL, messageInfo } from '../../../runtime/contract/index.js';
import { argumentIndex, emitMoves, overflowWord, packMessage, prepareMemoryWords, unpackMoves, valueAt } from './packing.js';

/** The layout every error reply of the method shares, when its errors carry words. */
export function errorWords(method: MethodLayout): MessageLayout | undefined {
    const first = method.errors[0];
    return first && first.words > 0 ? first : undefined;
}

function isWide(layout: MessageLayout): boolean {
    return layout.label === WIDE_ERROR_LABEL;
}

/** Where a scalar of an error reply is in the message convention: the code in a0, the payload as results. */
export function errorLocation(scalar: PlacedScalar, errorOrder: readonly string[], layout: MessageLayout): string {
    return isWide(layout) && scalar.path === ERROR_CODE_PATH ? 'a0' : valueAt(argumentIndex(scalar, errorOrder));
}

/**
 * The client stub's error path (a0 = the label, non-zero): a reply of the method's own errors is
 * unpacked (a 32-bit code into a0); any other (ServerFailed) leaves the payload's values zero.
 */
export function unpackErrorReply(symbol: string, layout: MessageLayout, errorOrder: readonly string[], out: (line: string) => void, lines: string[]): void {
    // The method's own errors: WIDE_ERROR_LABEL, or a label below it (those above are ukc's).
    out(`li t0, ${WIDE_ERROR_LABEL}`);
    out(`${isWide(layout) ? 'bne' : 'bgeu'} a0, t0, ${symbol}.foreign`);
    prepareMemoryWords(layout, out);
    emitMoves(unpackMoves(layout, scalar => errorLocation(scalar, errorOrder, layout)), out);
    out('ret');
    lines.push(`${symbol}.foreign:`);
    zeroValues(errorOrder.length, out);
    out('ret');
}

function zeroValues(count: number, out: (line: string) => void): void {
    for (let i = 0; i < count; i++) {
        const location = valueAt(i);
        const word = overflowWord(location);
        if (word === undefined) {
            out(`li ${location}, 0`);
        } else {
            out(`la t5, ${OVERFLOW_SYMBOL}`);
            out(`sw zero, ${4 * word}(t5)`);
        }
    }
}

/**
 * The dispatch loop's answer for a handler that returned an error (a0 non-zero) of a method whose errors
 * carry words: pack them and reply with the label (WIDE_ERROR_LABEL for 32-bit codes). A ServerFailed
 * passed on with `try` goes back as its label alone.
 */
export function packErrorReply(symbol: string, layout: MessageLayout, errorOrder: readonly string[], out: (line: string) => void, lines: string[]): void {
    lines.push(`${symbol}:`);
    out(`li t0, ${SERVER_FAILED_LABEL}`);
    out('beq a0, t0, __ukc_reply_error');
    packMessage(layout, scalar => errorLocation(scalar, errorOrder, layout), out);
    errorInfo(layout, 'a0', out);
    out('j __ukc_reply');
}

/** a1 = the error reply's message info, from the error's value in `value` (the label, or a 32-bit code). */
export function errorInfo(layout: MessageLayout, value: string, out: (line: string) => void): void {
    if (isWide(layout)) {
        out(`li a1, ${messageInfo(WIDE_ERROR_LABEL, layout.words)}`);
    } else {
        out(`slli a1, ${value}, 12`);
        out(`ori a1, a1, ${messageInfo(0, layout.words)}`);
    }
}
