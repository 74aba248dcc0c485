/**
 * Translation of code into JavaScript functions: decode once, then run straight-line code with the
 * registers in local variables and the TLB's fast path inlined. A translated region is entered at one
 * address and covers the following instructions of the page, up to MAX_BLOCK of them (and, when it branches
 * back to earlier instructions of the page, those too: see backwardPrefix), stopping
 * before an instruction that needs the interpreter (CSR access, fence.i, an illegal word), after an
 * indirect jump, and at an ecall or ebreak, which end the region with their trap (a system call then costs
 * no trip through the interpreter). Branches and jumps to instructions inside the region stay inside the function (a
 * `switch` on the target inside a loop); others leave it. Semantics are the interpreter's (cpu.ts), which
 * stays the reference: a region that faults writes back its registers and reports the trap at the faulting
 * instruction, exactly as the interpreter would; it never runs more instructions than its limit allows.
 * An access to a device's registers ends the region the same way, before the instruction (the MMU defers
 * it, mmu.ts): the CPU has the interpreter make it once the count of retired instructions is exact.
 */
import { decode, Op, type Decoded } from './decode.js';
import { PAGE_MASK } from './memory.js';
import type { Mmu } from './mmu.js';

/**
 * The most instructions in a region. Smaller functions reach V8's optimising compiler sooner and lose less
 * when a path taken for the first time deoptimises them; on bench:cpu, 32 ran about a quarter faster than
 * 64, and 16 far slower (more trips through the dispatcher).
 */
export const MAX_BLOCK = 32;

/** Whether the host stores numbers little-endian, as RISC-V does: then typed arrays can stand in for DataView. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What a block reads and writes besides the registers; one per CPU. */
export interface BlockState {
    readonly mmu: Mmu;
    readonly view: DataView;
    readonly bytes: Uint8Array;
    /** The same memory as 32-bit and 16-bit elements, for aligned accesses on little-endian hosts. */
    readonly words: Int32Array;
    readonly halves: Uint16Array;
    /** Where execution continues, or the trapping instruction. */
    pc: number;
    /** -1, or the trap cause when the block stopped on a trap. */
    cause: number;
    value: number;
    /**
     * Set when a store outside the fast path changed something the region depends on (decoded code): the
     * region returns right after that instruction. (Loads cannot: a region never reaches a device, below.)
     */
    stop: boolean;
    mulh(a: number, b: number): number;
    mulhu(a: number, b: number): number;
    mulhsu(a: number, b: number): number;
}

/** Runs the region, never more than `limit` instructions; returns the number retired. */
export type BlockFunction = (x: Int32Array, state: BlockState, limit: number) => number;

export interface Block {
    /** The virtual address it was translated for: the code embeds it (auipc, links, branch targets). */
    readonly pc: number;
    /** Instructions in the region: the most it runs between two checks of its limit. */
    readonly length: number;
    readonly run: BlockFunction;
}

const ENDS_BLOCK = new Set<Op>([Op.Jalr, Op.Ecall, Op.Ebreak]);
/** Instructions after which execution comes back to the next one: calls, and traps the kernel returns from. */
const RESUMES_AFTER = new Set<Op>([Op.Jal, Op.Jalr, Op.Ecall, Op.Ebreak]);
const NEEDS_INTERPRETER = new Set<Op>([Op.Illegal, Op.FenceI, Op.Csrrw, Op.Csrrs, Op.Csrrc, Op.Csrrwi, Op.Csrrsi, Op.Csrrci]);

/**
 * Translates the block at virtual address `pc`, whose instructions are at physical byte address `pa` on.
 * Returns undefined when the first instruction needs the interpreter.
 */
export function translateBlock(view: DataView, pc: number, pa: number): Block | undefined {
    const instructions: Decoded[] = [];
    let offset = pa & PAGE_MASK;
    while (instructions.length < MAX_BLOCK && offset <= PAGE_MASK - 3) {
        const d = decode(view.getInt32(pa + 4 * instructions.length, true));
        if (NEEDS_INTERPRETER.has(d.op)) break;
        instructions.push(d);
        offset += 4;
        if (ENDS_BLOCK.has(d.op)) break;
    }
    if (instructions.length === 0) return undefined;
    const prefix = backwardPrefix(view, pc, pa, instructions);
    const all = prefix.length > 0 ? [...prefix, ...instructions] : instructions;
    return { pc, length: all.length, run: compile(all, (pc - 4 * prefix.length) | 0, prefix.length) };
}

