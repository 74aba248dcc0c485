/**
 * The kernel: owns the machine (CPU, RAM, interrupt controller, devices), every kernel object, the
 * scheduler and the event stream, and runs the system. `run` alternates between the CPU running the
 * current thread and the kernel handling what stopped it — a system call (syscalls.ts), a fault
 * (faults.ts), an interrupt, the end of a time slice. Nothing a user program does makes it throw.
 */
import {
    Cpu, DOUBLE, InterruptController, PhysicalMemory, TrapCause, type Timer, type Trap, type MappedDevice
} from '../machine/index.js';
import { REG_STATUS, REG_SYSCALL, KERNEL_ERROR_NAMES, type KernelError } from '../contract/index.js';
import { CycleCost } from './cycle-costs.js';
import { KernelEvents, type RefusedMessage, type ScheduleEvent } from './events.js';
import { handleFault } from './faults.js';
import { CNode } from './objects/cnode.js';
import { Endpoint } from './objects/endpoint.js';
import type { EventQueue } from './objects/event-queue.js';
import { Frame } from './objects/frame.js';
import { IrqHandler } from './objects/irq.js';
import { Notification } from './objects/notification.js';
import { Reply } from './objects/reply.js';
import { Thread, ThreadState } from './objects/tcb.js';
import { VSpace } from './objects/vspace.js';
import { Scheduler } from './scheduler.js';
import { fastpath } from './fastpath.js';
import { DEFAULT_PERSONALITY, type KernelPersonality, type KernelPersonalityName, type PersonalitySettings } from './personality.js';
import { createPersonality } from './personalities/index.js';
import { waitForGraph, type WaitForGraph } from './wait-for.js';

export const DEFAULT_TIME_SLICE = 100_000;

export interface KernelOptions {
    readonly ramBytes?: number;
    /** Cycles a thread runs before another of its priority gets a turn. */
    readonly timeSlice?: number;
    /** false runs the CPU's interpreter alone. */
    readonly translate?: boolean;
    /** false sends every IPC through the general path (to compare the two, or to measure the fastpath). */
    readonly fastpath?: boolean;
    /** The IPC model the kernel follows (personality.ts); seL4's unless told. */
    readonly personality?: KernelPersonalityName;
    /** What the run sets about its personality (RC 4000's pool size). */
    readonly personalitySettings?: PersonalitySettings;
}

/** Why `run` returned. */
export type StopReason =
    /** No thread can run and nothing (no timer) will wake one. */
    | 'idle'
    /** The cycle limit given to `run` was reached. */
    | 'cycle-limit'
    /** `pause` was requested. */
    | 'paused'
    /** A thread reached a debugger breakpoint. */
    | 'breakpoint'
    /** A debugger step finished. */
    | 'step';

export interface RunResult {
    readonly reason: StopReason;
    readonly cycle: number;
    /** For idle: who waits for whom; `deadlock` is set when some thread is still blocked. */
    readonly waitFor?: WaitForGraph;
    /** For breakpoint and step: the thread and where it stopped. */
    readonly thread?: string;
    readonly pc?: number;
}

export interface DeviceInstance {
    readonly name: string;
    readonly kind: 'uart' | 'timer' | 'block';
    readonly device: MappedDevice;
    readonly irq?: number;
}

export class Kernel {
    readonly memory: PhysicalMemory;
    readonly cpu: Cpu;
    readonly interrupts = new InterruptController();
    readonly events = new KernelEvents();
    readonly scheduler = new Scheduler();
    readonly timeSlice: number;
    readonly fastpathEnabled: boolean;
    /** What the IPC system calls mean: seL4's, or another model's (personality.ts). */
    readonly personality: KernelPersonality;

    readonly threads: Thread[] = [];
    readonly endpoints: Endpoint[] = [];
    readonly notifications: Notification[] = [];
    readonly cnodes: CNode[] = [];
    readonly vspaces: VSpace[] = [];
    readonly frames: Frame[] = [];
    readonly irqHandlers = new Map<number, IrqHandler>();
    /** Every client connection's event queue (event-delivery.ts), in manifest order. */
    readonly eventQueues: EventQueue[] = [];
    readonly devices: DeviceInstance[] = [];
    readonly timers: Timer[] = [];

