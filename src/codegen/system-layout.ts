/**
 * How a compiled component finds its kernel resources: fixed capability slots and addresses that the
 * code generator and the boot manifest it writes agree on (docs/ABI.md, "Compiled components").
 */
import type { AstNode } from 'langium';
import { isDevicePort, isHandler, isInterruptPort, isNotificationPort, isUsesPort, type Port } from '../language/generated/ast.js';
import { DEFAULT_IPC_BUFFER_BASE } from '../../runtime/kernel/boot.js';
import { MAX_LABEL } from '../../runtime/kernel/abi.js';

/** A server's own endpoint (read right): it receives its requests here. */
export const OWN_ENDPOINT_SLOT = 1;
/** The component's own thread, so that a program can suspend itself when `main` returns. */
export const OWN_TCB_SLOT = 2;
/** The first port (`uses`, `notification`, `device`, `interrupt`); ports follow in declaration order. */
export const FIRST_PORT_SLOT = 3;
/** The main thread's IPC buffer (the manifest's default). */
export const IPC_BUFFER = DEFAULT_IPC_BUFFER_BASE;
/** The reply label for a request whose label names no method of the interface. */
export const UNKNOWN_METHOD_LABEL = MAX_LABEL;
/** The reply label for a request whose bulk data is out of bounds (a length beyond the buffer or region). */
export const BAD_BULK_LABEL = MAX_LABEL - 1;
/** Device ports' register pages: port i of a component at DEVICE_WINDOW + i pages. */
export const DEVICE_WINDOW = 0x5000_0000;
/** A component with interrupt ports: the notification its thread is bound to (read right), for binding. */
export const EVENTS_SLOT = 254;
/** Per interrupt port i, the events notification badged with bit i, given to the port's IRQ handler. */
export const FIRST_INTERRUPT_SIGNAL_SLOT = 200;
/**
 * Shared regions (bulk data `shared` with a server): a server keeps one region per connected client at
 * SHARED_REGIONS + i x region size, and a table at SHARED_TABLE: [count, badge of client 0, badge of client
 * 1, ...], so that a request's badge finds its region. A client maps its region at its port's window.
 */
export const SHARED_TABLE = 0x5f00_0000;
export const SHARED_REGIONS = 0x6000_0000;
export const CLIENT_SHARED_WINDOW = 0x6800_0000;
export const CLIENT_SHARED_FIRST_SLOT = 100;
/**
 * Leases (bulk data `lease`): the client's frame arrives as a capability in LEASE_SLOT (+ cap index), the
 * dispatch loop maps it at LEASE_WINDOW for the handler, then unmaps and deletes it before replying —
 * using the server's capabilities to its own address space and CNode.
 */
export const LEASE_SLOT = 240;
export const LEASE_WINDOW = 0x5800_0000;
/**
 * A client's lease staging page: byte buffers passed as `lease` are copied here, and the stub sends a
 * copy of this page's frame capability (slot CLIENT_LEASE_SLOT) for the server to map during the call.
 */
export const CLIENT_LEASE_SLOT = 243;
export const CLIENT_LEASE_WINDOW = 0x5900_0000;
export const OWN_CNODE_SLOT = 252;
/**
 * Capabilities that arrive as values (`endpoint<I>` and `notification` parameters and results) land in
 * consecutive slots from here; a component that accepts them has a CNode of RECEIVING_CNODE_SIZE slots,
 * so it can hold RECEIVING_CNODE_SIZE - RECEIVED_CAPS_FIRST_SLOT of them over its life.
 */
export const RECEIVED_CAPS_FIRST_SLOT = 256;
export const RECEIVING_CNODE_SIZE = 1024;
export const OWN_VSPACE_SLOT = 253;
/** Where code starts; read-only data and data follow, each on its own pages. */
export const TEXT_BASE = 0x1_0000;

/** A component's ports in declaration order: port i has capability slot FIRST_PORT_SLOT + i. */
export function portsOf(component: { readonly members: readonly AstNode[] }): Port[] {
    return component.members.filter((member): member is Port => isUsesPort(member) || isNotificationPort(member) || isDevicePort(member) || isInterruptPort(member));
}

/** The address a device port's register page is mapped at in its component. */
export function deviceWindow(component: { readonly members: readonly AstNode[] }, port: Port): number {
    return DEVICE_WINDOW + 0x1000 * portsOf(component).indexOf(port);
}

/** The bundled machine's device model for a device type, by its name (docs/LANGUAGE.md, "Systems"). */
export function deviceModel(typeName: string): 'uart' | 'timer' | 'block' | undefined {
    const name = typeName.toLowerCase();
    if (name.includes('16550') || name.includes('uart')) return 'uart';
    if (name.includes('timer')) return 'timer';
    if (name.includes('block') || name.includes('disk')) return 'block';
    return undefined;
}

/** A component's interrupt ports in declaration order: port i signals bit i of its events notification. */
export function interruptPorts(component: { readonly members: readonly AstNode[] }): Port[] {
    return portsOf(component).filter(isInterruptPort);
}

/** Bits of the events notification word each merged notification port has (its lane). */
export const EVENT_LANE_BITS = 8;

/**
 * A server's notification ports that have `on notification` handlers, when they share the events
 * notification (a thread can be bound to one notification only): that is when the server has more than
 * one event handler. Lane k (1, 2, 3) is bits 8k..8k+7 of the word; lane 0 holds the interrupts. Sources
 * signal their bits shifted into the lane, and the handler gets them shifted back. Undefined when the
 * server binds a single handled port's own notification, or has no such handler.
 */
export function notificationLanes(component: { readonly members: readonly AstNode[] }): Map<Port, number> | undefined {
    const handled = component.members.filter(isHandler).flatMap(handler => {
        const port = handler.event === 'notification' ? handler.port?.ref : undefined;
        return port && isNotificationPort(port) ? [port] : [];
    });
    if (handled.length === 0 || (handled.length === 1 && interruptPorts(component).length === 0)) return undefined;
    return new Map(handled.map((port, i) => [port, i + 1]));
}
