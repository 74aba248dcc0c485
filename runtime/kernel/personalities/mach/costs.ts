/**
 * The Mach personality's cycle model (docs/ABI.md, "The Mach personality"): what each kernel path of the
 * model costs, charged to the machine's cycle counter like seL4's (cycle-costs.ts). Mach publishes no
 * per-path cycle counts for RISC-V, so these are estimates whose structure follows Mach 3's message path
 * (Draves, "A Revised IPC Interface", 1990; the GNU Mach manual, "Message Send" / "Message Receive"):
 * every mach_msg copies the message into a kernel message buffer and out again (two copies per word where
 * seL4 moves registers), translates port names to rights on the way in and rights to names on the way out,
 * and an RPC is two queue operations — the request sent to the server's port and the reply received on a
 * reply port. Liedtke measured Mach 3 22 times slower than L3 for an 8-byte message and 3 times for 4 KiB
 * (SOSP 1993, "Improving IPC by Kernel Design"); much of that was cache and TLB misses of 1993 hardware,
 * which the emulator does not model, so the figures below charge the path's structure, not that ratio.
 * A module of constants alone, so that the bundler inlines them.
 */
export const enum MachCycleCost {
    /** mach_msg's send half: kernel entry, header copyin, port name to right, kernel message allocated, queued or handed to a receiver. */
    send = 1_300,
    /** mach_msg's receive half: a message dequeued (or the receiver blocked), header copyout, rights to names in the receiver's space. */
    receive = 1_100,
    /** Each 32-bit word copied once: into the kernel message at send, and again out of it at receive. */
    copyPerWord = 8,
    /** Each port right (capability) carried: copied in at send and out at receive. */
    perRight = 250,
    /** Each page of out-of-line memory: the sender's page made copy-on-write and mapped into the message. */
    outOfLinePage = 1_500,
    /** A notification: a header-only message to the notification's port, merged into a pending one. */
    notification = 600
}