    /** The thread whose registers the CPU holds; never in a ready queue. */
    current: Thread | undefined;
    /** Set when the current thread may no longer be the one to run (it blocked, or a higher priority woke). */
    private rescheduleNeeded = true;
    private nextObjectId = 1;
    private pauseRequested = false;
    /** The cycle `run` stops at. */
    private runLimit = 0;
    /** The cycle up to which the current thread's time slice has been charged. */
    private sliceMark = 0;
    /** While a debugger steps, system calls are not handled inside the CPU's run (it would run on). */
    private stepping = false;
    /**
     * Whether a system call inside the CPU's run must return to the run loop whatever the scheduler says:
     * a pause was asked for, a debugger is stepping, or a breakpoint is set in some address space (the
     * CPU interprets then, which only a new run of it starts). One field, which the IPC path tests twice
     * per round trip, kept by `updateLeaveRun`.
     */
    private leaveRunAtSyscall = false;
    /** Thread stopped at a breakpoint: the next run of it starts by executing the instruction there. */
    private resumeFromBreakpoint: Thread | undefined;
    /** Per address space, the debugger breakpoints (virtual addresses). */
    readonly breakpoints = new Map<VSpace, Set<number>>();
    /** Whether `ebreak` stops for the debugger (true) or is a fault for the thread's handler (false). */
    debuggerOwnsEbreak = false;
    /** Where DebugPutChar and DebugWrite output goes (besides the console events). */
    consoleOutput: (bytes: Uint8Array, thread: Thread) => void = () => {};
    private readonly consoleDecoder = new TextDecoder();

    constructor(options: KernelOptions = {}) {
        this.memory = new PhysicalMemory(options.ramBytes ?? 16 << 20);
        this.cpu = new Cpu(this.memory, { translate: options.translate });
        this.cpu.attachInterrupts(this.interrupts);
        this.cpu.onEcall = () => this.syscallInsideRun();
        // Cycle stamps outgrow V8's small integers: keep these fields doubles from the start (as Cpu does).
        this.runLimit = DOUBLE;
        this.sliceMark = DOUBLE;
        this.timeSlice = options.timeSlice ?? DEFAULT_TIME_SLICE;
        this.personality = createPersonality(options.personality ?? DEFAULT_PERSONALITY, options.personalitySettings);
        // The fastpath is seL4's: another personality takes every system call through its own decoder.
        this.fastpathEnabled = (options.fastpath ?? true) && this.personality.usesFastpath;
    }

    get cycle(): number {
        return this.cpu.cycle;
    }

    /** Charges kernel time to the machine's cycle counter. */
    charge(cycles: number): void {
        this.cpu.extraCycles += cycles;
    }

    // ------------------------------------------------------------ objects

    /** A thread; its maximum controlled priority is its priority unless given. */
    createThread(name: string, priority: number, cspace: CNode, vspace: VSpace, maxControlledPriority = priority): Thread {
        const thread = new Thread(this.nextObjectId++, name, priority, cspace, vspace, maxControlledPriority);
        thread.sliceRemaining = this.timeSlice;
        // Its Reply object, made now so that no Call allocates (and the fastpath never meets a `new`).
        thread.replyObject = new Reply(thread);
        this.threads.push(thread);
        return thread;
    }

    createEndpoint(name: string): Endpoint {
        const endpoint = new Endpoint(this.nextObjectId++, name);
        this.endpoints.push(endpoint);
        return endpoint;
    }

    createNotification(name: string): Notification {
        const notification = new Notification(this.nextObjectId++, name);
        this.notifications.push(notification);
        return notification;
    }

    createCNode(name: string, size: number): CNode {
        const cnode = new CNode(this.nextObjectId++, name, size);
        this.cnodes.push(cnode);
        return cnode;
    }

    createVSpace(name: string): VSpace {
        const vspace = new VSpace(this.nextObjectId++, name, this.memory, frame => this.cpu.frameWritten(frame));
        this.vspaces.push(vspace);
        return vspace;
    }

