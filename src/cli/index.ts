/** The command line as a library: run it in-process with your own output sinks. */
export { runCli } from './main.js';
export { ExitCode, processIO, type CliIO } from './cli-io.js';
export type { FileDiagnostic } from './diagnostics-format.js';
