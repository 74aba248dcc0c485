/**
 * Register-packed IPC code from message layouts: client stubs (pack the arguments into the registers and
 * IPC-buffer words the layout names, Call, check the reply, unpack the results) and the server's dispatch
 * loop (ReplyRecv, switch on the label, unpack, call the handler, pack the reply). Packing uses exactly the
 * bits the layout engine chose (src/layout), the same layout `ukc layout` prints and the trace decodes.
 *
 * Conventions: a stub takes the method's scalar arguments in a0..a6 (declaration order) and returns a0 =
 * the reply's error label (0 on success) and a1..a7 = the results. A handler takes its arguments the same
 * way and returns a0 = error label and a1.. = the reply's values.
 */
import type { MessageLayout, MethodLayout, PlacedScalar } from '../../layout/types.js';
import { FAST_MESSAGE_REGISTERS, IPC_MSG, REG_MR0, Syscall, messageInfo } from '../../../runtime/kernel/abi.js';
import { IPC_BUFFER, OWN_ENDPOINT_SLOT, UNKNOWN_METHOD_LABEL } from '../system-layout.js';

/** The most scalar arguments or results a message may have in this version of the code generator. */
export const MAX_SCALARS = 7;

const TEMPS = ['t0', 't1', 't2', 't3', 't4', 't5', 't6'];

function registerName(index: number): string {
    return ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'][index];
}

/** The message register that carries word `word` (a2..a5), or undefined for IPC-buffer words. */
function wordRegister(word: number): string | undefined {
    return word < FAST_MESSAGE_REGISTERS ? registerName(REG_MR0 + word) : undefined;
}

function wordOffset(word: number): number {
    return IPC_MSG + 4 * word;
}

/**
 * Packs scalars (each in `sources[i]`, normalised to its type) into the message words. Uses a6 and a7 as
 * scratch; the IPC buffer's address goes in a7 when memory words are needed.
 */
function packWords(layout: MessageLayout, sourceOf: (scalar: PlacedScalar) => string, out: (line: string) => void): void {
    const byWord = new Map<number, PlacedScalar[]>();
    for (const scalar of layout.scalars) {
        const list = byWord.get(scalar.placement.word) ?? [];
        list.push(scalar);
        byWord.set(scalar.placement.word, list);
    }
    for (const [word, scalars] of [...byWord].sort((a, b) => a[0] - b[0])) {
        const target = wordRegister(word) ?? 'a6';
        scalars.forEach((scalar, i) => {
            const { lo, bits } = scalar.placement;
            let value = sourceOf(scalar);
            // A narrow signed value is sign-extended in its register: keep only its own bits when it shares
            // the word (unsigned values are zero-extended already).
            const signed = scalar.type.kind === 'int' && scalar.type.signed;
            if (signed && bits < 32 && scalars.length > 1) {
                out(`slli a7, ${value}, ${32 - bits}`);
                out(`srli a7, a7, ${32 - bits - lo}`);
                value = 'a7';
                if (i === 0) out(`mv ${target}, a7`);
                else out(`or ${target}, ${target}, a7`);
                return;
            }
            if (i === 0) {
                out(lo === 0 ? `mv ${target}, ${value}` : `slli ${target}, ${value}, ${lo}`);
            } else if (lo === 0) {
                out(`or ${target}, ${target}, ${value}`);
            } else {
                out(`slli a7, ${value}, ${lo}`);
                out(`or ${target}, ${target}, a7`);
            }
        });
        if (target === 'a6') {
            out(`li a7, ${IPC_BUFFER}`);
            out(`sw a6, ${wordOffset(word)}(a7)`);
        }
    }
}

/** Extracts a scalar from the word in `word` into `target`: shift down, then zero- or sign-extend. */
function unpackScalar(scalar: PlacedScalar, word: string, target: string, out: (line: string) => void): void {
    const { lo, bits } = scalar.placement;
    const signed = scalar.type.kind === 'int' && scalar.type.signed;
    if (bits >= 32) {
        out(`mv ${target}, ${word}`);
        return;
    }
    if (!signed && lo === 0 && bits <= 11) {
        out(`andi ${target}, ${word}, ${(1 << bits) - 1}`);
        return;
    }
    out(`slli ${target}, ${word}, ${32 - bits - lo}`);
    out(`${signed ? 'srai' : 'srli'} ${target}, ${target}, ${32 - bits}`);
}

/** Copies the message words a layout uses into temporaries (registers first, then the IPC buffer). */
function loadWords(layout: MessageLayout, out: (line: string) => void): Map<number, string> {
    const words = [...new Set(layout.scalars.map(scalar => scalar.placement.word))].sort((a, b) => a - b);
    const temps = new Map<number, string>();
    words.forEach((word, i) => {
        const temp = TEMPS[i];
        temps.set(word, temp);
        const register = wordRegister(word);
        if (register) out(`mv ${temp}, ${register}`);
    });
    if (words.some(word => wordRegister(word) === undefined)) {
        out(`li a7, ${IPC_BUFFER}`);
        for (const word of words) if (!wordRegister(word)) out(`lw ${temps.get(word)}, ${wordOffset(word)}(a7)`);
    }
    return temps;
}