    /** A fresh zeroed RAM frame, or undefined when RAM is exhausted. */
    createFrame(): Frame | undefined {
        const physical = this.memory.allocateFrame();
        if (physical === undefined) return undefined;
        const frame = new Frame(this.nextObjectId++, physical);
        this.frames.push(frame);
        return frame;
    }

    /** A frame object for RAM already in use (a page the boot loader mapped), so that a capability can name it. */
    adoptFrame(physical: number): Frame {
        const frame = new Frame(this.nextObjectId++, physical);
        this.frames.push(frame);
        return frame;
    }

    createDeviceFrame(device: DeviceInstance): Frame {
        const frame = new Frame(this.nextObjectId++, -1, device.device, device.name);
        this.frames.push(frame);
        return frame;
    }

    createIrqHandler(line: number, deviceName: string): IrqHandler {
        const handler = new IrqHandler(line, deviceName);
        this.irqHandlers.set(line, handler);
        // Lines start masked: nobody is listening until a driver sets a notification and acknowledges.
        this.interrupts.mask(line);
        return handler;
    }

    // ------------------------------------------------------------ scheduling

    /** Makes a thread ready; asks for a reschedule when it should preempt the current one. */
    makeRunnable(thread: Thread): void {
        thread.state = ThreadState.Runnable;
        thread.blockedOn = undefined;
        if (thread === this.current) return;
        this.scheduler.append(thread);
        if (!this.current || thread.priority > this.current.priority) this.rescheduleNeeded = true;
    }

    /** The current thread stopped being runnable (it blocked or was suspended). */
    currentBlocked(): void {
        this.rescheduleNeeded = true;
    }

    /** Takes a thread out of the scheduler's hands (it blocked, or was suspended). */
    unschedule(thread: Thread): void {
        this.scheduler.remove(thread);
        if (thread === this.current) this.rescheduleNeeded = true;
    }

    /**
     * Direct process switch (IPC): `next` runs now without a pass through the ready queues, when nothing
     * of higher priority is ready. Returns false when the caller must fall back to makeRunnable.
     */
    switchDirectly(next: Thread): boolean {
        if (next.debugStopped || this.scheduler.outranks(next.priority)) return false;
        const previous = this.current;
        if (previous && previous.state === ThreadState.Runnable) return false;
        this.switchTo(next);
        return true;
    }

    /**
     * The direct switch itself, for the fastpath, which has already checked what switchDirectly checks:
     * `next` is not held by a debugger, nothing ready outranks it, and the current thread just blocked.
     */
    switchTo(next: Thread): void {
        next.state = ThreadState.Runnable;
        next.blockedOn = undefined;
        if (next.queued === true) this.scheduler.remove(next);
        this.setCurrent(next, 'direct');
        this.rescheduleNeeded = false;
    }

    /** Console output from a thread (DebugPutChar, DebugWrite). */
    writeConsole(thread: Thread, bytes: Uint8Array): void {
        this.consoleOutput(bytes, thread);
        if (this.events.active) this.events.emit({ kind: 'console', cycle: this.cycle, thread: thread.name, text: this.consoleDecoder.decode(bytes) });
    }

    /** Sets a thread's status register after a system call, and reports errors (with the message refused, if any) to tracing tools. */
    complete(thread: Thread, status: KernelError | number, syscall: string, refused?: RefusedMessage): void {
        thread.regs[REG_STATUS] = status;
        if (status !== 0 && status < 64 && this.events.active) {
            this.events.emit({ kind: 'syscall-error', cycle: this.cycle, thread: thread.name, syscall, error: KERNEL_ERROR_NAMES[status] ?? String(status), ...refused });
        }
    }

