/**
 * The kernel ABI as user programs see it (docs/ABI.md is the prose version; keep the two in step).
 * seL4-shaped: `ecall` with the system call number in a7, a capability pointer in a0, seL4's 32-bit
 * message info in a1, the first four message registers in a2..a5; the kernel's status comes back in a6.
 */

// ------------------------------------------------------------ registers (RISC-V x numbers)

export const REG_RA = 1;
export const REG_SP = 2;
/** In: capability pointer. Out: the sender's badge, or the signal word. */
export const REG_CPTR = 10;
export const REG_BADGE = 10;
export const REG_INFO = 11;
/** MR0..MR3 travel in a2..a5. */
export const REG_MR0 = 12;
export const FAST_MESSAGE_REGISTERS = 4;
/** Out: a `KernelError` (0 on success) or `RECEIVED_SIGNAL`. */
export const REG_STATUS = 16;
export const REG_SYSCALL = 17;

// ------------------------------------------------------------ system call numbers

/** seL4's numbers for the calls seL4 has; ukc's additions follow from -20. */
export const enum Syscall {
    Call = -1,
    ReplyRecv = -2,
    Send = -3,
    NBSend = -4,
    Recv = -5,
    Reply = -6,
    Yield = -7,
    NBRecv = -8,
    DebugPutChar = -9,
    Signal = -20,
    Wait = -21,
    Poll = -22,
    /** a0 = address, a1 = length in bytes (at most 4096): writes a string to the console. */
    DebugWrite = -23,
    /**
     * a0 = the server's own endpoint (read right), a1 = message info (label = event number, no caps), the
     * payload in MR0..: puts one event record in the queue of every subscribed client of that endpoint
     * (docs/ABI.md, "Events"). Never blocks; a0 out = how many queues took it.
     */
    EventEmit = -24,
    /**
     * a0 = a client's endpoint capability to the server (its port): takes the oldest record of that
     * connection's event queue into a1 (message info) and MR0..; a1 = 0 when the queue is empty.
     */
    EventReceive = -25,
    /** a0 = the component's events notification: waits until an event arrives, as Wait does, under every personality. */
    EventWait = -26
}

// ------------------------------------------------------------ message info

/** seL4's 32-bit layout: label:20 | capsUnwrapped:3 | extraCaps:2 | length:7. */
export interface MessageInfo {
    readonly label: number;
    readonly capsUnwrapped: number;
    readonly extraCaps: number;
    readonly length: number;
}

export const MAX_MESSAGE_LENGTH = 120;
export const MAX_EXTRA_CAPS = 3;
export const MAX_LABEL = (1 << 20) - 1;
/** The fields in place, for code that tests them without decoding (the fastpath). */
export const INFO_LENGTH_BITS = 0x7f;
export const INFO_EXTRA_CAPS_BITS = 0x180;
/** The extraCaps field holding 1 (at most one capability travels on the fastpath). */
export const INFO_ONE_EXTRA_CAP = 0x80;
/** extraCaps and capsUnwrapped together: what a receiver's message info is rebuilt from. */
export const INFO_CAP_BITS = 0xf80;

export function messageInfo(label: number, length: number, extraCaps = 0, capsUnwrapped = 0): number {
    return ((label & MAX_LABEL) << 12) | ((capsUnwrapped & 7) << 9) | ((extraCaps & 3) << 7) | (length & INFO_LENGTH_BITS);
}

export function infoLabel(info: number): number {
    return info >>> 12;
}

export function infoCapsUnwrapped(info: number): number {
    return (info >>> 9) & 7;
}

export function infoExtraCaps(info: number): number {
    return (info >>> 7) & 3;
}

export function infoLength(info: number): number {
    return info & INFO_LENGTH_BITS;
}

export function decodeMessageInfo(info: number): MessageInfo {
    return { label: infoLabel(info), capsUnwrapped: infoCapsUnwrapped(info), extraCaps: infoExtraCaps(info), length: infoLength(info) };
}

// ------------------------------------------------------------ IPC buffer (seL4's 32-bit seL4_IPCBuffer)

