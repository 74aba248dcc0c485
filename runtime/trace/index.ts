/**
 * Tracing: kernel events turned into typed calls and replies (typed-trace.ts, by the layouts the compiler
 * used) and written out as readable lines (text-writer.ts).
 */
export { TypedTrace, type TraceMap, type TypedEvent } from './typed-trace.js';
export { decodeMessage, formatScalar, type DecodedValue } from './message-decoder.js';
export { formatTraceLine } from './text-writer.js';
