/**
 * Compiles a `system` into a bootable image: one ELF32 per component type (with symbols), and the boot
 * manifest the kernel starts (runtime/kernel/manifest.ts) — an endpoint per server instance, and for every
 * instance a component with its thread, priority and exactly the capabilities its connections grant, badged
 * per connection. Also returns each component's assembly, line table and stubs for `--asm`, the debugger
 * and bench:stubs.
 */
import { AstUtils, type AstNode } from 'langium';
import {
    isDeviceInstance, isDevicePort, isHandler, isInstance, isInterruptPort, isKernelSetting, isNotificationPort, isServerDecl,
    isUsesPort, type Connection, type Instance, type InterfaceDecl, type ProgramDecl, type ServerDecl,
    type Supervision, type SystemDecl, type InterfaceLayouts, type UkTypeSystem,
    deviceModel, eventLane, eventPorts, interruptPorts, paramTransfer, notificationLanes, portsOf, replyVariables
} from '../language/index.js';
import { profileOrDefault, type InterfaceLayout } from '../layout/index.js';
import {
    DEFAULT_STACK_PAGES, MANIFEST_FORMAT, CLIENT_SHARED_FIRST_SLOT, CLIENT_SHARED_WINDOW, EVENTS_SLOT,
    FIRST_INTERRUPT_SIGNAL_SLOT, OWN_CNODE_SLOT, OWN_VSPACE_SLOT, SHARED_REGIONS, SHARED_TABLE, FIRST_PORT_SLOT,
    OWN_ENDPOINT_SLOT, OWN_TCB_SLOT, TEXT_BASE, RECEIVING_CNODE_SIZE, CLIENT_LEASE_SLOT, CLIENT_LEASE_WINDOW, clientLeaseWindow,
    EVENT_LANE_BITS, FAULT_ENDPOINT_SLOT, CLIENT_EVENTS_SLOT, type BootManifest, type EventQueueManifest, type CapManifest, type ComponentManifest,
    type DeviceManifest, type MemoryManifest, type TraceMap
} from '../../runtime/contract/index.js';
import { assemble } from '../../runtime/machine/index.js';
import { compileComponent, position, type CodegenProblem, type CompiledComponent } from './component.js';
import { writeElf, type ImageSection, type ImageSymbol } from './image/elf-writer.js';
import { FAILED_SERVER_ENTRY } from './ipc/message-code.js';
import { SUPERVISOR_ENDPOINT, SUPERVISOR_NAME, planSupervisor, type SupervisedInstance } from './supervisor.js';
import type { SourcePosition } from './ir.js';
import { deviceWindow } from './system-layout.js';
import type { LocalInfo, StateInfo } from './debug-info.js';

export const DEFAULT_PRIORITY = 100;

export interface LineTableEntry {
    readonly address: number;
    readonly position: SourcePosition;
}

export interface CompiledImage {
    readonly component: string;
    /** The ELF file's name in the image directory. */
    readonly file: string;
    readonly elf: Uint8Array;
    readonly assembly: string;
    /** Sorted by address: each statement's first instruction. */
    readonly lineTable: readonly LineTableEntry[];
    readonly symbols: readonly ImageSymbol[];
    /** Functions and their locals (empty for generated components such as the supervisor). */
    readonly compiled: CompiledComponent;
    /** Functions with where each local lives over which addresses (`to` exclusive), for debuggers. */
    readonly variables: readonly VariableInfo[];
    /** State variables with their addresses and types, for debuggers. */
    readonly state: readonly StateInfo[];
    readonly sections: readonly ImageSection[];
    readonly entry: number;
}

export interface VariableInfo {
    readonly function: string;
    readonly address: number;
    readonly locals: readonly LocalInfo[];
}

export interface CompiledSystem {
    readonly manifest: BootManifest;
    readonly images: readonly CompiledImage[];
    /** Which interface each endpoint serves, for the typed trace (runtime/trace). */
    readonly trace: TraceMap;
}

type Component = ServerDecl | ProgramDecl;

function endpointName(instance: Instance): string {
    return `${instance.name}.endpoint`;
}

/** The machine's RAM, as the boot manifest leaves it (runtime/kernel: 16 MiB). */
const MACHINE_RAM = 16 << 20;

