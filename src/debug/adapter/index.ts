/**
 * The Debug Adapter Protocol adapter for ukc systems. `createUkcDebugSession()` is the whole adapter over
 * Node's file system: the VS Code extension wraps it in a `DebugAdapterInlineImplementation`, and
 * `ukc debug-adapter` serves it over stdio.
 */
export { createUkcDebugSession, runExitCode } from './node-host.js';
export { UkcDebugSession, type ExitCodeOf, type LoadedProgram, type ProgramLoader, type UkcLaunchArguments } from './ukc-debug-session.js';