    /**
     * Makes `next` the thread the CPU runs. The fastpath inlines this (through `switchTo`), and V8 counts all
     * of an inlined function's bytecode against the fastpath's budget: what is rare stays in other methods.
     */
    private setCurrent(next: Thread | undefined, reason: ScheduleEvent['reason']): void {
        const previous = this.current;
        if (previous === next) return;
        const cpu = this.cpu;
        if (previous !== undefined) previous.pc = cpu.pc;
        this.current = next;
        if (next !== undefined) {
            cpu.x = next.regs;
            cpu.pc = next.pc;
            const space = next.vspace.space;
            if (cpu.mmu.addressSpace !== space) cpu.mmu.setAddressSpace(space);
            // Any breakpoint sets leaveRunAtSyscall: without it there is none to hand on.
            if (this.leaveRunAtSyscall === true) this.refreshBreakpoints();
        }
        if (this.events.schedulingWanted === true) this.reportSchedule(previous, next, reason);
    }

    private reportSchedule(previous: Thread | undefined, next: Thread | undefined, reason: ScheduleEvent['reason']): void {
        this.events.emit({ kind: 'schedule', cycle: this.cycle, from: previous?.name, to: next?.name, reason });
    }

    /** Picks the thread to run next: the current one unless something outranks it or its slice ended. */
    private schedule(): void {
        this.rescheduleNeeded = false;
        const current = this.current;
        const highest = this.scheduler.highestPriority();
        if (current && current.isRunnable) {
            const sliceEnded = current.sliceRemaining <= 0;
            if (sliceEnded) current.sliceRemaining = this.timeSlice;
            if (highest > current.priority) {
                this.scheduler.prepend(current);
            } else if (sliceEnded && highest === current.priority) {
                this.scheduler.append(current);
            } else {
                return;
            }
            this.charge(CycleCost.contextSwitch);
            this.setCurrent(this.scheduler.takeHighest(), sliceEnded && highest === current.priority ? 'slice' : 'preempt');
            return;
        }
        const next = this.takeRunnable();
        if (next) this.charge(CycleCost.contextSwitch);
        this.setCurrent(next, next ? 'block' : 'idle');
    }

    /** The highest-priority ready thread that a debugger is not holding. */
    private takeRunnable(): Thread | undefined {
        const held: Thread[] = [];
        let next: Thread | undefined;
        while ((next = this.scheduler.takeHighest()) && next.debugStopped) held.push(next);
        for (const thread of held) this.scheduler.append(thread);
        return next;
    }

    /** Yield: the current thread goes behind the others of its priority. */
    yieldCurrent(): void {
        const current = this.current;
        if (!current) return;
        current.sliceRemaining = this.timeSlice;
        if (this.scheduler.highestPriority() >= current.priority) {
            this.scheduler.append(current);
            this.setCurrent(this.takeRunnable(), 'yield');
        }
    }

    // ------------------------------------------------------------ running

    /** Asks a running `run` to return at the next kernel entry (from an event listener, say). */
    pause(): void {
        this.pauseRequested = true;
        this.leaveRunAtSyscall = true;
    }

    private updateLeaveRun(): void {
        this.leaveRunAtSyscall = this.pauseRequested || this.stepping || this.breakpoints.size > 0;
    }

    /** Runs until the system is idle, `maxCycles` have passed, or a pause or breakpoint stops it. */
    run(maxCycles = Number.MAX_SAFE_INTEGER): RunResult {
        const limit = this.cycle + maxCycles;
        this.runLimit = limit;
        this.pauseRequested = false;
        this.updateLeaveRun();
        for (;;) {
            if (this.pauseRequested) {
                this.pauseRequested = false;
                this.updateLeaveRun();
                return { reason: 'paused', cycle: this.cycle };
            }
            if (this.cycle >= limit) return { reason: 'cycle-limit', cycle: this.cycle };
            if (this.rescheduleNeeded || !this.current || !this.current.isRunnable) this.schedule();
            const thread = this.current;
            if (!thread) {
                if (this.takePendingInterrupt()) continue;
                if (this.advanceToNextTimer(limit)) continue;
                return { reason: 'idle', cycle: this.cycle, waitFor: waitForGraph(this) };
            }
            const stop = this.runCurrent(thread, Math.min(limit - this.cycle, thread.sliceRemaining));
            if (stop) return stop;
        }
    }

