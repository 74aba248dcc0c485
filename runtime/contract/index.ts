/**
 * The contract between the compiler (src/) and the runtime (runtime/kernel, runtime/trace), in the spirit
 * of seL4's libsel4: what both sides must agree on, and nothing of either side's implementation. It
 * imports nothing outside this folder; both sides import it, and neither imports the other.
 *
 * - abi.ts, errors.ts: the system-call ABI (registers, call numbers, message info, IPC buffer, rights,
 *   object invocations, faults) and the kernel's error codes. Constants first, so that the bundler
 *   inlines them into the kernel's IPC fastpath (docs/ARCHITECTURE.md).
 * - component-slots.ts: the fixed capability slots and addresses of compiled components.
 * - events.ts: the sizes of the kernel's event queues and the client's events notification slot.
 * - manifest.ts: the boot manifest's schema and the defaults the kernel fills in.
 * - message-layout.ts, message-words.ts, union-values.ts: what a laid-out message is, and how a placed value
 *   (a union's among them) is read back.
 * - trace-map.ts: what the compiler tells the trace about a system.
 * - floats.ts: f32/f64 bit patterns and the one format `print` and the trace write floats in.
 * - personalities.ts: the kernel personalities' names (the IPC models a run may choose).
 */
export * from './abi.js';
export * from './errors.js';
export * from './component-slots.js';
export * from './events.js';
export * from './manifest.js';
export * from './message-layout.js';
export * from './message-words.js';
export * from './union-values.js';
export * from './personalities.js';
export * from './floats.js';
export type { TraceMap } from './trace-map.js';
