/**
 * The readable trace written straight from kernel events into an output buffer: the same lines as
 * `formatTraceLine(typedTrace.translate(event))`, without building a typed event, decoded values or a
 * string per line. Per method, the order and grouping of its values (which `arrangeValues` decides) are
 * worked out once, as a template of constant text and value slots; per event, only the values are
 * written. Events it has no template for (signals, faults, messages on unknown endpoints) go through the
 * typed trace and `formatTraceLine`.
 */
import {
    signedSmall, smallFieldBits, valueCaps, type MessageLayout, type MethodLayout, type PlacedBulk, type PlacedCap, type PlacedScalar,
    type TraceMap
} from '../contract/index.js';
import type { IpcEvent, KernelEvent } from '../kernel/index.js';
import { formatCap, formatInline, formatPlacedScalar, inlineBulk, type DecodedValue } from './message-decoder.js';
import type { OutputBuffer } from './output-buffer.js';
import { countedPlans, formatCounted, type CountedPlan } from './counted-decoder.js';
import { formatOutcome, formatTraceLine, formatValues, modelText } from './text-writer.js';
import { TypedTrace, arrangeValues, errorName, shortName } from './typed-trace.js';

type ValueSlot =
    | { readonly scalar: PlacedScalar; readonly cap?: undefined; readonly inline?: undefined; readonly counted?: undefined }
    | { readonly inline: PlacedBulk; readonly scalar?: undefined; readonly cap?: undefined; readonly counted?: undefined }
    | { readonly cap: PlacedCap; readonly scalar?: undefined; readonly inline?: undefined; readonly counted?: undefined }
    | { readonly counted: CountedPlan; readonly scalar?: undefined; readonly inline?: undefined; readonly cap?: undefined };

/** Constant text and value slots (by index), in the order they are written. */
type Template = readonly (string | number)[];

interface MessagePlan {
    readonly slots: readonly ValueSlot[];
    /** Request: `a=1, b=2` (inside the parentheses). Reply: the outcome after ` = `. */
    readonly text: Template;
}

interface MethodPlan {
    readonly layout: MethodLayout;
    /** `  Interface.method(` for calls; `  Interface.method = ` for replies. */
    readonly callHead: string;
    readonly replyHead: string;
    /**
     * The bytes between the stamp and the values, per pair of threads (`from`, then `to`), made on first
     * use: `client -> server  Interface.method(` and `client <- server  Interface.method = `.
     */
    readonly callPrefixes: Map<string, Map<string, Uint8Array>>;
    readonly replyPrefixes: Map<string, Map<string, Uint8Array>>;
    readonly request: MessagePlan;
    readonly reply: MessagePlan;
    /** The declaration order of the error payload's fields, if any. */
    readonly errorOrder?: readonly string[];
}

/** Marks a value slot inside a template while it is still a string: never part of a name or a value. */
const SLOT_MARK = '\u0000';

function slotsOf(layout: MessageLayout): ValueSlot[] {
    // A string or vec is one slot, in place of its length and items.
    const counted = layout.counted ? countedPlans(layout) : undefined;
    const slots: ValueSlot[] = (counted ? layout.scalars.filter(scalar => !counted.members.has(scalar)) : layout.scalars).map(scalar => ({ scalar }));
    if (counted) for (const plan of counted.plans) slots.push({ counted: plan });
    if (layout.bulk.length > 0) for (const inline of inlineBulk(layout)) slots.push({ inline });
    if (layout.caps.length > 0) for (const cap of valueCaps(layout)) slots.push({ cap });
    return slots;
}

/** Splits a string with marked slots (`\0<index>\0`) into constant parts and slot indexes. */
function parseTemplate(text: string): Template {
    const parts = text.split(SLOT_MARK);
    return parts.flatMap((part, i): (string | number)[] => (i % 2 === 1 ? [Number(part)] : part === '' ? [] : [part]));
}

/** The values of a message in display order, each value's text standing for its slot. */
function arrangedSlots(slots: readonly ValueSlot[], order: readonly string[] | undefined): DecodedValue[] {
    const placeholders = slots.map((slot, i) => ({ name: slot.counted ? slot.counted.counted.path : (slot.scalar ?? slot.inline ?? slot.cap).path, text: `${SLOT_MARK}${i}${SLOT_MARK}` }));
    return arrangeValues(placeholders, order);
}

function requestPlan(layout: MessageLayout, order: readonly string[] | undefined): MessagePlan {
    const slots = slotsOf(layout);
    return { slots, text: parseTemplate(formatValues(arrangedSlots(slots, order))) };
}

/** A successful reply's outcome, worded as formatTraceLine words it. */
function replyPlan(layout: MessageLayout | undefined, order: readonly string[] | undefined): MessagePlan {
    if (!layout) return { slots: [], text: [formatOutcome([])] };
    const slots = slotsOf(layout);
    return { slots, text: parseTemplate(formatOutcome(arrangedSlots(slots, order))) };
}

/** A caller's outstanding call; one record per caller, reused (a caller has at most one). */
interface PendingCall {
    plan: MethodPlan | undefined;
    cycle: number;
}

