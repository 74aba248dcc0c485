/**
 * The worker thread behind `ukc compare` (compare-command.ts): runs the system it is given under each
 * personality it is sent, through the session library, and posts each measurement back. Node-only (it
 * is a node:worker_threads entry), so it lives beside the command; the work itself is the session's. It
 * parses nothing (the system comes compiled), so it needs no polyfill for Langium's parser.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BootError, measureRun, type KernelPersonalityName, type RunnableSystem } from '../session/index.js';

/** What the command gives each worker once. */
export interface CompareWorkerData {
    readonly system: RunnableSystem;
    readonly maxCycles?: number;
    readonly input: Uint8Array;
}

/** A job: one personality. */
export interface CompareJob {
    readonly kernel: KernelPersonalityName;
}

export type CompareAnswer =
    | { readonly kind: 'measured'; readonly measurement: Awaited<ReturnType<typeof measureRun>> }
    | { readonly kind: 'boot-failure'; readonly kernel: KernelPersonalityName; readonly message: string };

const data = workerData as CompareWorkerData;
const port = parentPort;
port?.on('message', (job: CompareJob) => {
    measureRun(data.system, { kernel: job.kernel, maxCycles: data.maxCycles, input: data.input, cycleLimitName: `--max-cycles ${data.maxCycles}` }).then(
        measurement => port.postMessage({ kind: 'measured', measurement } satisfies CompareAnswer),
        (error: unknown) => {
            if (!(error instanceof BootError)) throw error;
            port.postMessage({ kind: 'boot-failure', kernel: job.kernel, message: error.message } satisfies CompareAnswer);
        }
    );
});
