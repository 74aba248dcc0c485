/**
 * The control API for debuggers and tools (the "runtime" half of the vscode-mock-debug split: it knows
 * nothing of any protocol). It pauses and resumes the system, steps one thread, sets breakpoints on
 * addresses, reads and writes any thread's registers and memory, lists threads with what each is blocked
 * on, and reports the wait-for graph. Threads are named as in events ("component" or "component.thread").
 */
import { PAGE_SHIFT, PAGE_SIZE } from '../machine/index.js';
import type { Kernel, RunResult } from './kernel.js';
import { Endpoint } from './objects/endpoint.js';
import { Notification } from './objects/notification.js';
import { Reply } from './objects/reply.js';
import { THREAD_STATE_NAMES, type Thread } from './objects/tcb.js';
import { waitForGraph, type WaitForGraph } from './wait-for.js';

export interface ThreadInfo {
    readonly name: string;
    readonly id: number;
    readonly priority: number;
    readonly state: string;
    readonly pc: number;
    /** The endpoint or notification it is blocked on, or `reply` while waiting for an answer. */
    readonly blockedOn?: string;
    /** Held by the debugger: the scheduler does not run it. */
    readonly stopped: boolean;
}

export class ControlError extends Error {}

export class KernelControl {
    constructor(readonly kernel: Kernel) {}

    // ------------------------------------------------------------ running

    /** Runs the whole system until idle, a breakpoint, a pause, or `maxCycles` more cycles. */
    resume(maxCycles?: number): RunResult {
        return this.kernel.run(maxCycles);
    }

    /** Asks a running `resume` to return (from an event listener, or between calls). */
    pause(): void {
        this.kernel.pause();
    }

    /** Executes one instruction of a thread (a system call counts as one, whatever the kernel does). */
    step(threadName: string): RunResult {
        return this.kernel.step(this.thread(threadName));
    }

    /** Holds a thread (the scheduler skips it) or lets it run again. */
    setStopped(threadName: string, stopped: boolean): void {
        const thread = this.thread(threadName);
        thread.debugStopped = stopped;
        this.kernel.requestReschedule();
    }

    // ------------------------------------------------------------ breakpoints

    /** A breakpoint at a virtual address of the thread's address space (every thread sharing it stops there). */
    setBreakpoint(threadName: string, address: number): void {
        const vspace = this.thread(threadName).vspace;
        let set = this.kernel.breakpoints.get(vspace);
        if (!set) {
            set = new Set<number>();
            this.kernel.breakpoints.set(vspace, set);
        }
        set.add(address >>> 0);
        this.kernel.refreshBreakpoints();
    }

    clearBreakpoint(threadName: string, address: number): void {
        const vspace = this.thread(threadName).vspace;
        const set = this.kernel.breakpoints.get(vspace);
        set?.delete(address >>> 0);
        if (set && set.size === 0) this.kernel.breakpoints.delete(vspace);
        this.kernel.refreshBreakpoints();
    }

    // ------------------------------------------------------------ registers and memory

    /** pc and x0..x31 (unsigned). */
    readRegisters(threadName: string): { readonly pc: number; readonly x: readonly number[] } {
        const thread = this.thread(threadName);
        this.kernel.syncCurrent();
        return { pc: thread.pc >>> 0, x: Array.from(thread.regs, value => value >>> 0) };
    }

    /** Writes x1..x31 (x0 stays zero) or, with index 'pc', the program counter. */
    writeRegister(threadName: string, index: number | 'pc', value: number): void {
        const thread = this.thread(threadName);
        if (index === 'pc') {
            if ((value & 3) !== 0) throw new ControlError(`pc 0x${(value >>> 0).toString(16)} is not a multiple of 4`);
            this.kernel.setThreadPc(thread, value);
            return;
        }
        if (!Number.isInteger(index) || index < 1 || index > 31) throw new ControlError(`there is no register x${index} to write`);
        thread.regs[index] = value | 0;
    }

    /**
     * Bytes of the thread's memory, ignoring page permissions; undefined where a page is unmapped or is a
     * device (reading device registers has effects a debugger must not cause).
     */
    readMemory(threadName: string, address: number, length: number): (number | undefined)[] {
        const thread = this.thread(threadName);
        const bytes: (number | undefined)[] = [];
        for (let i = 0; i < length; i++) {
            const physical = this.physical(thread, (address + i) >>> 0);
            bytes.push(physical === undefined ? undefined : this.kernel.memory.bytes[physical]);
        }
        return bytes;
    }

    /** Writes bytes into the thread's memory, ignoring permissions; false (and nothing written) where unmapped. */
    writeMemory(threadName: string, address: number, bytes: Uint8Array): boolean {
        const thread = this.thread(threadName);
        const targets: number[] = [];
        for (let i = 0; i < bytes.length; i++) {
            const physical = this.physical(thread, (address + i) >>> 0);
            if (physical === undefined) return false;
            targets.push(physical);
        }
        targets.forEach((physical, i) => {
            this.kernel.memory.bytes[physical] = bytes[i];
            this.kernel.cpu.frameWritten(physical >>> PAGE_SHIFT);
        });
        return true;
    }

    private physical(thread: Thread, address: number): number | undefined {
        const mapping = thread.vspace.space.lookup(address >>> PAGE_SHIFT);
        if (!mapping || mapping.device) return undefined;
        return (mapping.frame << PAGE_SHIFT) + (address & (PAGE_SIZE - 1));
    }

    // ------------------------------------------------------------ reports

    threads(): ThreadInfo[] {
        this.kernel.syncCurrent();
        return this.kernel.threads.map(thread => ({
            name: thread.name, id: thread.id, priority: thread.priority, state: THREAD_STATE_NAMES[thread.state],
            pc: thread.pc >>> 0, blockedOn: blockedOnName(thread), stopped: thread.debugStopped
        }));
    }

    waitFor(): WaitForGraph {
        this.kernel.syncCurrent();
        return waitForGraph(this.kernel);
    }

    private thread(name: string): Thread {
        const thread = this.kernel.threads.find(candidate => candidate.name === name);
        if (!thread) throw new ControlError(`there is no thread named '${name}'`);
        return thread;
    }
}

function blockedOnName(thread: Thread): string | undefined {
    const on = thread.blockedOn;
    if (on instanceof Endpoint || on instanceof Notification) return on.name;
    if (on instanceof Reply) return 'reply';
    return undefined;
}