/**
 * The instructions of the page from the earliest backward branch or jump target of the region up to its
 * entry, when the entry follows a call or an `ecall`, and they all translate and fit: the region then covers
 * the loop it was entered in the middle of (code resuming after an `ecall` that ends a loop's body, as
 * every IPC loop does), instead of leaving it at the branch back and being entered again through the
 * dispatcher.
 */
function backwardPrefix(view: DataView, pc: number, pa: number, instructions: readonly Decoded[]): Decoded[] {
    // Only where execution resumes in the middle of a loop: after a call or an ecall returns. Elsewhere
    // (a loop's head, a branch target) the loop is already inside the region, and a prefix would only
    // translate the same code again.
    if ((pa & PAGE_MASK) === 0 || !RESUMES_AFTER.has(decode(view.getInt32(pa - 4, true)).op)) return [];
    const pageStart = pc - (pa & PAGE_MASK);
    let earliest = pc;
    instructions.forEach((d, i) => {
        if (d.op !== Op.Jal && (d.op < Op.Beq || d.op > Op.Bgeu)) return;
        const target = (pc + 4 * i + d.imm) | 0;
        if ((target & 3) === 0 && target < earliest && target >= pageStart) earliest = target;
    });
    const count = (pc - earliest) / 4;
    if (count === 0 || count + instructions.length > MAX_BLOCK) return [];
    const prefix: Decoded[] = [];
    for (let i = count; i > 0; i--) {
        const d = decode(view.getInt32(pa - 4 * i, true));
        if (NEEDS_INTERPRETER.has(d.op)) return [];
        prefix.push(d);
    }
    return prefix;
}

/** What an access of `size` bytes at page offset `p` needs besides a TLB hit to take the fast path. */
function fastPathCondition(size: number): string {
    if (size === 1) return '';
    // Typed arrays need natural alignment; the DataView only needs the access to stay inside the page.
    return LITTLE_ENDIAN ? ` && (p & ${size - 1}) === 0` : ` && p <= ${4096 - size}`;
}

