/**
 * The session library: the ukc workflow without a terminal, a file system or a process. Check and compile
 * sources read through a file system provider (`Session`), read and write image directories as file
 * contents, boot a system and run it in slices (`bootRunnable`, `SystemRun`), map any pc to `.uk` source
 * (`SourceMap`), say how a run ended (`RunOutcome`), send its trace to writers (`TraceSinks`), and measure
 * runs under several kernel personalities and compare them (`measureRun`, `compareRuns`). The
 * command line, the VS Code extension, the debug adapter and a browser all stand on this; it uses no
 * Node-only API.
 */
/** The source half (check, lay out, format, compile), which `ukc check` loads alone: see checking.ts. */
export * from './checking.js';
// `export *` cannot pass on names that come from a CommonJS module (vscode-uri's URI): named explicitly.
export { URI } from './checking.js';
export { DEBUG_FORMAT, ImageError, imageFiles, readImageDirectory } from './image-directory.js';
export { SourceMap, type SourceLocation } from './source-map.js';
export {
    BootError, SystemRun, bootRunnable, describeFault, describeWait, type BootSettings, type ConsoleSink, type FaultReport, type RunOutcome,
    type RunSettings, type StopRequest, type WaitReport
} from './system-run.js';
export { RunExit, outcomeReport, type LimitNames, type OutcomeLine, type OutcomeReport } from './outcome-report.js';
/** The kernel personalities a run may choose (`ukc run --kernel`). */
export { KERNEL_PERSONALITIES, DEFAULT_PERSONALITY, DEFAULT_MESSAGE_BUFFERS, isKernelPersonality, type KernelPersonalityName } from '../../runtime/contract/index.js';
export type { NotableEvents, PersonalityFigures, PersonalitySettings } from '../../runtime/kernel/index.js';
export { MAX_MESSAGE_BUFFERS, personalityBootSettings, readPersonalityRequest, type PersonalityRequest, type PersonalitySettingNames } from './personality-choice.js';
/** A run measured to its end (`ukc run --stats`, `ukc compare`), and several set side by side. */
export { measureRun, type MeasureSettings, type MeasuredOutcome, type RunMeasurement } from './run-measurement.js';
export { compareRuns, comparisonText, type ComparedFigures, type ComparedMethod, type Comparison } from './comparison.js';
export { notableText, statsReport } from './stats-report.js';
export type { MethodFigures, RunFigures } from '../../runtime/trace/index.js';
export { TraceSinks, type TraceResults, type TraceSettings } from './trace-sinks.js';
/** Byte buffers that trace lines and console output share, so that they interleave in order. */
export { OutputBuffer, parseFilters, type TraceFilter, type TypedEvent } from '../../runtime/trace/index.js';
