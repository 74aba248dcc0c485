/**
 * The CPU's sizes and limits, in a module that starts with its constants: esbuild inlines another module's
 * leading constants into the code that uses them, but not those of a module that starts with imports, and
 * a constant that is not inlined is a variable that optimised code loads and checks at every use (the
 * dispatch loop uses these several times per block).
 */

/** Entries in the dispatch table (translated blocks by pc; cpu.ts). */
export const DISPATCH_SIZE = 4096;

/**
 * The most instructions one `run` of translated code executes before it returns a `Budget` trap (callers
 * run again). Kept a small integer so that V8 counts the dispatch loop's budget in integer registers: a
 * kernel's budgets are cycle counts that can exceed 2^31, and as doubles they cost a conversion at every
 * comparison (bench:ipc: about 2% of the host instructions per round trip).
 */
export const MAX_RUN = 0x3fff_ffff;

/** Multiplier of the dispatch table's hash (the golden ratio's 32-bit fraction): spreads address-space keys. */
export const DISPATCH_HASH = 0x9e37_79b1;

/**
 * The dispatch table's entry for a pc in an address space of the given mapping generation: the pc's word
 * index mixed with a hash of the generation, so that spaces running code at the same addresses (every
 * program linked at the same base) do not evict each other.
 */
export function dispatchIndex(pc: number, generation: number): number {
    return ((pc >>> 2) ^ (Math.imul(generation, DISPATCH_HASH) >>> 20)) & (DISPATCH_SIZE - 1);
}
