/**
 * The cycle model: a user instruction costs one cycle; each kernel path costs the fixed number of cycles
 * below, charged to the machine's cycle counter when the path runs, so that emulated time can be compared
 * with published seL4 figures. The IPC numbers come from sel4bench's one-way medians on the HiFive Unleashed
 * (RISC-V, SiFive U54): Call 668 and ReplyRecv 714 cycles on the fastpath, about 1,670 for a 10-word message
 * on the slowpath. The others are estimates of the same order, named as such in docs/ABI.md.
 */
export const enum CycleCost {
    /** Fastpath Call: register-only message, direct switch to a waiting server (sel4bench: 668). */
    fastpathCall = 650,
    /** Fastpath ReplyRecv: reply to the caller and wait for the next message (sel4bench: 714). */
    fastpathReplyRecv = 700,
    /** Any IPC that leaves the fastpath (sel4bench: ~1,670 for 10 words = base + 10 x perWord). */
    slowpathBase = 1_400,
    /** Each message word copied through the IPC buffers (beyond the four registers). */
    perWord = 27,
    /** Each capability transferred. */
    perCap = 200,
    /** Signal, Wait or Poll on a notification (estimate). */
    notification = 400,
    /** Turning a user fault into a message to the fault endpoint (estimate). */
    faultDelivery = 1_500,
    /** A scheduler pass that picks another thread (estimate). */
    contextSwitch = 300,
    /** An invocation of a kernel object: TCB, CNode, frame, IRQ handler (estimate). */
    invocation = 800,
    /** Entering and leaving the kernel for Yield or console output (estimate). */
    trivialSyscall = 200,
    /** Taking a device interrupt and signalling its notification (estimate). */
    interrupt = 1_000
}
