/**
 * Error codes the kernel returns to user programs (in `a6`, and as the reply label of object invocations).
 * Numbered as seL4's `seL4_Error`, so that seL4 knowledge transfers; nothing a user program does makes the
 * kernel throw — every rejected request ends here.
 */
export const enum KernelError {
    NoError = 0,
    /** An argument is out of its allowed set (an unknown operation, a priority above 255, a bad permission). */
    InvalidArgument = 1,
    /** The capability is of the wrong type or lacks a right the operation needs. */
    InvalidCapability = 2,
    /** The operation is not allowed in the object's current state (e.g. a frame that is already mapped). */
    IllegalOperation = 3,
    /** A count or length is outside its range (e.g. more than 120 message words, more than 3 caps). */
    RangeError = 4,
    /** An address is not aligned as the operation requires. */
    AlignmentError = 5,
    /** A capability pointer names an empty slot or lies outside the capability space. */
    FailedLookup = 6,
    /** The message cannot be delivered whole (e.g. the sender's IPC buffer is not mapped). */
    TruncatedMessage = 7,
    /** The destination slot or address is occupied. */
    DeleteFirst = 8,
    /** The capability still has derived children where the operation needs none. */
    RevokeFirst = 9,
    /** The machine has no free frame left. */
    NotEnoughMemory = 10
}

/**
 * Not an error: the value of `a6` after a receive when a notification bound to the receiving thread was
 * delivered instead of a message (`a0` then holds the signal word).
 */
export const RECEIVED_SIGNAL = 64;

/** Not an error: the value of `a6` after NBRecv or NBSend found nobody to rendezvous with. */
export const WOULD_BLOCK = 65;

export const KERNEL_ERROR_NAMES: Readonly<Record<number, string>> = {
    0: 'NoError', 1: 'InvalidArgument', 2: 'InvalidCapability', 3: 'IllegalOperation', 4: 'RangeError',
    5: 'AlignmentError', 6: 'FailedLookup', 7: 'TruncatedMessage', 8: 'DeleteFirst', 9: 'RevokeFirst',
    10: 'NotEnoughMemory'
};
