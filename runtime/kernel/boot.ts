/**
 * Boot: builds a running system from a checked manifest and the program images it names. Each component
 * gets an address space with its image, stacks, IPC buffers and extra memory; a CNode with exactly the
 * capabilities the manifest lists (all originals: roots of the derivation tree); and its threads, started
 * in manifest order. Anything inconsistent — an unknown name, two things at one address, not enough RAM —
 * is a ManifestError naming the field; the kernel is never left half-built for a user to run.
 */
import { BlockDevice, PAGE_SHIFT, PAGE_SIZE, PF_R, PF_W, PF_X, Timer, Uart, type ElfImage } from '../machine/index.js';
import {
    ALL_RIGHTS, DEFAULT_CNODE_SIZE, EVENT_QUEUE_CAPACITY, DEFAULT_IPC_BUFFER_BASE, DEFAULT_STACK_PAGES, DEFAULT_STACK_TOP, IPC_BUFFER_SIZE, REG_SP,
    Right, STACK_SPACING, isKernelPersonality, type BootManifest, type CapManifest, type ComponentManifest
} from '../contract/index.js';
import { CapType, deriveCapability, insertCapability, type Capability, type FrameCapability } from './capability.js';
import { Kernel, type DeviceInstance } from './kernel.js';
import { EventQueue } from './objects/event-queue.js';
import { ManifestError } from './manifest.js';
import type { CNode } from './objects/cnode.js';
import type { Endpoint } from './objects/endpoint.js';
import type { Frame } from './objects/frame.js';
import type { Notification } from './objects/notification.js';
import type { Thread } from './objects/tcb.js';
import type { KernelPersonalityName, PersonalitySettings } from './personality.js';
import { mapFrame, type VSpace } from './objects/vspace.js';

export interface BootOptions {
    /** false runs the CPU's interpreter alone. */
    readonly translate?: boolean;
    /** false sends every IPC through the general path. */
    readonly fastpath?: boolean;
    /** The kernel personality (the IPC model) to boot; the manifest's `kernel`, or seL4's, unless told. */
    readonly personality?: KernelPersonalityName;
    /** What the run sets about its personality (RC 4000's pool size). */
    readonly personalitySettings?: PersonalitySettings;
    /** Where UART output goes, by device name. */
    readonly uartOutput?: (device: string, byte: number) => void;
}

interface BuiltComponent {
    readonly manifest: ComponentManifest;
    readonly path: string;
    readonly vspace: VSpace;
    readonly cnode: CNode;
    readonly threads: Thread[];
}

/** A booted system: the kernel and the names the manifest gave its parts. */
export interface BootedSystem {
    readonly kernel: Kernel;
    readonly threads: ReadonlyMap<string, Thread>;
    readonly endpoints: ReadonlyMap<string, Endpoint>;
    readonly notifications: ReadonlyMap<string, Notification>;
    readonly devices: ReadonlyMap<string, DeviceInstance>;
    readonly components: ReadonlyMap<string, { readonly vspace: VSpace; readonly cnode: CNode; readonly threads: readonly Thread[] }>;
}

