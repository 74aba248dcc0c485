/**
 * Register-packed IPC code from message layouts: client stubs (pack the arguments into the registers and
 * IPC-buffer words the layout names, Call, check the reply, unpack the results) and the server's dispatch
 * loop (ReplyRecv, switch on the label, unpack, call the handler, pack the reply). Packing uses exactly the
 * bits the layout engine chose (src/layout), the same layout `ukc layout` prints and the trace decodes.
 *
 * Conventions (ir.ts, `message`): a stub takes the method's scalar arguments in a2..a7 (declaration
 * order) and returns a0 = the reply's error label (0 on success) and the results in a2..a7; a handler takes
 * and returns its values the same way. A value that travels in the register it is passed in costs nothing.
 */
import type { MessageLayout, MethodLayout, PlacedCap, PlacedScalar } from '../../layout/types.js';
import { OVERFLOW_SYMBOL, OVERFLOW_WORDS, argumentLocation } from '../ir.js';
import { FAST_MESSAGE_REGISTERS, IPC_CAPS_OR_BADGES, IPC_MSG, IPC_RECEIVE_INDEX, Invocation, REG_MR0, Syscall, messageInfo } from '../../../runtime/kernel/abi.js';
import { RECEIVED_SIGNAL } from '../../../runtime/kernel/errors.js';
import {
    CLIENT_LEASE_SLOT, EVENTS_SLOT, EVENT_LANE_BITS, FIRST_INTERRUPT_SIGNAL_SLOT, IPC_BUFFER, LEASE_SLOT, LEASE_WINDOW, OWN_CNODE_SLOT, OWN_ENDPOINT_SLOT, OWN_TCB_SLOT, OWN_VSPACE_SLOT,
    BAD_BULK_LABEL, RECEIVED_CAPS_FIRST_SLOT, SHARED_REGIONS, SHARED_TABLE, UNKNOWN_METHOD_LABEL
} from '../system-layout.js';

/** The scalar arguments or results that travel in registers, a2..a7; the rest go in the overflow words. */
export const MAX_SCALARS = 6;

/** The message register that carries word `word` (a2..a5), or undefined for IPC-buffer words. */
function wordRegister(word: number): string | undefined {
    return word < FAST_MESSAGE_REGISTERS ? `a${REG_MR0 - 10 + word}` : undefined;
}

function wordOffset(word: number): number {
    return IPC_MSG + 4 * word;
}

/**
 * Where the i-th scalar argument or result is, in the message convention (ir.ts): a2..a7, then the
 * overflow words, named `overflow:<n>` here (they are never a move's register).
 */
function valueAt(index: number): string {
    const location = argumentLocation('message', index);
    return typeof location === 'string' ? location : `overflow:${location.overflow}`;
}

function overflowWord(name: string): number | undefined {
    return name.startsWith('overflow:') ? Number(name.slice('overflow:'.length)) : undefined;
}

/** A register holding the value `name` names: itself, or `temp` loaded from its overflow word. */
function loaded(name: string, temp: string, out: (line: string) => void): string {
    const word = overflowWord(name);
    if (word === undefined) return name;
    out(`la ${temp}, ${OVERFLOW_SYMBOL}`);
    out(`lw ${temp}, ${4 * word}(${temp})`);
    return temp;
}

/** One register (or IPC-buffer word) to compute from source registers. */
interface Move {
    readonly target: string;
    readonly reads: readonly string[];
    emit(at: (register: string) => string, out: (line: string) => void): void;
}

/**
 * Emits the moves in an order that reads every source before it is overwritten (a parallel move): a
 * move goes once no other pending move still reads its target; when every remaining move waits on
 * another (a cycle), one target is first copied aside to a temporary. Values already where they belong
 * cost nothing, so a message whose layout matches the argument order needs no instruction at all.
 */
