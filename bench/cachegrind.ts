/**
 * Host instructions counted by cachegrind (valgrind): the figure to compare two builds by, exact and
 * repeatable to about ±1% whatever else the machine is doing, where wall time on a shared host is not.
 * Each count is one Node process under `valgrind --tool=cachegrind`. V8 compiles on the main thread
 * (`--no-concurrent-recompilation`): under valgrind its background compiler thread barely runs, and the
 * count would be of unoptimised code.
 */
import { spawnSync } from 'node:child_process';

/** Whether valgrind can be run at all; a bench prints "not counted" without it. */
export function valgrindAvailable(): boolean {
    return spawnSync('valgrind', ['--version']).status === 0;
}

/** The instructions Node executes running `args` (a script and its arguments) under cachegrind. */
export function hostInstructions(args: readonly string[]): number {
    const run = spawnSync('valgrind', ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath,
        '--no-concurrent-recompilation', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr);
    if (run.status !== 0 || !refs) throw new Error(`cachegrind failed: ${run.stderr.slice(-500)}`);
    return Number(refs[1].replaceAll(',', ''));
}

/**
 * The instructions of `many - few` repetitions of a workload, the script run as `args` with the count
 * appended, once for each count: the difference cancels start-up and the first, cold repetitions.
 */
export function instructionsPerRepetition(args: readonly string[], few: number, many: number): number {
    return (hostInstructions([...args, String(many)]) - hostInstructions([...args, String(few)])) / (many - few);
}
