/**
 * The QNX personality's cycle model (docs/ABI.md, "QNX Neutrino personality"): what each kernel path of
 * the model costs, charged to the machine's cycle counter like seL4's (cycle-costs.ts). QNX publishes no
 * per-path cycle counts for RISC-V, so these are estimates whose structure follows the System Architecture
 * guide: no register-only fastpath (every message is copied by the kernel, so copying costs per word), no
 * combined reply-and-receive (a server's MsgReply and MsgReceive are two kernel calls, each paying an
 * entry), a pulse taken from a kernel pool, and priority inheritance paying a requeue. A module of
 * constants alone, so that the bundler inlines them.
 */
export const enum QnxCycleCost {
    /** MsgSend: kernel entry, connection to channel, rendezvous or queueing, switch to the receiver. */
    msgSend = 1_100,
    /** MsgReceive: kernel entry, taking the highest-priority message or pulse, or blocking. */
    msgReceive = 500,
    /** MsgReply: kernel entry, readying the REPLY-blocked client (the replier does not block). */
    msgReply = 700,
    /** Each 32-bit word of message data the kernel copies from one address space into another. */
    copyPerWord = 8,
    /** MsgSendPulse (and an interrupt's pulse): a pulse from the kernel's pool, delivered or queued. */
    pulse = 450,
    /** A priority changed by inheritance: the thread requeued at its new priority. */
    priorityChange = 60,
    /** Each capability moved with a message (ukc's addition; see docs/ABI.md). */
    perCap = 200
}
