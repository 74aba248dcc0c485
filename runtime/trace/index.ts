/**
 * Tracing: kernel events turned into typed calls and replies (typed-trace.ts, by the layouts the compiler
 * used), filtered (filter.ts), and written as readable lines, JSON Lines or Chrome trace-event JSON, or
 * summed up per method (run-figures.ts: messages, bytes copied, context switches, kernel entries, cycles per
 * round trip; figures-table.ts prints them). Unfiltered readable lines have a fast path (line-encoder.ts) that writes
 * the same lines straight into an output buffer.
 */
export { TypedTrace, errorName, shortName, type SiteLocator, type TypedEvent } from './typed-trace.js';
export { decodeMessage, formatCap, formatScalar, type DecodedValue } from './message-decoder.js';
export { formatOutcome, formatTraceLine, formatValues } from './text-writer.js';
export { TraceLineEncoder } from './line-encoder.js';
export { OutputBuffer } from './output-buffer.js';
export { formatJsonLine } from './jsonl-writer.js';
export { ChromeTraceBuilder, type ChromeEvent } from './chrome-writer.js';
export { FiguresRecorder, FIGURE_EVENT_KINDS, NO_METHOD, type MethodFigures, type RunFigures } from './run-figures.js';
export { alignColumns, figuresTable, roundTripCell } from './figures-table.js';
export { parseFilters, matches, FILTER_KEYS, type TraceFilter } from './filter.js';