/**
 * What the bundled machine cannot hold is a diagnostic, not a boot failure: a function whose frame is
 * larger than its instance's stack, a component with more ports than capability slots for them, a system
 * whose images, stacks, buffers and regions need more RAM than the machine has.
 */
function machineLimits(system: SystemDecl, components: readonly ComponentManifest[], images: readonly CompiledImage[]): CodegenProblem[] {
    const problems: CodegenProblem[] = [];
    const byFile = new Map(images.map(image => [image.file, image]));
    let pages = 0;
    for (const component of components) {
        const image = byFile.get(component.image);
        const instance = system.items.find((item): item is Instance => isInstance(item) && item.name === component.name);
        const stackPages = component.threads[0]?.stackPages ?? DEFAULT_STACK_PAGES;
        const deepest = [...(image?.compiled.functions ?? [])].sort((a, b) => b.frameSize - a.frameSize)[0];
        if (instance && deepest && deepest.frameSize > stackPages * 4096) {
            problems.push({
                node: instance,
                message: `'${deepest.symbol}' needs a ${deepest.frameSize}-byte stack frame, more than the ${stackPages * 4096}-byte stack of instance '${component.name}'; give it a larger 'stack'.`
            });
        }
        pages += (image?.sections ?? []).reduce((sum, section) => sum + Math.ceil(section.bytes.length / 4096), 0);
        pages += stackPages + 1 + (component.memory ?? []).reduce((sum, region) => sum + region.pages, 0);
    }
    if (pages * 4096 > MACHINE_RAM) {
        problems.push({ node: system, message: `System '${system.name}' needs ${pages * 4} KiB of RAM; the machine has ${MACHINE_RAM >> 10} KiB.` });
    }
    return problems;
}

/** Whether an interface has methods with leased buffers. */
function hasLeases(iface: InterfaceDecl, types: UkTypeSystem): boolean {
    return iface.methods.some(method => method.params.some(param => paramTransfer(param, types) === 'lease'));
}

/**
 * Whether an interface's messages carry capabilities (leases, `endpoint<I>` or `notification` values, also
 * inside structs and arrays, either way): its clients' capabilities then need the grant right, which the
 * kernel checks for both directions. Read from the layout, which counts every capability a message carries.
 */
function carriesCapabilities(layout: InterfaceLayout): boolean {
    return layout.methods.some(method => [method.request, method.reply].some(message => (message?.caps.length ?? 0) > 0));
}

/** The notification interrupts, shared notification ports and event queues reach a server through (bound to its thread). */
function eventsName(instance: Instance): string {
    return `${instance.name}.events`;
}

/** The notification a client's event queues signal (docs/ABI.md, "Events"). */
function clientEventsName(instance: Instance): string {
    return `${instance.name}.client-events`;
}

/** The notification a `notification` port waits on, named after the waiting instance and port. */
function notificationName(instance: string, port: string): string {
    return `${instance}.${port}`;
}

/**
 * `layouts` is the language services' layout cache (`services.layout.InterfaceLayouts`), so that stubs,
 * dispatch code and the trace map use the very layouts the checks saw.
 */
export function compileSystem(system: SystemDecl, types: UkTypeSystem, layouts: InterfaceLayouts): { system?: CompiledSystem; problems: CodegenProblem[] } {
    const result = compileSystemUnsorted(system, types, layouts);
    return { system: result.system, problems: tidy(result.problems) };
}

/**
 * One problem per node (the first found: later ones are usually consequences of it), in source order:
 * by file, then offset.
 */
function tidy(problems: readonly CodegenProblem[]): CodegenProblem[] {
    const seen = new Set<AstNode>();
    const unique = problems.filter(problem => {
        if (seen.has(problem.node)) return false;
        seen.add(problem.node);
        return true;
    });
    const key = (problem: CodegenProblem) => AstUtils.getDocument(problem.node).uri.toString();
    return unique.sort((a, b) => key(a).localeCompare(key(b)) || (a.node.$cstNode?.offset ?? 0) - (b.node.$cstNode?.offset ?? 0));
}

