/**
 * Wire compatibility between two versions of the same interfaces. A change breaks the wire when an old
 * client and a new server (or the reverse) would disagree about some bit: a moved or resized field, a
 * renumbered or removed method, a changed error enum, an enum field narrowed or widened or with a member
 * removed, a union variant removed or with another payload. Renaming a field in place, adding a method with
 * a fresh ordinal, adding an enum member that fits the enum's width and adding a union variant that fits
 * the union's tag and payload region do not break it.
 */
import { ERROR_CODE_PATH } from './error-messages.js';
import { typeName } from './format.js';
import type { CountedKind, InterfaceLayout, MessageLayout, MethodLayout, PayloadShape, PlacedScalar, ScalarKind, UnionKind } from './types.js';

export interface LayoutChange {
    readonly breaking: boolean;
    readonly message: string;
    /** The interface the change is about, by its qualified name. */
    readonly interfaceName: string;
    /** The method it is about, if any (it may exist only in the old version). */
    readonly methodName?: string;
}

/** A change before it is attributed to an interface and method. */
type Verdict = Pick<LayoutChange, 'breaking' | 'message'>;

export function diffLayouts(before: readonly InterfaceLayout[], after: readonly InterfaceLayout[]): LayoutChange[] {
    const changes: LayoutChange[] = [];
    const afterByName = new Map(after.map(layout => [layout.name, layout]));
    for (const old of before) {
        const current = afterByName.get(old.name);
        if (!current) {
            changes.push({ breaking: true, message: `interface ${old.name} was removed`, interfaceName: old.name });
            continue;
        }
        changes.push(...diffInterface(old, current));
    }
    const beforeNames = new Set(before.map(layout => layout.name));
    for (const added of after.filter(layout => !beforeNames.has(layout.name))) {
        changes.push({ breaking: false, message: `interface ${added.name} was added`, interfaceName: added.name });
    }
    return changes;
}

function diffInterface(before: InterfaceLayout, after: InterfaceLayout): LayoutChange[] {
    const changes: LayoutChange[] = [];
    const about = (methodName: string) => (verdict: Verdict): LayoutChange => ({ ...verdict, interfaceName: before.name, methodName });
    const afterByName = new Map(after.methods.map(method => [method.name, method]));
    for (const old of before.methods) {
        const name = `${before.name}.${old.name}`;
        const current = afterByName.get(old.name);
        if (!current) {
            changes.push(about(old.name)({ breaking: true, message: `${name} (ordinal ${old.ordinal}) was removed` }));
            continue;
        }
        const verdicts: Verdict[] = [];
        if (old.ordinal !== current.ordinal) {
            verdicts.push({ breaking: true, message: `${name} was renumbered from ordinal ${old.ordinal} to ${current.ordinal}; pin it with @ordinal(${old.ordinal})` });
        }
        if (old.oneway !== current.oneway) {
            verdicts.push({ breaking: true, message: `${name} ${current.oneway ? 'became oneway' : 'is no longer oneway'}` });
        }
        verdicts.push(...diffMessage(`${name} request`, old.request, current.request));
        if (old.reply && current.reply) verdicts.push(...diffMessage(`${name} reply`, old.reply, current.reply));
        verdicts.push(...diffDirections(name, old, current));
        const errorsBefore = errorSignature(old);
        const errorsAfter = errorSignature(current);
        if (errorsBefore !== errorsAfter) {
            verdicts.push({ breaking: true, message: `${name} changed its errors from {${errorsBefore}} to {${errorsAfter}}` });
        }
        // The payload's fields are the same in every error reply: compared once (the code is in the signature).
        if (old.errors[0] && current.errors[0]) verdicts.push(...diffMessage(`${name} errors`, payloadOf(old.errors[0]), payloadOf(current.errors[0])));
        changes.push(...verdicts.map(about(old.name)));
    }
    const oldOrdinals = new Set(before.methods.map(method => method.ordinal));
    const beforeNames = new Set(before.methods.map(method => method.name));
    for (const added of after.methods.filter(method => !beforeNames.has(method.name))) {
        const name = `${after.name}.${added.name}`;
        if (oldOrdinals.has(added.ordinal)) {
            changes.push(about(added.name)({ breaking: true, message: `${name} was added with ordinal ${added.ordinal}, which an old method used` }));
        } else {
            changes.push(about(added.name)({ breaking: false, message: `${name} was added with the fresh ordinal ${added.ordinal}` }));
        }
    }
    changes.push(...diffEvents(before, after).map(({ eventName, ...verdict }) => about(eventName)(verdict)));
    return changes;
}

/**
 * Events: a client skips a record whose number it does not know, so an event added with a fresh number is
 * compatible; a removed or renumbered event, or a changed payload, is not (a client would read the wrong
 * values, or wait for an event that never comes).
 */