export const IPC_BUFFER_SIZE = 512;
/** The buffer must start on this boundary (so that it never straddles two pages). */
export const IPC_BUFFER_ALIGN = 512;
export const IPC_TAG = 0;
/** msg[i] at 4 + 4*i; msg[0..3] are not used (a2..a5 carry them). */
export const IPC_MSG = 4;
export const IPC_USER_DATA = 4 + 4 * MAX_MESSAGE_LENGTH;
/** Sender: the cptrs of the extra caps. Receiver: the badges of unwrapped caps. */
export const IPC_CAPS_OR_BADGES = IPC_USER_DATA + 4;
export const IPC_RECEIVE_CNODE = IPC_CAPS_OR_BADGES + 4 * MAX_EXTRA_CAPS;
/** Where received capabilities go (consecutive slots from here); 0 accepts none. */
export const IPC_RECEIVE_INDEX = IPC_RECEIVE_CNODE + 4;
export const IPC_RECEIVE_DEPTH = IPC_RECEIVE_INDEX + 4;
/** Set on an extra-cap cptr: give the capability away (L4 grant) instead of handing out a derived copy. */
export const CAP_GRANT_FLAG = 0x8000_0000;

// ------------------------------------------------------------ capabilities

/** seL4's CapRights bits. */
export const enum Right {
    Write = 1,
    Read = 2,
    Grant = 4
}
export const ALL_RIGHTS = Right.Write | Right.Read | Right.Grant;

/** Permissions of a page mapping (FrameMap's MR2). */
export const enum MapPermission {
    Read = 1,
    Write = 2,
    Execute = 4
}

// ------------------------------------------------------------ object invocations (labels of a Call on an object cap)

export const enum Invocation {
    /** MR0 = fault endpoint cptr (0: none), MR1 = IPC buffer address (0: none). */
    TcbConfigure = 1,
    /** MR0 = priority 0..255, at most the invoker's maximum controlled priority. */
    TcbSetPriority = 2,
    TcbResume = 3,
    TcbSuspend = 4,
    /** MR0 = pc, MR1 = sp, MR2 = 1 to resume the thread as well. */
    TcbWriteRegisters = 5,
    /** Reply: MR0 = pc, MR1 = sp, MR2 = state (ThreadStateCode). */
    TcbReadRegisters = 6,
    /** MR0 = notification cptr. */
    TcbBindNotification = 7,
    TcbUnbindNotification = 8,
    /** MR0 = maximum controlled priority 0..255, at most the invoker's own. */
    TcbSetMCPriority = 9,
    /** MR0 = destination index in the invoked CNode, MR1 = source cptr (caller's space), MR2 = rights mask. */
    CNodeCopy = 20,
    /** As Copy, and MR3 = badge. */
    CNodeMint = 21,
    /** MR0 = destination index, MR1 = source cptr. */
    CNodeMove = 22,
    /** MR0 = index. */
    CNodeDelete = 23,
    /** MR0 = index: deletes every capability derived from the one there. */
    CNodeRevoke = 24,
    /**
     * MR0 = destination index: moves the reply capability the invoker holds (from the last Call it
     * received) into that slot, where it stays until used by Send or deleted (seL4's CNode_SaveCaller).
     */
    CNodeSaveCaller = 25,
    /** MR0 = VSpace cptr, MR1 = virtual address (page-aligned), MR2 = MapPermission bits. */
    FrameMap = 30,
    FrameUnmap = 31,
    /** Reply: MR0 = the physical address of the frame (for drivers that program DMA). */
    FrameGetAddress = 32,
    /** MR0 = notification cptr. */
    IrqSetNotification = 40,
    IrqAck = 41,
    IrqClear = 42
}

// ------------------------------------------------------------ fault messages

/** The label of a fault message sent to a thread's fault endpoint. */
export const enum FaultKind {
    /** MR0 = pc, MR1 = address, MR2 = access (0 read, 1 write, 2 execute). */
    PageFault = 1,
    /** MR0 = pc, MR1 = instruction word. */
    IllegalInstruction = 2,
    /** MR0 = pc. */
    Breakpoint = 3,
    /** MR0 = pc, MR1 = target address. */
    MisalignedJump = 4
}

