/**
 * bench:ipc — kernel IPC speed. A client Calls a server in a loop with a register-only message (two
 * words each way), under the bundled kernel on the emulated machine; prints round trips per second of
 * wall time, the emulated cycles per round trip (the cycle model, docs/ABI.md), and, measured in the same
 * run, a native Linux baseline: two processes doing the same ping-pong over pipes (bench/native, built
 * with the system's gcc). The last line is the machine-readable summary.
 *
 * `--instructions` adds the host instructions per round trip, counted by cachegrind (valgrind): exact
 * and repeatable whatever else the machine is doing, where wall time on a shared host is not — the
 * figure to compare two builds by. It takes about a minute. The same ping-pong also runs under every
 * other personality (`--kernel qnx`, `--kernel rc4000`), for its emulated cycles per round trip.
 */
import '../src/polyfill.js';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assemble, assembledImage, type ElfImage } from '../runtime/machine/index.js';
import { DEFAULT_PERSONALITY, KERNEL_PERSONALITIES, bootSystem, parseManifest, type KernelPersonalityName } from '../runtime/kernel/index.js';
import { messageInfo, Syscall } from '../runtime/contract/index.js';
import { instructionsPerRepetition, valgrindAvailable } from './cachegrind.js';

const ROUND_TRIPS = 2_000_000;
const RUNS = 5;

function program(source: string): ElfImage {
    const result = assemble(source, { sectionAddresses: { '.text': 0x1_0000 } });
    if (result.errors.length > 0) throw new Error(result.errors.map(error => error.message).join('\n'));
    return assembledImage(result);
}

const server = program(`
_start:
    li a0, 1
    li a7, ${Syscall.Recv}
    ecall
loop:
    addi a2, a2, 1
    li a1, ${messageInfo(0, 2)}
    li a0, 1
    li a7, ${Syscall.ReplyRecv}
    ecall
    j loop
`);

const clientProgram = (roundTrips: number) => program(`
_start:
    li s0, ${roundTrips}
    li a2, 0
again:
    li a0, 1
    li a1, ${messageInfo(1, 2)}
    li a7, ${Syscall.Call}
    ecall
    addi s0, s0, -1
    bnez s0, again
    li a0, 2
    li a7, ${Syscall.Wait}
    ecall
`);

/** Round trips of the run under each other personality, whose emulated cycles per round trip are printed too. */
const PERSONALITY_ROUND_TRIPS = 200_000;

/** One emulated run: seconds of wall time and emulated cycles, checking the result. */
function runEmulated(roundTrips = ROUND_TRIPS, personality: KernelPersonalityName = 'sel4'): { seconds: number; cycles: number } {
    const manifest = parseManifest({
        format: 'ukc-manifest/1',
        objects: [{ name: 'ep', kind: 'endpoint' }, { name: 'done', kind: 'notification' }],
        components: [
            { name: 'server', image: 'server', threads: [{ name: 'server', priority: 100 }], caps: [{ slot: 1, endpoint: 'ep', rights: 'r' }] },
            { name: 'client', image: 'client', threads: [{ name: 'client', priority: 50 }], caps: [{ slot: 1, endpoint: 'ep', rights: 'w' }, { slot: 2, notification: 'done', rights: 'r' }] }
        ]
    });
    const system = bootSystem(manifest, new Map([['server', server], ['client', clientProgram(roundTrips)]]), { personality });
    const started = performance.now();
    const result = system.kernel.run();
    const seconds = (performance.now() - started) / 1000;
    const total = system.threads.get('client')?.regs[12];
    if (result.reason !== 'idle' || total !== roundTrips) throw new Error(`the ping-pong went wrong: ${result.reason}, ${total}`);
    return { seconds, cycles: result.cycle };
}

