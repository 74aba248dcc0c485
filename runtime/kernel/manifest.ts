/**
 * Checking a boot manifest (its schema: runtime/contract/manifest.ts): `parseManifest` checks a value read
 * from JSON and says exactly which field is wrong; nothing downstream sees an unchecked manifest.
 */
import {
    KERNEL_PERSONALITIES, MANIFEST_FORMAT, isKernelPersonality, type BootManifest, type CapManifest, type ComponentManifest, type DeviceManifest, type EventQueueManifest,
    type MemoryManifest, type ObjectManifest, type ThreadManifest
} from '../contract/index.js';

export class ManifestError extends Error {
    constructor(readonly path: string, message: string) {
        super(path ? `${path}: ${message}` : message);
    }
}

// ------------------------------------------------------------ checking

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: Json, path: string): Record<string, Json> {
    if (!isRecord(value)) throw new ManifestError(path, 'expected an object');
    return value;
}

function array(value: Json, path: string): Json[] {
    if (!Array.isArray(value)) throw new ManifestError(path, 'expected an array');
    return value;
}

function text(value: Json, path: string): string {
    if (typeof value !== 'string' || value.length === 0) throw new ManifestError(path, 'expected a non-empty string');
    return value;
}

function integer(value: Json, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw new ManifestError(path, `expected an integer from ${min} to ${max}`);
    }
    return value;
}

function optional<T>(object: Record<string, Json>, key: string, path: string, read: (value: Json, path: string) => T): T | undefined {
    return object[key] === undefined ? undefined : read(object[key], `${path}.${key}`);
}

function onlyKeys(object: Record<string, Json>, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(object)) {
        if (!allowed.includes(key)) throw new ManifestError(`${path}.${key}`, `unknown field (expected one of: ${allowed.join(', ')})`);
    }
}

const U32 = 0xffff_ffff;
const CAP_OBJECT_KEYS = ['endpoint', 'notification', 'tcb', 'cnode', 'vspace', 'frame', 'device', 'irq'] as const;

function permissions(value: Json, path: string, allowed: RegExp): string {
    const letters = text(value, path);
    if (!allowed.test(letters)) throw new ManifestError(path, `'${letters}' is not a permission set here`);
    return letters;
}

function device(value: Json, path: string): DeviceManifest {
    const object = record(value, path);
    onlyKeys(object, ['name', 'kind', 'irq', 'sectors'], path);
    const kind = text(object.kind, `${path}.kind`);
    if (kind !== 'uart' && kind !== 'timer' && kind !== 'block') throw new ManifestError(`${path}.kind`, `unknown device kind '${kind}' (uart, timer, block)`);
    return {
        name: text(object.name, `${path}.name`), kind,
        irq: optional(object, 'irq', path, (v, p) => integer(v, p, 1, 63)),
        sectors: optional(object, 'sectors', path, (v, p) => integer(v, p, 1, 1 << 16))
    };
}

function kernelObject(value: Json, path: string): ObjectManifest {
    const object = record(value, path);
    onlyKeys(object, ['name', 'kind'], path);
    const kind = text(object.kind, `${path}.kind`);
    if (kind !== 'endpoint' && kind !== 'notification') throw new ManifestError(`${path}.kind`, `unknown object kind '${kind}' (endpoint, notification)`);
    return { name: text(object.name, `${path}.name`), kind };
}

function eventQueue(value: Json, path: string): EventQueueManifest {
    const object = record(value, path);
    onlyKeys(object, ['endpoint', 'badge', 'client', 'notification', 'bit'], path);
    return {
        endpoint: text(object.endpoint, `${path}.endpoint`),
        badge: integer(object.badge, `${path}.badge`, 0, 0x0fff_ffff),
        client: text(object.client, `${path}.client`),
        notification: text(object.notification, `${path}.notification`),
        bit: integer(object.bit, `${path}.bit`, 0, 31)
    };
}

function thread(value: Json, path: string): ThreadManifest {
    const object = record(value, path);
    onlyKeys(object, ['name', 'entry', 'priority', 'mcp', 'stackTop', 'stackPages', 'ipcBuffer', 'faultEndpoint', 'start'], path);
    const entry = object.entry;
    if (entry !== undefined && typeof entry !== 'string') integer(entry, `${path}.entry`, 0, U32);
    if (object.start !== undefined && typeof object.start !== 'boolean') throw new ManifestError(`${path}.start`, 'expected true or false');
    return {
        name: text(object.name, `${path}.name`),
        entry: entry as string | number | undefined,
        priority: integer(object.priority, `${path}.priority`, 0, 255),
        mcp: optional(object, 'mcp', path, (v, p) => integer(v, p, 0, 255)),
        stackTop: optional(object, 'stackTop', path, (v, p) => integer(v, p, 0, U32)),
        stackPages: optional(object, 'stackPages', path, (v, p) => integer(v, p, 1, 1024)),
        ipcBuffer: optional(object, 'ipcBuffer', path, (v, p) => integer(v, p, 0, U32)),
        faultEndpoint: optional(object, 'faultEndpoint', path, (v, p) => integer(v, p, 1, U32)),
        start: object.start as boolean | undefined
    };
}

