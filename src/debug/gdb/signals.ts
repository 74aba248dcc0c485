/** GDB's signal numbers (include/gdb/signals.def), and the signal a kernel fault is reported as. */
import type { FaultEvent } from '../../../runtime/kernel/index.js';

export const Signal = { INT: 0x02, ILL: 0x04, TRAP: 0x05, ABRT: 0x06, BUS: 0x0a, SEGV: 0x0b } as const;

const FAULT_SIGNALS: Readonly<Record<string, number>> = {
    'page-fault': Signal.SEGV, 'illegal-instruction': Signal.ILL, breakpoint: Signal.TRAP, 'misaligned-jump': Signal.BUS
};

/** A panic of compiled code (a failed check stops itself) is SIGABRT; other faults by their kind. */
export function faultSignal(fault: FaultEvent): number {
    if (fault.panic !== undefined) return Signal.ABRT;
    return FAULT_SIGNALS[fault.fault] ?? Signal.SEGV;
}
