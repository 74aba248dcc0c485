/**
 * The microkernel runtime: an seL4-shaped kernel for the emulated machine. `bootSystem` starts a system
 * from a manifest; `Kernel.run` runs it; `KernelEvents` reports what happens; `KernelControl` is the API
 * debuggers and tools drive. The ABI that programs build messages with, the error codes and the manifest's
 * schema are the contract's (runtime/contract), not the kernel's.
 */
export { CycleCost } from './cycle-costs.js';
export { CapType, CAP_TYPE_NAMES, type Capability, type FrameCapability, type ReplyCapability, Slot } from './capability.js';
export { Kernel, DEFAULT_TIME_SLICE, type KernelOptions, type RunResult, type StopReason, type DeviceInstance } from './kernel.js';
export { bootSystem, type BootedSystem, type BootOptions } from './boot.js';
export { parseManifest, ManifestError } from './manifest.js';
export type { KernelEvent, KernelEventListener, IpcEvent, EventRecordEvent, SignalEvent, FaultEvent, ResumeEvent, ScheduleEvent, InterruptEvent, ConsoleEvent, SyscallErrorEvent, PriorityEvent, SyscallEvent } from './events.js';
export {
    KERNEL_PERSONALITIES, DEFAULT_PERSONALITY, isKernelPersonality, type KernelPersonality, type KernelPersonalityName, type NotableEvents, type PersonalityFigures, type PersonalitySettings
} from './personality.js';
export { DEFAULT_MESSAGE_BUFFERS } from '../contract/index.js';
export { waitForGraph, type WaitForGraph, type WaitForEdge } from './wait-for.js';
export { Thread, ThreadState, THREAD_STATE_NAMES } from './objects/tcb.js';
export { Endpoint } from './objects/endpoint.js';
export { Notification } from './objects/notification.js';
export { Reply } from './objects/reply.js';
export { CNode } from './objects/cnode.js';
export { VSpace } from './objects/vspace.js';
export { KernelControl, ControlError, type ThreadInfo } from './control.js';
export { captureKernel, restoreKernel, type KernelSnapshot } from './snapshot.js';
export { MAX_BADGE } from './invocations.js';