function memory(value: Json, path: string): MemoryManifest {
    const object = record(value, path);
    onlyKeys(object, ['vaddr', 'pages', 'permissions', 'words'], path);
    const pages = integer(object.pages, `${path}.pages`, 1, 65536);
    const words = optional(object, 'words', path, array)?.map((word, i) => integer(word, `${path}.words[${i}]`, -0x8000_0000, U32));
    if (words && words.length * 4 > pages * 4096) throw new ManifestError(`${path}.words`, `${words.length} words do not fit in ${pages} pages`);
    return {
        vaddr: integer(object.vaddr, `${path}.vaddr`, 0, U32),
        pages,
        permissions: permissions(object.permissions, `${path}.permissions`, /^r?w?x?$/),
        words
    };
}

function capability(value: Json, path: string): CapManifest {
    const object = record(value, path);
    onlyKeys(object, ['slot', 'rights', 'badge', 'mapAt', ...CAP_OBJECT_KEYS], path);
    const present = CAP_OBJECT_KEYS.filter(key => object[key] !== undefined);
    if (present.length !== 1) throw new ManifestError(path, `name exactly one object (one of: ${CAP_OBJECT_KEYS.join(', ')})`);
    let frame: CapManifest['frame'];
    if (object.frame !== undefined) {
        const frameObject = record(object.frame, `${path}.frame`);
        onlyKeys(frameObject, ['mappedAt', 'of'], `${path}.frame`);
        frame = {
            mappedAt: optional(frameObject, 'mappedAt', `${path}.frame`, (v, p) => integer(v, p, 0, U32)),
            of: optional(frameObject, 'of', `${path}.frame`, text)
        };
        if (frame.of !== undefined && frame.mappedAt === undefined) throw new ManifestError(`${path}.frame.of`, "names a component's page: give 'mappedAt' too");
    }
    const name = (key: string): string | undefined => optional(object, key, path, text);
    return {
        slot: integer(object.slot, `${path}.slot`, 1, U32),
        rights: optional(object, 'rights', path, (v, p) => permissions(v, p, /^r?w?g?$/)),
        badge: optional(object, 'badge', path, (v, p) => integer(v, p, 0, 0x0fff_ffff)),
        endpoint: name('endpoint'), notification: name('notification'), tcb: name('tcb'), cnode: name('cnode'),
        vspace: name('vspace'), device: name('device'), irq: name('irq'), frame,
        mapAt: optional(object, 'mapAt', path, (v, p) => integer(v, p, 0, U32))
    };
}

function component(value: Json, path: string): ComponentManifest {
    const object = record(value, path);
    onlyKeys(object, ['name', 'image', 'cnodeSize', 'threads', 'memory', 'caps'], path);
    const threads = array(object.threads, `${path}.threads`).map((t, i) => thread(t, `${path}.threads[${i}]`));
    if (threads.length === 0) throw new ManifestError(`${path}.threads`, 'a component needs at least one thread');
    return {
        name: text(object.name, `${path}.name`),
        image: text(object.image, `${path}.image`),
        cnodeSize: optional(object, 'cnodeSize', path, (v, p) => integer(v, p, 2, 1 << 16)),
        threads,
        memory: optional(object, 'memory', path, array)?.map((m, i) => memory(m, `${path}.memory[${i}]`)),
        caps: optional(object, 'caps', path, array)?.map((c, i) => capability(c, `${path}.caps[${i}]`))
    };
}

/** Checks a parsed JSON value against the manifest format; throws ManifestError naming the bad field. */
export function parseManifest(value: Json): BootManifest {
    const object = record(value, '');
    onlyKeys(object, ['format', 'kernel', 'machine', 'devices', 'objects', 'components', 'eventQueues'], 'manifest');
    if (object.format !== MANIFEST_FORMAT) {
        throw new ManifestError('format', `expected '${MANIFEST_FORMAT}', found ${JSON.stringify(object.format) ?? 'nothing'}`);
    }
    let machine: BootManifest['machine'];
    if (object.machine !== undefined) {
        const m = record(object.machine, 'machine');
        onlyKeys(m, ['ramBytes', 'timeSlice'], 'machine');
        machine = {
            ramBytes: optional(m, 'ramBytes', 'machine', (v, p) => integer(v, p, 4096, 1 << 30)),
            timeSlice: optional(m, 'timeSlice', 'machine', (v, p) => integer(v, p, 1, U32))
        };
        if (machine.ramBytes !== undefined && machine.ramBytes % 4096 !== 0) throw new ManifestError('machine.ramBytes', 'must be a multiple of 4096');
    }
    const kernel = optional(object, 'kernel', 'manifest', (v, p) => text(v, p));
    if (kernel !== undefined && !isKernelPersonality(kernel)) {
        throw new ManifestError('kernel', `unknown kernel personality '${kernel}' (${KERNEL_PERSONALITIES.join(', ')})`);
    }
    return {
        format: MANIFEST_FORMAT,
        kernel,
        machine,
        devices: optional(object, 'devices', 'manifest', array)?.map((d, i) => device(d, `devices[${i}]`)),
        objects: optional(object, 'objects', 'manifest', array)?.map((o, i) => kernelObject(o, `objects[${i}]`)),
        components: array(object.components, 'components').map((c, i) => component(c, `components[${i}]`)),
        eventQueues: optional(object, 'eventQueues', 'manifest', array)?.map((q, i) => eventQueue(q, `eventQueues[${i}]`))
    };
}