export function bootSystem(manifest: BootManifest, images: ReadonlyMap<string, ElfImage>, options: BootOptions = {}): BootedSystem {
    const kernel = new Kernel({ ramBytes: manifest.machine?.ramBytes, timeSlice: manifest.machine?.timeSlice, translate: options.translate, fastpath: options.fastpath, personality: options.personality ?? manifestPersonality(manifest), personalitySettings: options.personalitySettings });
    const names = new Set<string>();
    const claim = (name: string, path: string): void => {
        if (names.has(name)) throw new ManifestError(path, `the name '${name}' is used twice`);
        names.add(name);
    };

    const devices = new Map<string, DeviceInstance>();
    const lines = new Set<number>();
    (manifest.devices ?? []).forEach((d, i) => {
        claim(d.name, `devices[${i}].name`);
        if (d.irq !== undefined) {
            if (lines.has(d.irq)) throw new ManifestError(`devices[${i}].irq`, `interrupt line ${d.irq} is used twice`);
            lines.add(d.irq);
        }
        const interrupts = d.irq === undefined ? undefined : { controller: kernel.interrupts, line: d.irq };
        let instance: DeviceInstance;
        switch (d.kind) {
            case 'uart':
                instance = { name: d.name, kind: d.kind, irq: d.irq, device: new Uart(byte => options.uartOutput?.(d.name, byte), interrupts) };
                break;
            case 'timer': {
                // A deadline written in the middle of a run ends the run: the kernel sized it by the old one.
                const timer = new Timer(() => kernel.cycle, interrupts, () => kernel.cpu.requestExit());
                kernel.timers.push(timer);
                instance = { name: d.name, kind: d.kind, irq: d.irq, device: timer };
                break;
            }
            default:
                instance = { name: d.name, kind: d.kind, irq: d.irq, device: new BlockDevice(new Uint8Array((d.sectors ?? 64) * 512), false, interrupts) };
        }
        kernel.devices.push(instance);
        devices.set(d.name, instance);
    });

    const endpoints = new Map<string, Endpoint>();
    const notifications = new Map<string, Notification>();
    (manifest.objects ?? []).forEach((o, i) => {
        claim(o.name, `objects[${i}].name`);
        if (o.kind === 'endpoint') endpoints.set(o.name, kernel.createEndpoint(o.name));
        else notifications.set(o.name, kernel.createNotification(o.name));
    });

    const components = new Map<string, BuiltComponent>();
    const threads = new Map<string, Thread>();
    manifest.components.forEach((c, i) => {
        const path = `components[${i}]`;
        claim(c.name, `${path}.name`);
        const built = buildComponent(kernel, c, path, images);
        components.set(c.name, built);
        for (const thread of built.threads) threads.set(thread.name, thread);
    });

    const deviceFrames = new Map<string, Frame>();
    for (const built of components.values()) {
        (built.manifest.caps ?? []).forEach((capManifest, i) => {
            const capPath = `${built.path}.caps[${i}]`;
            const slot = built.cnode.slotAt(capManifest.slot);
            if (!slot) throw new ManifestError(`${capPath}.slot`, `slot ${capManifest.slot} is outside the CNode (1..${built.cnode.slots.length - 1})`);
            if (!slot.isEmpty) throw new ManifestError(`${capPath}.slot`, `slot ${capManifest.slot} is given twice`);
            const cap = makeCapability(kernel, built, capManifest, capPath, { endpoints, notifications, threads, components, devices, deviceFrames });
            insertCapability(slot, cap, null);
            if (cap.type === CapType.Frame && capManifest.mapAt !== undefined) {
                const refusal = mapFrame(built.vspace, cap, capManifest.mapAt, true, (cap.rights & Right.Write) !== 0, false);
                if (refusal) throw new ManifestError(`${capPath}.mapAt`, `cannot map there (${refusal})`);
            }
        });
    }

    for (const built of components.values()) {
        built.manifest.threads.forEach((t, i) => {
            if (t.faultEndpoint === undefined) return;
            const source = built.cnode.slotAt(t.faultEndpoint);
            const cap = source?.cap;
            if (!source || !cap || cap.type !== CapType.Endpoint) {
                throw new ManifestError(`${built.path}.threads[${i}].faultEndpoint`, `slot ${t.faultEndpoint} does not hold an endpoint capability`);
            }
            insertCapability(built.threads[i].faultHandler, deriveCapability(cap, cap.rights), source);
        });
    }

    (manifest.eventQueues ?? []).forEach((q, i) => {
        const path = `eventQueues[${i}]`;
        const endpoint = endpoints.get(q.endpoint);
        if (!endpoint) throw new ManifestError(`${path}.endpoint`, `no endpoint is named '${q.endpoint}'`);
        const notification = notifications.get(q.notification);
        if (!notification) throw new ManifestError(`${path}.notification`, `no notification is named '${q.notification}'`);
        const client = components.get(q.client)?.threads[0];
        if (!client) throw new ManifestError(`${path}.client`, `no component is named '${q.client}'`);
        if (kernel.eventQueues.some(other => other.endpoint === endpoint && other.badge === q.badge)) {
            throw new ManifestError(`${path}.badge`, `the connection with badge ${q.badge} to '${q.endpoint}' has a queue already`);
        }
        kernel.eventQueues.push(new EventQueue(endpoint, q.badge, client.name, notification, 1 << q.bit, EVENT_QUEUE_CAPACITY));
    });

    for (const built of components.values()) {
        built.manifest.threads.forEach((t, i) => {
            if (t.start !== false) kernel.makeRunnable(built.threads[i]);
        });
    }
    return { kernel, threads, endpoints, notifications, devices, components };
}