function runNative(): number | undefined {
    if (spawnSync('gcc', ['--version']).status !== 0) return undefined;
    const folder = mkdtempSync(path.join(os.tmpdir(), 'ukc-bench-ipc-'));
    try {
        const binary = path.join(folder, 'pipe-ping-pong');
        execFileSync('gcc', ['-O2', '-o', binary, path.resolve('bench/native/pipe-ping-pong.c')]);
        return Number(execFileSync(binary, [String(ROUND_TRIPS / 100)], { encoding: 'utf8' }).trim()) * 100;
    } finally {
        rmSync(folder, { recursive: true, force: true });
    }
}

/**
 * Host instructions per round trip: this script run alone (`--child N`, one emulated run of N round trips)
 * under cachegrind for two values of N; the difference cancels start-up.
 */
function countInstructions(): number | undefined {
    if (!valgrindAvailable()) return undefined;
    return instructionsPerRepetition([fileURLToPath(import.meta.url), '--child'], 200_000, 1_200_000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function main(): void {
    const child = process.argv.indexOf('--child');
    if (child >= 0) {
        runEmulated(Number(process.argv[child + 1]));
        return;
    }
    console.log(`bench:ipc on Node ${process.version}: ${ROUND_TRIPS.toLocaleString('en-US')} register-only Call/ReplyRecv round trips, median of ${RUNS} runs`);
    const runs = Array.from({ length: RUNS }, () => runEmulated());
    const seconds = median(runs.map(run => run.seconds));
    const perSecond = ROUND_TRIPS / seconds;
    const cyclesPerTrip = runs[0].cycles / ROUND_TRIPS;
    console.log(`ukc kernel         ${seconds.toFixed(3)} s  ${(perSecond / 1e6).toFixed(2)} M round trips/s  ${cyclesPerTrip.toFixed(0)} emulated cycles per round trip`);
    console.log(`                   runs: ${runs.map(run => `${(ROUND_TRIPS / run.seconds / 1e6).toFixed(2)} M/s`).join(', ')}`);
    // The same ping-pong under every other personality: its cycle model's cost of a round trip (docs/ABI.md).
    const personalities = KERNEL_PERSONALITIES.filter(name => name !== DEFAULT_PERSONALITY).map(name => {
        const run = runEmulated(PERSONALITY_ROUND_TRIPS, name);
        const cycles = run.cycles / PERSONALITY_ROUND_TRIPS;
        console.log(`${`${name} personality`.padEnd(19)}${run.seconds.toFixed(3)} s  ${(PERSONALITY_ROUND_TRIPS / run.seconds / 1e6).toFixed(2)} M round trips/s  ${cycles.toFixed(0)} emulated cycles per round trip (${PERSONALITY_ROUND_TRIPS.toLocaleString('en-US')} round trips)`);
        return `${name}_cycles_per_round_trip=${cycles.toFixed(0)}`;
    });
    const nativeSeconds = runNative();
    let ratio = 'n/a';
    if (nativeSeconds === undefined) {
        console.log('native pipes       gcc not found: no baseline');
    } else {
        const nativePerSecond = ROUND_TRIPS / nativeSeconds;
        ratio = (perSecond / nativePerSecond).toFixed(2);
        console.log(`native pipes       ${nativeSeconds.toFixed(3)} s  ${(nativePerSecond / 1e6).toFixed(2)} M round trips/s (two Linux processes, extrapolated from ${ROUND_TRIPS / 100} trips)`);
    }
    let instructions = 'n/a';
    if (process.argv.includes('--instructions')) {
        const perTrip = countInstructions();
        instructions = perTrip === undefined ? 'n/a' : perTrip.toFixed(0);
        console.log(perTrip === undefined ? 'host instructions  valgrind not found: not counted'
            : `host instructions  ${perTrip.toFixed(0)} per round trip (cachegrind: 1,200,000 minus 200,000 round trips)`);
    }
    console.log(`bench:ipc round_trips_per_s=${perSecond.toFixed(0)} cycles_per_round_trip=${cyclesPerTrip.toFixed(0)} native_round_trips_per_s=${nativeSeconds === undefined ? 'n/a' : (ROUND_TRIPS / nativeSeconds).toFixed(0)} ratio_to_native=${ratio} host_instructions_per_round_trip=${instructions} ${personalities.join(' ')}`);
}

main();