function compileSystemUnsorted(system: SystemDecl, types: UkTypeSystem, layouts: InterfaceLayouts): { system?: CompiledSystem; problems: CodegenProblem[] } {
    const profile = profileOrDefault('ukvm32');
    const problems: CodegenProblem[] = [];
    const instances = system.items.filter(isInstance);
    const devices: DeviceManifest[] = [];
    for (const device of system.items.filter(isDeviceInstance)) {
        const model = deviceModel(device.device?.ref?.name ?? '');
        // The checker refuses a device type the machine has no model for (compile-limit-checks.ts).
        if (!model) continue;
        const irq = device.properties.find(property => property.name === 'irq');
        const line = irq ? types.evaluate(irq.value) : undefined;
        devices.push({ name: device.name, kind: model, irq: line?.ok ? Number(line.value) : undefined });
    }
    const supervisions = system.items.filter((item): item is Supervision => item.$type === 'Supervision');
    const connections = system.items.filter((item): item is Connection => item.$type === 'Connection');

    const images = new Map<Component, CompiledImage>();
    const acceptsCaps = new Set<Component>();
    /** Components that send leases, with the most one call passes (their staging pages). */
    const sendsLeases = new Map<Component, number>();
    for (const instance of instances) {
        const component = instance.component?.ref;
        if (!component || images.has(component)) continue;
        const { compiled, problems: componentProblems } = compileComponent(component, types, layouts, profile);
        problems.push(...componentProblems);
        if (componentProblems.length > 0) continue;
        const image = link(compiled, component, problems);
        if (image) images.set(component, image);
        if (compiled.acceptsCaps) acceptsCaps.add(component);
        if (compiled.sendsLeases) sendsLeases.set(component, compiled.sendsLeases);
    }
    if (problems.length > 0) return { problems };

    const notifications: string[] = [];
    const eventQueues: EventQueueManifest[] = [];
    const components: ComponentManifest[] = instances.map(instance => {
        const component = instance.component?.ref as Component;
        const caps: CapManifest[] = [{ slot: OWN_TCB_SLOT, tcb: instance.name }];
        if (isServerDecl(component)) caps.push({ slot: OWN_ENDPOINT_SLOT, endpoint: endpointName(instance), rights: 'r' });
        const serverInterface = isServerDecl(component) ? component.interface?.ref : undefined;
        if (serverInterface && hasLeases(serverInterface, types)) {
            // Leased pages arrive as capabilities: the server maps them itself, then deletes them.
            caps.push({ slot: OWN_VSPACE_SLOT, vspace: instance.name }, { slot: OWN_CNODE_SLOT, cnode: instance.name });
        } else if (replyVariables(component).length > 0) {
            // Deferred replies: the server saves callers into its own CNode and deletes them from it.
            caps.push({ slot: OWN_CNODE_SLOT, cnode: instance.name });
        }
        portsOf(component).forEach((port, i) => {
            const slot = FIRST_PORT_SLOT + i;
            const outgoing = connections.find(candidate => candidate.source?.instance?.ref === instance && candidate.source.port?.ref === port);
            const badge = outgoing?.badge ? types.evaluate(outgoing.badge) : undefined;
            const badgeValue = badge?.ok ? Number(badge.value) : undefined;
            const target = outgoing?.target?.ref;
            if (isUsesPort(port)) {
                // The grant right lets capabilities (a lease's pages among them) travel with the messages.
                const targetType = isInstance(target) ? target.component?.ref : undefined;
                const targetInterface = isServerDecl(targetType) ? targetType.interface?.ref : undefined;
                const rights = targetInterface && carriesCapabilities(layouts.layoutOf(targetInterface, profile).layout) ? 'wg' : 'w';
                if (outgoing && isInstance(target)) caps.push({ slot, endpoint: endpointName(target), rights, badge: badgeValue });
            } else if (isNotificationPort(port)) {
                // The notification belongs to the waiting side; a source holds a badged copy to signal with.
                // A port that is no connection's source is a waiting side, connected or not: the program may
                // hand it to a server as a value (`subscribe(done)`), whose copy must be able to signal, and
                // signals bit 0 (the badge of the owner's capability, which copies inherit).
                // A port in a lane of its server's events notification (notificationLanes) has no notification
                // of its own: sources signal the events notification with their bits shifted into the lane.
                const targetPort = outgoing?.targetPort?.ref;
                const targetComponent = isInstance(target) ? target.component?.ref : undefined;
                const targetLane = targetPort && targetComponent ? notificationLanes(targetComponent)?.get(targetPort) : undefined;
                const ownLane = notificationLanes(component)?.get(port);
                if (outgoing && isInstance(target) && targetPort && targetLane !== undefined) {
                    caps.push({ slot, notification: eventsName(target), rights: 'w', badge: ((badgeValue ?? 1) << (EVENT_LANE_BITS * targetLane)) >>> 0 });
                } else if (outgoing && isInstance(target) && targetPort) {
                    caps.push({ slot, notification: notificationName(target.name, targetPort.name), rights: 'w', badge: badgeValue });
                } else if (!outgoing && ownLane !== undefined) {
                    caps.push({ slot, notification: eventsName(instance), rights: 'w', badge: (1 << (EVENT_LANE_BITS * ownLane)) >>> 0 });
                } else if (!outgoing) {
                    caps.push({ slot, notification: notificationName(instance.name, port.name), rights: 'rw', badge: 1 });
                    notifications.push(notificationName(instance.name, port.name));
                }
            } else if (isDevicePort(port)) {
                if (outgoing && isDeviceInstance(target)) caps.push({ slot, device: target.name, mapAt: deviceWindow(component, port), rights: 'rw' });
            } else if (isInterruptPort(port) && outgoing && isDeviceInstance(target)) {
                // The line's handler, and the component's events notification badged with this port's bit.
                const bit = interruptPorts(component).indexOf(port);
                caps.push({ slot, irq: target.name });
                caps.push({ slot: FIRST_INTERRUPT_SIGNAL_SLOT + bit, notification: eventsName(instance), rights: 'w', badge: 1 << bit });
            }
        });
        // Shared regions: a server keeps one per connected client and a table of their badges.
        const iface = isServerDecl(component) ? component.interface?.ref : undefined;
        const regionBytes = iface ? layouts.layoutOf(iface, profile).layout.sharedRegionBytes : 0;
        const memory: MemoryManifest[] = [];
        if (regionBytes > 0) {
            const clients = connections.filter(connection => connection.target?.ref === instance && isUsesPort(connection.source?.port?.ref));
            const badges = clients.map(connection => (connection.badge ? types.evaluate(connection.badge) : undefined)).map(badge => (badge?.ok ? Number(badge.value) : 0));
            memory.push({ vaddr: SHARED_TABLE, pages: 1, permissions: 'r', words: [clients.length, ...badges] });
            clients.forEach((_, i) => memory.push({ vaddr: SHARED_REGIONS + i * regionBytes, pages: regionBytes / 4096, permissions: 'rw' }));
        }
        portsOf(component).forEach((port, i) => {
            const outgoing = connections.find(candidate => candidate.source?.instance?.ref === instance && candidate.source.port?.ref === port);
            const server = outgoing?.target?.ref;
            const serverType = isInstance(server) ? server.component?.ref : undefined;
            const serverInterface = isServerDecl(serverType) ? serverType.interface?.ref : undefined;
            const bytes = serverInterface ? layouts.layoutOf(serverInterface, profile).layout.sharedRegionBytes : 0;
            if (!isUsesPort(port) || !isInstance(server) || bytes === 0) return;
            const index = connections.filter(connection => connection.target?.ref === server && isUsesPort(connection.source?.port?.ref)).indexOf(outgoing as Connection);
            for (let page = 0; page < bytes / 4096; page++) {
                caps.push({
                    slot: CLIENT_SHARED_FIRST_SLOT + 16 * i + page, frame: { of: server.name, mappedAt: SHARED_REGIONS + index * bytes + page * 4096 },
                    mapAt: CLIENT_SHARED_WINDOW + 0x10_0000 * i + page * 4096, rights: 'rw'
                });
            }
        });
        const stagingPages = sendsLeases.get(component) ?? 0;
        if (stagingPages > 0) {
            // The lease staging pages, one per lease of a call: the component's own, and capabilities to
            // their frames to send copies of.
            memory.push({ vaddr: CLIENT_LEASE_WINDOW, pages: stagingPages, permissions: 'rw' });
            for (let k = 0; k < stagingPages; k++) {
                caps.push({ slot: CLIENT_LEASE_SLOT + k, frame: { of: instance.name, mappedAt: clientLeaseWindow(k) }, rights: 'rw' });
            }
        }
        // Events: a queue per `uses` port the component handles events of, all signalling one notification:
        // a program's own (port k: bit k), or a server's events notification (port k: bit k of its events
        // lane), which is bound to its thread so that a record ends its receive.
        const subscribed = eventPorts(component);
        const lane = isServerDecl(component) ? eventLane(component) : undefined;
        if (subscribed.length > 0 && lane === undefined) {
            caps.push({ slot: CLIENT_EVENTS_SLOT, notification: clientEventsName(instance), rights: 'r' });
            notifications.push(clientEventsName(instance));
        }
        subscribed.forEach((port, k) => {
            const outgoing = connections.find(candidate => candidate.source?.instance?.ref === instance && candidate.source.port?.ref === port);
            const server = outgoing?.target?.ref;
            const badge = outgoing?.badge ? types.evaluate(outgoing.badge) : undefined;
            const notification = lane === undefined ? clientEventsName(instance) : eventsName(instance);
            const bit = lane === undefined ? k : EVENT_LANE_BITS * lane + k;
            if (isInstance(server)) eventQueues.push({ endpoint: endpointName(server), badge: badge?.ok ? Number(badge.value) : 0, client: instance.name, notification, bit });
        });
        if (interruptPorts(component).length > 0 || notificationLanes(component) !== undefined || lane !== undefined) {
            caps.push({ slot: EVENTS_SLOT, notification: eventsName(instance), rights: 'r' });
            notifications.push(eventsName(instance));
        }
        const priority = instance.properties.find(property => property.name === 'priority');
        const priorityValue = priority ? types.evaluate(priority.value) : undefined;
        const stack = instance.properties.find(property => property.name === 'stack');
        const stackValue = stack ? types.evaluate(stack.value) : undefined;
        return {
            name: instance.name,
            image: (images.get(component) as CompiledImage).file,
            cnodeSize: acceptsCaps.has(component) ? RECEIVING_CNODE_SIZE : undefined,
            threads: [{
                name: instance.name,
                priority: priorityValue?.ok ? Number(priorityValue.value) : DEFAULT_PRIORITY,
                stackPages: stackValue?.ok ? Math.ceil(Number(stackValue.value) / 4096) : undefined
            }],
            memory: memory.length > 0 ? memory : undefined,
            caps: caps.sort((a, b) => a.slot - b.slot)
        };
    });
    if (problems.length > 0) return { problems };
    const objects: { name: string; kind: 'endpoint' | 'notification' }[] = [
        ...instances.filter(instance => isServerDecl(instance.component?.ref)).map(instance => ({ name: endpointName(instance), kind: 'endpoint' as const })),
        ...notifications.map(name => ({ name, kind: 'notification' as const }))
    ];
    const allImages = [...images.values()];
    if (supervisions.length > 0) {
        const supervised: SupervisedInstance[] = supervisions.map((supervision, i) => {
            const instance = supervision.target?.ref as Instance;
            const image = images.get(instance.component?.ref as Component) as CompiledImage;
            const limit = types.evaluate(supervision.limit);
            const component = components.find(candidate => candidate.name === instance.name) as ComponentManifest;
            components[components.indexOf(component)] = {
                ...component,
                threads: component.threads.map(thread => ({ ...thread, faultEndpoint: FAULT_ENDPOINT_SLOT })),
                caps: [...(component.caps ?? []), { slot: FAULT_ENDPOINT_SLOT, endpoint: SUPERVISOR_ENDPOINT, rights: 'w', badge: i + 1 }]
            };
            return {
                instance: instance.name, limit: limit.ok ? Number(limit.value) : 0, entry: image.entry,
                failedEntry: image.symbols.find(symbol => symbol.name === FAILED_SERVER_ENTRY)?.value,
                data: image.sections.find(section => section.name === '.data')
            };
        });
        const plan = planSupervisor(supervised);
        const image = link({ name: SUPERVISOR_NAME, assembly: plan.assembly, positions: [], functions: [], state: [], stubs: [] }, system, problems);
        if (!image) return { problems };
        allImages.push(image);
        objects.push({ name: SUPERVISOR_ENDPOINT, kind: 'endpoint' });
        components.push({ name: SUPERVISOR_NAME, image: image.file, threads: [{ name: SUPERVISOR_NAME, priority: 255 }], caps: plan.caps });
    }
    const endpoints: Record<string, TraceMap['endpoints'][string]> = {};
    for (const instance of instances) {
        const component = instance.component?.ref;
        const iface = isServerDecl(component) ? component.interface?.ref : undefined;
        if (!iface) continue;
        const spec = layouts.specOf(iface);
        const order = Object.fromEntries(spec.methods.map(method => [method.name, {
            params: method.params.map(field => field.path),
            // Inline `out` bytes come back in the reply, after the results.
            results: [...method.results, ...method.params.filter(field => field.kind === 'bulk' && field.transfer === 'inline' && field.direction !== 'in')].map(field => field.path),
            ...(method.errors?.payload ? { errors: method.errors.payload.map(field => field.path) } : {})
        }]));
        const handlers = Object.fromEntries((component as ServerDecl).members.filter(isHandler).flatMap(handler => {
            const method = handler.method?.ref;
            if (!method) return [];
            const at = position(handler);
            return [[method.name, `${at.file}:${at.line}:${at.column}`]];
        }));
        const events = spec.events && spec.events.length > 0 ? { events: Object.fromEntries(spec.events.map(event => [event.name, event.params.map(field => field.path)])) } : {};
        endpoints[endpointName(instance)] = { interface: layouts.layoutOf(iface, profile).layout, server: instance.name, order, handlers, ...events };
    }
    problems.push(...machineLimits(system, components, allImages));
    if (problems.length > 0) return { problems };
    const kernel = system.items.find(isKernelSetting)?.personality;
    const manifest: BootManifest = {
        format: MANIFEST_FORMAT, kernel, devices: devices.length > 0 ? devices : undefined, objects, components,
        ...(eventQueues.length > 0 ? { eventQueues } : {})
    };
    return { system: { manifest, images: allImages, trace: { endpoints } }, problems };
}

