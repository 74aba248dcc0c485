/**
 * Instruction encoding for RV32IM + Zicsr: the inverse of decode.ts, and the part of the assembler that the
 * code generator uses directly. Operands out of range are an `EncodeError`, never a silently truncated
 * field.
 */
import { Op } from '../decode.js';

export class EncodeError extends Error {}

export interface Instruction {
    readonly op: Op;
    readonly rd?: number;
    readonly rs1?: number;
    readonly rs2?: number;
    /** The immediate; for CSR instructions the CSR number; for shifts by a constant the shift amount. */
    readonly imm?: number;
    /** For the immediate CSR forms: the 5-bit unsigned immediate, in place of rs1. */
    readonly uimm?: number;
}

type Format = 'R' | 'I' | 'S' | 'B' | 'U' | 'J' | 'SHIFT' | 'CSR' | 'CSRI' | 'FIXED';

interface Encoding {
    readonly format: Format;
    readonly opcode: number;
    readonly funct3?: number;
    readonly funct7?: number;
    /** For FIXED: the whole word. */
    readonly word?: number;
}

export const ENCODINGS: ReadonlyMap<Op, Encoding> = new Map<Op, Encoding>([
    [Op.Lui, { format: 'U', opcode: 0x37 }],
    [Op.Auipc, { format: 'U', opcode: 0x17 }],
    [Op.Jal, { format: 'J', opcode: 0x6f }],
    [Op.Jalr, { format: 'I', opcode: 0x67, funct3: 0 }],
    [Op.Beq, { format: 'B', opcode: 0x63, funct3: 0 }],
    [Op.Bne, { format: 'B', opcode: 0x63, funct3: 1 }],
    [Op.Blt, { format: 'B', opcode: 0x63, funct3: 4 }],
    [Op.Bge, { format: 'B', opcode: 0x63, funct3: 5 }],
    [Op.Bltu, { format: 'B', opcode: 0x63, funct3: 6 }],
    [Op.Bgeu, { format: 'B', opcode: 0x63, funct3: 7 }],
    [Op.Lb, { format: 'I', opcode: 0x03, funct3: 0 }],
    [Op.Lh, { format: 'I', opcode: 0x03, funct3: 1 }],
    [Op.Lw, { format: 'I', opcode: 0x03, funct3: 2 }],
    [Op.Lbu, { format: 'I', opcode: 0x03, funct3: 4 }],
    [Op.Lhu, { format: 'I', opcode: 0x03, funct3: 5 }],
    [Op.Sb, { format: 'S', opcode: 0x23, funct3: 0 }],
    [Op.Sh, { format: 'S', opcode: 0x23, funct3: 1 }],
    [Op.Sw, { format: 'S', opcode: 0x23, funct3: 2 }],
    [Op.Addi, { format: 'I', opcode: 0x13, funct3: 0 }],
    [Op.Slti, { format: 'I', opcode: 0x13, funct3: 2 }],
    [Op.Sltiu, { format: 'I', opcode: 0x13, funct3: 3 }],
    [Op.Xori, { format: 'I', opcode: 0x13, funct3: 4 }],
    [Op.Ori, { format: 'I', opcode: 0x13, funct3: 6 }],
    [Op.Andi, { format: 'I', opcode: 0x13, funct3: 7 }],
    [Op.Slli, { format: 'SHIFT', opcode: 0x13, funct3: 1, funct7: 0 }],
    [Op.Srli, { format: 'SHIFT', opcode: 0x13, funct3: 5, funct7: 0 }],
    [Op.Srai, { format: 'SHIFT', opcode: 0x13, funct3: 5, funct7: 0x20 }],
    [Op.Add, { format: 'R', opcode: 0x33, funct3: 0, funct7: 0 }],
    [Op.Sub, { format: 'R', opcode: 0x33, funct3: 0, funct7: 0x20 }],
    [Op.Sll, { format: 'R', opcode: 0x33, funct3: 1, funct7: 0 }],
    [Op.Slt, { format: 'R', opcode: 0x33, funct3: 2, funct7: 0 }],
    [Op.Sltu, { format: 'R', opcode: 0x33, funct3: 3, funct7: 0 }],
    [Op.Xor, { format: 'R', opcode: 0x33, funct3: 4, funct7: 0 }],
    [Op.Srl, { format: 'R', opcode: 0x33, funct3: 5, funct7: 0 }],
    [Op.Sra, { format: 'R', opcode: 0x33, funct3: 5, funct7: 0x20 }],
    [Op.Or, { format: 'R', opcode: 0x33, funct3: 6, funct7: 0 }],
    [Op.And, { format: 'R', opcode: 0x33, funct3: 7, funct7: 0 }],
    [Op.Mul, { format: 'R', opcode: 0x33, funct3: 0, funct7: 1 }],
    [Op.Mulh, { format: 'R', opcode: 0x33, funct3: 1, funct7: 1 }],
    [Op.Mulhsu, { format: 'R', opcode: 0x33, funct3: 2, funct7: 1 }],
    [Op.Mulhu, { format: 'R', opcode: 0x33, funct3: 3, funct7: 1 }],
    [Op.Div, { format: 'R', opcode: 0x33, funct3: 4, funct7: 1 }],
    [Op.Divu, { format: 'R', opcode: 0x33, funct3: 5, funct7: 1 }],
    [Op.Rem, { format: 'R', opcode: 0x33, funct3: 6, funct7: 1 }],
    [Op.Remu, { format: 'R', opcode: 0x33, funct3: 7, funct7: 1 }],
    [Op.Fence, { format: 'FIXED', opcode: 0x0f, word: 0x0ff0000f }],
    [Op.FenceI, { format: 'FIXED', opcode: 0x0f, word: 0x0000100f }],
    [Op.Ecall, { format: 'FIXED', opcode: 0x73, word: 0x00000073 }],
    [Op.Ebreak, { format: 'FIXED', opcode: 0x73, word: 0x00100073 }],
    [Op.Csrrw, { format: 'CSR', opcode: 0x73, funct3: 1 }],
    [Op.Csrrs, { format: 'CSR', opcode: 0x73, funct3: 2 }],
    [Op.Csrrc, { format: 'CSR', opcode: 0x73, funct3: 3 }],
    [Op.Csrrwi, { format: 'CSRI', opcode: 0x73, funct3: 5 }],
    [Op.Csrrsi, { format: 'CSRI', opcode: 0x73, funct3: 6 }],
    [Op.Csrrci, { format: 'CSRI', opcode: 0x73, funct3: 7 }]
]);

