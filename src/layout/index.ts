/** The message layout engine: pure functions from an interface and an ABI profile to message layouts. */
export * from './types.js';
export { PROFILES, DEFAULT_PROFILE, findProfile, profileOrDefault, type AbiProfile } from './profiles.js';
export { layoutInterface, bitsFor, scalarBits, overlaps, type LayoutResult } from './engine.js';
export { ERROR_CODE_PATH, errorFields, errorLabel, isWideError } from './error-messages.js';
export { createCodec, CodecError, isSigned, type MessageCodec, type MessageValues } from './codec.js';
export { MAX_LEASE_BYTES, REGISTER_VALUES, OVERFLOW_VALUES, unsupportedMessage } from './message-limits.js';
export { formatEvent, formatInterface, formatMethod, summarise, summaryLine, typeName, unionLines, type InterfaceSummary } from './format.js';
export { diffLayouts, type LayoutChange } from './diff.js';
export { LOCK_FORMAT, LockError, parseLock, serializeLock, type LayoutLock } from './lock.js';
