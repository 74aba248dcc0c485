/** The personalities by name (runtime/kernel/personality.ts says what one is). */
import type { KernelPersonality, KernelPersonalityName, PersonalitySettings } from '../personality.js';
import { QnxPersonality } from './qnx/qnx-personality.js';
import { Rc4000Personality } from './rc4000/rc4000-personality.js';
import { createSel4Personality } from './sel4.js';

/** A fresh personality for one kernel (a personality keeps per-run state: queued pulses, inherited priorities). */
export function createPersonality(name: KernelPersonalityName, settings: PersonalitySettings = {}): KernelPersonality {
    switch (name) {
        case 'qnx': return new QnxPersonality();
        case 'rc4000': return new Rc4000Personality(settings.messageBuffers);
        default: return createSel4Personality();
    }
}
