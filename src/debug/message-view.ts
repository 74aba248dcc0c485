/**
 * The message a thread is working on, as the debugger shows it: decoded by the layout the stubs packed it
 * with (the trace map the compiler writes), with the unpacker the runtime's trace uses
 * (runtime/contract/message-words.ts) — the method, each value in declaration order, struct and array
 * arguments grouped into trees of their leaves, enum members by name, bitfields with their members,
 * inline bytes in hex, capabilities by what they designate — and the raw message registers, each named
 * with the fields the layout places in it.
 */
import { fieldBits32, valueCaps, type MessageLayout, type TraceMap } from '../../runtime/contract/index.js';
import type { IpcEvent } from '../../runtime/kernel/index.js';
import { formatCap, errorName, shortName } from '../../runtime/trace/index.js';
import { bytesValue, scalarText, type VariableValue } from './values.js';

export interface MessageView {
    /** `Calculator.div`, or `reply to Calculator.div`. */
    readonly title: string;
    readonly values: readonly VariableValue[];
    /** MR0.. as words, with the layout's field names as hints: `MR1 (b)`. */
    readonly registers: readonly VariableValue[];
}

/** A message as received: a call or send by its endpoint's layout, a reply by the layout of the call it answers. */
export function viewMessage(trace: TraceMap, delivered: IpcEvent, call: IpcEvent | undefined): MessageView | undefined {
    const request = delivered.operation === 'call' || delivered.operation === 'send';
    const asked = request ? delivered : call;
    const endpoint = asked ? trace.endpoints[asked.endpoint] : undefined;
    const method = endpoint?.interface.methods.find(candidate => candidate.ordinal === asked?.label);
    if (!endpoint || !method || (!request && delivered.operation !== 'reply')) return undefined;
    const name = `${shortName(endpoint.interface.name)}.${method.name}`;
    const serverOf = (candidate: string) => trace.endpoints[candidate]?.server;
    const order = endpoint.order?.[method.name];
    if (request) {
        return {
            title: name,
            values: [
                { name: 'method', value: name }, { name: 'sender', value: delivered.from },
                ...messageValues(method.request, delivered, order?.params, serverOf)
            ],
            registers: messageRegisters(method.request, delivered.words)
        };
    }
    const header: VariableValue[] = [{ name: 'method', value: `reply to ${name}` }, { name: 'from', value: delivered.from }];
    if (delivered.label !== 0) {
        const error = method.errors.find(candidate => candidate.label === delivered.label);
        return {
            title: `reply to ${name}`, values: [...header, { name: 'error', value: errorName(method, delivered.label, delivered.words, order?.errors) }],
            registers: error ? messageRegisters(error, delivered.words) : rawRegisters(delivered.words)
        };
    }
    const layout = method.reply;
    return {
        title: `reply to ${name}`,
        values: layout ? [...header, ...messageValues(layout, delivered, order?.results, serverOf)] : header,
        registers: layout ? messageRegisters(layout, delivered.words) : rawRegisters(delivered.words)
    };
}

/** A node of the tree that leaf paths (`key.hi`, `samples[2].value`) make. */
interface Node {
    readonly name: string;
    leaf?: VariableValue;
    readonly children: Node[];
}

function messageValues(layout: MessageLayout, event: IpcEvent, order: readonly string[] | undefined, serverOf: (endpoint: string) => string | undefined): VariableValue[] {
    const roots: Node[] = [];
    const insert = (path: string, leaf: VariableValue) => {
        const segments = path.match(/[^.[\]]+|\[\d+\]/g) ?? [path];
        let level = roots;
        let node: Node | undefined;
        for (const segment of segments) {
            node = level.find(candidate => candidate.name === segment);
            if (!node) level.push(node = { name: segment, children: [] });
            level = node.children;
        }
        if (node) node.leaf = { ...leaf, name: node.name };
    };
    for (const scalar of layout.scalars) {
        insert(scalar.path, scalarText(scalar.path, scalar.type, fieldBits32(scalar.placement, event.words)));
    }
    for (const bulk of layout.bulk) {
        if (bulk.transfer === 'inline' && bulk.words) {
            const bytes = Array.from({ length: bulk.bytes }, (_, i) => ((event.words[(bulk.words?.first ?? 0) + (i >> 2)] ?? 0) >>> (8 * (i & 3))) & 0xff);
            insert(bulk.path, bytesValue(bulk.path, bulk.bytes, bytes));
        } else {
            insert(bulk.path, { name: bulk.path, type: `bytes[${bulk.bytes}]`, value: `${bulk.bytes} bytes ${bulk.transfer === 'lease' ? 'leased' : 'in the shared region'}` });
        }
    }
    for (const cap of valueCaps(layout)) insert(cap.path, { name: cap.path, type: cap.capType, value: formatCap(cap, event.capObjects, serverOf) });
    // The order names leaves (`key.hi`): a value ranks where its first leaf does.
    const rank = (name: string) => {
        const index = order?.findIndex(path => path === name || path.startsWith(`${name}.`) || path.startsWith(`${name}[`)) ?? -1;
        return index < 0 ? Number.MAX_SAFE_INTEGER : index;
    };
    return [...roots].sort((a, b) => rank(a.name) - rank(b.name)).map(toValue);
}

function toValue(node: Node): VariableValue {
    if (node.leaf && node.children.length === 0) return node.leaf;
    const children = node.children.map(toValue);
    // Bulk data outside the message: its own line, with the offset and length that travelled for it.
    if (node.leaf) return { ...node.leaf, children: () => children };
    const isArray = children.every(child => child.name.startsWith('['));
    const parts = children.map(child => (isArray ? '' : `${child.name}: `) + (child.children && child.type?.startsWith('bytes') !== true ? '{…}' : child.value));
    return { name: node.name, value: isArray ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`, children: () => children };
}

function messageRegisters(layout: MessageLayout, words: readonly number[]): VariableValue[] {
    const hints = words.map(() => [] as string[]);
    for (const scalar of layout.scalars) {
        const span = Math.max(1, Math.ceil(scalar.placement.bits / 32));
        for (let i = 0; i < span; i++) hints[scalar.placement.word + i]?.push(scalar.path);
    }
    for (const bulk of layout.bulk) {
        for (let i = 0; bulk.words && i < bulk.words.count; i++) hints[bulk.words.first + i]?.push(bulk.path);
    }
    return words.map((word, i) => ({
        name: hints[i].length > 0 ? `MR${i} (${[...new Set(hints[i])].join(', ')})` : `MR${i}`,
        value: `0x${(word >>> 0).toString(16).padStart(8, '0')}`
    }));
}

function rawRegisters(words: readonly number[]): VariableValue[] {
    return words.map((word, i) => ({ name: `MR${i}`, value: `0x${(word >>> 0).toString(16).padStart(8, '0')}` }));
}