// ------------------------------------------------------------ components

function buildComponent(kernel: Kernel, c: ComponentManifest, path: string, images: ReadonlyMap<string, ElfImage>): BuiltComponent {
    const image = images.get(c.image);
    if (!image) throw new ManifestError(`${path}.image`, `no image named '${c.image}' was given`);
    const vspace = kernel.createVSpace(c.name);
    const cnode = kernel.createCNode(c.name, c.cnodeSize ?? DEFAULT_CNODE_SIZE);

    image.segments.forEach((segment, i) => {
        const start = segment.vaddr & ~(PAGE_SIZE - 1);
        const end = segment.vaddr + segment.memSize;
        for (let page = start; page < end; page += PAGE_SIZE) {
            const physical = mapBootPage(kernel, vspace, page, `${path}.image (segment ${i})`,
                (segment.flags & PF_R) !== 0, (segment.flags & PF_W) !== 0, (segment.flags & PF_X) !== 0, true);
            const from = Math.max(page, segment.vaddr);
            const to = Math.min(page + PAGE_SIZE, segment.vaddr + segment.data.length);
            if (to > from) kernel.memory.bytes.set(segment.data.subarray(from - segment.vaddr, to - segment.vaddr), physical + (from - page));
        }
    });

    (c.memory ?? []).forEach((region, i) => {
        if (region.vaddr % PAGE_SIZE !== 0) throw new ManifestError(`${path}.memory[${i}].vaddr`, 'must be page-aligned');
        const physical: number[] = [];
        for (let p = 0; p < region.pages; p++) {
            physical.push(mapBootPage(kernel, vspace, region.vaddr + p * PAGE_SIZE, `${path}.memory[${i}]`,
                region.permissions.includes('r'), region.permissions.includes('w'), region.permissions.includes('x'), false));
        }
        (region.words ?? []).forEach((word, w) => {
            kernel.memory.view.setInt32(physical[Math.floor(w / 1024)] + (w % 1024) * 4, word | 0, true);
        });
    });

    const threads = c.threads.map((t, i) => {
        const threadPath = `${path}.threads[${i}]`;
        const name = t.name === c.name ? c.name : `${c.name}.${t.name}`;
        const thread = kernel.createThread(name, t.priority, cnode, vspace, t.mcp ?? t.priority);
        const stackTop = t.stackTop ?? DEFAULT_STACK_TOP - i * STACK_SPACING;
        if (stackTop % PAGE_SIZE !== 0) throw new ManifestError(`${threadPath}.stackTop`, 'must be page-aligned');
        const stackPages = t.stackPages ?? DEFAULT_STACK_PAGES;
        for (let p = 1; p <= stackPages; p++) mapBootPage(kernel, vspace, stackTop - p * PAGE_SIZE, `${threadPath} (stack)`, true, true, false, false);
        const ipcBuffer = t.ipcBuffer ?? DEFAULT_IPC_BUFFER_BASE + i * PAGE_SIZE;
        if (ipcBuffer % IPC_BUFFER_SIZE !== 0) throw new ManifestError(`${threadPath}.ipcBuffer`, `must be a multiple of ${IPC_BUFFER_SIZE}`);
        if (!vspace.isMapped(ipcBuffer)) mapBootPage(kernel, vspace, ipcBuffer & ~(PAGE_SIZE - 1), `${threadPath} (IPC buffer)`, true, true, false, false);
        else if (vspace.wordAddress(ipcBuffer, true) < 0) throw new ManifestError(`${threadPath}.ipcBuffer`, 'is mapped without write permission');
        thread.ipcBuffer = ipcBuffer;
        thread.pc = entryPoint(image, t.entry, `${threadPath}.entry`) | 0;
        thread.regs[REG_SP] = stackTop;
        return thread;
    });
    return { manifest: c, path, vspace, cnode, threads };
}