function diffEvents(before: InterfaceLayout, after: InterfaceLayout): (Verdict & { eventName: string })[] {
    const verdicts: (Verdict & { eventName: string })[] = [];
    const afterByName = new Map(after.events.map(event => [event.name, event]));
    for (const old of before.events) {
        const name = `${before.name}.${old.name}`;
        const current = afterByName.get(old.name);
        if (!current) {
            verdicts.push({ eventName: old.name, breaking: true, message: `event ${name} (number ${old.ordinal}) was removed` });
            continue;
        }
        if (old.ordinal !== current.ordinal) {
            verdicts.push({ eventName: old.name, breaking: true, message: `event ${name} was renumbered from ${old.ordinal} to ${current.ordinal}; declare new events after the old ones` });
        }
        verdicts.push(...diffMessage(`event ${name} payload`, old.payload, current.payload).map(verdict => ({ ...verdict, eventName: old.name })));
    }
    const oldNumbers = new Set(before.events.map(event => event.ordinal));
    const oldNames = new Set(before.events.map(event => event.name));
    for (const added of after.events.filter(event => !oldNames.has(event.name))) {
        const name = `${after.name}.${added.name}`;
        verdicts.push(oldNumbers.has(added.ordinal)
            ? { eventName: added.name, breaking: true, message: `event ${name} was added with number ${added.ordinal}, which an old event used` }
            : { eventName: added.name, breaking: false, message: `event ${name} was added with the fresh number ${added.ordinal}` });
    }
    return verdicts;
}

function payloadOf(layout: MessageLayout): MessageLayout {
    return { ...layout, scalars: layout.scalars.filter(scalar => scalar.path !== ERROR_CODE_PATH) };
}

/** `Short=1, Gone=2`: the members and their labels, and for 32-bit codes the code each member sends. */
function errorSignature(method: MethodLayout): string {
    return method.errors.map((error, i) => {
        const member = method.errorNames[i].split('.').pop();
        const code = error.scalars.find(scalar => scalar.path === ERROR_CODE_PATH)?.type;
        const value = code?.kind === 'enum' ? code.members.find(candidate => candidate.name === member)?.value : undefined;
        return value === undefined ? `${member}=${error.label}` : `${member}=0x${value.toString(16)}`;
    }).join(', ');
}

function describePlacement(scalar: PlacedScalar): string {
    const { word, lo, bits } = scalar.placement;
    return `MR${word} bits ${lo}..${lo + bits - 1}`;
}

function scalarType(scalar: PlacedScalar): string {
    return kindSignature(scalar.type);
}

/** A scalar kind with everything that decides its bits: an enum's members, a bitfield's fields, a union's variants and their payloads. */
function kindSignature(type: ScalarKind): string {
    if (type.kind === 'union') {
        return `${type.name}:${type.bits}{${type.variants.map(variant => variant.payload ? `${variant.name}(${payloadSignature(variant.payload)})` : variant.name).join(',')}}`;
    }
    if (type.kind === 'enum') {
        return `${type.name}{${type.members.map(member => `${member.name}=${member.value}`).join(',')}}`;
    }
    if (type.kind === 'bitfield') {
        return `${type.name}{${type.fields.map(field => `${field.name}:${field.width}`).join(',')}}`;
    }
    return typeName(type);
}

function payloadSignature(shape: PayloadShape): string {
    switch (shape.kind) {
        case 'leaf': return `${kindSignature(shape.type)}@${shape.lo}`;
        case 'struct': return `${shape.name}{${shape.fields.map(field => `${field.name}:${payloadSignature(field.shape)}`).join(',')}}`;
        case 'array': return `[${shape.elements.map(payloadSignature).join(',')}]`;
    }
}

/**
 * The strings, vecs and nested byte buffers of a message by path, in words or as bulk data: `string[16]`,
 * `vec[8]`, `bytes[16]`.
 */
function countedValues(message: MessageLayout): Map<string, CountedKind> {
    const values = new Map<string, CountedKind>();
    for (const counted of message.counted ?? []) values.set(counted.path, counted);
    for (const bulk of message.bulk) if (bulk.counts) values.set(bulk.path, bulk.counts);
    return values;
}

/**
 * A string's or vec's capacity bounds what a receiver accepts (a longer value is refused before a handler
 * sees it) and sizes its length field and items, so changing it breaks the wire even where the words happen
 * to stay put (docs/ABI.md, "Strings and vecs"). A nested byte buffer has no length: its capacity is how
 * many bytes both sides read and write.
 */
