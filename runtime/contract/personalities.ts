/**
 * The kernel personalities by name: the IPC models a run may choose (`ukc run --kernel`, a system's
 * `kernel:` line, a manifest's `kernel` field). The compiler checks a system's choice against this list and
 * the kernel boots one of them, so the names are contract; what each personality does is the kernel's
 * (runtime/kernel/personality.ts). A module of constants with no imports, like abi.ts.
 */

/** The personalities that exist, the default first. */
export const KERNEL_PERSONALITIES = ['sel4', 'qnx', 'rc4000', 'mach'] as const;
export type KernelPersonalityName = (typeof KERNEL_PERSONALITIES)[number];
export const DEFAULT_PERSONALITY: KernelPersonalityName = 'sel4';

/**
 * RC 4000's message buffers in the pool unless the run sets another number (`ukc run --buffers N`): the
 * command line names it in its help, and the personality (runtime/kernel/personalities/rc4000) uses it.
 */
export const DEFAULT_MESSAGE_BUFFERS = 32;

export function isKernelPersonality(name: string): name is KernelPersonalityName {
    return (KERNEL_PERSONALITIES as readonly string[]).includes(name);
}
