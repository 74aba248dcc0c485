/**
 * The GDB remote-serial-protocol stub (`ukc run --gdb PORT`): the protocol over any byte channel, with no
 * Node API; the TCP listener is the command line's.
 */
export { GdbStub, type ByteChannel, type GdbSessionEnd, type GdbStubSettings } from './gdb-stub.js';
export { RspReader, checksum, encodePacket, escapeBinary, unescapeBinary, MAX_PACKET_SIZE, type RspInput } from './rsp-framing.js';
export { TARGET_XML, REGISTER_COUNT, PC_REGISTER } from './target-description.js';