function diffCapacities(what: string, before: MessageLayout, after: MessageLayout): Verdict[] {
    const now = countedValues(after);
    return [...countedValues(before)].flatMap(([path, old]) => {
        const current = now.get(path);
        if (!current || (current.kind === old.kind && current.capacity === old.capacity)) return [];
        const why = old.kind === 'bytes' ? 'a buffer always holds all its bytes, so the two sides would disagree on how many' : 'a receiver refuses values longer than its own capacity';
        return [{ breaking: true, message: `${what}: '${path}' changed from ${old.kind}[${old.capacity}] to ${current.kind}[${current.capacity}]; ${why}` }];
    });
}

/**
 * Which way each buffer, string and vec of a method travels: as its bulk data says, else (a string or vec
 * in message words) `in` when the request carries it, `out` when the reply does, `inout` when both do.
 * The same wire reads the same way whether a reply's string is a result or an `out` parameter.
 */
function directions(method: MethodLayout): Map<string, string> {
    const found = new Map<string, string>();
    const inRequest = new Set((method.request.counted ?? []).map(counted => counted.path));
    const inReply = new Set((method.reply?.counted ?? []).map(counted => counted.path));
    for (const path of new Set([...inRequest, ...inReply])) found.set(path, inRequest.has(path) ? (inReply.has(path) ? 'inout' : 'in') : 'out');
    for (const bulk of [...method.request.bulk, ...(method.reply?.bulk ?? [])]) found.set(bulk.path, bulk.direction);
    return found;
}

/**
 * A buffer, string or vec that changes direction breaks the wire even where no word moves (bulk data in
 * the shared region or a lease): one side would write what the other no longer reads, or wait for a
 * length that does not come back (docs/ABI.md, "Strings and vecs").
 */
function diffDirections(name: string, before: MethodLayout, after: MethodLayout): Verdict[] {
    const now = directions(after);
    return [...directions(before)].flatMap(([path, old]) => {
        const current = now.get(path);
        return current && current !== old ? [{ breaking: true, message: `${name}: '${path}' changed direction from ${old} to ${current}` }] : [];
    });
}

/**
 * A change of an enum field's type that keeps its name: a changed width breaks the wire; members added
 * within the same width and place are compatible (every old value still means the same member); a member
 * removed or given another value breaks. Undefined when the field is not the same enum on both sides, or
 * the enum did not change.
 */
function enumChange(what: string, old: PlacedScalar, current: PlacedScalar): Verdict | undefined {
    const [a, b] = [old.type, current.type];
    if (a.kind !== 'enum' || b.kind !== 'enum' || a.name !== b.name) return undefined;
    if (a.bits !== b.bits || (a.signed ?? false) !== (b.signed ?? false)) {
        const width = (type: typeof a) => `${type.signed ? 'i' : 'u'}${type.bits}`;
        return { breaking: true, message: `${what}: '${old.path}' changed from ${a.name} : ${width(a)} to ${b.name} : ${width(b)}` };
    }
    if (scalarType(old) === scalarType(current)) return undefined;
    const kept = a.members.every(member => b.members.some(other => other.name === member.name && other.value === member.value));
    if (!kept || describePlacement(old) !== describePlacement(current)) return undefined;
    const gained = b.members.filter(member => !a.members.some(other => other.name === member.name));
    return { breaking: false, message: `${what}: '${old.path}' (${a.name}) gained ${gained.map(member => `${member.name}=${member.value}`).join(', ')}` };
}

/**
 * A change of a union field's type that keeps its name, by the rule for enums: variants added after the
 * last one, with the tag's and the payload region's widths and the field's place unchanged, are compatible
 * (every old value still means the same variant; a receiver that does not know a new variant refuses it as
 * a malformed message); a variant removed, renamed, moved or given another payload breaks. Undefined when
 * the field is not the same union on both sides, or the union did not change.
 */
function unionChange(what: string, old: PlacedScalar, current: PlacedScalar): Verdict | undefined {
    const [a, b] = [old.type, current.type];
    if (a.kind !== 'union' || b.kind !== 'union' || a.name !== b.name || scalarType(old) === scalarType(current)) return undefined;
    const variant = (type: UnionKind, i: number) => {
        const found = type.variants[i];
        return found?.payload ? `${found.name}(${payloadSignature(found.payload)})` : found?.name;
    };
    const breaking = (why: string): Verdict => ({ breaking: true, message: `${what}: '${old.path}' (${a.name}) changed: ${why}` });
    if (a.tagBits !== b.tagBits) return breaking(`its tag grew from ${a.tagBits} to ${b.tagBits} bits`);
    const changed = a.variants.find((_, i) => variant(a, i) !== variant(b, i));
    if (changed) {
        const from = a.variants.indexOf(changed);
        const to = b.variants.findIndex(other => other.name === changed.name);
        return breaking(to < 0 ? `variant '${changed.name}' was removed` : to !== from ? `variant '${changed.name}' moved from tag ${from} to tag ${to}` : `variant '${changed.name}' has another payload`);
    }
    if (a.bits !== b.bits) return breaking(`its bits changed from ${a.bits} to ${b.bits}`);
    if (describePlacement(old) !== describePlacement(current)) return breaking(`it moved from ${describePlacement(old)} to ${describePlacement(current)}`);
    const gained = b.variants.slice(a.variants.length).map(added => added.name);
    return { breaking: false, message: `${what}: '${old.path}' (${a.name}) gained ${gained.join(', ')}` };
}