function emitMoves(moves: readonly Move[], out: (line: string) => void): void {
    const pending = [...moves];
    const location = new Map<string, string>();
    const at = (register: string) => location.get(register) ?? register;
    const spare = ['t0', 't1', 't2'];
    while (pending.length > 0) {
        const ready = pending.findIndex(move => !pending.some(other => other !== move && other.reads.some(read => at(read) === move.target)));
        if (ready < 0) {
            const blocked = pending[0].target;
            const temp = spare.shift() as string;
            out(`mv ${temp}, ${blocked}`);
            for (const move of pending) for (const read of move.reads) if (at(read) === blocked) location.set(read, temp);
            continue;
        }
        const [move] = pending.splice(ready, 1);
        move.emit(at, out);
    }
}

/**
 * A 64-bit value spans two whole words: as far as packing goes, it is two 32-bit values, the low word
 * (its own path) and the high word (`path#hi`, the next register in the message convention).
 */
function wordScalars(layout: MessageLayout): PlacedScalar[] {
    return layout.scalars.flatMap((scalar): PlacedScalar[] => {
        if (scalar.placement.bits <= 32) return [scalar];
        const half = { kind: 'int' as const, signed: false, bits: 32 };
        return [
            { ...scalar, type: half, placement: { word: scalar.placement.word, lo: 0, bits: 32 } },
            { ...scalar, path: `${scalar.path}#hi`, type: half, placement: { word: scalar.placement.word + 1, lo: 0, bits: 32 } }
        ];
    });
}

/** Packs scalars into message words: registers a2..a5 directly, IPC-buffer words through t5. */
function packMoves(layout: MessageLayout, sourceOf: (scalar: PlacedScalar) => string): Move[] {
    const byWord = new Map<number, PlacedScalar[]>();
    for (const scalar of wordScalars(layout)) byWord.set(scalar.placement.word, [...(byWord.get(scalar.placement.word) ?? []), scalar]);
    return [...byWord].sort((a, b) => a[0] - b[0]).map(([word, scalars]): Move => {
        const register = wordRegister(word);
        const target = register ?? `memory:${word}`;
        return {
            target,
            reads: scalars.map(sourceOf),
            emit: (at, out) => {
                const build = register ?? 't5';
                // The part that reads the target register itself goes first, before the target changes.
                const parts = [...scalars].sort((a, b) => Number(at(sourceOf(b)) === build) - Number(at(sourceOf(a)) === build));
                parts.forEach((scalar, i) => {
                    const { lo, bits } = scalar.placement;
                    // A value from the overflow words comes through t3, which packing leaves alone.
                    const source = loaded(at(sourceOf(scalar)), 't3', out);
                    // A narrow signed value is sign-extended in its register: sharing a word, it keeps only its bits.
                    const signed = scalar.type.kind === 'int' && scalar.type.signed && bits < 32 && parts.length > 1;
                    const into = i === 0 ? build : 't4';
                    if (signed && lo === 0 && bits <= 11) {
                        out(`andi ${into}, ${source}, ${(1 << bits) - 1}`);
                    } else if (signed && lo + bits < 32) {
                        out(`slli ${into}, ${source}, ${32 - bits}`);
                        out(`srli ${into}, ${into}, ${32 - bits - lo}`);
                    } else if (lo !== 0) {
                        // Shifting left also drops the sign bits of a signed value that ends at bit 31.
                        out(`slli ${into}, ${source}, ${lo}`);
                    } else if (i === 0) {
                        if (source !== build) out(`mv ${build}, ${source}`);
                        return;
                    } else {
                        out(`or ${build}, ${build}, ${source}`);
                        return;
                    }
                    if (i > 0) out(`or ${build}, ${build}, t4`);
                });
                if (!register) out(`sw t5, ${wordOffset(word)}(t6)`);
            }
        };
    });
}

/**
 * Unpacks scalars from message words into their registers (or overflow words): shift down, then zero- or
 * sign-extend. A word in the IPC buffer is loaded into t4 where it is needed (t6 holds the buffer's
 * address: prepareMemoryWords); a value for the overflow words is computed in t3 and stored through t5.
 */