    /** Runs one instruction of a thread (a debugger step), handling whatever trap it raises. */
    step(thread: Thread): RunResult {
        if (thread.state !== ThreadState.Runnable) return { reason: 'step', cycle: this.cycle, thread: thread.name, pc: thread.pc };
        const previous = this.current;
        if (previous !== thread) {
            if (previous && previous.isRunnable) this.scheduler.prepend(previous);
            this.scheduler.remove(thread);
            this.setCurrent(thread, 'start');
        }
        const wasStopped = thread.debugStopped;
        thread.debugStopped = false;
        this.stepping = true;
        this.leaveRunAtSyscall = true;
        const stop = this.runCurrent(thread, 1);
        this.stepping = false;
        this.updateLeaveRun();
        thread.debugStopped = wasStopped;
        if (thread.debugStopped && this.current === thread) this.rescheduleNeeded = true;
        return stop ?? { reason: 'step', cycle: this.cycle, thread: thread.name, pc: thread === this.current ? this.cpu.pc : thread.pc };
    }

    /**
     * One stretch of the CPU running `thread` (and, when system calls switch threads inside the run, the
     * threads after it), then the kernel handling the trap that ended it.
     */
    private runCurrent(thread: Thread, cycles: number): RunResult | undefined {
        const timers = this.timers.length > 0;
        const budget = Math.max(1, timers ? Math.min(cycles, this.cyclesToNextTimer()) : cycles);
        const cpu = this.cpu;
        this.sliceMark = cpu.instret + cpu.extraCycles;
        let resuming = false;
        if (this.resumeFromBreakpoint !== undefined) {
            resuming = this.resumeFromBreakpoint === thread;
            this.resumeFromBreakpoint = undefined;
        }
        const trap = cpu.run(budget, resuming);
        const ran = this.current as Thread;
        ran.pc = cpu.pc;
        const stop = this.handleTrap(ran, trap);
        ran.sliceRemaining -= cpu.instret + cpu.extraCycles - this.sliceMark;
        // Scratch for this stretch only: at rest it holds nothing, so a run split in two leaves the kernel in
        // the same state as the run whole (snapshots compare every field).
        this.sliceMark = DOUBLE;
        if (timers) for (const timer of this.timers) timer.update();
        if (ran.sliceRemaining <= 0) this.rescheduleNeeded = true;
        return stop;
    }

    /**
     * The CPU met an `ecall` in translated code (Cpu.onEcall): handle it now, and let the CPU go on with
     * whichever thread is current when nothing needs the run loop — no scheduling decision, no pause, no
     * debugger, time left in the slice and before the next timer and the run's limit.
     */
    private syscallInsideRun(): number {
        const thread = this.current as Thread;
        const cpu = this.cpu;
        const pc = (cpu.pc + 4) | 0;
        cpu.pc = pc;
        thread.pc = pc;
        if (fastpath(this, thread) === false) this.slowSyscall(thread);
        const now = cpu.instret + cpu.extraCycles;
        const slice = thread.sliceRemaining - (now - this.sliceMark);
        thread.sliceRemaining = slice;
        this.sliceMark = now;
        if (slice <= 0) this.rescheduleNeeded = true;
        let budget = this.runLimit - now;
        if (this.timers.length > 0) budget = this.updateTimers(budget);
        const next = this.current;
        // `=== true` and the state test spelled out: pointer comparisons, where a truth test of a field
        // V8 has no type for costs a chain of them (this runs twice per IPC round trip).
        if (this.rescheduleNeeded === true || this.leaveRunAtSyscall === true
            || next === undefined || next.state !== ThreadState.Runnable || next.debugStopped === true) return 0;
        const nextSlice = next.sliceRemaining;
        if (nextSlice < budget) budget = nextSlice;
        return budget > 0 ? budget : 0;
    }

    /** A system call the fastpath declined: reported to tools that count kernel entries, then the personality's. */
    private slowSyscall(thread: Thread): void {
        if (this.events.syscallsWanted === true) this.events.emit({ kind: 'syscall', cycle: this.cycle, thread: thread.name, number: thread.regs[REG_SYSCALL] });
        this.personality.handleSyscall(this, thread);
    }

