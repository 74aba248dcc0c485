/**
 * RV32IM + Zicsr instruction decoding (RISC-V Unprivileged ISA, chapters 2, 7 and 9 of the 20191213
 * manual). A word becomes a `Decoded` record once; the interpreter executes records, not bits. Anything
 * that is not a valid RV32IM/Zicsr encoding decodes to `Op.Illegal`.
 */

export const enum Op {
    Illegal, Lui, Auipc, Jal, Jalr,
    Beq, Bne, Blt, Bge, Bltu, Bgeu,
    Lb, Lh, Lw, Lbu, Lhu, Sb, Sh, Sw,
    Addi, Slti, Sltiu, Xori, Ori, Andi, Slli, Srli, Srai,
    Add, Sub, Sll, Slt, Sltu, Xor, Srl, Sra, Or, And,
    Fence, FenceI, Ecall, Ebreak,
    Csrrw, Csrrs, Csrrc, Csrrwi, Csrrsi, Csrrci,
    Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu
}

export interface Decoded {
    readonly op: Op;
    readonly rd: number;
    readonly rs1: number;
    readonly rs2: number;
    /** The sign-extended immediate; for CSR instructions the CSR number. */
    readonly imm: number;
    /** The raw word, for the disassembler and illegal-instruction traps. */
    readonly word: number;
}

function make(op: Op, word: number, rd: number, rs1: number, rs2: number, imm: number): Decoded {
    return { op, rd, rs1, rs2, imm, word };
}

const illegal = (word: number): Decoded => make(Op.Illegal, word, 0, 0, 0, 0);

export function decode(word: number): Decoded {
    const opcode = word & 0x7f;
    const rd = (word >>> 7) & 0x1f;
    const funct3 = (word >>> 12) & 0x7;
    const rs1 = (word >>> 15) & 0x1f;
    const rs2 = (word >>> 20) & 0x1f;
    const funct7 = word >>> 25;
    const immI = word >> 20;
    switch (opcode) {
        case 0x37: return make(Op.Lui, word, rd, 0, 0, word & 0xfffff000);
        case 0x17: return make(Op.Auipc, word, rd, 0, 0, word & 0xfffff000);
        case 0x6f: {
            const imm = ((word >> 31) << 20) | (((word >>> 12) & 0xff) << 12) | (((word >>> 20) & 1) << 11) | (((word >>> 21) & 0x3ff) << 1);
            return make(Op.Jal, word, rd, 0, 0, imm);
        }
        case 0x67: return funct3 === 0 ? make(Op.Jalr, word, rd, rs1, 0, immI) : illegal(word);
        case 0x63: {
            const imm = ((word >> 31) << 12) | (((word >>> 7) & 1) << 11) | (((word >>> 25) & 0x3f) << 5) | (((word >>> 8) & 0xf) << 1);
            const ops = [Op.Beq, Op.Bne, Op.Illegal, Op.Illegal, Op.Blt, Op.Bge, Op.Bltu, Op.Bgeu];
            const op = ops[funct3];
            return op === Op.Illegal ? illegal(word) : make(op, word, 0, rs1, rs2, imm);
        }
        case 0x03: {
            const ops = [Op.Lb, Op.Lh, Op.Lw, Op.Illegal, Op.Lbu, Op.Lhu, Op.Illegal, Op.Illegal];
            const op = ops[funct3];
            return op === Op.Illegal ? illegal(word) : make(op, word, rd, rs1, 0, immI);
        }
        case 0x23: {
            const imm = ((word >> 25) << 5) | ((word >>> 7) & 0x1f);
            const ops = [Op.Sb, Op.Sh, Op.Sw];
            return funct3 < 3 ? make(ops[funct3], word, 0, rs1, rs2, imm) : illegal(word);
        }
        case 0x13: {
            switch (funct3) {
                case 0: return make(Op.Addi, word, rd, rs1, 0, immI);
                case 2: return make(Op.Slti, word, rd, rs1, 0, immI);
                case 3: return make(Op.Sltiu, word, rd, rs1, 0, immI);
                case 4: return make(Op.Xori, word, rd, rs1, 0, immI);
                case 6: return make(Op.Ori, word, rd, rs1, 0, immI);
                case 7: return make(Op.Andi, word, rd, rs1, 0, immI);
                case 1: return funct7 === 0 ? make(Op.Slli, word, rd, rs1, 0, rs2) : illegal(word);
                default: // 5
                    if (funct7 === 0) return make(Op.Srli, word, rd, rs1, 0, rs2);
                    if (funct7 === 0x20) return make(Op.Srai, word, rd, rs1, 0, rs2);
                    return illegal(word);
            }
        }
        case 0x33: {
            if (funct7 === 0) {
                const ops = [Op.Add, Op.Sll, Op.Slt, Op.Sltu, Op.Xor, Op.Srl, Op.Or, Op.And];
                return make(ops[funct3], word, rd, rs1, rs2, 0);
            }
            if (funct7 === 0x20) {
                if (funct3 === 0) return make(Op.Sub, word, rd, rs1, rs2, 0);
                if (funct3 === 5) return make(Op.Sra, word, rd, rs1, rs2, 0);
                return illegal(word);
            }
            if (funct7 === 1) {
                const ops = [Op.Mul, Op.Mulh, Op.Mulhsu, Op.Mulhu, Op.Div, Op.Divu, Op.Rem, Op.Remu];
                return make(ops[funct3], word, rd, rs1, rs2, 0);
            }
            return illegal(word);
        }
        case 0x0f:
            if (funct3 === 0) return make(Op.Fence, word, 0, 0, 0, 0);
            if (funct3 === 1) return make(Op.FenceI, word, 0, 0, 0, 0);
            return illegal(word);
        case 0x73: {
            if (funct3 === 0) {
                if (word === 0x00000073) return make(Op.Ecall, word, 0, 0, 0, 0);
                if (word === 0x00100073) return make(Op.Ebreak, word, 0, 0, 0, 0);
                return illegal(word);
            }
            const csr = word >>> 20;
            const ops = [Op.Illegal, Op.Csrrw, Op.Csrrs, Op.Csrrc, Op.Illegal, Op.Csrrwi, Op.Csrrsi, Op.Csrrci];
            const op = ops[funct3];
            // For the immediate forms, rs1 holds the 5-bit zero-extended immediate.
            return op === Op.Illegal ? illegal(word) : make(op, word, rd, rs1, 0, csr);
        }
        default:
            return illegal(word);
    }
}
