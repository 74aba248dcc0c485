/**
 * `ukc compare SYSTEM.uk [--kernel a,b,...] [--json]`: compiles the system once (or reads an image
 * directory), runs it to its end under every kernel personality (or those listed) in worker threads —
 * one per core, never more than there are personalities — and prints the session library's comparison:
 * per method and in total, messages, bytes copied, context switches, kernel entries and cycles per round
 * trip side by side, then where behaviour differed. Runs are deterministic, so the output is too.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
    KERNEL_PERSONALITIES, RunExit, compareRuns, comparisonText, isKernelPersonality, type KernelPersonalityName
} from '../session/index.js';
import { ExitCode, type CliIO } from './cli-io.js';
import type { CompareAnswer, CompareJob, CompareWorkerData } from './compare-worker.js';
import { InputError } from './input-files.js';
import { loadSystem } from './run-command.js';

export interface CompareOptions {
    /** Comma-separated personalities, in the order to show them. */
    readonly kernel?: string;
    readonly json?: boolean;
    readonly maxCycles?: string;
    readonly system?: string;
}

/** `--kernel a,b`: personalities that exist, each once; all of them when not given. */
function personalities(list: string | undefined): KernelPersonalityName[] {
    if (list === undefined) return [...KERNEL_PERSONALITIES];
    const names = list.split(',').map(name => name.trim());
    const chosen: KernelPersonalityName[] = [];
    for (const name of names) {
        if (!isKernelPersonality(name)) throw new InputError(`--kernel must list personalities among ${KERNEL_PERSONALITIES.join(', ')}, not '${name}'`);
        if (!chosen.includes(name)) chosen.push(name);
    }
    return chosen;
}

function positiveInteger(text: string | undefined, option: string): number | undefined {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new InputError(`${option} needs a positive whole number, not '${text}'`);
    return value;
}

export async function runCompare(file: string, options: CompareOptions, io: CliIO): Promise<number> {
    const kernels = personalities(options.kernel);
    const maxCycles = positiveInteger(options.maxCycles, '--max-cycles');
    const system = await loadSystem(file, options, io);
    if (typeof system === 'number') return system;
    const input = await io.readStdin?.() ?? new Uint8Array();
    const answers = await measureInWorkers(kernels, { system, maxCycles, input });
    const failure = answers.find(answer => answer.kind === 'boot-failure');
    if (failure) {
        io.stderr(`ukc: system ${system.name} cannot boot under ${failure.kernel}: ${failure.message}\n`);
        return RunExit.BootFailure;
    }
    const measured = answers.flatMap(answer => (answer.kind === 'measured' ? [answer.measurement] : []));
    const comparison = compareRuns(system.name, measured);
    io.stdout(options.json ? JSON.stringify(comparison, null, 2) + '\n' : comparisonText(comparison).map(line => line + '\n').join(''));
    return ExitCode.Ok;
}

/** One measurement per personality, in the order asked for, from a pool of worker threads. */
async function measureInWorkers(kernels: readonly KernelPersonalityName[], data: CompareWorkerData): Promise<CompareAnswer[]> {
    const answers = new Map<KernelPersonalityName, CompareAnswer>();
    const queue = [...kernels];
    const workers = Array.from({ length: Math.max(1, Math.min(availableParallelism(), kernels.length)) }, () => new Worker(new URL('./compare-worker.js', import.meta.url), { workerData: data }));
    try {
        await Promise.all(workers.map(worker => new Promise<void>((resolve, reject) => {
            const next = () => {
                const kernel = queue.shift();
                if (kernel === undefined) return resolve();
                worker.postMessage({ kernel } satisfies CompareJob);
            };
            worker.on('message', (answer: CompareAnswer) => {
                answers.set(answer.kind === 'measured' ? answer.measurement.kernel : answer.kernel, answer);
                next();
            });
            worker.on('error', reject);
            worker.on('exit', code => reject(new Error(`a compare worker exited early (status ${code})`)));
            next();
        })));
    } finally {
        await Promise.all(workers.map(worker => worker.terminate()));
    }
    return kernels.map(kernel => answers.get(kernel) as CompareAnswer);
}