function unpackMoves(layout: MessageLayout, targetOf: (scalar: PlacedScalar) => string): Move[] {
    return wordScalars(layout).map((scalar): Move => {
        const word = scalar.placement.word;
        const source = wordRegister(word) ?? `memory:${word}`;
        const destination = targetOf(scalar);
        return {
            target: destination,
            reads: [source],
            emit: (at, out) => {
                let from = at(source);
                if (from.startsWith('memory:')) {
                    out(`lw t4, ${wordOffset(word)}(t6)`);
                    from = 't4';
                }
                const overflow = overflowWord(destination);
                const target = overflow === undefined ? destination : 't3';
                const { lo, bits } = scalar.placement;
                const signed = scalar.type.kind === 'int' && scalar.type.signed;
                if (bits >= 32) {
                    if (from !== target) out(`mv ${target}, ${from}`);
                } else if (lo + bits === 32) {
                    out(`${signed ? 'srai' : 'srli'} ${target}, ${from}, ${lo}`);
                } else if (!signed && lo === 0 && bits <= 11) {
                    out(`andi ${target}, ${from}, ${(1 << bits) - 1}`);
                } else {
                    out(`slli ${target}, ${from}, ${32 - bits - lo}`);
                    out(`${signed ? 'srai' : 'srli'} ${target}, ${target}, ${32 - bits}`);
                }
                if (overflow !== undefined) {
                    out(`la t5, ${OVERFLOW_SYMBOL}`);
                    out(`sw t3, ${4 * overflow}(t5)`);
                }
            }
        };
    });
}

/** Points t6 at the IPC buffer when some of a layout's scalars are in its words. */
function prepareMemoryWords(layout: MessageLayout, out: (line: string) => void): void {
    if (wordScalars(layout).some(scalar => !wordRegister(scalar.placement.word))) out(`li t6, ${IPC_BUFFER}`);
}

function packMessage(layout: MessageLayout, sourceOf: (scalar: PlacedScalar) => string, out: (line: string) => void): void {
    if (wordScalars(layout).some(scalar => !wordRegister(scalar.placement.word))) out(`li t6, ${IPC_BUFFER}`);
    emitMoves(packMoves(layout, sourceOf), out);
}

/** The capabilities a message carries as values (`endpoint<I>`, `notification`): not a lease's frame. */
function valueCaps(layout: MessageLayout): PlacedCap[] {
    const leases = new Set(layout.bulk.filter(bulk => bulk.transfer === 'lease').map(bulk => bulk.path));
    return layout.caps.filter(cap => !leases.has(cap.path));
}

/** Whether a message carries capabilities that arrive as values (in slots from the receive index). */
export function receivesCapabilities(layout: MessageLayout): boolean {
    return valueCaps(layout).length > 0;
}

/**
 * Inline bytes: the caller wrote every word of them into the IPC buffer's message words; those that
 * travel in registers are loaded there, after the scalars are packed (they share no word with them).
 */
function loadInlineRegisters(layout: MessageLayout, out: (line: string) => void): void {
    const words = inlineWords(layout).filter(word => wordRegister(word) !== undefined);
    if (words.length === 0) return;
    out(`li t6, ${IPC_BUFFER}`);
    for (const word of words) out(`lw ${wordRegister(word)}, ${wordOffset(word)}(t6)`);
}

/**
 * The dispatch loop's copy of a request's inline bytes into the handler's own buffer (`symbol`), before
 * anything can overwrite the registers or IPC-buffer words they came in. Uses t0, t1 and t6.
 */