/**
 * A vec sent as bulk data is its elements in memory, a word per scalar leaf: a changed element (a leaf's
 * type, a nested buffer's capacity) changes what the receiver reads even where the byte count stays.
 */
function diffBulkElements(what: string, before: MessageLayout, after: MessageLayout): Verdict[] {
    const now = new Map(after.bulk.map(bulk => [bulk.path, bulk.elements]));
    return before.bulk.flatMap(bulk => {
        const current = now.get(bulk.path);
        if (!bulk.elements || !current) return [];
        const breaking = (change: string): Verdict[] => [{ breaking: true, message: `${what}: the elements of '${bulk.path}' changed: ${change}` }];
        if (current.length !== bulk.elements.length) return breaking(`${bulk.elements.length} words each, now ${current.length}`);
        const index = bulk.elements.findIndex((leaf, i) => leaf.path !== current[i].path || kindSignature(leaf.type) !== kindSignature(current[i].type));
        if (index < 0) return [];
        const [old, next] = [bulk.elements[index], current[index]];
        return breaking(`word ${index} was '${bulk.path}[i]${old.path}: ${typeName(old.type)}', now '${bulk.path}[i]${next.path}: ${typeName(next.type)}'`);
    });
}

function diffMessage(what: string, before: MessageLayout, after: MessageLayout): Verdict[] {
    const changes: Verdict[] = [...diffCapacities(what, before, after), ...diffBulkElements(what, before, after)];
    const afterByPath = new Map(after.scalars.map(scalar => [scalar.path, scalar]));
    const beforeByPath = new Map(before.scalars.map(scalar => [scalar.path, scalar]));
    const removed: PlacedScalar[] = [];
    for (const old of before.scalars) {
        const current = afterByPath.get(old.path);
        if (!current) {
            removed.push(old);
            continue;
        }
        const enumVerdict = enumChange(what, old, current) ?? unionChange(what, old, current);
        if (enumVerdict) {
            changes.push(enumVerdict);
        } else if (scalarType(old) !== scalarType(current)) {
            changes.push({ breaking: true, message: `${what}: '${old.path}' changed from ${typeName(old.type)} to ${typeName(current.type)}${typeName(old.type) === typeName(current.type) ? ' (its members changed)' : ''}` });
        } else if (describePlacement(old) !== describePlacement(current)) {
            changes.push({ breaking: true, message: `${what}: '${old.path}' moved from ${describePlacement(old)} to ${describePlacement(current)}` });
        }
    }
    const added = after.scalars.filter(scalar => !beforeByPath.has(scalar.path));
    for (const old of removed) {
        const renamed = added.find(candidate => describePlacement(candidate) === describePlacement(old) && scalarType(candidate) === scalarType(old));
        if (renamed) {
            added.splice(added.indexOf(renamed), 1);
            changes.push({ breaking: false, message: `${what}: '${old.path}' was renamed to '${renamed.path}' in place` });
        } else {
            changes.push({ breaking: true, message: `${what}: '${old.path}' was removed` });
        }
    }
    for (const scalar of added) {
        changes.push({ breaking: true, message: `${what}: '${scalar.path}' was added at ${describePlacement(scalar)}` });
    }
    // Capabilities travel by position (extra cap i), so their types in order are the wire format; a
    // field renamed in place keeps it. The message names each by its path (`team.lead`).
    const capTypes = (message: MessageLayout) => message.caps.map(cap => cap.capType).join(', ');
    const capList = (message: MessageLayout) => message.caps.map(cap => `${cap.path}: ${cap.capType}`).join(', ');
    if (capTypes(before) !== capTypes(after)) {
        changes.push({ breaking: true, message: `${what}: capabilities changed from (${capList(before)}) to (${capList(after)})` });
    } else {
        before.caps.forEach((cap, i) => {
            const renamed = after.caps[i].path;
            if (renamed !== cap.path) changes.push({ breaking: false, message: `${what}: capability '${cap.path}' was renamed to '${renamed}' in place` });
        });
    }
    const bulkBefore = before.bulk.map(bulk => `${bulk.transfer} ${bulk.bytes}`).join(', ');
    const bulkAfter = after.bulk.map(bulk => `${bulk.transfer} ${bulk.bytes}`).join(', ');
    if (bulkBefore !== bulkAfter) {
        changes.push({ breaking: true, message: `${what}: bulk data changed from (${bulkBefore}) to (${bulkAfter})` });
    }
    return changes;
}