/**
 * Why compiled code stopped itself. A panic prints its message and executes the illegal instruction
 * `PANIC_WORD_BASE | code << 8` at the statement that failed: its opcode bits are zero, which no RV32IM
 * instruction has, so the kernel sends an illegal-instruction fault whose MR1 (the instruction word)
 * names the reason, and a tool reads the statement from the fault's pc (docs/ABI.md, "Faults from
 * compiled code").
 */
export const enum PanicCode {
    AssertionFailed = 1,
    DivisionByZero = 2,
    IndexOutOfBounds = 3,
    /** A handler's byte-buffer result is longer than its place in the reply. */
    BulkOutOfBounds = 4,
    /** The kernel refused an IPC (a6 ≠ 0). */
    IpcFailed = 5,
    /** A reply with an error label the method does not raise. */
    UnexpectedReply = 6,
    /** The server failed while serving the call, and the caller does not catch it. */
    ServerFailed = 7,
    /** A deferred reply answered when it was not pending (answered already, or never deferred). */
    ReplyNotPending = 8,
    /** A reply's `out` string or vec is longer than its capacity, or a string is not well-formed UTF-8. */
    BadReplyData = 9
}

/** ASCII 'UK' in the top half: a panic word, not an accidental zero word. */
export const PANIC_WORD_BASE = 0x554b_0000;

/**
 * The label of an error reply the kernel gives a caller whose server stopped serving its call (it
 * faulted, was restarted or suspended, or is left stopped); compiled code reports it as `ServerFailed`.
 * Next to the compiler's reserved labels 0xfffff (unknown method) and 0xffffe (bad bulk data).
 */
export const SERVER_FAILED_LABEL = 0xffffd;

/**
 * The label of every error reply of a method whose error enum has a value beyond the label (a 32-bit
 * error code): the code itself travels in the message as the field `error` (docs/ABI.md, "Labels").
 */
export const WIDE_ERROR_LABEL = 0xffffc;

/** The path of the 32-bit error code among the fields of a WIDE_ERROR_LABEL reply. */
export const ERROR_CODE_FIELD = 'error';

/** The largest error code: codes travel in a 32-bit word when they do not fit the label. */
export const MAX_ERROR_CODE = 0xffff_ffff;

/** Thread states as TcbReadRegisters reports them. */
export const enum ThreadStateCode {
    Inactive = 0,
    Running = 1,
    BlockedOnSend = 2,
    BlockedOnReceive = 3,
    BlockedOnReply = 4,
    BlockedOnNotification = 5
}

// ------------------------------------------------------------ names, for reports and traces
// (Kept after every numeric constant: the bundler inlines a module's leading constants into their users,
// and stops at the first object; the IPC fastpath reads several of them per message.)

export const SYSCALL_NAMES: Readonly<Record<number, string>> = {
    [-1]: 'Call', [-2]: 'ReplyRecv', [-3]: 'Send', [-4]: 'NBSend', [-5]: 'Recv', [-6]: 'Reply', [-7]: 'Yield',
    [-8]: 'NBRecv', [-9]: 'DebugPutChar', [-20]: 'Signal', [-21]: 'Wait', [-22]: 'Poll', [-23]: 'DebugWrite',
    [-24]: 'EventEmit', [-25]: 'EventReceive', [-26]: 'EventWait'
};

export const FAULT_KIND_NAMES: Readonly<Record<number, string>> = {
    1: 'page-fault', 2: 'illegal-instruction', 3: 'breakpoint', 4: 'misaligned-jump'
};

export const PANIC_NAMES: Readonly<Record<number, string>> = {
    1: 'assertion-failed', 2: 'division-by-zero', 3: 'index-out-of-bounds', 4: 'bulk-out-of-bounds', 5: 'ipc-failed',
    6: 'unexpected-error-reply', 7: 'server-failed', 8: 'reply-not-pending',
    9: 'bad-reply-data'
};

/** The illegal instruction word a panic of this kind executes. */
export function panicWord(code: PanicCode): number {
    return (PANIC_WORD_BASE | (code << 8)) >>> 0;
}

/** The reason a panic word names, or undefined when the word is not one. */
export function panicName(instructionWord: number): string | undefined {
    const word = instructionWord >>> 0;
    if ((word & 0xffff_00ff) !== PANIC_WORD_BASE) return undefined;
    return PANIC_NAMES[(word >>> 8) & 0xff];
}
