/**
 * User faults (seL4's faults.c): a page fault, an illegal instruction, an `ebreak` nobody debugs, or a
 * jump to a misaligned address becomes a message from the faulting thread to its fault endpoint, sent
 * like a Call so that the handler's reply resumes it (ipc.ts, resumeAfterFault). A thread without a fault
 * endpoint is suspended; the event is reported, and the rest of the system runs on.
 */
import { TrapCause, type Trap } from '../machine/index.js';
import { FAULT_KIND_NAMES, FaultKind, Right, panicName } from './abi.js';
import { CapType } from './capability.js';
import { CycleCost } from './cycle-costs.js';
import { abandonReply, cancelIpc, sendIpc } from './ipc.js';
import type { Kernel } from './kernel.js';
import { ThreadState, type PendingFault, type Thread } from './objects/tcb.js';

const ACCESS_READ = 0;
const ACCESS_WRITE = 1;
const ACCESS_EXECUTE = 2;

/** The fault message for a trap: label = FaultKind, MR0 = pc, then the details (docs/ABI.md). */
export function faultMessage(trap: Trap): PendingFault {
    const pc = trap.pc >>> 0;
    switch (trap.cause) {
        case TrapCause.LoadPageFault: return { label: FaultKind.PageFault, words: [pc, trap.value >>> 0, ACCESS_READ] };
        case TrapCause.StorePageFault: return { label: FaultKind.PageFault, words: [pc, trap.value >>> 0, ACCESS_WRITE] };
        case TrapCause.InstructionPageFault: return { label: FaultKind.PageFault, words: [pc, trap.value >>> 0, ACCESS_EXECUTE] };
        case TrapCause.Breakpoint: return { label: FaultKind.Breakpoint, words: [pc] };
        case TrapCause.InstructionMisaligned: return { label: FaultKind.MisalignedJump, words: [pc, trap.value >>> 0] };
        default: return { label: FaultKind.IllegalInstruction, words: [pc, trap.value >>> 0] };
    }
}

export function handleFault(k: Kernel, thread: Thread, trap: Trap): void {
    const fault = faultMessage(trap);
    const slot = thread.faultHandler;
    const cap = slot.cap;
    const handler = cap && cap.type === CapType.Endpoint && (cap.rights & Right.Write) !== 0 ? cap : undefined;
    if (k.events.active) {
        k.events.emit({
            kind: 'fault', cycle: k.cycle, thread: thread.name, fault: FAULT_KIND_NAMES[fault.label], pc: trap.pc >>> 0,
            address: fault.words[1] ?? 0, panic: fault.label === FaultKind.IllegalInstruction ? panicName(fault.words[1]) : undefined,
            handler: handler?.object.name
        });
    }
    k.charge(CycleCost.faultDelivery);
    if (!handler) {
        cancelIpc(thread);
        thread.state = ThreadState.Inactive;
        k.unschedule(thread);
        abandonReply(k, thread);
        return;
    }
    sendIpc(k, thread, handler.object, { badge: handler.badge, isCall: true, canGrant: false, fault }, true);
}