export class TraceLineEncoder {
    /** Per endpoint, per label: the method's plan. */
    private readonly plans = new Map<string, Map<number, MethodPlan>>();
    private readonly pending = new Map<string, PendingCall>();
    private readonly servers = new Map<string, string>();
    private readonly serverOf = (endpoint: string) => this.servers.get(endpoint);
    private readonly typed: TypedTrace;
    private readonly encoder = new TextEncoder();

    constructor(map: TraceMap, private readonly out: OutputBuffer) {
        this.typed = new TypedTrace(map);
        for (const [endpoint, entry] of Object.entries(map.endpoints)) {
            this.servers.set(endpoint, entry.server);
            const name = shortName(entry.interface.name);
            const byLabel = new Map<number, MethodPlan>();
            for (const method of entry.interface.methods) {
                const order = entry.order?.[method.name];
                byLabel.set(method.ordinal, {
                    layout: method,
                    callHead: `  ${name}.${method.name}(`,
                    replyHead: `  ${name}.${method.name} = `,
                    callPrefixes: new Map(),
                    replyPrefixes: new Map(),
                    request: requestPlan(method.request, order?.params),
                    reply: replyPlan(method.reply, order?.results),
                    errorOrder: order?.errors
                });
            }
            this.plans.set(endpoint, byLabel);
        }
    }

    add(event: KernelEvent): void {
        if (event.kind === 'ipc' && this.ipc(event)) return;
        const typed = this.typed.translate(event);
        if (!typed) return;
        this.startLine();
        this.out.text(formatTraceLine(typed));
        this.out.byte(10);
    }

    /** A trace line starts on a line of its own, even when program output has not ended its line. */
    private startLine(): void {
        if (this.out.midLine) this.out.byte(10);
    }

    private stamp(cycle: number): void {
        const out = this.out;
        out.byte(91);
        out.padded(cycle, 10);
        out.byte(93);
        out.byte(32);
    }

    /** Writes a call, send or reply it has a plan for; false for the typed trace to handle. */
    private ipc(event: IpcEvent): boolean {
        const out = this.out;
        if (event.operation === 'reply') {
            const call = this.pending.get(event.to);
            const plan = call?.plan;
            if (!call || !plan) return false;
            call.plan = undefined;
            this.startLine();
            this.stamp(event.cycle);
            out.bytes(this.prefix(plan.replyPrefixes, event.to, event.from, ' <- ', plan.replyHead));
            if (event.label === 0) {
                this.values(plan.reply, event);
            } else {
                out.text('error ');
                out.text(errorName(plan.layout, event.label, event.words, plan.errorOrder));
            }
            out.text(event.fastpath ? '  fast, ' : '  ');
            if (event.primitive !== undefined) {
                out.text(modelText(event.primitive, event.bytesCopied));
                out.text(', ');
            }
            out.digits(event.cycle - call.cycle);
            out.text(' cycles\n');
            return true;
        }
        if (event.operation === 'fault') return false;
        const plan = this.plans.get(event.endpoint)?.get(event.label);
        if (!plan) return false;
        if (event.operation === 'call') {
            const call = this.pending.get(event.from);
            if (call) {
                call.plan = plan;
                call.cycle = event.cycle;
            } else {
                this.pending.set(event.from, { plan, cycle: event.cycle });
            }
        }
        this.startLine();
        this.stamp(event.cycle);
        out.bytes(this.prefix(plan.callPrefixes, event.from, event.to, ' -> ', plan.callHead));
        this.values(plan.request, event);
        out.byte(41);
        if (event.operation === 'send') out.text('  oneway');
        if (event.fastpath) out.text('  fast');
        if (event.primitive !== undefined) {
            out.text('  ');
            out.text(modelText(event.primitive, event.bytesCopied));
        }
        out.byte(10);
        return true;
    }

    private prefix(cache: Map<string, Map<string, Uint8Array>>, first: string, second: string, arrow: string, head: string): Uint8Array {
        let byFirst = cache.get(first);
        if (!byFirst) cache.set(first, byFirst = new Map());
        let bytes = byFirst.get(second);
        if (!bytes) byFirst.set(second, bytes = this.encoder.encode(`${first}${arrow}${second}${head}`));
        return bytes;
    }

    private values(plan: MessagePlan, event: IpcEvent): void {
        const out = this.out;
        for (const part of plan.text) {
            if (typeof part === 'string') {
                out.text(part);
                continue;
            }
            const slot = plan.slots[part];
            if (slot.inline) {
                out.text(formatInline(slot.inline, event.words));
                continue;
            }
            if (slot.counted) {
                out.text(formatCounted(slot.counted, event.words, scalar => formatPlacedScalar(scalar, event.words)));
                continue;
            }
            if (slot.cap) {
                out.text(formatCap(slot.cap, event.capObjects, this.serverOf));
                continue;
            }
            const scalar = slot.scalar as PlacedScalar;
            const placement = scalar.placement;
            const type = scalar.type;
            // Integers of up to 32 bits, the common case, as digits; everything else as the decoder words it.
            if (type.kind === 'int' && placement.bits <= 32) {
                const raw = smallFieldBits(placement, event.words);
                out.integer(type.signed ? signedSmall(raw, type.bits) : raw >>> 0);
            } else {
                out.text(formatPlacedScalar(scalar, event.words));
            }
        }
    }
}