/** Assembles a component and writes its ELF file; assembler errors are internal errors, reported on the component. */
function link(compiled: CompiledComponent, component: AstNode, problems: CodegenProblem[]): CompiledImage | undefined {
    const assembly = assemble(compiled.assembly, { sectionAddresses: { '.text': TEXT_BASE } });
    if (assembly.errors.length > 0) {
        problems.push({ node: component, message: `Internal error: the generated assembly does not assemble (${assembly.errors[0].message}).` });
        return undefined;
    }
    const text = assembly.sections.find(section => section.name === '.text');
    const symbols: ImageSymbol[] = [];
    for (const [name, value] of assembly.symbols) {
        if (name.startsWith('.L')) continue;
        const section = assembly.sections.find(candidate => value >= candidate.address && value < candidate.address + candidate.bytes.length);
        symbols.push({ name, value, kind: section?.name === '.text' ? 'function' : 'object' });
    }
    const lineTable = compiled.positions
        .map(entry => ({ address: assembly.symbols.get(entry.label) ?? -1, position: entry.position }))
        .filter(entry => entry.address >= 0)
        .sort((a, b) => a.address - b.address);
    const entry = assembly.symbols.get('_start') ?? text?.address ?? TEXT_BASE;
    const elf = writeElf(assembly.sections, entry, symbols);
    // A function ends where the next symbol after it begins, its own block labels (`fn.then3`) aside.
    const variables = compiled.functions.map(fn => {
        const address = assembly.symbols.get(fn.symbol) ?? 0;
        const end = symbols
            .filter(symbol => symbol.kind === 'function' && symbol.value > address && !symbol.name.startsWith(`${fn.symbol}.`))
            .reduce((nearest, symbol) => Math.min(nearest, symbol.value), Number.MAX_SAFE_INTEGER);
        return {
            function: fn.symbol, address,
            locals: fn.locals.map(local => ({
                name: local.name, location: local.location,
                from: assembly.symbols.get(local.from) ?? address,
                to: local.to !== undefined ? assembly.symbols.get(local.to) ?? end : Math.min(end, text ? text.address + text.bytes.length : end),
                ...(local.type ? { type: local.type } : {}), argument: local.argument
            }))
        };
    });
    const state = compiled.state.flatMap(variable => {
        const address = assembly.symbols.get(variable.symbol);
        return address === undefined ? [] : [{ name: variable.name, address, type: variable.type }];
    });
    return { component: compiled.name, file: `${compiled.name}.elf`, elf, assembly: compiled.assembly, lineTable, symbols, compiled, variables, state, sections: assembly.sections, entry };
}
