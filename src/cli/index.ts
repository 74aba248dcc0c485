/** The command line as a library: run it in-process with your own output sinks. */
export { runCli } from './main.js';
export { ExitCode, processIO, type CliIO } from './cli-io.js';
export type { FileDiagnostic } from './diagnostics-format.js';
/** The debug adapter over Node's file system, for hosts that run it inline (the VS Code extension). */
export { createUkcDebugSession } from './debug-adapter-host.js';
