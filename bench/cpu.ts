/**
 * bench:cpu — emulator speed. Runs the CPU benchmark (test/fixtures/rv32/bench, about 244 million
 * instructions of integer work) under ukc's machine, with the interpreter alone and with the block
 * translator, and under qemu-riscv32 when it is installed, as the same-run reference. Prints MIPS for each
 * and the ratio; the last line is the machine-readable summary.
 *
 * Every ukc run is a fresh Node process, as every qemu run is a fresh process: in one process, the runs of
 * one engine would warm up V8 for the other (the CPU's dispatch loop is shared) and later runs would
 * reuse earlier ones' heap. A run is what `ukc emu` does, minus Node's start-up.
 *
 * `--instructions` adds the host instructions per emulated instruction of each engine, counted by
 * cachegrind (bench/cachegrind.ts), each in processes of their own: for the translator a whole run minus
 * a process that loads the program and stops before running it; for the interpreter, which is some 15
 * times slower and would take many minutes under valgrind, its first 30 million instructions minus its
 * first 5 million, which cancels start-up too. `--instructions-only` prints only these counts.
 */
import '../src/polyfill.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LinuxProcess, parseElf } from '../runtime/machine/index.js';
import { hostInstructions, instructionsPerRepetition, valgrindAvailable } from './cachegrind.js';

const BENCH = path.resolve('test/fixtures/rv32/bench');
const elfPath = path.join(BENCH, 'elf/cpu_bench.elf');
const expected = JSON.parse(readFileSync(path.join(BENCH, 'expected/cpu_bench.json'), 'utf8')) as { instructions: number };
const expectedStdout = readFileSync(path.join(BENCH, 'expected/cpu_bench.stdout'), 'utf8');
const RUNS = 3;

type Engine = 'interpreter' | 'translator';

/** Loads the benchmark's program as a run does, up to the point where it would start running. */
function loadProgram(translate: boolean, stdout: (text: string) => void): LinuxProcess {
    return new LinuxProcess(parseElf(new Uint8Array(readFileSync(elfPath))), {
        stdout: bytes => stdout(new TextDecoder().decode(bytes)), stderr: () => {}
    }, { argv: ['elf/cpu_bench.elf'], translate });
}

/** Runs the benchmark once in this process and returns the seconds it took. */
function runUkcHere(translate: boolean): number {
    let stdout = '';
    const program = loadProgram(translate, text => { stdout += text; });
    const started = performance.now();
    const result = program.run();
    const seconds = (performance.now() - started) / 1000;
    if (stdout !== expectedStdout || result.executed !== expected.instructions) {
        throw new Error(`ukc's result differs from qemu's: ${JSON.stringify(stdout)}, ${result.executed} instructions`);
    }
    return seconds;
}

/** Runs the benchmark once in a fresh Node process (this script with `--one`) and returns its seconds. */
function runUkc(translate: boolean): number {
    const output = execFileSync(process.execPath, [process.argv[1], '--one', translate ? 'translator' : 'interpreter'], { encoding: 'utf8' });
    return Number(output.trim());
}

function runQemu(): number | undefined {
    const probe = spawnSync('qemu-riscv32', ['--version'], { encoding: 'utf8' });
    if (probe.status !== 0) return undefined;
    const started = performance.now();
    execFileSync('qemu-riscv32', ['elf/cpu_bench.elf'], { cwd: BENCH });
    return (performance.now() - started) / 1000;
}

/** Host instructions per emulated instruction of each engine, to two decimals (`--first ENGINE N` processes, see above). */
function countInstructions(): Record<Engine, string> {
    const script = process.argv[1];
    const translator = (hostInstructions([script, '--first', 'translator', String(expected.instructions)])
        - hostInstructions([script, '--first', 'translator', '0'])) / expected.instructions;
    const interpreter = instructionsPerRepetition([script, '--first', 'interpreter'], 5_000_000, 30_000_000);
    return { interpreter: interpreter.toFixed(2), translator: translator.toFixed(2) };
}

const instructionFields = (interpreter: string, translator: string) =>
    `host_instructions_per_instruction_interpreter=${interpreter} host_instructions_per_instruction_translator=${translator}`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mips = (instructions: number, seconds: number) => instructions / seconds / 1e6;

function main(): void {
    console.log(`bench:cpu on Node ${process.version}: ${expected.instructions.toLocaleString('en-US')} instructions, median of ${RUNS} runs, each in a fresh process`);
    const interpreterSeconds = median(Array.from({ length: RUNS }, () => runUkc(false)));
    const interpreterMips = mips(expected.instructions, interpreterSeconds);
    console.log(`ukc interpreter    ${interpreterSeconds.toFixed(3)} s  ${interpreterMips.toFixed(1)} MIPS`);
    const ukcSeconds = median(Array.from({ length: RUNS }, () => runUkc(true)));
    const ukcMips = mips(expected.instructions, ukcSeconds);
    console.log(`ukc translator     ${ukcSeconds.toFixed(3)} s  ${ukcMips.toFixed(1)} MIPS`);
    const qemuRuns = Array.from({ length: RUNS }, runQemu).filter((value): value is number => value !== undefined);
    let summary = `bench:cpu instructions=${expected.instructions} interpreter_mips=${interpreterMips.toFixed(1)} translator_mips=${ukcMips.toFixed(1)}`;
    if (qemuRuns.length > 0) {
        const qemuSeconds = median(qemuRuns);
        const qemuMips = mips(expected.instructions, qemuSeconds);
        console.log(`qemu-riscv32       ${qemuSeconds.toFixed(3)} s  ${qemuMips.toFixed(1)} MIPS (process start-up included)`);
        console.log(`translator / qemu: ${(ukcMips / qemuMips).toFixed(3)}; interpreter / qemu: ${(interpreterMips / qemuMips).toFixed(3)}`);
        summary += ` qemu_mips=${qemuMips.toFixed(1)} translator_vs_qemu=${(ukcMips / qemuMips).toFixed(3)}`;
    } else {
        console.log('qemu-riscv32 is not installed: no reference in this run (apt-get install qemu-user)');
        summary += ' qemu_mips=none translator_vs_qemu=none';
    }
    if (process.argv.includes('--instructions')) {
        if (valgrindAvailable()) {
            const { interpreter, translator } = countInstructions();
            console.log(`host instructions  per emulated instruction (cachegrind): interpreter ${interpreter} (30 M minus 5 M instructions), translator ${translator} (a run minus loading)`);
            summary += ` ${instructionFields(interpreter, translator)}`;
        } else {
            console.log('host instructions  valgrind not found: not counted');
        }
    }
    console.log(summary);
}

const one = process.argv.indexOf('--one');
const first = process.argv.indexOf('--first');
if (one >= 0) {
    console.log(runUkcHere(process.argv[one + 1] === 'translator'));
} else if (process.argv.includes('--instructions-only')) {
    if (valgrindAvailable()) {
        const { interpreter, translator } = countInstructions();
        console.log(`bench:cpu ${instructionFields(interpreter, translator)}`);
    } else {
        console.log('bench:cpu valgrind not found: not counted');
    }
} else if (first >= 0) {
    // For countInstructions: the program's first N instructions (0: loaded, not run), nothing checked.
    const limit = Number(process.argv[first + 2]);
    const program = loadProgram(process.argv[first + 1] === 'translator', () => {});
    if (limit > 0) program.run(limit);
} else {
    main();
}
