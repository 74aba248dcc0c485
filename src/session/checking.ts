/**
 * The session library's source half, a face of its own: read sources through a file system provider,
 * check them, lay out their interfaces, format them and compile a system (`Session`). It reaches none of
 * the machine, the kernel or the trace, and loads the code generator only when a system is compiled, so
 * that `ukc check`, `ukc fmt`, `ukc layout` and `ukc diff` load and parse only what checking needs (a
 * module imported is a module evaluated: a bundler can drop unused re-exports only from modules without
 * top-level effects, so the running half stays out of this face's imports). `index.ts` re-exports it
 * whole beside the running half.
 */
export { Session, type CheckResult, type CompileResult, type LayoutResult } from './session.js';
export { InputError } from './input-error.js';
export type { FormattedFile } from './format.js';
export { MemoryFileSystem } from '../language/index.js';
/** Sources are named by URI (`file:///...` on disk, any scheme in memory). */
export { URI } from 'langium';
export { loadWorkspace, readInput, type LoadedWorkspace, type SourceInput } from './workspace.js';
export { compareDiagnostics, hasErrors, type Severity, type SourceDiagnostic, type SourceRange } from './diagnostics.js';
export { layoutDocuments, layoutProblemDiagnostics, resolveProfile, type FileLayouts, type InterfaceLayoutEntry } from './layouts.js';
export { lockUri } from './locks.js';
export { runnableOf, type RunnableImage, type RunnableSystem } from './runnable-system.js';
