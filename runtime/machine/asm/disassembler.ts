/**
 * Disassembly in the form GNU objdump prints with `-M no-aliases` (canonical instructions, ABI register
 * names): `addi\ta0,a1,-1`, `lw\ts1,8(sp)`, `beq\ta0,a1,100c4`. Branch and jump targets are absolute
 * hexadecimal addresses; symbols and comments, which objdump adds after them, are the caller's business.
 */
import { decode, Op, type Decoded } from '../decode.js';

export const REGISTER_NAMES: readonly string[] = [
    'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7',
    's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'
];

const CSR_NAMES: Readonly<Record<number, string>> = {
    0xc00: 'cycle', 0xc01: 'time', 0xc02: 'instret', 0xc80: 'cycleh', 0xc81: 'timeh', 0xc82: 'instreth',
    0x300: 'mstatus', 0x340: 'mscratch'
};

const MNEMONICS: Readonly<Partial<Record<Op, string>>> = {
    [Op.Lui]: 'lui', [Op.Auipc]: 'auipc', [Op.Jal]: 'jal', [Op.Jalr]: 'jalr',
    [Op.Beq]: 'beq', [Op.Bne]: 'bne', [Op.Blt]: 'blt', [Op.Bge]: 'bge', [Op.Bltu]: 'bltu', [Op.Bgeu]: 'bgeu',
    [Op.Lb]: 'lb', [Op.Lh]: 'lh', [Op.Lw]: 'lw', [Op.Lbu]: 'lbu', [Op.Lhu]: 'lhu', [Op.Sb]: 'sb', [Op.Sh]: 'sh', [Op.Sw]: 'sw',
    [Op.Addi]: 'addi', [Op.Slti]: 'slti', [Op.Sltiu]: 'sltiu', [Op.Xori]: 'xori', [Op.Ori]: 'ori', [Op.Andi]: 'andi',
    [Op.Slli]: 'slli', [Op.Srli]: 'srli', [Op.Srai]: 'srai',
    [Op.Add]: 'add', [Op.Sub]: 'sub', [Op.Sll]: 'sll', [Op.Slt]: 'slt', [Op.Sltu]: 'sltu', [Op.Xor]: 'xor',
    [Op.Srl]: 'srl', [Op.Sra]: 'sra', [Op.Or]: 'or', [Op.And]: 'and',
    [Op.Fence]: 'fence', [Op.FenceI]: 'fence.i', [Op.Ecall]: 'ecall', [Op.Ebreak]: 'ebreak',
    [Op.Csrrw]: 'csrrw', [Op.Csrrs]: 'csrrs', [Op.Csrrc]: 'csrrc', [Op.Csrrwi]: 'csrrwi', [Op.Csrrsi]: 'csrrsi', [Op.Csrrci]: 'csrrci',
    [Op.Mul]: 'mul', [Op.Mulh]: 'mulh', [Op.Mulhsu]: 'mulhsu', [Op.Mulhu]: 'mulhu',
    [Op.Div]: 'div', [Op.Divu]: 'divu', [Op.Rem]: 'rem', [Op.Remu]: 'remu'
};

const hex = (value: number) => (value >>> 0).toString(16);

/** The fence's predecessor or successor set, as objdump writes it (`iorw`). */
function fenceSet(bits: number): string {
    const set = `${bits & 8 ? 'i' : ''}${bits & 4 ? 'o' : ''}${bits & 2 ? 'r' : ''}${bits & 1 ? 'w' : ''}`;
    return set === '' ? '0' : set;
}

export function disassemble(word: number, pc = 0): string {
    return format(decode(word | 0), pc);
}

export function format(d: Decoded, pc: number): string {
    const mnemonic = MNEMONICS[d.op];
    if (!mnemonic) return `.word\t0x${hex(d.word).padStart(8, '0')}`;
    const r = (index: number) => REGISTER_NAMES[index];
    const csr = (number: number) => CSR_NAMES[number] ?? `0x${hex(number)}`;
    switch (d.op) {
        case Op.Lui: case Op.Auipc: return `${mnemonic}\t${r(d.rd)},0x${hex(d.imm >>> 12)}`;
        case Op.Jal: return `${mnemonic}\t${r(d.rd)},${hex(pc + d.imm)}`;
        case Op.Jalr: return `${mnemonic}\t${r(d.rd)},${d.imm}(${r(d.rs1)})`;
        case Op.Beq: case Op.Bne: case Op.Blt: case Op.Bge: case Op.Bltu: case Op.Bgeu:
            return `${mnemonic}\t${r(d.rs1)},${r(d.rs2)},${hex(pc + d.imm)}`;
        case Op.Lb: case Op.Lh: case Op.Lw: case Op.Lbu: case Op.Lhu:
            return `${mnemonic}\t${r(d.rd)},${d.imm}(${r(d.rs1)})`;
        case Op.Sb: case Op.Sh: case Op.Sw:
            return `${mnemonic}\t${r(d.rs2)},${d.imm}(${r(d.rs1)})`;
        case Op.Slli: case Op.Srli: case Op.Srai:
            return `${mnemonic}\t${r(d.rd)},${r(d.rs1)},0x${hex(d.imm)}`;
        case Op.Addi: case Op.Slti: case Op.Sltiu: case Op.Xori: case Op.Ori: case Op.Andi:
            return `${mnemonic}\t${r(d.rd)},${r(d.rs1)},${d.imm}`;
        case Op.Fence: return `${mnemonic}\t${fenceSet((d.word >>> 24) & 0xf)},${fenceSet((d.word >>> 20) & 0xf)}`;
        case Op.FenceI: case Op.Ecall: case Op.Ebreak: return mnemonic;
        case Op.Csrrw: case Op.Csrrs: case Op.Csrrc: return `${mnemonic}\t${r(d.rd)},${csr(d.imm)},${r(d.rs1)}`;
        case Op.Csrrwi: case Op.Csrrsi: case Op.Csrrci: return `${mnemonic}\t${r(d.rd)},${csr(d.imm)},${d.rs1}`;
        default: return `${mnemonic}\t${r(d.rd)},${r(d.rs1)},${r(d.rs2)}`;
    }
}
