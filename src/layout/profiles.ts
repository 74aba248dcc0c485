/**
 * ABI profiles: the kernel parameters that decide how messages are laid out. `ukvm32` is the bundled
 * machine; the seL4 profiles let users see what their interfaces would cost on real kernels (register
 * assignments from seL4's libsel4 for each architecture).
 */
import { MAX_EXTRA_CAPS } from '../../runtime/contract/index.js';

export interface AbiProfile {
    readonly name: string;
    readonly description: string;
    readonly wordBits: 32 | 64;
    /** Message registers passed in CPU registers (seL4: 4 on RISC-V, ARM and x86-64, 2 on ia32). */
    readonly fastRegisters: number;
    /** The CPU registers that carry MR0.. in order, for the explanations. */
    readonly registerNames: readonly string[];
    /** seL4_MsgMaxLength. */
    readonly maxMessageWords: number;
    /** seL4_MsgMaxExtraCaps. */
    readonly maxExtraCaps: number;
    /** Capabilities the kernel's IPC fastpath accepts: 0 on seL4, 1 on ukvm32's kernel. */
    readonly fastpathCaps: number;
    readonly labelBits: number;
}

export const PROFILES: readonly AbiProfile[] = [
    {
        // The bundled kernel's own limit, the same under every personality (the checker holds messages to it).
        name: 'ukvm32', description: "ukc's emulated RV32 machine and kernel", wordBits: 32, fastRegisters: 4,
        registerNames: ['a2', 'a3', 'a4', 'a5'], maxMessageWords: 120, maxExtraCaps: MAX_EXTRA_CAPS, fastpathCaps: 1, labelBits: 20
    },
    {
        name: 'sel4-riscv64', description: 'seL4 on 64-bit RISC-V', wordBits: 64, fastRegisters: 4,
        registerNames: ['a2', 'a3', 'a4', 'a5'], maxMessageWords: 120, maxExtraCaps: 3, fastpathCaps: 0, labelBits: 52
    },
    {
        name: 'sel4-aarch64', description: 'seL4 on AArch64', wordBits: 64, fastRegisters: 4,
        registerNames: ['x2', 'x3', 'x4', 'x5'], maxMessageWords: 120, maxExtraCaps: 3, fastpathCaps: 0, labelBits: 52
    },
    {
        name: 'sel4-x86_64', description: 'seL4 on x86-64', wordBits: 64, fastRegisters: 4,
        registerNames: ['r10', 'r8', 'r9', 'r15'], maxMessageWords: 120, maxExtraCaps: 3, fastpathCaps: 0, labelBits: 52
    },
    {
        name: 'sel4-ia32', description: 'seL4 on 32-bit x86', wordBits: 32, fastRegisters: 2,
        registerNames: ['edi', 'ebp'], maxMessageWords: 120, maxExtraCaps: 3, fastpathCaps: 0, labelBits: 20
    }
];

export const DEFAULT_PROFILE = 'ukvm32';

export function findProfile(name: string): AbiProfile | undefined {
    return PROFILES.find(profile => profile.name === name);
}

export function profileOrDefault(name: string = DEFAULT_PROFILE): AbiProfile {
    const profile = findProfile(name);
    if (!profile) throw new Error(`unknown ABI profile '${name}'`);
    return profile;
}