function entryPoint(image: ElfImage, entry: string | number | undefined, path: string): number {
    if (entry === undefined) return image.entry;
    if (typeof entry === 'number') return entry;
    const symbol = image.symbols.find(candidate => candidate.name === entry);
    if (!symbol) throw new ManifestError(path, `the image has no symbol '${entry}'`);
    return symbol.value;
}

/** Maps a fresh zeroed frame at `vaddr`; returns its physical address. Images may share a page between segments. */
function mapBootPage(kernel: Kernel, vspace: VSpace, vaddr: number, path: string, read: boolean, write: boolean, execute: boolean, mergeWithImage: boolean): number {
    const vpn = vaddr >>> PAGE_SHIFT;
    const existing = vspace.space.lookup(vpn);
    if (existing) {
        if (!mergeWithImage) throw new ManifestError(path, `address 0x${(vaddr >>> 0).toString(16)} is already mapped`);
        vspace.space.map(vpn, { frame: existing.frame, read: existing.read || read, write: existing.write || write, execute: existing.execute || execute });
        return existing.frame << PAGE_SHIFT;
    }
    const frame = kernel.memory.allocateFrame();
    if (frame === undefined) throw new ManifestError('machine.ramBytes', `not enough RAM for ${path}`);
    vspace.space.map(vpn, { frame, read, write, execute });
    vspace.backing.set(vpn, { kind: 'boot' });
    return frame << PAGE_SHIFT;
}

// ------------------------------------------------------------ capabilities

interface NameTables {
    readonly endpoints: ReadonlyMap<string, Endpoint>;
    readonly notifications: ReadonlyMap<string, Notification>;
    readonly threads: ReadonlyMap<string, Thread>;
    readonly components: ReadonlyMap<string, BuiltComponent>;
    readonly devices: ReadonlyMap<string, DeviceInstance>;
    readonly deviceFrames: Map<string, Frame>;
}

function rightsOf(c: CapManifest): number {
    if (c.rights === undefined) return ALL_RIGHTS;
    return (c.rights.includes('w') ? Right.Write : 0) | (c.rights.includes('r') ? Right.Read : 0) | (c.rights.includes('g') ? Right.Grant : 0);
}

