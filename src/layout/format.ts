/**
 * `ukc layout` output: for every method and direction, which bits of which message register hold which
 * field (and, for a union, where its tag and each variant's payload lie), what travels through memory or as
 * capabilities, and whether the message takes the fastpath.
 */
import { WIDE_ERROR_LABEL } from '../../runtime/contract/index.js';
import { ERROR_CODE_PATH } from './error-messages.js';
import type { AbiProfile } from './profiles.js';
import type { CountedKind, EventLayout, InterfaceLayout, MessageLayout, MethodLayout, PayloadShape, PlacedScalar, ScalarKind, UnionKind } from './types.js';

export function typeName(type: ScalarKind): string {
    switch (type.kind) {
        case 'int': return `${type.signed ? 'i' : 'u'}${type.bits}`;
        case 'bool': return 'bool';
        case 'float': return `f${type.bits}`;
        case 'enum': case 'bitfield': case 'union': return type.name;
    }
}

export function formatInterface(layout: InterfaceLayout, profile: AbiProfile, only?: string): string {
    const lines: string[] = [];
    const region = layout.sharedRegionBytes > 0 ? `; shared region ${layout.sharedRegionBytes} bytes` : '';
    lines.push(`interface ${layout.name} on ${profile.name} (${profile.wordBits}-bit words, ${profile.fastRegisters} fast registers ${profile.registerNames.join(' ')}${region})`);
    for (const method of layout.methods) {
        if (only && method.name !== only) continue;
        lines.push('', ...formatMethod(method, profile));
    }
    for (const event of layout.events) {
        if (only && event.name !== only) continue;
        lines.push('', ...formatEvent(event, profile));
    }
    if (!only) lines.push('', summaryLine(layout));
    return lines.join('\n') + '\n';
}

export function formatMethod(method: MethodLayout, profile: AbiProfile): string[] {
    const lines = [`${method.oneway ? 'oneway ' : ''}${method.name}  ordinal ${method.ordinal}`];
    lines.push(...formatMessage('request', method.request, profile));
    if (method.reply) {
        lines.push(...formatMessage('reply', method.reply, profile));
    } else {
        lines.push('  reply    none (oneway)');
    }
    const first = method.errors[0];
    if (first && first.words === 0) {
        const labels = method.errors.map((error, i) => `${method.errorNames[i]}=${error.label}`).join(', ');
        lines.push(`  errors   label ${labels}, no payload`);
    } else if (first) {
        lines.push(...formatMessage('errors', first, profile, errorLabels(method)));
    }
    return lines;
}

/** An event: its number (the label of its records) and where its payload's values sit in a record's words. */
export function formatEvent(event: EventLayout, profile: AbiProfile): string[] {
    // An event record is not an IPC message: the fastpath does not apply to it.
    return [`event ${event.name}  number ${event.ordinal}`, ...formatMessage('payload', event.payload, profile, String(event.payload.label), false)];
}

/** `IoError.Short=1, IoError.Gone=2`, or for 32-bit codes `1048572, code in 'error' (IoError.Denied=0x80000005, ...)`. */
function errorLabels(method: MethodLayout): string {
    const code = method.errors[0].scalars.find(scalar => scalar.path === ERROR_CODE_PATH && method.errors[0].label === WIDE_ERROR_LABEL);
    if (code?.type.kind === 'enum') {
        const type = code.type;
        return `0x${WIDE_ERROR_LABEL.toString(16)}, code in '${ERROR_CODE_PATH}' (${type.members.map(member => `${type.name}.${member.name}=0x${member.value.toString(16)}`).join(', ')})`;
    }
    return method.errors.map((error, i) => `${method.errorNames[i]}=${error.label}`).join(', ');
}

