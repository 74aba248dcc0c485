/** The personalities by name (runtime/kernel/personality.ts says what one is). */
import type { KernelPersonality, KernelPersonalityName } from '../personality.js';
import { MachPersonality } from './mach/mach-personality.js';
import { QnxPersonality } from './qnx/qnx-personality.js';
import { createSel4Personality } from './sel4.js';

/** A fresh personality for one kernel (a personality keeps per-run state: queued pulses, inherited priorities, port queues). */
export function createPersonality(name: KernelPersonalityName): KernelPersonality {
    switch (name) {
        case 'qnx': return new QnxPersonality();
        case 'mach': return new MachPersonality();
        default: return createSel4Personality();
    }
}
