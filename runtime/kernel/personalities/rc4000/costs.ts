/**
 * The RC 4000 personality's cycle model (docs/ABI.md, "The RC 4000 Nucleus personality"): what each of
 * the nucleus's message primitives costs, charged to the machine's cycle counter like seL4's
 * (cycle-costs.ts). Brinch Hansen's nucleus ran on a 1969 machine whose timings do not carry over to
 * RISC-V, so these are estimates whose structure follows the model: every primitive is its own monitor
 * call (a kernel entry each, no combined call and no register-only path: a Call is send message plus
 * wait answer, a server's answer and its next receive are send answer plus wait message); a message is
 * copied twice, into a kernel buffer and out of it, at the same per-word cost as QNX's copy so that the
 * models compare; taking a buffer from the pool and linking it into a queue is a few list operations.
 * A module of constants alone, so that the bundler inlines them.
 */
export const enum Rc4000CycleCost {
    /** send message: entry, claim check, a buffer from the pool, link it into the receiver's queue (or wake it). */
    sendMessage = 600,
    /** wait message: entry, unlink the first buffer of the queue, or block. */
    waitMessage = 500,
    /** send answer: entry, the answer into the buffer, wake the sender waiting for it. */
    sendAnswer = 550,
    /** wait answer: entry, block on the buffer (its answer is copied out when it comes), back to the pool. */
    waitAnswer = 450,
    /** Each 32-bit word copied into or out of a message buffer (a message pays it twice). */
    copyPerWord = 8,
    /** Each capability moved with a message (ukc's addition; see docs/ABI.md). */
    perCap = 200
}