function formatMessage(title: string, message: MessageLayout, profile: AbiProfile, label = String(message.label), fastpath = true): string[] {
    const where = message.words === 0 ? 'no words'
        : message.memoryWords === 0 ? `${plural(message.words, 'word')} in registers`
        : `${plural(message.words, 'word')} (${message.registerWords} in registers, ${message.memoryWords} in the IPC buffer)`;
    const caps = message.extraCaps > 0 ? `, ${plural(message.extraCaps, 'capability', 'capabilities')}` : '';
    const path = !fastpath ? '' : message.fastpath ? ', fastpath' : `, slowpath: ${message.slowpathReasons.join('; ')}`;
    const lines = [`  ${title.padEnd(8)} label ${label}, ${where}${caps}${path}`];
    for (const scalar of message.scalars) {
        lines.push(`    ${formatScalar(scalar, profile)}`);
        if (scalar.type.kind === 'union') lines.push(...unionLines(scalar.path, scalar.type).map(line => `    ${''.padEnd(24)}${line}`));
    }
    for (const cap of message.caps) {
        const what = cap.capType === 'frame' ? 'frame (lease)' : cap.capType;
        lines.push(`    ${`cap ${cap.capIndex}`.padEnd(24)}${cap.path}: ${what}`);
    }
    for (const bulk of message.bulk) {
        const how = bulk.transfer === 'inline' && bulk.words
            ? `inline in ${wordRange(bulk.words.first, bulk.words.count)}`
            : bulk.transfer === 'shared' ? 'through the shared region (offset and length above)'
            : `leased pages (cap ${bulk.capIndex}, length above)`;
        const what = bulk.counts ? `${countedName(bulk.counts)}, ${bulk.bytes} bytes` : `${bulk.bytes} bytes`;
        lines.push(`    ${'bulk'.padEnd(24)}${bulk.path}: ${what} ${bulk.direction}, ${how}`);
    }
    for (const counted of message.counted ?? []) {
        const words = `${counted.path}#0..#${Math.ceil(counted.capacity / 4) - 1}, 4 to a word`;
        // A buffer inside a struct, array or vec has no length: it always holds all its bytes.
        const items = counted.kind === 'bytes' ? `${counted.capacity === 1 ? 'its byte' : `all ${counted.capacity} bytes`} in ${words}`
            : counted.kind === 'string' ? `length in ${counted.path}.length, bytes in ${words}`
            : `length in ${counted.path}.length, elements ${counted.path}[0]..[${counted.capacity - 1}]`;
        lines.push(`    ${counted.kind.padEnd(24)}${counted.path}: ${countedName(counted)}, ${items}`);
    }
    return lines;
}

/**
 * A union's own bits, counted from the field's first bit: the tag, then per variant where its payload's
 * leaves lie (`w: u16 at 3..18`); what a variant leaves of the payload region is zero.
 */
export function unionLines(path: string, type: UnionKind): string[] {
    const lines = [`${path}: tag at 0..${type.tagBits - 1}, payload region ${type.tagBits}..${type.bits - 1}, unused bits 0`];
    type.variants.forEach((variant, tag) => {
        const payload = variant.payload ? `: ${payloadText(variant.payload)}` : '';
        lines.push(`${path}: tag ${tag} ${variant.name}${payload}`);
    });
    return lines;
}

function payloadText(shape: PayloadShape): string {
    switch (shape.kind) {
        case 'leaf': {
            const bits = shape.type.kind === 'bool' ? 1 : shape.type.bits;
            return `${typeName(shape.type)} at ${shape.lo}..${shape.lo + bits - 1}`;
        }
        case 'struct': return `${shape.name} { ${shape.fields.map(field => `${field.name}: ${payloadText(field.shape)}`).join(', ')} }`;
        case 'array': return `[${shape.elements.map(payloadText).join(', ')}]`;
    }
}

/** `string[16]`, `vec[8]`, `bytes[16]`: what a counted value holds (a vec's element type is in its scalars). */
function countedName(counted: CountedKind): string {
    return `${counted.kind}[${counted.capacity}]`;
}

function formatScalar(scalar: PlacedScalar, profile: AbiProfile): string {
    const { word, lo, bits } = scalar.placement;
    const words = Math.ceil(bits / profile.wordBits);
    const where = bits > profile.wordBits ? wordRange(word, words) : `MR${word}`;
    const register = word + words <= profile.fastRegisters
        ? (words > 1 ? `${profile.registerNames[word]}-${profile.registerNames[word + words - 1]}` : profile.registerNames[word])
        : 'buffer';
    const range = bits > profile.wordBits ? `0..${profile.wordBits - 1}` : `${lo}..${lo + bits - 1}`;
    const pinned = scalar.pinned ? '  (pinned)' : '';
    return `${where.padEnd(7)} ${register.padEnd(7)} ${range.padEnd(7)} ${scalar.path}: ${typeName(scalar.type)}${pinned}`;
}

function wordRange(first: number, count: number): string {
    return count === 1 ? `MR${first}` : `MR${first}-MR${first + count - 1}`;
}

export interface InterfaceSummary {
    readonly methods: number;
    readonly registerOnly: number;
    readonly spilling: number;
    readonly memoryWords: number;
}

/** A method is register-only when its request, its reply and its error replies all fit the fast registers. */
export function summarise(layout: InterfaceLayout): InterfaceSummary {
    let registerOnly = 0;
    let memoryWords = 0;
    for (const method of layout.methods) {
        // Every error reply of a method has the same words: one stands for all.
        const messages = [method.request, ...(method.reply ? [method.reply] : []), ...method.errors.slice(0, 1)];
        if (messages.every(message => message.memoryWords === 0)) registerOnly++;
        memoryWords += messages.reduce((sum, message) => sum + message.memoryWords, 0);
    }
    return { methods: layout.methods.length, registerOnly, spilling: layout.methods.length - registerOnly, memoryWords };
}

export function summaryLine(layout: InterfaceLayout): string {
    const summary = summarise(layout);
    return `summary ${layout.name}: ${plural(summary.methods, 'method')}, ${summary.registerOnly} register-only, ${summary.spilling} spill; ${plural(summary.memoryWords, 'word')} through memory`;
}

function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
    return `${count} ${count === 1 ? noun : pluralNoun}`;
}