function saveInlineBytes(inline: readonly InlineBuffer[], out: (line: string) => void): void {
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
function replyInlineBytes(inline: readonly InlineBuffer[], out: (line: string) => void): void {
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
function storeInlineReplyRegisters(layout: MessageLayout, out: (line: string) => void): void {
    const words = inlineWords(layout).filter(word => wordRegister(word) !== undefined);
    if (words.length === 0) return;
    out(`li t6, ${IPC_BUFFER}`);
    for (const word of words) out(`sw ${wordRegister(word)}, ${wordOffset(word)}(t6)`);
}

/** The message words of a message's inline bytes. */
function inlineWords(layout: MessageLayout): number[] {
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

/**
 * Whether the values a stub or handler passes (`order`, declaration order) are exactly the message's:
 * its scalar words and the capabilities it carries as values. They are not for a byte buffer inside a
 * struct or array, which the layout sends as bulk data of its own.
 */
export function valuesMatch(layout: MessageLayout, order: readonly string[]): boolean {
    const message = new Set([...wordScalars(layout).map(scalar => scalar.path), ...valueCaps(layout).map(cap => cap.path)]);
    return order.length === message.size && order.every(path => message.has(path));
}

/** Whether the generator can handle a message: at most 6 scalar words and capabilities, in at most 7 words. */
export function unsupportedMessage(layout: MessageLayout): string | undefined {
    const caps = valueCaps(layout);
    const leases = layout.bulk.filter(bulk => bulk.transfer === 'lease');
    if (caps.length > 0 && leases.length > 0) return 'capabilities and a lease in one message';
    if (leases.some(bulk => (bulk.capIndex ?? 0) > 0)) return 'more than one lease in a message';
    if (leases.some(bulk => bulk.bytes > 4096)) return 'leases of more than a page';
    const values = wordScalars(layout).length + caps.length;
    if (values > MAX_SCALARS + OVERFLOW_WORDS) return `messages with more than ${MAX_SCALARS + OVERFLOW_WORDS} scalar words and capabilities`;
    if (caps.length > 0 && values > MAX_SCALARS) return `capabilities in messages of more than ${MAX_SCALARS} values`;
    if (layout.scalars.some(scalar => scalar.placement.bits > 64 || (scalar.placement.bits > 32 && scalar.placement.lo !== 0))) return 'values wider than 64 bits in messages';
    return undefined;
}

/**
 * Names the capabilities a request sends: each one's slot (a value in its argument register) goes into
 * the IPC buffer's cap words, before packing can overwrite that register. The kernel refuses a message
 * that names an empty slot, so a value that holds no capability (slot 0) is replaced by the capability
 * the message travels on (a0): the kernel hands that one over unwrapped, and the receiver takes it as
 * none, with the other capabilities keeping their places. Uses t0 and t6.
 */
function storeRequestCaps(layout: MessageLayout, registerOf: (path: string) => string, label: string, out: (line: string) => void, lines: string[]): void {
    const caps = valueCaps(layout);
    if (caps.length === 0) return;
    out(`li t6, ${IPC_BUFFER}`);
    for (const cap of caps) {
        const present = `${label}.send${cap.capIndex}`;
        out(`mv t0, ${registerOf(cap.path)}`);
        out(`bnez t0, ${present}`);
        out('mv t0, a0');
        lines.push(`${present}:`);
        out(`sw t0, ${IPC_CAPS_OR_BADGES + 4 * cap.capIndex}(t6)`);
    }
}

/**
 * Names the capabilities a reply sends, as `storeRequestCaps` does; a reply travels on no endpoint, so it
 * sends the capabilities up to the first value that holds none, and t3 is their count (the rest arrive as
 * none). Uses t3 and t6; packing leaves t3 alone.
 */
function storeReplyCaps(layout: MessageLayout, registerOf: (path: string) => string, label: string, out: (line: string) => void, lines: string[]): void {
    const caps = valueCaps(layout);
    if (caps.length === 0) return;
    const done = `${label}.sent`;
    out(`li t6, ${IPC_BUFFER}`);
    out('li t3, 0');
    for (const cap of caps) {
        out(`beqz ${registerOf(cap.path)}, ${done}`);
        out(`sw ${registerOf(cap.path)}, ${IPC_CAPS_OR_BADGES + 4 * cap.capIndex}(t6)`);
        out('addi t3, t3, 1');
    }
    lines.push(`${done}:`);
    out('slli t3, t3, 7');
}

/**
 * `__ukc_received_caps` (called with `jal t5`, a1 = the message info just received): the kernel put the
 * capabilities that arrived in consecutive slots from the receive index (unwrapped ones take none); this
 * records where they start in `__ukc_cap_base` and moves the receive index past them. Every receipt in a
 * component that accepts capabilities goes through it, expected or not, so that a stray capability never
 * blocks the slot the next one needs. Uses t0..t3 and t6 only.
 */
function receivedCapsRoutine(): string[] {
    const lines = [
        '__ukc_received_caps:',
        `    li t6, ${IPC_BUFFER}`,
        `    lw t0, ${IPC_RECEIVE_INDEX}(t6)`,
        '    la t3, __ukc_cap_base',
        '    sw t0, 0(t3)',
        '    srli t1, a1, 7',
        '    andi t1, t1, 3',
        '    srli t2, a1, 9'
    ];
    for (let i = 0; i < 3; i++) {
        lines.push(
            `    li t3, ${i}`,
            '    bgeu t3, t1, __ukc_received_caps_done',
            `    andi t3, t2, ${1 << i}`,
            '    seqz t3, t3',
            '    add t0, t0, t3'
        );
    }
    lines.push('__ukc_received_caps_done:', `    sw t0, ${IPC_RECEIVE_INDEX}(t6)`, '    jr t5');
    return lines;
}

/**
 * The receive index of a component that accepts capabilities, set once at start. A restarted component
 * keeps the index its IPC buffer holds: the slots before it still hold what arrived before the restart.
 */
export function receiveIndexSetup(): string[] {
    return [
        `    li t0, ${IPC_BUFFER}`,
        `    lw t1, ${IPC_RECEIVE_INDEX}(t0)`,
        '    bnez t1, __ukc_receive_index_set',
        `    li t1, ${RECEIVED_CAPS_FIRST_SLOT}`,
        `    sw t1, ${IPC_RECEIVE_INDEX}(t0)`,
        '__ukc_receive_index_set:'
    ];
}

/** What a component that accepts capabilities needs once: the routine above and its word. */
export function capabilityRuntime(): { text: string[]; data: string[] } {
    return { text: receivedCapsRoutine(), data: ['__ukc_cap_base:', '    .word 0'] };
}

/**
 * The capabilities a message brought, as values: cap i's slot counts on from `__ukc_cap_base` (see
 * `__ukc_received_caps`). One that did not arrive (the sender had no grant right, or no slot was free) or
 * arrived unwrapped (a capability to the very endpoint it came through) is slot 0, which names nothing:
 * using it fails like any invalid capability. Uses t0..t3 and t6 only.
 */
function takeCaps(layout: MessageLayout, registerOf: (path: string) => string, label: string, out: (line: string) => void, lines: string[]): void {
    const caps = valueCaps(layout);
    if (caps.length === 0) return;
    out('la t6, __ukc_cap_base');
    out('lw t0, 0(t6)');
    out('srli t1, a1, 7');
    out('andi t1, t1, 3');
    out('srli t2, a1, 9');
    for (const cap of caps) {
        const register = registerOf(cap.path);
        const skip = `${label}.cap${cap.capIndex}`;
        out(`li ${register}, 0`);
        out(`li t3, ${cap.capIndex}`);
        out(`bgeu t3, t1, ${skip}`);
        out(`andi t3, t2, ${1 << cap.capIndex}`);
        out(`bnez t3, ${skip}`);
        out(`mv ${register}, t0`);
        out('addi t0, t0, 1');
        lines.push(`${skip}:`);
    }
}

/** The order of a message's scalars as arguments or results: the order of the method's declaration. */
function argumentIndex(scalar: PlacedScalar, order: readonly string[]): number {
    return order.indexOf(scalar.path);
}

/**
 * A client stub for one method, in the message convention: arguments in a2..a7 (declaration order),
 * results back in a2.. with the error label in a0. Through a port, `cptr` is the port's capability slot;
 * through an endpoint value (`'a1'`), the caller passes the capability pointer in a1. Capabilities among
 * the arguments or results are their slots. In a component that accepts capabilities (`acceptsCaps`),
 * every reply's capabilities are accounted for (`__ukc_received_caps`), whether this method expects any.
 */
export function clientStub(symbol: string, cptr: number | 'a1', method: MethodLayout, paramOrder: readonly string[], resultOrder: readonly string[],
    acceptsCaps = false): string[] {
    const lines = [`${symbol}:`];
    const out = (line: string) => lines.push(`    ${line}`);
    const request = method.request;
    // Through an endpoint value the capability pointer comes in a1; packing touches neither a0 nor a1.
    out(cptr === 'a1' ? 'mv a0, a1' : `li a0, ${cptr}`);
    storeRequestCaps(request, path => valueAt(paramOrder.indexOf(path)), symbol, out, lines);
    // A lease: the caller copied the bytes into its staging page; a copy of that page's frame goes along.
    const lease = request.bulk.find(bulk => bulk.transfer === 'lease');
    if (lease) {
        out(`li t6, ${IPC_BUFFER}`);
        out(`li t0, ${CLIENT_LEASE_SLOT}`);
        out(`sw t0, ${IPC_CAPS_OR_BADGES + 4 * (lease.capIndex ?? 0)}(t6)`);
    }
    packMessage(request, scalar => valueAt(argumentIndex(scalar, paramOrder)), out);
    loadInlineRegisters(request, out);
    out(`li a1, ${messageInfo(request.label, request.words, valueCaps(request).length + (lease ? 1 : 0))}`);
    out(`li a7, ${method.oneway ? Syscall.Send : Syscall.Call}`);
    out('ecall');
    out('bnez a6, __ukc_ipc_failed');
    if (method.oneway) {
        out('li a0, 0');
        out('ret');
        return lines;
    }
    if (acceptsCaps) out('jal t5, __ukc_received_caps');
    out('srli a0, a1, 12');
    // An error label the method raises goes back to the caller's catch or try as it is.
    out(method.errors.length > 0 ? `bnez a0, ${symbol}.error` : 'bnez a0, __ukc_unexpected_reply');
    const reply = method.reply;
    if (reply) {
        storeInlineReplyRegisters(reply, out);
        prepareMemoryWords(reply, out);
        emitMoves(unpackMoves(reply, scalar => valueAt(argumentIndex(scalar, resultOrder))), out);
        takeCaps(reply, path => valueAt(resultOrder.indexOf(path)), symbol, out, lines);
    }
    out('ret');
    if (method.errors.length > 0) {
        lines.push(`${symbol}.error:`);
        out('ret');
    }
    return lines;
}

/**
 * `__ukc_lease_map`: maps the leased frame (received in LEASE_SLOT) at LEASE_WINDOW, keeping a2..a7 (the
 * handler's arguments). `__ukc_lease_release`: unmaps and deletes it, keeping a0 and a2..a7 (the handler's
 * results). A lease that did not arrive leaves nothing mapped: the handler's accesses fault.
 */
function leaseRoutines(): string[] {
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
    return [
        '__ukc_lease_map:',
        ...around(invoke(LEASE_SLOT, Invocation.FrameMap, [OWN_VSPACE_SLOT, LEASE_WINDOW, 3])),
        '__ukc_lease_release:',
        ...around([...invoke(LEASE_SLOT, Invocation.FrameUnmap, []), ...invoke(OWN_CNODE_SLOT, Invocation.CNodeDelete, [LEASE_SLOT])])
    ];
}

/**
 * `__ukc_find_region` (t5 = region size): the caller's shared region, by its badge in the server's table
 * (docs/ABI.md), into `__ukc_region`; 0 when the caller has none (its accesses then fault). Uses t0..t6 only.
 */
function findRegion(): string[] {
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
 * parameter and the page. A request that fails gets an error reply (BAD_BULK_LABEL; a leased frame is let
 * go first), so a client cannot make the server touch memory outside its buffers. Uses t0 and t1.
 */
function checkBulkBounds(method: DispatchedMethod, out: (line: string) => void, lines: string[], lease: boolean): void {
    const register = (path: string) => valueAt(method.paramOrder.indexOf(path));
    const bad = `__ukc_bad_bulk_${method.layout.ordinal}`;
    let checks = 0;
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
        out(`li t0, ${bulk.transfer === 'lease' ? Math.min(bulk.bytes, 4096) : bulk.bytes}`);
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
    if (lease) out('call __ukc_lease_release');
    out(`li a1, ${messageInfo(BAD_BULK_LABEL, 0)}`);
    out('j __ukc_reply');
    lines.push(`${checked}:`);
}

/** Whether a method's request or reply has bulk data in the shared region. */
function usesRegion(layout: MethodLayout): boolean {
    return [layout.request, layout.reply].some(message => message?.bulk.some(bulk => bulk.transfer === 'shared'));
}

export interface DispatchedMethod {
    readonly layout: MethodLayout;
    /** Bytes of the interface's shared region, when this method has shared bulk data (0: none). */
    readonly sharedRegionBytes: number;
    readonly handlerSymbol: string;
    readonly paramOrder: readonly string[];
    readonly resultOrder: readonly string[];
    /** Its inline byte-buffer parameters. */
    readonly inline: readonly InlineBuffer[];
}

/**
 * A server's entry point and dispatch loop: receive on its endpoint, switch on the label, unpack the
 * arguments, call the handler, and answer with ReplyRecv (oneway methods get no answer; an unknown label
 * gets an error reply with UNKNOWN_METHOD_LABEL and no words).
 */
export interface InterruptHandler {
    /** Its bit in the component's events notification. */
    readonly bit: number;
    /** The IRQ handler capability's slot (the interrupt port's). */
    readonly slot: number;
    readonly symbol: string;
}

/**
 * A server's `on notification` handler. Without a lane, its port's notification is bound to the server's
 * thread (the word is the handler's argument); with one, the port shares the events notification and the
 * handler gets the lane's bits (system-layout.ts, notificationLanes).
 */
export interface NotificationHandler {
    readonly slot: number;
    readonly symbol: string;
    readonly lane: number | undefined;
}

export function serverDispatch(methods: readonly DispatchedMethod[], initSymbol: string | undefined, interrupts: readonly InterruptHandler[] = [],
    notifications: readonly NotificationHandler[] = [], acceptsCaps = false): string[] {
    const bound = notifications.find(handler => handler.lane === undefined);
    const laned = notifications.filter(handler => handler.lane !== undefined);
    const events = interrupts.length > 0 || laned.length > 0;
    const lines = ['_start:'];
    if (acceptsCaps) lines.push(...receiveIndexSetup());
    const out = (line: string) => lines.push(`    ${line}`);
    const invoke = (slot: number, operation: number, args: readonly number[]) => {
        out(`li a0, ${slot}`);
        out(`li a1, ${messageInfo(operation, args.length)}`);
        args.forEach((arg, i) => out(`li a${2 + i}, ${arg}`));
        out(`li a7, ${Syscall.Call}`);
        out('ecall');
    };
    if (bound) invoke(OWN_TCB_SLOT, Invocation.TcbBindNotification, [bound.slot]);
    if (events) {
        // Interrupts and shared notifications arrive as signals on the events notification bound to this
        // thread: they end a Recv.
        invoke(OWN_TCB_SLOT, Invocation.TcbBindNotification, [EVENTS_SLOT]);
        for (const interrupt of interrupts) {
            invoke(interrupt.slot, Invocation.IrqSetNotification, [FIRST_INTERRUPT_SIGNAL_SLOT + interrupt.bit]);
            invoke(interrupt.slot, Invocation.IrqAck, []);
        }
    }
    if (methods.some(method => method.layout.request.bulk.some(bulk => bulk.transfer === 'lease'))) {
        out(`li t0, ${IPC_BUFFER}`);
        out(`li t1, ${LEASE_SLOT}`);
        out(`sw t1, ${IPC_RECEIVE_INDEX}(t0)`);
    }
    if (initSymbol) out(`call ${initSymbol}`);
    const receive = () => {
        out(`li a0, ${OWN_ENDPOINT_SLOT}`);
        out(`li a7, ${Syscall.Recv}`);
        out('ecall');
        out('j __ukc_dispatch');
    };
    receive();
    lines.push('__ukc_dispatch:');
    out(`bnez a6, ${events || bound ? '__ukc_dispatch_status' : '__ukc_dispatch_receive'}`);
    if (acceptsCaps) out('jal t5, __ukc_received_caps');
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
    if (events) {
        // A signal instead of a message: run the handler of every interrupt whose bit is set (then ack the
        // line), and of every notification lane with bits set (with those bits).
        lines.push('__ukc_dispatch_status:');
        out(`li t0, ${RECEIVED_SIGNAL}`);
        out('bne a6, t0, __ukc_dispatch_receive');
        out('la t6, __ukc_signals');
        out('sw a0, 0(t6)');
        for (const interrupt of interrupts) {
            out('la t6, __ukc_signals');
            out('lw t0, 0(t6)');
            out(`andi t0, t0, ${1 << interrupt.bit}`);
            out(`beqz t0, __ukc_interrupt_done_${interrupt.bit}`);
            out(`call ${interrupt.symbol}`);
            invoke(interrupt.slot, Invocation.IrqAck, []);
            lines.push(`__ukc_interrupt_done_${interrupt.bit}:`);
        }
        for (const handler of laned) {
            const lane = handler.lane as number;
            out('la t6, __ukc_signals');
            out('lw a2, 0(t6)');
            out(`srli a2, a2, ${EVENT_LANE_BITS * lane}`);
            out(`andi a2, a2, ${(1 << EVENT_LANE_BITS) - 1}`);
            out(`beqz a2, __ukc_lane_done_${lane}`);
            out(`call ${handler.symbol}`);
            lines.push(`__ukc_lane_done_${lane}:`);
        }
        receive();
    }
    if (bound) {
        // A signal instead of a message: the handler gets the notification word (a0) as its argument.
        lines.push('__ukc_dispatch_status:');
        out(`li t0, ${RECEIVED_SIGNAL}`);
        out('bne a6, t0, __ukc_dispatch_receive');
        out('mv a2, a0');
        out(`call ${bound.symbol}`);
        receive();
    }
    for (const method of methods) {
        lines.push(`__ukc_method_${method.layout.ordinal}:`);
        if (method.sharedRegionBytes > 0 && usesRegion(method.layout)) {
            out(`li t5, ${method.sharedRegionBytes}`);
            out('call __ukc_find_region');
        }
        saveInlineBytes(method.inline, out);
        prepareMemoryWords(method.layout.request, out);
        emitMoves(unpackMoves(method.layout.request, scalar => valueAt(argumentIndex(scalar, method.paramOrder))), out);
        takeCaps(method.layout.request, path => valueAt(method.paramOrder.indexOf(path)), `__ukc_method_${method.layout.ordinal}`, out, lines);
        const lease = method.layout.request.bulk.some(bulk => bulk.transfer === 'lease');
        if (lease) out('call __ukc_lease_map');
        checkBulkBounds(method, out, lines, lease);
        out(`call ${method.handlerSymbol}`);
        if (lease) out('call __ukc_lease_release');
        if (method.layout.oneway || !method.layout.reply) {
            out(`li a0, ${OWN_ENDPOINT_SLOT}`);
            out(`li a7, ${Syscall.Recv}`);
            out('ecall');
            out('j __ukc_dispatch');
            continue;
        }
        out('bnez a0, __ukc_reply_error');
        const reply = method.layout.reply;
        storeReplyCaps(reply, path => valueAt(method.resultOrder.indexOf(path)), `__ukc_method_${method.layout.ordinal}`, out, lines);
        packMessage(reply, scalar => valueAt(argumentIndex(scalar, method.resultOrder)), out);
        replyInlineBytes(method.inline, out);
        out(`li a1, ${messageInfo(0, reply.words)}`);
        if (valueCaps(reply).length > 0) out('or a1, a1, t3');
        out('j __ukc_reply');
    }
    if (methods.some(method => method.sharedRegionBytes > 0)) lines.push(...findRegion());
    if (methods.some(method => method.layout.request.bulk.some(bulk => bulk.transfer === 'lease'))) lines.push(...leaseRoutines());
    return lines;
}
