/**
 * How a compiled component finds its kernel resources: the fixed capability slots and addresses that the
 * code generator compiles into its programs and writes into the boot manifest (docs/ABI.md, "Compiled
 * components"). A port's slot is FIRST_PORT_SLOT plus its index among the component's ports, in
 * declaration order (src/codegen/system-layout.ts finds the ports). Nothing on the kernel's hot paths
 * reads these, so this module may start with imports (which keeps the bundler from inlining them).
 */
import { MAX_EXTRA_CAPS, MAX_LABEL } from './abi.js';
import { DEFAULT_IPC_BUFFER_BASE } from './manifest.js';

// ------------------------------------------------------------ every compiled component

/** A server's own endpoint (read right): it receives its requests here. */
export const OWN_ENDPOINT_SLOT = 1;
/** The component's own thread, so that a program can suspend itself when `main` returns. */
export const OWN_TCB_SLOT = 2;
/** The first port (`uses`, `notification`, `device`, `interrupt`); ports follow in declaration order. */
export const FIRST_PORT_SLOT = 3;
/**
 * Shared regions (bulk data `shared` with a server): a client's capability to its region with server
 * port i is in slot CLIENT_SHARED_FIRST_SLOT + i.
 */
export const CLIENT_SHARED_FIRST_SLOT = 100;
/** Per interrupt port i, the events notification badged with bit i, given to the port's IRQ handler. */
export const FIRST_INTERRUPT_SIGNAL_SLOT = 200;
/**
 * Deferred replies (`pending = defer`): state variable k of a `reply<I.m>` type (k in declaration order
 * among them) keeps its caller's saved reply capability in slot SAVED_REPLY_FIRST_SLOT + k (CNodeSaveCaller),
 * up to SAVED_REPLY_SLOTS of them; the interrupt signals (at most eight) end below it.
 */
export const SAVED_REPLY_FIRST_SLOT = 208;
export const SAVED_REPLY_SLOTS = 32;
/**
 * Leases (bulk data `lease`): each is one page, one of the message's extra capabilities, so a message
 * carries at most MAX_LEASES of them. Lease k (k-th in order of appearance) arrives as a capability in
 * LEASE_SLOT + k; the dispatch loop maps it at leaseWindow(k) for the handler, then unmaps and deletes it
 * before replying — using the server's capabilities to its own address space and CNode.
 */
export const LEASE_SLOT = 240;
export const MAX_LEASES = MAX_EXTRA_CAPS;
/** A client's lease staging pages' frame capabilities, page k in CLIENT_LEASE_SLOT + k (the stub sends copies during the call). */
export const CLIENT_LEASE_SLOT = 243;
export const OWN_CNODE_SLOT = 252;
export const OWN_VSPACE_SLOT = 253;
/** A component with interrupt ports: the notification its thread is bound to (read right), for binding. */
export const EVENTS_SLOT = 254;
/** A supervised component: the supervisor's fault endpoint, badged with the instance's number (1, 2, ...). */
export const FAULT_ENDPOINT_SLOT = 255;
/**
 * Capabilities that arrive as values (`endpoint<I>` and `notification` parameters and results) land in
 * consecutive slots from here; a component that accepts them has a CNode of RECEIVING_CNODE_SIZE slots,
 * so it can hold RECEIVING_CNODE_SIZE - RECEIVED_CAPS_FIRST_SLOT of them over its life.
 */
export const RECEIVED_CAPS_FIRST_SLOT = 256;
export const RECEIVING_CNODE_SIZE = 1024;

// ------------------------------------------------------------ addresses

/** The main thread's IPC buffer (the manifest's default). */
export const IPC_BUFFER = DEFAULT_IPC_BUFFER_BASE;
/** Where code starts; read-only data and data follow, each on its own pages. */
export const TEXT_BASE = 0x1_0000;
/** Device ports' register pages: port i of a component at DEVICE_WINDOW + i pages. */
export const DEVICE_WINDOW = 0x5000_0000;
export const LEASE_WINDOW = 0x5800_0000;
/** A client's lease staging pages: the byte buffer passed as lease k of a call is copied to page k. */
export const CLIENT_LEASE_WINDOW = 0x5900_0000;
const LEASE_PAGE_BYTES = 4096;

/** Where a server's handler finds lease k of a request. */
export function leaseWindow(lease: number): number {
    return LEASE_WINDOW + LEASE_PAGE_BYTES * lease;
}

/** Where a client stages the bytes of lease k of a call. */
export function clientLeaseWindow(lease: number): number {
    return CLIENT_LEASE_WINDOW + LEASE_PAGE_BYTES * lease;
}
/**
 * A server keeps one shared region per connected client at SHARED_REGIONS + i x region size, and a table
 * at SHARED_TABLE: [count, badge of client 0, badge of client 1, ...], so that a request's badge finds its
 * region. A client maps its region at its port's window from CLIENT_SHARED_WINDOW.
 */
export const SHARED_TABLE = 0x5f00_0000;
export const SHARED_REGIONS = 0x6000_0000;
export const CLIENT_SHARED_WINDOW = 0x6800_0000;

// ------------------------------------------------------------ labels and words compiled servers use

/** The reply label for a request whose label names no method of the interface. */
export const UNKNOWN_METHOD_LABEL = MAX_LABEL;
/** The reply label for a request whose bulk data is out of bounds (a length beyond the buffer or region). */
export const BAD_BULK_LABEL = UNKNOWN_METHOD_LABEL - 1;
/** Bits of the events notification word each merged notification port has (its lane). */
export const EVENT_LANE_BITS = 8;

// ------------------------------------------------------------ the supervisor component

/** Its fault endpoint (read right), where every supervised instance's faults arrive. */
export const SUPERVISOR_FAULTS_SLOT = 1;
/** Instance i's thread is in slot SUPERVISOR_FIRST_TCB_SLOT + i. */
export const SUPERVISOR_FIRST_TCB_SLOT = 10;
/** Instance i's data pages are in slots SUPERVISOR_FIRST_FRAME_SLOT + SUPERVISOR_FRAMES_PER_INSTANCE x i and on. */
export const SUPERVISOR_FIRST_FRAME_SLOT = 100;
export const SUPERVISOR_FRAMES_PER_INSTANCE = 64;
/** Where the supervised instances' data pages appear in the supervisor: 1 MiB apart. */
export const SUPERVISOR_WINDOW_BASE = 0x4000_0000;
export const SUPERVISOR_WINDOW_SPACING = 0x10_0000;
