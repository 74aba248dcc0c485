/**
 * Which kernel personality a run boots under, and what it sets about it, from what a host was asked
 * (`ukc run --kernel/--buffers`, a debug launch configuration's `kernel`/`buffers`) and the system's
 * `kernel:` line. One rule for every host; each words the refusals with its own names for the settings.
 */
import { KERNEL_PERSONALITIES, isKernelPersonality, type KernelPersonalityName } from '../../runtime/contract/index.js';
import { InputError } from './input-error.js';
import type { RunnableSystem } from './runnable-system.js';
import type { BootSettings } from './system-run.js';

/** The most message buffers a run may ask for (a pool is searched per send: keep it a pool, not a heap). */
export const MAX_MESSAGE_BUFFERS = 4096;

/** How a host's user writes the two settings (`--kernel`, or `'kernel'` in a launch configuration). */
export interface PersonalitySettingNames {
    readonly kernel: string;
    readonly buffers: string;
    /** The kernel setting with a value, as the user would write it: `--kernel rc4000`. */
    kernelSetTo(name: KernelPersonalityName): string;
}

/** What a host was asked, checked: a personality that exists, a whole number of buffers in range. */
export interface PersonalityRequest {
    readonly kernel?: KernelPersonalityName;
    readonly buffers?: number;
}

/**
 * Checks what a host was given (text from a command line, JSON values from a launch configuration);
 * a value that names no personality or no number of buffers is an `InputError` worded with `names`.
 */
export function readPersonalityRequest(given: { readonly kernel?: unknown; readonly buffers?: unknown }, names: PersonalitySettingNames): PersonalityRequest {
    const { kernel, buffers } = given;
    if (kernel !== undefined && !(typeof kernel === 'string' && isKernelPersonality(kernel))) {
        throw new InputError(`${names.kernel} must be one of ${KERNEL_PERSONALITIES.join(', ')}, not '${String(kernel)}'`);
    }
    if (buffers === undefined) return { kernel };
    const count = typeof buffers === 'number' || typeof buffers === 'string' ? Number(buffers) : NaN;
    if (!Number.isInteger(count) || count < 1 || count > MAX_MESSAGE_BUFFERS) {
        throw new InputError(`${names.buffers} needs a whole number from 1 to ${MAX_MESSAGE_BUFFERS}, not '${String(buffers)}'`);
    }
    return { kernel, buffers: count };
}

/**
 * The boot settings a checked request gives `system`: the personality asked for (else the system's
 * `kernel:` line decides at boot) and its settings. Only RC 4000 has a pool of buffers, whichever way it
 * was chosen; asking for one under another personality is an `InputError`.
 */
export function personalityBootSettings(request: PersonalityRequest, system: RunnableSystem, names: PersonalitySettingNames): Pick<BootSettings, 'kernel' | 'personalitySettings'> {
    if (request.buffers !== undefined && (request.kernel ?? system.manifest.kernel) !== 'rc4000') {
        throw new InputError(`${names.buffers} applies only to the rc4000 personality (${names.kernelSetTo('rc4000')}, or a \`kernel: rc4000\` line in the system)`);
    }
    return { kernel: request.kernel, personalitySettings: { messageBuffers: request.buffers } };
}