/** Whether the generator can handle a message: scalars only, at most 7 of them, in at most 7 words. */
export function unsupportedMessage(layout: MessageLayout): string | undefined {
    if (layout.bulk.length > 0 || layout.caps.length > 0) return 'bulk data and capabilities in messages';
    if (layout.scalars.length > MAX_SCALARS) return `messages with more than ${MAX_SCALARS} scalar values`;
    if (layout.scalars.some(scalar => scalar.placement.bits > 32)) return '64-bit values in messages';
    if (new Set(layout.scalars.map(scalar => scalar.placement.word)).size > TEMPS.length) return `messages of more than ${TEMPS.length} words`;
    return undefined;
}

/** The order of a message's scalars as arguments or results: the order of the method's declaration. */
function argumentIndex(scalar: PlacedScalar, order: readonly string[]): number {
    return order.indexOf(scalar.path);
}

/**
 * A client stub for one method through one port (its capability slot). Arguments arrive in a0..a6 in
 * `paramOrder`; results return in a1.. in `resultOrder`.
 */
export function clientStub(symbol: string, cptr: number, method: MethodLayout, paramOrder: readonly string[], resultOrder: readonly string[]): string[] {
    const lines = [`${symbol}:`];
    const out = (line: string) => lines.push(`    ${line}`);
    // The arguments move out of a0..a6 first: a2..a5 are also the message registers being built.
    paramOrder.forEach((_, i) => out(`mv ${TEMPS[i]}, a${i}`));
    packWords(method.request, scalar => TEMPS[argumentIndex(scalar, paramOrder)], out);
    out(`li a0, ${cptr}`);
    out(`li a1, ${messageInfo(method.request.label, method.request.words)}`);
    out(`li a7, ${method.oneway ? Syscall.Send : Syscall.Call}`);
    out('ecall');
    out('bnez a6, __ukc_ipc_failed');
    if (method.oneway) {
        out('li a0, 0');
        out('ret');
        return lines;
    }
    out('srli a0, a1, 12');
    if (method.errors.length > 0) {
        // An error label is returned as is; the caller's catch or try looks at it.
        out(`bnez a0, ${symbol}.error`);
    } else {
        out('bnez a0, __ukc_unexpected_reply');
    }
    const reply = method.reply;
    if (reply) {
        const temps = loadWords(reply, out);
        for (const scalar of reply.scalars) {
            unpackScalar(scalar, temps.get(scalar.placement.word) as string, `a${1 + argumentIndex(scalar, resultOrder)}`, out);
        }
    }
    out('ret');
    if (method.errors.length > 0) {
        lines.push(`${symbol}.error:`);
        out('ret');
    }
    return lines;
}

export interface DispatchedMethod {
    readonly layout: MethodLayout;
    readonly handlerSymbol: string;
    readonly paramOrder: readonly string[];
    readonly resultOrder: readonly string[];
}

/**
 * A server's entry point and dispatch loop: receive on its endpoint, switch on the label, unpack the
 * arguments, call the handler, and answer with ReplyRecv (oneway methods get no answer; an unknown label
 * gets an error reply with UNKNOWN_METHOD_LABEL and no words).
 */
export function serverDispatch(methods: readonly DispatchedMethod[], initSymbol: string | undefined): string[] {
    const lines = ['_start:'];
    const out = (line: string) => lines.push(`    ${line}`);
    if (initSymbol) out(`call ${initSymbol}`);
    const receive = () => {
        out(`li a0, ${OWN_ENDPOINT_SLOT}`);
        out(`li a7, ${Syscall.Recv}`);
        out('ecall');
        out('j __ukc_dispatch');
    };
    receive();
    lines.push('__ukc_dispatch:');
    out('bnez a6, __ukc_dispatch_receive');
    out('la t6, __ukc_badge');
    out('sw a0, 0(t6)');
    out('srli t0, a1, 12');
    for (const method of methods) {
        out(`li t1, ${method.layout.ordinal}`);
        out(`beq t0, t1, __ukc_method_${method.layout.ordinal}`);
    }
    out(`li a1, ${messageInfo(UNKNOWN_METHOD_LABEL, 0)}`);
    lines.push('__ukc_reply:');
    out(`li a0, ${OWN_ENDPOINT_SLOT}`);
    out(`li a7, ${Syscall.ReplyRecv}`);
    out('ecall');
    out('j __ukc_dispatch');
    lines.push('__ukc_reply_error:');
    out('slli a1, a0, 12');
    out('j __ukc_reply');
    lines.push('__ukc_dispatch_receive:');
    receive();
    for (const method of methods) {
        lines.push(`__ukc_method_${method.layout.ordinal}:`);
        const temps = loadWords(method.layout.request, out);
        for (const scalar of method.layout.request.scalars) {
            unpackScalar(scalar, temps.get(scalar.placement.word) as string, `a${argumentIndex(scalar, method.paramOrder)}`, out);
        }
        out(`call ${method.handlerSymbol}`);
        if (method.layout.oneway || !method.layout.reply) {
            out(`li a0, ${OWN_ENDPOINT_SLOT}`);
            out(`li a7, ${Syscall.Recv}`);
            out('ecall');
            out('j __ukc_dispatch');
            continue;
        }
        out('bnez a0, __ukc_reply_error');
        const reply = method.layout.reply;
        method.resultOrder.forEach((_, i) => out(`mv ${TEMPS[i]}, a${1 + i}`));
        packWords(reply, scalar => TEMPS[argumentIndex(scalar, method.resultOrder)], out);
        out(`li a1, ${messageInfo(0, reply.words)}`);
        out('j __ukc_reply');
    }
    return lines;
}