function register(value: number | undefined, what: string): number {
    const reg = value ?? 0;
    if (!Number.isInteger(reg) || reg < 0 || reg > 31) throw new EncodeError(`${what} must be a register x0..x31, not ${value}`);
    return reg;
}

function signedImmediate(value: number | undefined, bits: number, what: string, multipleOf = 1): number {
    const imm = value ?? 0;
    const min = -(2 ** (bits - 1));
    const max = 2 ** (bits - 1) - 1;
    if (!Number.isInteger(imm) || imm < min || imm > max) throw new EncodeError(`${what} ${imm} does not fit ${bits} signed bits (${min}..${max})`);
    if (imm % multipleOf !== 0) throw new EncodeError(`${what} ${imm} must be a multiple of ${multipleOf}`);
    return imm;
}

export function encode(instruction: Instruction): number {
    const encoding = ENCODINGS.get(instruction.op);
    if (!encoding) throw new EncodeError(`no encoding for operation ${instruction.op}`);
    const { opcode } = encoding;
    const f3 = (encoding.funct3 ?? 0) << 12;
    const rd = () => register(instruction.rd, 'rd') << 7;
    const rs1 = () => register(instruction.rs1, 'rs1') << 15;
    const rs2 = () => register(instruction.rs2, 'rs2') << 20;
    switch (encoding.format) {
        case 'R':
            return ((encoding.funct7 ?? 0) << 25 | rs2() | rs1() | f3 | rd() | opcode) >>> 0;
        case 'I': {
            const imm = signedImmediate(instruction.imm, 12, 'immediate');
            return ((imm & 0xfff) << 20 | rs1() | f3 | rd() | opcode) >>> 0;
        }
        case 'SHIFT': {
            const shamt = instruction.imm ?? 0;
            if (!Number.isInteger(shamt) || shamt < 0 || shamt > 31) throw new EncodeError(`shift amount ${shamt} must be 0..31`);
            return ((encoding.funct7 ?? 0) << 25 | shamt << 20 | rs1() | f3 | rd() | opcode) >>> 0;
        }
        case 'S': {
            const imm = signedImmediate(instruction.imm, 12, 'offset');
            return (((imm >> 5) & 0x7f) << 25 | rs2() | rs1() | f3 | (imm & 0x1f) << 7 | opcode) >>> 0;
        }
        case 'B': {
            const imm = signedImmediate(instruction.imm, 13, 'branch offset', 2);
            return (((imm >> 12) & 1) << 31 | ((imm >> 5) & 0x3f) << 25 | rs2() | rs1() | f3
                | ((imm >> 1) & 0xf) << 8 | ((imm >> 11) & 1) << 7 | opcode) >>> 0;
        }
        case 'U': {
            const imm = instruction.imm ?? 0;
            if (!Number.isInteger(imm) || (imm & 0xfff) !== 0 || imm < -(2 ** 31) || imm > 0xffff_ffff) {
                throw new EncodeError(`upper immediate ${imm} must be a 32-bit value with its low 12 bits zero`);
            }
            return ((imm & 0xfffff000) | rd() | opcode) >>> 0;
        }
        case 'J': {
            const imm = signedImmediate(instruction.imm, 21, 'jump offset', 2);
            return (((imm >> 20) & 1) << 31 | ((imm >> 1) & 0x3ff) << 21 | ((imm >> 11) & 1) << 20
                | ((imm >> 12) & 0xff) << 12 | rd() | opcode) >>> 0;
        }
        case 'CSR': {
            const csr = instruction.imm ?? 0;
            if (!Number.isInteger(csr) || csr < 0 || csr > 0xfff) throw new EncodeError(`CSR number ${csr} must be 0..0xfff`);
            return (csr << 20 | rs1() | f3 | rd() | opcode) >>> 0;
        }
        case 'CSRI': {
            const csr = instruction.imm ?? 0;
            const uimm = instruction.uimm ?? 0;
            if (!Number.isInteger(csr) || csr < 0 || csr > 0xfff) throw new EncodeError(`CSR number ${csr} must be 0..0xfff`);
            if (!Number.isInteger(uimm) || uimm < 0 || uimm > 31) throw new EncodeError(`CSR immediate ${uimm} must be 0..31`);
            return (csr << 20 | uimm << 15 | f3 | rd() | opcode) >>> 0;
        }
        case 'FIXED':
            return (encoding.word ?? 0) >>> 0;
    }
}