    private handleTrap(thread: Thread, trap: Trap): RunResult | undefined {
        switch (trap.cause) {
            case TrapCause.Budget:
                return undefined;
            case TrapCause.UserEcall:
                this.cpu.pc = (trap.pc + 4) | 0;
                thread.pc = this.cpu.pc;
                if (!fastpath(this, thread)) this.slowSyscall(thread);
                return undefined;
            case TrapCause.Interrupt:
                this.takeInterrupt(trap.value);
                return undefined;
            case TrapCause.Debug:
                this.resumeFromBreakpoint = thread;
                return { reason: 'breakpoint', cycle: this.cycle, thread: thread.name, pc: trap.pc };
            case TrapCause.Breakpoint:
                if (this.debuggerOwnsEbreak) return { reason: 'breakpoint', cycle: this.cycle, thread: thread.name, pc: trap.pc };
                handleFault(this, thread, trap);
                return undefined;
            default:
                handleFault(this, thread, trap);
                return undefined;
        }
    }

    // ------------------------------------------------------------ interrupts and time

    private takePendingInterrupt(): boolean {
        const line = this.interrupts.pendingLine();
        if (line === undefined) return false;
        this.takeInterrupt(line);
        return true;
    }

    /**
     * A device interrupt: mask the line, and signal the driver's notification if one is set. The event
     * carries the cycle the interrupt was taken at (a timer's deadline, exactly), before the kernel's cost.
     */
    private takeInterrupt(line: number): void {
        this.interrupts.mask(line);
        const handler = this.irqHandlers.get(line);
        const device = handler?.deviceName ?? this.devices.find(candidate => candidate.irq === line)?.name ?? '';
        if (this.events.active) {
            this.events.emit({ kind: 'interrupt', cycle: this.cycle, line, device, notification: handler?.notification?.name });
        }
        this.charge(CycleCost.interrupt);
        if (!handler || !handler.notification) return;
        handler.awaitingAck = true;
        this.personality.signalInterrupt(this, handler.notification, handler.badge, line);
    }

    /** Brings the timers up to the current cycle; returns `budget` cut at the next timer deadline. */
    private updateTimers(budget: number): number {
        for (const timer of this.timers) timer.update();
        return Math.min(budget, this.cyclesToNextTimer());
    }

    private cyclesToNextTimer(): number {
        let nearest = Number.MAX_SAFE_INTEGER;
        for (const timer of this.timers) {
            const cycles = timer.cyclesUntilDeadline();
            if (cycles !== undefined && cycles < nearest) nearest = cycles;
        }
        return nearest;
    }

    /** With nothing to run, lets emulated time pass to the next timer deadline (if it comes before `limit`). */
    private advanceToNextTimer(limit: number): boolean {
        const gap = this.cyclesToNextTimer();
        if (gap === Number.MAX_SAFE_INTEGER || this.cycle + gap > limit) return false;
        this.charge(Math.max(gap, 1));
        for (const timer of this.timers) timer.update();
        return true;
    }

    // ------------------------------------------------------------ debugger support

    /** Forgets which thread is current (a debugger changed registers or states behind the scheduler's back). */
    requestReschedule(): void {
        this.rescheduleNeeded = true;
    }

    /** Loads the current thread's registers back into its TCB so that tools read what the CPU holds. */
    syncCurrent(): void {
        if (this.current) this.current.pc = this.cpu.pc;
    }

    /** Writes a thread's pc, also into the CPU when it is the current thread. */
    setThreadPc(thread: Thread, pc: number): void {
        thread.pc = pc | 0;
        if (thread === this.current) this.cpu.pc = thread.pc;
    }

    /** After breakpoints changed: gives the CPU the current space's (none while no thread is current). */
    refreshBreakpoints(): void {
        this.cpu.breakpoints = (this.current && this.breakpoints.get(this.current.vspace)) ?? EMPTY_BREAKPOINTS;
        this.updateLeaveRun();
    }
}

const EMPTY_BREAKPOINTS: ReadonlySet<number> = new Set<number>();
