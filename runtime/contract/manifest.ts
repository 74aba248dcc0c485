/**
 * The boot manifest's schema: what `ukc compile` emits and the runtime starts (format `ukc-manifest/1`,
 * documented in docs/ABI.md). It lists devices, endpoints and notifications, and components — each with
 * its program image, its threads, extra memory, and the capabilities it starts with. The defaults below
 * are what the kernel's boot fills in where a manifest leaves a field out; compiled code relies on them.
 * Checking a manifest read from JSON is the runtime's job (runtime/kernel/manifest.ts).
 */

export const MANIFEST_FORMAT = 'ukc-manifest/1';

/** Slots in a component's CNode when the manifest gives no `cnodeSize`. */
export const DEFAULT_CNODE_SIZE = 256;
/** The first thread's stack top; each later thread of a component gets one STACK_SPACING lower. */
export const DEFAULT_STACK_TOP = 0x7fff_0000;
export const STACK_SPACING = 0x1_0000;
export const DEFAULT_STACK_PAGES = 4;
/** The first thread's IPC buffer; each later thread's is a page higher. */
export const DEFAULT_IPC_BUFFER_BASE = 0x7000_0000;

export type DeviceKind = 'uart' | 'timer' | 'block';

export interface DeviceManifest {
    readonly name: string;
    readonly kind: DeviceKind;
    /** Interrupt line 1..63. */
    readonly irq?: number;
    /** Block devices: capacity in 512-byte sectors (RAM-backed, zeroed). */
    readonly sectors?: number;
}

export interface ObjectManifest {
    readonly name: string;
    readonly kind: 'endpoint' | 'notification';
}

export interface ThreadManifest {
    readonly name: string;
    /** A symbol of the image, or an address; default: the image's entry point. */
    readonly entry?: string | number;
    readonly priority: number;
    /**
     * The maximum controlled priority: the highest priority (or MCP) the thread may give itself or any
     * thread it holds a TCB capability to. Default: its priority.
     */
    readonly mcp?: number;
    /** Default: 0x7fff_0000 minus 64 KiB per earlier thread of the component. */
    readonly stackTop?: number;
    /** Default: 4 pages. */
    readonly stackPages?: number;
    /** Default: a page of its own at 0x7000_0000 plus one page per earlier thread. */
    readonly ipcBuffer?: number;
    /** Slot of an endpoint capability in the component's CNode; faults go there. */
    readonly faultEndpoint?: number;
    /** false leaves the thread inactive until someone resumes it. Default true. */
    readonly start?: boolean;
}

export interface MemoryManifest {
    readonly vaddr: number;
    readonly pages: number;
    readonly permissions: string;
    /** Initial 32-bit words from `vaddr` on (boot-time configuration); the rest is zero. */
    readonly words?: readonly number[];
}

/** Exactly one of the object fields is present. */
export interface CapManifest {
    readonly slot: number;
    /** Any of "r", "w", "g"; default all three. */
    readonly rights?: string;
    readonly badge?: number;
    readonly endpoint?: string;
    readonly notification?: string;
    /** "component" (its first thread) or "component.thread". */
    readonly tcb?: string;
    /** A component's CNode. */
    readonly cnode?: string;
    /** A component's address space. */
    readonly vspace?: string;
    /**
     * A frame: `mappedAt` names a page already mapped in this component (image, memory) — or in component
     * `of`, to share one of its pages (how a supervisor reaches the state it restores); else a fresh frame.
     */
    readonly frame?: { readonly mappedAt?: number; readonly of?: string };
    /** A device's register frame, mapped at `mapAt` when given. */
    readonly device?: string;
    readonly mapAt?: number;
    /** The IRQ handler of a device's interrupt line. */
    readonly irq?: string;
}

export interface ComponentManifest {
    readonly name: string;
    /** The key of its program image in the images given to boot. */
    readonly image: string;
    /** Slots in its CNode (capability pointers 1..size-1); default 256. */
    readonly cnodeSize?: number;
    readonly threads: readonly ThreadManifest[];
    readonly memory?: readonly MemoryManifest[];
    readonly caps?: readonly CapManifest[];
}

/**
 * An event queue (docs/ABI.md, "Events"): the records the server behind `endpoint` emits reach the client
 * connection whose capability to it has `badge`; each arrival signals `bit` of `notification`, which the
 * client (component `client`) waits on.
 */
export interface EventQueueManifest {
    readonly endpoint: string;
    readonly badge: number;
    readonly client: string;
    readonly notification: string;
    readonly bit: number;
}

export interface BootManifest {
    readonly format: typeof MANIFEST_FORMAT;
    /** The kernel personality the system runs under unless the run says otherwise (a `kernel:` line); seL4's when absent. */
    readonly kernel?: string;
    readonly machine?: { readonly ramBytes?: number; readonly timeSlice?: number };
    readonly devices?: readonly DeviceManifest[];
    readonly objects?: readonly ObjectManifest[];
    readonly components: readonly ComponentManifest[];
    readonly eventQueues?: readonly EventQueueManifest[];
}
