/**
 * The Debug Adapter Protocol adapter for ukc systems: it only translates between the protocol and the
 * debug model. The host gives it a program loader and the exit statuses; the Node host is
 * `src/cli/debug-adapter-host.ts` (`createUkcDebugSession()`, which `ukc debug-adapter` serves over stdio
 * and the VS Code extension runs inline).
 */
export { UkcDebugSession, type ExitCodeOf, type LoadedProgram, type ProgramLoader, type UkcLaunchArguments } from './ukc-debug-session.js';
