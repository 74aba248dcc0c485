/**
 * Bare mode: a static rv32im Linux program on the emulated machine, without the microkernel, the way
 * qemu-user runs one. This is what makes the CPU testable against qemu on the same binary, and lets users
 * run plain C. The system calls are the subset such programs need: read 63, write 64, exit 93,
 * exit_group 94, brk 214; every other one returns -ENOSYS and is reported once. Faults end the program the
 * way Linux signals would (exit status 128 + signal number). Reads and writes go to the host's streams as
 * they happen, and the host's errors come back to the program as Linux's negative error numbers.
 */
import { Cpu, REG_A0, REG_SP, TrapCause, type Trap } from './cpu.js';
import { PF_R, PF_W, PF_X, type ElfImage } from './elf.js';
import { AddressSpace, PAGE_MASK, PAGE_SHIFT, PAGE_SIZE, PhysicalMemory, type Mapping } from './memory.js';

export const SYS_READ = 63;
export const SYS_WRITE = 64;
export const SYS_EXIT = 93;
export const SYS_EXIT_GROUP = 94;
export const SYS_BRK = 214;

const ENOSYS = 38;
const EBADF = 9;
const EFAULT = 14;
const EIO = 5;

/**
 * Linux's numbers for the errors a host stream can report (asm-generic/errno-base.h and errno.h); the
 * program sees these whatever the host's own numbering. Anything else becomes EIO.
 */
const LINUX_ERRNO: Readonly<Record<string, number>> = {
    EIO, EBADF, EAGAIN: 11, EFAULT, EISDIR: 21, EINVAL: 22, EFBIG: 27, ENOSPC: 28, EPIPE: 32, EDQUOT: 122, ECONNRESET: 104
};

const STACK_TOP = 0xc000_0000;
const STACK_LIMIT = 8 << 20;
const HEAP_LIMIT = 256 << 20;
const SLICE = 1 << 20;

export const SIGNALS = { SIGILL: 4, SIGTRAP: 5, SIGBUS: 7, SIGSEGV: 11, SIGPIPE: 13 } as const;

/** A host stream's failure, by the system's error name (EPIPE, ENOSPC, EIO, ...). */
export interface HostError {
    readonly code: string;
}

export interface ProcessIO {
    /**
     * The program's writes to file descriptors 1 and 2. A `HostError` fails the write with its error
     * number; EPIPE also ends the program as Linux's SIGPIPE would.
     */
    stdout(bytes: Uint8Array): HostError | void;
    stderr(bytes: Uint8Array): HostError | void;
    /**
     * The program's reads from file descriptor 0: fills the start of `buffer` and returns the count (0 at
     * the end of the input), waiting for input as a blocking read does. Without it, the input is empty.
     */
    readStdin?(buffer: Uint8Array): number | HostError;
    /** Called once per unsupported system call number. */
    unsupportedSyscall?(number: number): void;
}

export type Termination =
    | { readonly kind: 'exit'; readonly code: number }
    | { readonly kind: 'signal'; readonly signal: number; readonly name: string; readonly trap: Trap }
    | { readonly kind: 'out-of-memory'; readonly trap: Trap }
    /** A write to a pipe whose reader had gone: SIGPIPE, whose default action ends the program quietly. */
    | { readonly kind: 'broken-pipe' }
    | { readonly kind: 'instruction-limit' };

export interface ProcessResult {
    readonly termination: Termination;
    /** The exit status a shell would see: the code, or 128 + signal. */
    readonly status: number;
    /** Instructions retired (`instret`). */
    readonly retired: number;
    /** Instructions executed, counting system calls (which trap rather than retire), as qemu's plugins count. */
    readonly executed: number;
}

export class ProcessSetupError extends Error {}

export interface ProcessOptions {
    readonly ramBytes?: number;
    /** argv, starting with the program's name as the user gave it. */
    readonly argv?: readonly string[];
    /** false runs the interpreter alone (the reference the translator is checked against). */
    readonly translate?: boolean;
}

export class LinuxProcess {
    readonly cpu: Cpu;
    private readonly space = new AddressSpace();
    private readonly memory: PhysicalMemory;
    private brkStart = 0;
    private brk = 0;
    private ecalls = 0;
    private readonly reported = new Set<number>();

    constructor(image: ElfImage, private readonly io: ProcessIO, options: ProcessOptions = {}) {
        this.memory = new PhysicalMemory(options.ramBytes ?? 128 << 20);
        this.cpu = new Cpu(this.memory, { translate: options.translate });
        this.loadSegments(image);
        this.cpu.mmu.setAddressSpace(this.space);
        this.cpu.pc = image.entry | 0;
        this.cpu.x[REG_SP] = this.buildStack(options.argv ?? ['program'], image.entry);
    }

    private frame(): number {
        const frame = this.memory.allocateFrame();
        if (frame === undefined) throw new ProcessSetupError('the program does not fit in the emulated RAM');
        return frame;
    }

