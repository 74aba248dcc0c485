/**
 * Snapshots of a whole system's deterministic state, and restoring one: the CPU (registers, pc, counters),
 * RAM (by pages shared between snapshots), the MMU's current address space and every space's mappings,
 * the devices (timers, UART input queue, interrupt lines, disks), every kernel object and the scheduler.
 * Running on from a restored snapshot does exactly what running on from the moment it was taken did.
 *
 * Left out: what only makes things fast (decoded and translated code, TLBs, the dispatch table), kept
 * correct instead — restoring names each RAM page it rewrote and the CPU drops code decoded from it, and an
 * address space's generation names one state of its mappings, so a TLB or dispatch entry tagged with a
 * restored generation is true again. Also left out: what a debugger or host owns (breakpoints, pause and
 * step requests, event listeners, console callbacks); after a restore the kernel hands the current space's
 * breakpoints to the CPU again.
 */
import { AddressSpace, Cpu, PhysicalMemory, capturePages, restorePages, type PagedCopy } from '../machine/index.js';
import { Kernel } from './kernel.js';
import { VSpace } from './objects/vspace.js';
import { captureGraph, restoreGraph, type GraphCapture, type GraphRules } from './state-graph.js';

export interface KernelSnapshot {
    /** Instructions retired when it was taken (the CPU's `instret`). */
    readonly instret: number;
    /** Emulated cycles when it was taken. */
    readonly cycle: number;
    readonly graph: GraphCapture;
    readonly ram: PagedCopy;
    /** The address space the MMU translated through. */
    readonly space: AddressSpace;
}

const KERNEL_SKIPPED = new Set([
    // Captured another way, or the host's.
    'memory', 'events', 'consoleOutput', 'consoleDecoder',
    // A debugger's and a run's requests, not the system's state.
    'breakpoints', 'debuggerOwnsEbreak', 'pauseRequested', 'stepping', 'leaveRunAtSyscall', 'runLimit'
]);
const CPU_SKIPPED = new Set([
    'memory', 'mmu', 'translate', 'onEcall', 'breakpointSet', 'watchBreakpoints',
    // Caches of decoded and translated code.
    'decoded', 'blocks', 'blockState', 'dispatchPc', 'dispatchGeneration', 'dispatchBlock'
]);
const MEMORY_SKIPPED = new Set(['bytes', 'view']);
const SPACE_SKIPPED = new Set(['mmuCache']);
const VSPACE_SKIPPED = new Set(['memory', 'onKernelWrite']);

/** What of a kernel's object graph is its state (the rules `captureKernel` walks by). */
export function kernelStateRules(kernel: Kernel): GraphRules {
    return {
        opaque: object => object === kernel.cpu.mmu || object === kernel.events,
        skipFields: object => {
            if (object instanceof Kernel) return KERNEL_SKIPPED;
            if (object instanceof Cpu) return CPU_SKIPPED;
            if (object instanceof PhysicalMemory) return MEMORY_SKIPPED;
            if (object instanceof AddressSpace) return SPACE_SKIPPED;
            if (object instanceof VSpace) return VSPACE_SKIPPED;
            return undefined;
        }
    };
}

/** Takes a snapshot between two runs of the kernel; `previous` (of the same kernel) shares what did not change. */
export function captureKernel(kernel: Kernel, previous?: KernelSnapshot): KernelSnapshot {
    const cpu = kernel.cpu;
    return {
        instret: cpu.instret,
        cycle: cpu.cycle,
        graph: captureGraph([kernel], kernelStateRules(kernel), previous?.graph),
        ram: capturePages(kernel.memory.bytes, previous?.ram, kernel.memory.framesTouched),
        space: cpu.mmu.addressSpace
    };
}

/** Puts the kernel (and its machine) back into the state of a snapshot it took. */
export function restoreKernel(kernel: Kernel, snapshot: KernelSnapshot): void {
    const touched = kernel.memory.framesTouched;
    restoreGraph(snapshot.graph);
    restorePages(kernel.memory.bytes, snapshot.ram, frame => kernel.cpu.frameWritten(frame), Math.max(touched, kernel.memory.framesTouched));
    kernel.cpu.mmu.setAddressSpace(snapshot.space);
    kernel.refreshBreakpoints();
}
