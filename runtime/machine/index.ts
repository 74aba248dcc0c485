/** The emulated machine: RV32IM CPU, memory and MMU, ELF loading, and bare-mode Linux processes. */
export { decode, Op, type Decoded } from './decode.js';
export { Cpu, DOUBLE, TrapCause, mulh, mulhu, mulhsu, type Trap, type CpuOptions } from './cpu.js';
export { AddressSpace, PhysicalMemory, PAGE_SIZE, PAGE_SHIFT, type Mapping, type MappedDevice } from './memory.js';
export { Mmu, Access } from './mmu.js';
export { capturePages, restorePages, type PagedCopy } from './paged-copy.js';
export { parseElf, ElfError, PF_R, PF_W, PF_X, type ElfImage, type ElfSegment, type ElfSymbol } from './elf.js';
export { LinuxProcess, ProcessSetupError, SIGNALS, type HostError, type ProcessIO, type ProcessResult, type Termination } from './linux-process.js';
export { encode, EncodeError, type Instruction } from './asm/encoder.js';
export { disassemble, REGISTER_NAMES } from './asm/disassembler.js';
export { assemble, AssemblyError, type AssemblyResult, type AssembledSection, type AssemblyOptions } from './asm/assembler.js';
export { assembledImage } from './asm/image.js';
export * from './devices/index.js';