/** Compiles the instructions from address `pc` on, entered at instruction `entry`. */
function compile(instructions: readonly Decoded[], pc: number, entry: number): BlockFunction {
    const used = new Set<number>();
    const written = new Set<number>();
    const length = instructions.length;
    /** Instructions that branches or jumps inside the region land on, and the entry: each gets a `case`. */
    const targets = new Set<number>([0, entry]);
    const inside = (target: number) => {
        const index = (target - pc) / 4;
        return (target & 3) === 0 && index >= 0 && index < length ? index : -1;
    };
    instructions.forEach((d, i) => {
        used.add(d.rs1);
        used.add(d.rs2);
        if (d.rd !== 0) {
            used.add(d.rd);
            written.add(d.rd);
        }
        if (d.op === Op.Jal || (d.op >= Op.Beq && d.op <= Op.Bgeu)) {
            const index = inside((pc + 4 * i + d.imm) | 0);
            if (index >= 0) targets.add(index);
        }
    });
    used.delete(0);
    // Segments that branch back to their own start (tight inner loops) become plain JavaScript loops, which
    // V8 runs faster than a trip through the `switch`.
    const sortedTargets = [...targets].sort((a, b) => a - b);
    const segmentOf = (i: number) => sortedTargets.filter(t => t <= i).pop() as number;
    const selfLooping = new Set<number>();
    instructions.forEach((d, i) => {
        if (d.op === Op.Jal || (d.op >= Op.Beq && d.op <= Op.Bgeu)) {
            const index = inside((pc + 4 * i + d.imm) | 0);
            if (index >= 0 && index === segmentOf(i)) selfLooping.add(index);
        }
    });
    let segment = 0;
    const reg = (r: number) => (r === 0 ? '0' : `r${r}`);
    // `n` counts instructions retired on earlier segments; `k` (at generation time) those since.
    let k = 0;
    // Every way out goes through one epilogue after the loop, which writes the registers back. One copy
    // keeps the function small, and its stores gain type feedback on the first exit of any kind: with a
    // copy per exit, V8's optimised code deoptimised the first time each exit was taken.
    // An exit only assigns constants (`q` is what it adds to `n`): an arithmetic operation that V8 has
    // never seen run has no type feedback, and optimised code deoptimises when it first reaches one.
    const exit = (next: string, retired: number) => `{ e = ${next}; q = ${retired}; break region; }`;
    const trap = (at: number, cause: number, value: string) =>
        `{ s.cause = ${cause}; s.value = ${value}; e = ${at}; q = ${k}; break region; }`;
    /** A taken branch or jump to `target`, after this instruction: inside the region, or out of it. */
    const jump = (target: number, at: number, current: number) => {
        if (target & 3) return trap(at, 0, `${target >>> 0}`);
        const index = inside(target);
        if (index < 0) return exit(`${target}`, k + 1);
        // Going backwards can loop: leave while another pass could overrun the limit.
        const check = index <= current ? `if (n > last) ${exit(`${target}`, 0)} ` : '';
        if (index === segment && selfLooping.has(index)) return `{ n += ${k + 1}; ${check}continue s${index}; }`;
        return `{ n += ${k + 1}; ${check}label = ${index}; continue region; }`;
    };
    const lines: string[] = [];
    lines.push(`let ${[...used].map(r => `r${r} = x[${r}]`).concat(['a = 0', 'v = 0', 't = 0', 'g = 0', 'p = 0', 'n = 0', 'e = 0', 'q = 0', `label = ${entry}`]).join(', ')};`);
    // `last`: the most instructions retired after which another pass through the region still fits the limit.
    lines.push(`const last = limit - ${length};`);
    lines.push('const mmu = s.mmu, dv = s.view, b = s.bytes, i32 = s.words, u16 = s.halves, tl = mmu.tlb, rt = tl.readTag, rb = tl.readBase, wt = tl.writeTag, wb = tl.writeBase;');
    lines.push('region: for (;;) switch (label) {');
    let ended = false;
    /** Closes the loop of a self-looping segment: falling out of its body leaves the loop. */
    const closeSegment = () => {
        if (selfLooping.has(segment)) lines.push(`break s${segment}; }`);
    };
    instructions.forEach((d, i) => {
        if (targets.has(i)) {
            if (i > 0) {
                if (!ended) lines.push(`n += ${k};`);
                closeSegment();
            }
            lines.push(`case ${i}:`);
            segment = i;
            if (selfLooping.has(i)) lines.push(`s${i}: for (;;) {`);
            k = 0;
            ended = false;
        } else if (ended) {
            // Unreachable: after a jump, and no branch lands here.
            return;
        }
        const at = (pc + 4 * i) | 0;
        const next = (at + 4) | 0;
        const rd = d.rd === 0 ? undefined : `r${d.rd}`;
        const set = (expression: string) => (rd ? `${rd} = ${expression};` : '');
        const rs1 = reg(d.rs1);
        const rs2 = reg(d.rs2);
        const address = d.imm === 0 ? rs1 : `(${rs1} + ${d.imm}) | 0`;
        switch (d.op) {
            case Op.Lui: lines.push(set(`${d.imm | 0}`)); break;
            case Op.Auipc: lines.push(set(`${(at + d.imm) | 0}`)); break;
            // `li` and `mv` are addi with x0 or 0: emit the plain copy, which costs V8's unoptimised tiers
            // (where a new region starts) less than an addition.
            case Op.Addi: lines.push(set(d.rs1 === 0 ? `${d.imm | 0}` : d.imm === 0 ? rs1 : `(${rs1} + ${d.imm}) | 0`)); break;
            case Op.Slti: lines.push(set(`${rs1} < ${d.imm} ? 1 : 0`)); break;
            case Op.Sltiu: lines.push(set(`(${rs1} >>> 0) < ${d.imm >>> 0} ? 1 : 0`)); break;
            case Op.Xori: lines.push(set(`${rs1} ^ ${d.imm}`)); break;
            case Op.Ori: lines.push(set(`${rs1} | ${d.imm}`)); break;
            case Op.Andi: lines.push(set(`${rs1} & ${d.imm}`)); break;
            case Op.Slli: lines.push(set(`${rs1} << ${d.imm}`)); break;
            case Op.Srli: lines.push(set(`(${rs1} >>> ${d.imm}) | 0`)); break;
            case Op.Srai: lines.push(set(`${rs1} >> ${d.imm}`)); break;
            case Op.Add: lines.push(set(d.rs2 === 0 ? rs1 : d.rs1 === 0 ? rs2 : `(${rs1} + ${rs2}) | 0`)); break;
            case Op.Sub: lines.push(set(`(${rs1} - ${rs2}) | 0`)); break;
            case Op.Sll: lines.push(set(`${rs1} << ${rs2}`)); break;
            case Op.Slt: lines.push(set(`${rs1} < ${rs2} ? 1 : 0`)); break;
            case Op.Sltu: lines.push(set(`(${rs1} >>> 0) < (${rs2} >>> 0) ? 1 : 0`)); break;
            case Op.Xor: lines.push(set(`${rs1} ^ ${rs2}`)); break;
            case Op.Srl: lines.push(set(`(${rs1} >>> ${rs2}) | 0`)); break;
            case Op.Sra: lines.push(set(`${rs1} >> ${rs2}`)); break;
            case Op.Or: lines.push(set(`${rs1} | ${rs2}`)); break;
            case Op.And: lines.push(set(`${rs1} & ${rs2}`)); break;
            case Op.Mul: lines.push(set(`Math.imul(${rs1}, ${rs2})`)); break;
            case Op.Mulh: lines.push(set(`s.mulh(${rs1}, ${rs2})`)); break;
            case Op.Mulhsu: lines.push(set(`s.mulhsu(${rs1}, ${rs2})`)); break;
            // Register locals must always hold int32 values, as the Int32Array does: mulhu returns unsigned.
            case Op.Mulhu: lines.push(set(`s.mulhu(${rs1} >>> 0, ${rs2} >>> 0) | 0`)); break;
            case Op.Div: lines.push(set(`${rs2} === 0 ? -1 : (${rs1} === -2147483648 && ${rs2} === -1) ? ${rs1} : (${rs1} / ${rs2}) | 0`)); break;
            case Op.Divu: lines.push(set(`${rs2} === 0 ? -1 : ((${rs1} >>> 0) / (${rs2} >>> 0)) | 0`)); break;
            case Op.Rem: lines.push(set(`${rs2} === 0 ? ${rs1} : (${rs1} === -2147483648 && ${rs2} === -1) ? 0 : (${rs1} % ${rs2}) | 0`)); break;
            case Op.Remu: lines.push(set(`${rs2} === 0 ? ${rs1} : ((${rs1} >>> 0) % (${rs2} >>> 0)) | 0`)); break;
            case Op.Fence: break;
            case Op.Lb: case Op.Lbu: case Op.Lh: case Op.Lhu: case Op.Lw: {
                const size = d.op === Op.Lw ? 4 : d.op === Op.Lh || d.op === Op.Lhu ? 2 : 1;
                // On a little-endian host (all that run Node or browsers today) aligned accesses use typed
                // arrays, which V8 compiles to plain loads; others, and big-endian hosts, use the DataView.
                const fast = LITTLE_ENDIAN
                    ? (size === 4 ? 'i32[(rb[g] + p) >> 2]' : size === 2 ? 'u16[(rb[g] + p) >> 1]' : 'b[rb[g] + p]')
                    : (size === 4 ? 'dv.getInt32(rb[g] + p, true)' : size === 2 ? 'dv.getUint16(rb[g] + p, true)' : 'b[rb[g] + p]');
                const fastCondition = fastPathCondition(size);
                const slow = size === 4 ? 'mmu.load32(a)' : size === 2 ? 'mmu.load16(a)' : 'mmu.load8(a)';
                const extend = d.op === Op.Lb ? '(v << 24) >> 24' : d.op === Op.Lh ? '(v << 16) >> 16' : 'v';
                lines.push(`a = ${address}; t = a >>> 12; g = t & 255; p = a & 4095;`);
                lines.push(`if (rt[g] === t${fastCondition}) v = ${fast};`);
                lines.push(`else { mmu.fault = undefined; v = ${slow}; if (mmu.fault !== undefined) ${trap(at, 13, 'a >>> 0')} }`);
                lines.push(set(extend));
                break;
            }
            case Op.Sb: case Op.Sh: case Op.Sw: {
                const size = d.op === Op.Sw ? 4 : d.op === Op.Sh ? 2 : 1;
                const fast = LITTLE_ENDIAN
                    ? (size === 4 ? `i32[(wb[g] + p) >> 2] = ${rs2}` : size === 2 ? `u16[(wb[g] + p) >> 1] = ${rs2}` : `b[wb[g] + p] = ${rs2}`)
                    : (size === 4 ? `dv.setInt32(wb[g] + p, ${rs2}, true)` : size === 2 ? `dv.setUint16(wb[g] + p, ${rs2} & 0xffff, true)` : `b[wb[g] + p] = ${rs2} & 0xff`);
                const fastCondition = fastPathCondition(size);
                const slow = size === 4 ? `mmu.store32(a, ${rs2})` : size === 2 ? `mmu.store16(a, ${rs2})` : `mmu.store8(a, ${rs2})`;
                lines.push(`a = ${address}; t = a >>> 12; g = t & 255; p = a & 4095;`);
                lines.push(`if (wt[g] === t${fastCondition}) ${fast};`);
                lines.push(`else { if (!${slow}) ${trap(at, 15, 'a >>> 0')} if (s.stop) { s.stop = false; ${exit(`${next}`, k + 1).slice(1, -1)} } }`);
                break;
            }
            case Op.Jal: {
                const target = (at + d.imm) | 0;
                // A misaligned target traps before the link register is written.
                if ((target & 3) === 0) lines.push(set(`${next}`));
                lines.push(jump(target, at, i));
                ended = true;
                break;
            }
            case Op.Jalr: {
                lines.push(`a = (${rs1} + ${d.imm}) & -2;`);
                lines.push(`if (a & 3) ${trap(at, 0, 'a >>> 0')}`);
                lines.push(set(`${next}`));
                lines.push(exit('a', k + 1));
                ended = true;
                break;
            }
            // Traps that do not retire the instruction, as the interpreter raises them (cpu.ts).
            case Op.Ecall:
                lines.push(trap(at, 8, '0'));
                ended = true;
                break;
            case Op.Ebreak:
                lines.push(trap(at, 3, '0'));
                ended = true;
                break;
            case Op.Beq: case Op.Bne: case Op.Blt: case Op.Bge: case Op.Bltu: case Op.Bgeu: {
                const target = (at + d.imm) | 0;
                const condition = d.op === Op.Beq ? `${rs1} === ${rs2}` : d.op === Op.Bne ? `${rs1} !== ${rs2}`
                    : d.op === Op.Blt ? `${rs1} < ${rs2}` : d.op === Op.Bge ? `${rs1} >= ${rs2}`
                    : d.op === Op.Bltu ? `(${rs1} >>> 0) < (${rs2} >>> 0)` : `(${rs1} >>> 0) >= (${rs2} >>> 0)`;
                // Not taken: the region goes on with the next instruction.
                lines.push(`if (${condition}) ${jump(target, at, i)}`);
                break;
            }
            default:
                throw new Error(`the translator cannot translate operation ${d.op}`);
        }
        k++;
    });
    if (!ended) lines.push(exit(`${(pc + 4 * length) | 0}`, k));
    closeSegment();
    lines.push('}');
    lines.push(...[...written].map(r => `x[${r}] = r${r};`), 's.pc = e;', 'return n + q;');
    // Names the function in profiles and in V8's traces after the guest address it was translated for.
    lines.push(`//# sourceURL=ukc-block-${(pc >>> 0).toString(16)}.js`);
    return new Function('x', 's', 'limit', lines.join('\n')) as BlockFunction;
}
