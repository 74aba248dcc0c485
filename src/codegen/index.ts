/**
 * The code generator: a checked `system` to RV32 images and a boot manifest. `compileSystem` is the entry
 * point; the pieces are the IR (ir.ts), the lowering from the syntax tree (lower/), the RV32 back end
 * (rv32/: register allocation, emission, the runtime library), the IPC code from layouts (ipc/) and the
 * ELF writer (image/). The slots and addresses compiled components rely on are the contract's
 * (runtime/contract), not the code generator's.
 */
export { compileSystem, DEFAULT_PRIORITY, type CompiledSystem, type CompiledImage, type LineTableEntry, type VariableInfo } from './system.js';
export { compileComponent, position, type CodegenProblem, type CompiledComponent } from './component.js';
export { writeElf, type ImageSection, type ImageSymbol } from './image/elf-writer.js';
export type { DebugType, LocalInfo, StateInfo } from './debug-info.js';
/** The failed-server loop a supervisor restarts a server at once its restarts are used up (for debuggers). */
export { FAILED_SERVER_ENTRY } from './ipc/message-code.js';