    private loadSegments(image: ElfImage): void {
        const pages = new Map<number, { frame: number; flags: number }>();
        let end = 0;
        for (const segment of image.segments) {
            const first = segment.vaddr >>> PAGE_SHIFT;
            const last = (segment.vaddr + Math.max(segment.memSize, 1) - 1) >>> PAGE_SHIFT;
            if (segment.vaddr + segment.memSize > STACK_TOP - STACK_LIMIT) {
                throw new ProcessSetupError(`segment at 0x${segment.vaddr.toString(16)} overlaps the stack region`);
            }
            for (let vpn = first; vpn <= last; vpn++) {
                const page = pages.get(vpn) ?? { frame: this.frame(), flags: 0 };
                page.flags |= segment.flags;
                pages.set(vpn, page);
            }
            for (let i = 0; i < segment.data.length; i++) {
                const va = segment.vaddr + i;
                const page = pages.get(va >>> PAGE_SHIFT) as { frame: number };
                this.memory.bytes[(page.frame << PAGE_SHIFT) + (va & PAGE_MASK)] = segment.data[i];
            }
            end = Math.max(end, segment.vaddr + segment.memSize);
        }
        for (const [vpn, page] of pages) {
            this.space.map(vpn, { frame: page.frame, read: (page.flags & PF_R) !== 0, write: (page.flags & PF_W) !== 0, execute: (page.flags & PF_X) !== 0 });
        }
        this.brkStart = this.brk = (end + PAGE_MASK) & ~PAGE_MASK;
    }

    private mapZero(vpn: number, write: boolean): boolean {
        const frame = this.memory.allocateFrame();
        if (frame === undefined) return false;
        this.space.map(vpn, { frame, read: true, write, execute: false });
        return true;
    }

    /** The initial stack of a Linux process: argc, argv, an empty environment and a short auxiliary vector. */
    private buildStack(args: readonly string[], entry: number): number {
        const top = STACK_TOP;
        const strings = args.map(arg => new TextEncoder().encode(arg + '\0'));
        const stringBytes = strings.reduce((sum, bytes) => sum + bytes.length, 0);
        const words = 1 + args.length + 1 + 1 + 2 * 3;
        let sp = (top - stringBytes - words * 4) & ~15;
        for (let vpn = sp >>> PAGE_SHIFT; vpn < top >>> PAGE_SHIFT; vpn++) {
            if (!this.mapZero(vpn, true)) throw new ProcessSetupError('no RAM left for the stack');
        }
        const write32 = (va: number, value: number) => this.poke(va, new Uint8Array(new Uint32Array([value >>> 0]).buffer));
        let stringAt = top - stringBytes;
        const pointers: number[] = [];
        for (const bytes of strings) {
            this.poke(stringAt, bytes);
            pointers.push(stringAt);
            stringAt += bytes.length;
        }
        let at = sp;
        write32(at, args.length); at += 4;
        for (const pointer of pointers) { write32(at, pointer); at += 4; }
        write32(at, 0); at += 4; // end of argv
        write32(at, 0); at += 4; // end of envp
        for (const [key, value] of [[6, PAGE_SIZE], [9, entry], [0, 0]]) { // AT_PAGESZ, AT_ENTRY, AT_NULL
            write32(at, key); at += 4;
            write32(at, value); at += 4;
        }
        return sp | 0;
    }

    /** Stores bytes into mapped pages, dropping any code decoded from them (a read(2) into code is allowed). */
    private poke(va: number, bytes: Uint8Array): void {
        for (let i = 0; i < bytes.length; i++) {
            const mapping = this.space.lookup(((va + i) >>> 0) >>> PAGE_SHIFT);
            if (!mapping) throw new ProcessSetupError('internal: poking an unmapped page');
            this.memory.bytes[(mapping.frame << PAGE_SHIFT) + ((va + i) & PAGE_MASK)] = bytes[i];
            this.cpu.frameWritten(mapping.frame);
        }
    }

    /**
     * Whether all `length` bytes from `va` are RAM the program may read (or write), checked page by page
     * before anything is copied, so that a huge length costs nothing and fails whole, as under qemu.
     */
    private accessible(va: number, length: number, write: boolean): boolean {
        if (length === 0) return true;
        if (va + length > 0x1_0000_0000) return false;
        for (let vpn = va >>> PAGE_SHIFT; vpn <= (va + length - 1) >>> PAGE_SHIFT; vpn++) {
            const mapping = this.space.lookup(vpn);
            if (!mapping || mapping.device || !(write ? mapping.write : mapping.read)) return false;
        }
        return true;
    }

    /** Copies `length` bytes of the program's memory, or undefined if any byte is not readable. */
    private peek(va: number, length: number): Uint8Array | undefined {
        if (!this.accessible(va, length, false)) return undefined;
        const out = new Uint8Array(length);
        for (let i = 0; i < length; i++) {
            const mapping = this.space.lookup((va + i) >>> PAGE_SHIFT) as Mapping;
            out[i] = this.memory.bytes[(mapping.frame << PAGE_SHIFT) + ((va + i) & PAGE_MASK)];
        }
        return out;
    }