function makeCapability(kernel: Kernel, owner: BuiltComponent, c: CapManifest, path: string, tables: NameTables): Capability {
    const rights = rightsOf(c);
    const find = <T>(table: ReadonlyMap<string, T>, name: string, key: string, what: string): T => {
        const found = table.get(name);
        if (found === undefined) throw new ManifestError(`${path}.${key}`, `no ${what} named '${name}'`);
        return found;
    };
    if (c.badge !== undefined && c.endpoint === undefined && c.notification === undefined) {
        throw new ManifestError(`${path}.badge`, 'only endpoint and notification capabilities carry a badge');
    }
    if (c.mapAt !== undefined && c.device === undefined && c.frame === undefined) {
        throw new ManifestError(`${path}.mapAt`, 'only frame and device capabilities can be mapped');
    }
    const badge = c.badge ?? 0;
    if (c.endpoint !== undefined) return { type: CapType.Endpoint, object: find(tables.endpoints, c.endpoint, 'endpoint', 'endpoint'), rights, badge };
    if (c.notification !== undefined) {
        return { type: CapType.Notification, object: find(tables.notifications, c.notification, 'notification', 'notification'), rights, badge };
    }
    if (c.tcb !== undefined) {
        const thread = tables.threads.get(c.tcb) ?? tables.components.get(c.tcb)?.threads[0];
        if (!thread) throw new ManifestError(`${path}.tcb`, `no thread or component named '${c.tcb}'`);
        return { type: CapType.Tcb, object: thread, rights, badge: 0 };
    }
    if (c.cnode !== undefined) return { type: CapType.CNode, object: find(tables.components, c.cnode, 'cnode', 'component').cnode, rights, badge: 0 };
    if (c.vspace !== undefined) return { type: CapType.VSpace, object: find(tables.components, c.vspace, 'vspace', 'component').vspace, rights, badge: 0 };
    if (c.irq !== undefined) {
        const device = find(tables.devices, c.irq, 'irq', 'device');
        if (device.irq === undefined) throw new ManifestError(`${path}.irq`, `device '${c.irq}' has no interrupt line`);
        const handler = kernel.irqHandlers.get(device.irq) ?? kernel.createIrqHandler(device.irq, device.name);
        return { type: CapType.IrqHandler, object: handler, rights, badge: 0 };
    }
    if (c.device !== undefined) {
        const device = find(tables.devices, c.device, 'device', 'device');
        let frame = tables.deviceFrames.get(device.name);
        if (!frame) {
            frame = kernel.createDeviceFrame(device);
            tables.deviceFrames.set(device.name, frame);
        }
        return { type: CapType.Frame, object: frame, rights, badge: 0 };
    }
    if (c.frame?.of !== undefined) {
        const other = find(tables.components, c.frame.of, 'frame.of', 'component');
        return sharedFrameCapability(kernel, other, c.frame.mappedAt ?? 0, rights, path);
    }
    return frameCapability(kernel, owner, c.frame?.mappedAt, rights, path);
}

/** A capability to a page another component has (from its image or memory), not yet mapped anywhere else. */
function sharedFrameCapability(kernel: Kernel, other: BuiltComponent, mappedAt: number, rights: number, path: string): FrameCapability {
    const mapping = other.vspace.space.lookup(mappedAt >>> PAGE_SHIFT);
    if (mappedAt % PAGE_SIZE !== 0 || !mapping || mapping.device) {
        throw new ManifestError(`${path}.frame.mappedAt`, `no page of component '${other.manifest.name}' starts at 0x${(mappedAt >>> 0).toString(16)}`);
    }
    return { type: CapType.Frame, object: kernel.adoptFrame(mapping.frame), rights, badge: 0 };
}

function frameCapability(kernel: Kernel, owner: BuiltComponent, mappedAt: number | undefined, rights: number, path: string): FrameCapability {
    if (mappedAt === undefined) {
        const frame = kernel.createFrame();
        if (!frame) throw new ManifestError('machine.ramBytes', `not enough RAM for ${path}`);
        return { type: CapType.Frame, object: frame, rights, badge: 0 };
    }
    const vpn = mappedAt >>> PAGE_SHIFT;
    const mapping = owner.vspace.space.lookup(vpn);
    if (mappedAt % PAGE_SIZE !== 0 || !mapping || owner.vspace.backing.get(vpn)?.kind !== 'boot') {
        throw new ManifestError(`${path}.frame.mappedAt`, `no page of the component's own memory starts at 0x${(mappedAt >>> 0).toString(16)}`);
    }
    const frame = kernel.adoptFrame(mapping.frame);
    const cap: FrameCapability = { type: CapType.Frame, object: frame, rights, badge: 0, mappedIn: owner.vspace, mappedAt: mappedAt >>> 0 };
    owner.vspace.backing.set(vpn, { kind: 'cap', cap });
    return cap;
}

/** The personality a manifest names (parseManifest has checked it is one). */
function manifestPersonality(manifest: BootManifest): KernelPersonalityName | undefined {
    const name = manifest.kernel;
    return name !== undefined && isKernelPersonality(name) ? name : undefined;
}
