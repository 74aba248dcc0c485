/**
 * Source-level debugging of whole systems, without any protocol: `SystemDebugger` drives a `SystemRun`
 * under breakpoints and statement steps and answers what a debugger shows (threads, frames, scopes).
 * The Debug Adapter Protocol side is `src/debug/adapter`, which only translates.
 */
export { SystemDebugger, componentOf, type DebugStop, type DisassembledInstruction, type DebuggerSettings, type ExceptionFilter, type Scope, type StopCause, type VariableValue } from './system-debugger.js';
export type { BreakpointStatus, FunctionBreakpointRequest, InstructionBreakpointRequest, SourceBreakpointRequest } from './breakpoints.js';
export { ConsoleLog } from './console-log.js';
export { History, type HistorySettings, type Moment, type Participant } from './history.js';
export { ExpressionError, compile, evaluate, hitConditionHolds, interpolate } from './expressions.js';
export { displayName, type Frame } from './stack.js';
export { UkcDebugSession, type ExitCodeOf, type LoadedProgram, type ProgramLoader, type UkcLaunchArguments } from './adapter/index.js';
export { GdbStub, type ByteChannel, type GdbSessionEnd, type GdbStubSettings } from './gdb/index.js';
