/**
 * `ukc emu PROG.elf [args...]`: runs a static rv32im Linux program on the emulated machine (bare mode,
 * no microkernel), like qemu-riscv32. The program's output goes to ours; its exit status becomes ours.
 */
import { ElfError, LinuxProcess, parseElf, ProcessSetupError, type ProcessResult } from '../../runtime/machine/index.js';
import type { CliIO } from './cli-io.js';
import { InputError, readInputFile } from './input-files.js';

export interface EmuOptions {
    readonly stats?: boolean;
    readonly maxInstructions?: string;
    readonly stdin?: Uint8Array;
}

const TRAP_NAMES: Record<number, string> = {
    0: 'jump to a misaligned address', 2: 'illegal instruction', 3: 'breakpoint (ebreak)',
    12: 'instruction fetch from an unmapped or non-executable page', 13: 'load from an unmapped page', 15: 'store to an unmapped or read-only page'
};

export async function runEmu(program: string, args: readonly string[], options: EmuOptions, io: CliIO): Promise<number> {
    const limit = options.maxInstructions === undefined ? Number.POSITIVE_INFINITY : Number(options.maxInstructions);
    if (!(limit > 0)) throw new InputError(`--max-instructions must be a positive number, not '${options.maxInstructions}'`);
    const bytes = await readInputFile(program, io.cwd);
    let process: LinuxProcess;
    try {
        const image = parseElf(bytes);
        const decoder = new TextDecoder();
        process = new LinuxProcess(image, {
            stdout: out => (io.stdoutBytes ? io.stdoutBytes(out) : io.stdout(decoder.decode(out))),
            stderr: out => (io.stderrBytes ? io.stderrBytes(out) : io.stderr(decoder.decode(out))),
            stdin: options.stdin,
            unsupportedSyscall: number => io.stderr(`ukc emu: unsupported system call ${number} (returned -ENOSYS)\n`)
        }, { argv: [program, ...args] });
    } catch (error) {
        if (error instanceof ElfError || error instanceof ProcessSetupError) throw new InputError(`${program}: ${error.message}`);
        throw error;
    }
    const started = performance.now();
    const result = process.run(limit);
    const seconds = (performance.now() - started) / 1000;
    report(result, io);
    if (options.stats) {
        const mips = result.executed / seconds / 1e6;
        io.stderr(`ukc emu: ${result.executed} instructions (${result.retired} retired), ${seconds.toFixed(3)} s, ${mips.toFixed(1)} MIPS\n`);
    }
    return result.status;
}

function report(result: ProcessResult, io: CliIO): void {
    const termination = result.termination;
    const hex = (value: number) => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
    if (termination.kind === 'signal') {
        const what = TRAP_NAMES[termination.trap.cause] ?? `trap ${termination.trap.cause}`;
        const detail = termination.trap.cause === 2 ? ` ${hex(termination.trap.value)}` : termination.trap.cause === 3 ? '' : ` at ${hex(termination.trap.value)}`;
        io.stderr(`ukc emu: killed by ${termination.name}: ${what}${detail} (pc ${hex(termination.trap.pc)})\n`);
    } else if (termination.kind === 'out-of-memory') {
        io.stderr(`ukc emu: out of emulated memory growing the stack (pc ${hex(termination.trap.pc)})\n`);
    } else if (termination.kind === 'instruction-limit') {
        io.stderr(`ukc emu: stopped after ${result.executed} instructions (--max-instructions)\n`);
    }
}
