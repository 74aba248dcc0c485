/**
 * bench:run — `ukc run` end to end. Wall time of `ukc run` (check, compile, boot, run, in this process)
 * for each example and for an IPC-heavy ping-pong (bench/systems), and the cost of tracing:
 * the same runs with `--trace` (output discarded), as a same-run ratio.
 *
 * `--instructions` adds the host instructions of one warm round (every system once plain and once traced),
 * counted by cachegrind (bench/cachegrind.ts): this script as `--child N`, N rounds in one process, 2 minus
 * 1. It takes a few minutes; `--instructions-only` prints only this count.
 */
import '../src/polyfill.js';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/cli/main.js';
import { instructionsPerRepetition, valgrindAvailable } from './cachegrind.js';

const RUNS = 11;
const SYSTEMS: readonly { readonly file: string; readonly input?: string }[] = [
    { file: 'examples/calculator/calculator.uk' },
    { file: 'examples/kv-store/kv.uk' },
    { file: 'examples/pipeline/pipeline.uk' },
    { file: 'examples/supervised-restart/supervised.uk' },
    { file: 'examples/name-server/names.uk' },
    { file: 'examples/uart-driver/uart.uk', input: 'hello, microkernel world\n' },
    { file: 'bench/systems/ping-pong.uk' }
];

async function timeRun(file: string, trace: boolean, input?: string): Promise<{ seconds: number; code: number; lines: number }> {
    let lines = 0;
    const io = {
        cwd: process.cwd(),
        stdout: (text: string) => { for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++; },
        stderr: () => {},
        stdoutBytes: (bytes: Uint8Array) => { for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++; },
        readStdin: async () => new TextEncoder().encode(input ?? '')
    };
    const started = performance.now();
    const code = await runCli(['run', path.resolve(file), ...(trace ? ['--trace'] : [])], io);
    return { seconds: (performance.now() - started) / 1000, code, lines };
}

/** One round: every system run once without and once with `--trace`, in the order the bench times them. */
async function round(): Promise<void> {
    for (const { file, input } of SYSTEMS) {
        const a = await timeRun(file, false, input);
        const b = await timeRun(file, true, input);
        if (a.code !== 0 || b.code !== 0) throw new Error(`ukc run ${file} exited ${a.code}/${b.code}`);
    }
}

const child = process.argv.indexOf('--child');
if (child >= 0) {
    for (let i = Number(process.argv[child + 1]); i > 0; i--) await round();
    process.exit(0);
}
if (process.argv.includes('--instructions-only')) {
    console.log(valgrindAvailable() ? `bench:run host_instructions_per_round=${countRound().toFixed(0)}` : 'bench:run valgrind not found: not counted');
    process.exit(0);
}

/** Host instructions of one warm round (see the file's header). */
function countRound(): number {
    return instructionsPerRepetition([fileURLToPath(import.meta.url), '--child'], 1, 2);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

console.log(`bench:run on Node ${process.version}: median of ${RUNS} in-process runs of \`ukc run\` (check + compile + boot + run)`);
let worstRatio = 0;
let summary = '';
for (const { file, input } of SYSTEMS) {
    const plain: number[] = [];
    const traced: number[] = [];
    let traceLines = 0;
    for (let i = 0; i < RUNS; i++) {
        const a = await timeRun(file, false, input);
        const b = await timeRun(file, true, input);
        if (a.code !== 0 || b.code !== 0) throw new Error(`ukc run ${file} exited ${a.code}/${b.code}`);
        plain.push(a.seconds);
        traced.push(b.seconds);
        traceLines = b.lines;
    }
    const ratio = median(traced) / median(plain);
    worstRatio = Math.max(worstRatio, ratio);
    const name = path.basename(file, '.uk');
    console.log(`${name.padEnd(12)} ${median(plain).toFixed(3)} s   with --trace ${median(traced).toFixed(3)} s (${traceLines} lines)   slowdown ${ratio.toFixed(2)}x`);
    summary += ` ${name}_s=${median(plain).toFixed(3)} ${name}_trace_s=${median(traced).toFixed(3)}`;
}
if (process.argv.includes('--instructions')) {
    if (valgrindAvailable()) {
        const perRound = countRound();
        console.log(`host instructions  ${(perRound / 1e6).toFixed(1)} M per warm round of all ${SYSTEMS.length} systems, plain and traced (cachegrind: 2 minus 1 rounds in a process)`);
        summary += ` host_instructions_per_round=${perRound.toFixed(0)}`;
    } else {
        console.log('host instructions  valgrind not found: not counted');
    }
}
console.log(`bench:run${summary} worst_trace_slowdown=${worstRatio.toFixed(2)}`);