    run(maxInstructions = Number.POSITIVE_INFINITY): ProcessResult {
        const cpu = this.cpu;
        let termination: Termination | undefined;
        while (!termination) {
            const remaining = maxInstructions - (cpu.instret + this.ecalls);
            if (remaining <= 0) {
                termination = { kind: 'instruction-limit' };
                break;
            }
            const trap = cpu.run(Math.min(SLICE, remaining));
            termination = this.handle(trap);
        }
        const status = termination.kind === 'exit' ? termination.code & 0xff
            : termination.kind === 'signal' ? 128 + termination.signal
            : termination.kind === 'out-of-memory' ? 128 + SIGNALS.SIGSEGV
            : termination.kind === 'broken-pipe' ? 128 + SIGNALS.SIGPIPE : 124;
        return { termination, status, retired: cpu.instret, executed: cpu.instret + this.ecalls };
    }

    private handle(trap: Trap): Termination | undefined {
        const cpu = this.cpu;
        switch (trap.cause) {
            case TrapCause.Budget:
                return undefined;
            case TrapCause.UserEcall: {
                this.ecalls++;
                const ending = this.syscall();
                if (ending) return ending;
                cpu.pc = (cpu.pc + 4) | 0;
                return undefined;
            }
            case TrapCause.LoadPageFault: case TrapCause.StorePageFault: {
                // The stack grows on demand, as on Linux.
                const address = trap.value >>> 0;
                if (address < STACK_TOP && address >= STACK_TOP - STACK_LIMIT && !this.space.lookup(address >>> PAGE_SHIFT)) {
                    if (this.mapZero(address >>> PAGE_SHIFT, true)) return undefined;
                    return { kind: 'out-of-memory', trap };
                }
                return { kind: 'signal', signal: SIGNALS.SIGSEGV, name: 'SIGSEGV', trap };
            }
            case TrapCause.InstructionPageFault:
                return { kind: 'signal', signal: SIGNALS.SIGSEGV, name: 'SIGSEGV', trap };
            case TrapCause.InstructionMisaligned:
                return { kind: 'signal', signal: SIGNALS.SIGBUS, name: 'SIGBUS', trap };
            case TrapCause.IllegalInstruction:
                return { kind: 'signal', signal: SIGNALS.SIGILL, name: 'SIGILL', trap };
            case TrapCause.Breakpoint:
                return { kind: 'signal', signal: SIGNALS.SIGTRAP, name: 'SIGTRAP', trap };
            default:
                return { kind: 'signal', signal: SIGNALS.SIGSEGV, name: 'SIGSEGV', trap };
        }
    }

    /** Carries out the system call in a7; returns how the program ends, if this call ends it. */
    private syscall(): Termination | undefined {
        const x = this.cpu.x;
        const number = x[17];
        const a0 = x[REG_A0], a1 = x[11], a2 = x[12];
        const ret = (value: number) => { x[REG_A0] = value; };
        switch (number) {
            case SYS_EXIT: case SYS_EXIT_GROUP:
                return { kind: 'exit', code: a0 };
            // The buffer is checked before the descriptor, in qemu's order.
            case SYS_WRITE: {
                const length = a2 >>> 0;
                const bytes = this.peek(a1 >>> 0, length);
                if (!bytes) { ret(-EFAULT); return undefined; }
                if (a0 !== 1 && a0 !== 2) { ret(-EBADF); return undefined; }
                const failure = (a0 === 1 ? this.io.stdout : this.io.stderr).call(this.io, bytes);
                if (failure?.code === 'EPIPE') return { kind: 'broken-pipe' };
                ret(failure ? -(LINUX_ERRNO[failure.code] ?? EIO) : length);
                return undefined;
            }
            case SYS_READ: {
                const length = a2 >>> 0;
                // As under qemu, the whole buffer must be writable before anything is read.
                if (!this.accessible(a1 >>> 0, length, true)) { ret(-EFAULT); return undefined; }
                if (a0 !== 0) { ret(-EBADF); return undefined; }
                if (!this.io.readStdin || length === 0) { ret(0); return undefined; }
                const buffer = new Uint8Array(length);
                const count = this.io.readStdin(buffer);
                if (typeof count !== 'number') { ret(-(LINUX_ERRNO[count.code] ?? EIO)); return undefined; }
                this.poke(a1 >>> 0, buffer.subarray(0, count));
                ret(count);
                return undefined;
            }
            case SYS_BRK: {
                const requested = a0 >>> 0;
                if (requested >= this.brkStart && requested <= this.brkStart + HEAP_LIMIT) {
                    for (let vpn = this.brk >>> PAGE_SHIFT; vpn < ((requested + PAGE_MASK) >>> PAGE_SHIFT); vpn++) {
                        if (!this.space.lookup(vpn) && !this.mapZero(vpn, true)) { ret(this.brk); return undefined; }
                    }
                    this.brk = requested;
                }
                ret(this.brk);
                return undefined;
            }
            default:
                if (!this.reported.has(number)) {
                    this.reported.add(number);
                    this.io.unsupportedSyscall?.(number);
                }
                ret(-ENOSYS);
                return undefined;
        }
    }
}
