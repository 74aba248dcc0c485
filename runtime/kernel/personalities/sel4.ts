/**
 * The seL4 personality, the default: the kernel as it always was — fastpath.ts at system-call entry, then
 * syscalls.ts and ipc.ts. It adds nothing to the hot path (the kernel calls the fastpath directly and this
 * object only for what the fastpath declines) and counts nothing, so that bench:ipc is not slowed.
 */
import { signalNotification } from '../ipc.js';
import type { KernelPersonality, PersonalityFigures } from '../personality.js';
import { handleSyscall } from '../syscalls.js';

const NO_FIGURES: PersonalityFigures = { messages: 0, bytesCopied: 0, pulses: 0, priorityChanges: 0 };

export function createSel4Personality(): KernelPersonality {
    return {
        name: 'sel4',
        usesFastpath: true,
        handleSyscall,
        signalInterrupt: (k, notification, badge, line) => signalNotification(k, notification, badge, `irq:${line}`),
        figures: () => NO_FIGURES
    };
}
