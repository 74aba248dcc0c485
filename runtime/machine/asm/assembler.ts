/**
 * An assembler for RV32IM + Zicsr text in the GNU dialect: labels, the standard pseudo-instructions, `%hi`
 * and `%lo`, and the data and section directives code generators need. Two passes: the first sizes every
 * line and places the labels, the second encodes. Errors carry the line and never stop the other lines from
 * being checked, so one run reports them all.
 */
import { Op } from '../decode.js';
import { encode, EncodeError, type Instruction } from './encoder.js';
import { REGISTER_NAMES } from './disassembler.js';

export class AssemblyError extends Error {
    constructor(readonly line: number, message: string) {
        super(`line ${line}: ${message}`);
    }
}

export interface AssembledSection {
    readonly name: string;
    readonly address: number;
    readonly bytes: Uint8Array;
}

export interface AssemblyResult {
    readonly sections: readonly AssembledSection[];
    readonly symbols: ReadonlyMap<string, number>;
    readonly globals: ReadonlySet<string>;
    readonly errors: readonly AssemblyError[];
}

export interface AssemblyOptions {
    /** Where each section starts; sections not named start after the previous one, page-aligned. */
    readonly sectionAddresses?: Readonly<Record<string, number>>;
}

const REGISTERS = new Map<string, number>([
    ...REGISTER_NAMES.map((name, i) => [name, i] as [string, number]),
    ...Array.from({ length: 32 }, (_, i) => [`x${i}`, i] as [string, number]),
    ['fp', 8]
]);

const CSRS = new Map<string, number>([
    ['cycle', 0xc00], ['time', 0xc01], ['instret', 0xc02], ['cycleh', 0xc80], ['timeh', 0xc81], ['instreth', 0xc82],
    ['mstatus', 0x300], ['mscratch', 0x340]
]);

const R_OPS: Record<string, Op> = {
    add: Op.Add, sub: Op.Sub, sll: Op.Sll, slt: Op.Slt, sltu: Op.Sltu, xor: Op.Xor, srl: Op.Srl, sra: Op.Sra, or: Op.Or, and: Op.And,
    mul: Op.Mul, mulh: Op.Mulh, mulhsu: Op.Mulhsu, mulhu: Op.Mulhu, div: Op.Div, divu: Op.Divu, rem: Op.Rem, remu: Op.Remu
};
const I_OPS: Record<string, Op> = { addi: Op.Addi, slti: Op.Slti, sltiu: Op.Sltiu, xori: Op.Xori, ori: Op.Ori, andi: Op.Andi };
const SHIFT_OPS: Record<string, Op> = { slli: Op.Slli, srli: Op.Srli, srai: Op.Srai };
const LOAD_OPS: Record<string, Op> = { lb: Op.Lb, lh: Op.Lh, lw: Op.Lw, lbu: Op.Lbu, lhu: Op.Lhu };
const STORE_OPS: Record<string, Op> = { sb: Op.Sb, sh: Op.Sh, sw: Op.Sw };
const BRANCH_OPS: Record<string, Op> = { beq: Op.Beq, bne: Op.Bne, blt: Op.Blt, bge: Op.Bge, bltu: Op.Bltu, bgeu: Op.Bgeu };
const CSR_OPS: Record<string, Op> = { csrrw: Op.Csrrw, csrrs: Op.Csrrs, csrrc: Op.Csrrc };
const CSRI_OPS: Record<string, Op> = { csrrwi: Op.Csrrwi, csrrsi: Op.Csrrsi, csrrci: Op.Csrrci };
/** Branch pseudo-instructions that compare with zero: the operand order of the real branch. */
const ZERO_BRANCHES: Record<string, [Op, boolean]> = {
    beqz: [Op.Beq, false], bnez: [Op.Bne, false], bltz: [Op.Blt, false], bgez: [Op.Bge, false],
    blez: [Op.Bge, true], bgtz: [Op.Blt, true]
};
/** Branch pseudo-instructions with swapped operands. */
const SWAPPED_BRANCHES: Record<string, Op> = { bgt: Op.Blt, ble: Op.Bge, bgtu: Op.Bltu, bleu: Op.Bgeu };

interface Statement {
    readonly line: number;
    readonly section: string;
    readonly offset: number;
    readonly size: number;
    readonly emit: (context: EmitContext) => Uint8Array;
}

interface EmitContext {
    readonly address: number;
    value(expression: string): number;
}

/** Splits operands at commas that are not inside parentheses or quotes. */
function splitOperands(text: string): string[] {
    const operands: string[] = [];
    let depth = 0;
    let quote = false;
    let current = '';
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"' && text[i - 1] !== '\\') quote = !quote;
        if (!quote && c === '(') depth++;
        if (!quote && c === ')') depth--;
        if (!quote && depth === 0 && c === ',') {
            operands.push(current.trim());
            current = '';
        } else {
            current += c;
        }
    }
    if (current.trim() !== '') operands.push(current.trim());
    return operands;
}

function stripComment(line: string): string {
    let quote = false;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (c === '"' && line[i - 1] !== '\\') quote = !quote;
        if (!quote && (c === '#' || (c === '/' && line[i + 1] === '/'))) return line.slice(0, i);
    }
    return line;
}

function words(...values: number[]): Uint8Array {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((value, i) => view.setUint32(i * 4, value >>> 0, true));
    return bytes;
}

/** The upper 20 bits and lower 12 bits that `lui`/`auipc` plus `addi` need to build `value`. */
export function hiLo(value: number): { hi: number; lo: number } {
    const lo = (value << 20) >> 20;
    return { hi: ((value - lo) >>> 12) & 0xfffff, lo };
}

export function assemble(source: string, options: AssemblyOptions = {}): AssemblyResult {
    const errors: AssemblyError[] = [];
    const symbols = new Map<string, number>();
    const equates = new Map<string, string>();
    const globals = new Set<string>();
    const statements: Statement[] = [];
    const sizes = new Map<string, number>();
    const order: string[] = [];
    let section = '.text';
    const use = (name: string) => {
        section = name;
        if (!sizes.has(name)) {
            sizes.set(name, 0);
            order.push(name);
        }
    };
    use('.text');
    const labelsAt: { name: string; section: string; offset: number; line: number }[] = [];

    const add = (line: number, size: number, emit: (context: EmitContext) => Uint8Array) => {
        const offset = sizes.get(section) as number;
        statements.push({ line, section, offset, size, emit });
        sizes.set(section, offset + size);
    };

    source.split('\n').forEach((raw, index) => {
        const line = index + 1;
        let text = stripComment(raw).trim();
        try {
            for (let match = /^([A-Za-z_.$][\w.$]*):/.exec(text); match; match = /^([A-Za-z_.$][\w.$]*):/.exec(text)) {
                labelsAt.push({ name: match[1], section, offset: sizes.get(section) as number, line });
                text = text.slice(match[0].length).trim();
            }
            if (text === '') return;
            const space = text.search(/\s/);
            const mnemonic = (space < 0 ? text : text.slice(0, space)).toLowerCase();
            const operands = space < 0 ? [] : splitOperands(text.slice(space + 1));
            if (mnemonic.startsWith('.')) {
                directive(mnemonic, operands, text.slice(space + 1), line);
            } else {
                instruction(mnemonic, operands, line);
            }
        } catch (error) {
            if (error instanceof AssemblyError) errors.push(error);
            else throw error;
        }
    });

    function directive(name: string, operands: string[], rest: string, line: number): void {
        switch (name) {
            case '.text': case '.data': case '.bss': case '.rodata': use(name); return;
            case '.section': use(operands[0] ?? '.text'); return;
            case '.globl': case '.global': for (const symbol of operands) globals.add(symbol); return;
            case '.option': case '.file': case '.type': case '.size': case '.ident': case '.attribute': return;
            case '.equ': case '.set':
                if (operands.length !== 2) throw new AssemblyError(line, `${name} takes a name and a value`);
                equates.set(operands[0], operands[1]);
                return;
            case '.word': case '.4byte': add(line, 4 * operands.length, c => words(...operands.map(o => c.value(o)))); return;
            case '.half': case '.2byte': case '.short':
                add(line, 2 * operands.length, c => {
                    const bytes = new Uint8Array(2 * operands.length);
                    operands.forEach((o, i) => new DataView(bytes.buffer).setUint16(2 * i, c.value(o) & 0xffff, true));
                    return bytes;
                });
                return;
            case '.byte': add(line, operands.length, c => new Uint8Array(operands.map(o => c.value(o) & 0xff))); return;
            case '.ascii': case '.asciz': case '.string': {
                const bytes = parseString(rest.trim(), line, name !== '.ascii');
                add(line, bytes.length, () => bytes);
                return;
            }
            case '.zero': case '.space': case '.skip': {
                const count = evaluateConstant(operands[0] ?? '0', line);
                add(line, count, () => new Uint8Array(count));
                return;
            }
            case '.align': case '.p2align': case '.balign': {
                const argument = evaluateConstant(operands[0] ?? '0', line);
                const alignment = name === '.balign' ? argument : 1 << argument;
                const offset = sizes.get(section) as number;
                const padding = (alignment - (offset % alignment)) % alignment;
                // Code sections are padded with nops, as GNU as does.
                const nop = section === '.text' && padding % 4 === 0;
                add(line, padding, () => (nop ? words(...Array.from({ length: padding / 4 }, () => 0x13)) : new Uint8Array(padding)));
                return;
            }
            default:
                throw new AssemblyError(line, `unknown directive '${name}'`);
        }
    }

    function evaluateConstant(expression: string, line: number): number {
        const value = evaluate(expression, new Map(), line);
        if (value === undefined) throw new AssemblyError(line, `'${expression}' must be a constant`);
        return value;
    }

    /** A sum of terms (`label + 4`, `-8`, `%lo(buffer)`), or undefined when a symbol is not known yet. */
    function evaluate(expression: string, known: ReadonlyMap<string, number>, line: number, depth = 0): number | undefined {
        if (depth > 20) throw new AssemblyError(line, `'${expression}' refers to itself`);
        const terms: { sign: number; text: string }[] = [];
        let sign = 1;
        let current = '';
        let nesting = 0;
        let quoted = false;
        for (const c of expression) {
            if (c === "'") quoted = !quoted;
            if (!quoted && c === '(') nesting++;
            if (!quoted && c === ')') nesting--;
            if (!quoted && nesting === 0 && (c === '+' || c === '-')) {
                if (current.trim() === '') {
                    if (c === '-') sign = -sign;
                } else {
                    terms.push({ sign, text: current.trim() });
                    sign = c === '-' ? -1 : 1;
                    current = '';
                }
                continue;
            }
            current += c;
        }
        if (current.trim() === '') throw new AssemblyError(line, `cannot read the expression '${expression}'`);
        terms.push({ sign, text: current.trim() });
        let total = 0;
        for (const term of terms) {
            const value = atom(term.text, known, line, depth);
            if (value === undefined) return undefined;
            total = (total + term.sign * value) | 0;
        }
        return total;
    }

    function atom(text: string, known: ReadonlyMap<string, number>, line: number, depth: number): number | undefined {
        const relocation = /^%(hi|lo)\((.*)\)$/.exec(text);
        if (relocation) {
            const value = evaluate(relocation[2], known, line, depth + 1);
            if (value === undefined) return undefined;
            return relocation[1] === 'hi' ? hiLo(value).hi : hiLo(value).lo;
        }
        if (text.startsWith('(') && text.endsWith(')')) return evaluate(text.slice(1, -1), known, line, depth + 1);
        if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16) | 0;
        if (/^0b[01]+$/i.test(text)) return Number.parseInt(text.slice(2), 2) | 0;
        if (/^[0-9]+$/.test(text)) return Number.parseInt(text, 10) | 0;
        if (/^'(\\.|[^'\\])'$/.test(text)) return parseString(`"${text.slice(1, -1)}"`, line, false)[0];
        if (equates.has(text)) return evaluate(equates.get(text) as string, known, line, depth + 1);
        if (/^[A-Za-z_.$][\w.$]*$/.test(text)) return known.get(text);
        throw new AssemblyError(line, `cannot read the expression '${text}'`);
    }

    function register(operand: string | undefined, line: number): number {
        const reg = operand === undefined ? undefined : REGISTERS.get(operand.trim());
        if (reg === undefined) throw new AssemblyError(line, `'${operand ?? ''}' is not a register`);
        return reg;
    }

    function expect(operands: string[], count: number, mnemonic: string, line: number): void {
        if (operands.length !== count) throw new AssemblyError(line, `${mnemonic} takes ${count} operand${count === 1 ? '' : 's'}, not ${operands.length}`);
    }

    /** `imm(reg)` or `(reg)`. */
    function memoryOperand(operand: string, line: number): { offset: string; base: number } {
        const match = /^(.*)\(\s*([\w.$]+)\s*\)$/.exec(operand.trim());
        if (!match) throw new AssemblyError(line, `'${operand}' is not a memory operand such as 8(sp)`);
        return { offset: match[1].trim() === '' ? '0' : match[1], base: register(match[2], line) };
    }

    function csr(operand: string, context: EmitContext): number {
        return CSRS.get(operand.trim()) ?? context.value(operand);
    }

    function emitOne(line: number, build: (context: EmitContext) => Instruction | Instruction[]): void {
        const probe = build({ address: 0, value: () => 0 });
        const count = Array.isArray(probe) ? probe.length : 1;
        add(line, 4 * count, context => {
            const built = build(context);
            try {
                return words(...(Array.isArray(built) ? built : [built]).map(encode));
            } catch (error) {
                if (error instanceof EncodeError) throw new AssemblyError(line, error.message);
                throw error;
            }
        });
    }

    function instruction(mnemonic: string, operands: string[], line: number): void {
        const reg = (i: number) => register(operands[i], line);
        if (mnemonic in R_OPS) {
            expect(operands, 3, mnemonic, line);
            return emitOne(line, () => ({ op: R_OPS[mnemonic], rd: reg(0), rs1: reg(1), rs2: reg(2) }));
        }
        if (mnemonic in I_OPS || mnemonic in SHIFT_OPS) {
            expect(operands, 3, mnemonic, line);
            const op = I_OPS[mnemonic] ?? SHIFT_OPS[mnemonic];
            return emitOne(line, c => ({ op, rd: reg(0), rs1: reg(1), imm: c.value(operands[2]) }));
        }
        if (mnemonic in LOAD_OPS || mnemonic in STORE_OPS) {
            expect(operands, 2, mnemonic, line);
            const { offset, base } = memoryOperand(operands[1], line);
            if (mnemonic in LOAD_OPS) return emitOne(line, c => ({ op: LOAD_OPS[mnemonic], rd: reg(0), rs1: base, imm: c.value(offset) }));
            return emitOne(line, c => ({ op: STORE_OPS[mnemonic], rs2: reg(0), rs1: base, imm: c.value(offset) }));
        }
        if (mnemonic in BRANCH_OPS) {
            expect(operands, 3, mnemonic, line);
            return emitOne(line, c => ({ op: BRANCH_OPS[mnemonic], rs1: reg(0), rs2: reg(1), imm: c.value(operands[2]) - c.address }));
        }
        if (mnemonic in SWAPPED_BRANCHES) {
            expect(operands, 3, mnemonic, line);
            return emitOne(line, c => ({ op: SWAPPED_BRANCHES[mnemonic], rs1: reg(1), rs2: reg(0), imm: c.value(operands[2]) - c.address }));
        }
        if (mnemonic in ZERO_BRANCHES) {
            expect(operands, 2, mnemonic, line);
            const [op, swap] = ZERO_BRANCHES[mnemonic];
            return emitOne(line, c => ({ op, rs1: swap ? 0 : reg(0), rs2: swap ? reg(0) : 0, imm: c.value(operands[1]) - c.address }));
        }
        if (mnemonic in CSR_OPS) {
            expect(operands, 3, mnemonic, line);
            return emitOne(line, c => ({ op: CSR_OPS[mnemonic], rd: reg(0), imm: csr(operands[1], c), rs1: reg(2) }));
        }
        if (mnemonic in CSRI_OPS) {
            expect(operands, 3, mnemonic, line);
            return emitOne(line, c => ({ op: CSRI_OPS[mnemonic], rd: reg(0), imm: csr(operands[1], c), uimm: c.value(operands[2]) }));
        }
        switch (mnemonic) {
            case 'lui': case 'auipc':
                expect(operands, 2, mnemonic, line);
                return emitOne(line, c => ({ op: mnemonic === 'lui' ? Op.Lui : Op.Auipc, rd: reg(0), imm: (c.value(operands[1]) << 12) | 0 }));
            case 'jal': {
                // `jal label` links in ra; `jal rd, label` names the link register.
                const [rd, target] = operands.length === 1 ? [1, operands[0]] : (expect(operands, 2, mnemonic, line), [reg(0), operands[1]]);
                return emitOne(line, c => ({ op: Op.Jal, rd, imm: c.value(target) - c.address }));
            }
            case 'jalr': {
                if (operands.length === 1) return emitOne(line, () => ({ op: Op.Jalr, rd: 1, rs1: reg(0), imm: 0 }));
                expect(operands, 2, mnemonic, line);
                const { offset, base } = memoryOperand(operands[1], line);
                return emitOne(line, c => ({ op: Op.Jalr, rd: reg(0), rs1: base, imm: c.value(offset) }));
            }
            case 'ecall': return emitOne(line, () => ({ op: Op.Ecall }));
            case 'ebreak': return emitOne(line, () => ({ op: Op.Ebreak }));
            case 'fence':
                if (operands.length !== 0 && operands.join(',') !== 'iorw,iorw') throw new AssemblyError(line, 'only fence and fence iorw,iorw are supported');
                return emitOne(line, () => ({ op: Op.Fence }));
            case 'fence.i': return emitOne(line, () => ({ op: Op.FenceI }));
            case 'nop': return emitOne(line, () => ({ op: Op.Addi, rd: 0, rs1: 0, imm: 0 }));
            case 'mv': expect(operands, 2, mnemonic, line); return emitOne(line, () => ({ op: Op.Addi, rd: reg(0), rs1: reg(1), imm: 0 }));
            case 'not': expect(operands, 2, mnemonic, line); return emitOne(line, () => ({ op: Op.Xori, rd: reg(0), rs1: reg(1), imm: -1 }));
            case 'neg': expect(operands, 2, mnemonic, line); return emitOne(line, () => ({ op: Op.Sub, rd: reg(0), rs1: 0, rs2: reg(1) }));
            case 'seqz': expect(operands, 2, mnemonic, line); return emitOne(line, () => ({ op: Op.Sltiu, rd: reg(0), rs1: reg(1), imm: 1 }));
            case 'snez': expect(operands, 2, mnemonic, line); return emitOne(line, () => ({ op: Op.Sltu, rd: reg(0), rs1: 0, rs2: reg(1) }));
            case 'sltz': expect(operands, 2, mnemonic, line); return emitOne(line, () => ({ op: Op.Slt, rd: reg(0), rs1: reg(1), rs2: 0 }));
            case 'sgtz': expect(operands, 2, mnemonic, line); return emitOne(line, () => ({ op: Op.Slt, rd: reg(0), rs1: 0, rs2: reg(1) }));
            case 'j': expect(operands, 1, mnemonic, line); return emitOne(line, c => ({ op: Op.Jal, rd: 0, imm: c.value(operands[0]) - c.address }));
            case 'jr': expect(operands, 1, mnemonic, line); return emitOne(line, () => ({ op: Op.Jalr, rd: 0, rs1: reg(0), imm: 0 }));
            case 'ret': return emitOne(line, () => ({ op: Op.Jalr, rd: 0, rs1: 1, imm: 0 }));
            case 'li': {
                expect(operands, 2, mnemonic, line);
                // The size must be known in the first pass, so the value must be a constant then.
                const value = evaluateConstant(operands[1], line);
                const rd = reg(0);
                const { hi, lo } = hiLo(value);
                if (value >= -2048 && value <= 2047) return emitOne(line, () => ({ op: Op.Addi, rd, rs1: 0, imm: value }));
                if (lo === 0) return emitOne(line, () => ({ op: Op.Lui, rd, imm: (hi << 12) | 0 }));
                return emitOne(line, () => [{ op: Op.Lui, rd, imm: (hi << 12) | 0 }, { op: Op.Addi, rd, rs1: rd, imm: lo }]);
            }
            case 'la': case 'lla': {
                expect(operands, 2, mnemonic, line);
                const rd = reg(0);
                return emitOne(line, c => {
                    const { hi, lo } = hiLo((c.value(operands[1]) - c.address) | 0);
                    return [{ op: Op.Auipc, rd, imm: (hi << 12) | 0 }, { op: Op.Addi, rd, rs1: rd, imm: lo }];
                });
            }
            case 'call': case 'tail': {
                expect(operands, 1, mnemonic, line);
                const link = mnemonic === 'call' ? 1 : 6;
                return emitOne(line, c => {
                    const { hi, lo } = hiLo((c.value(operands[0]) - c.address) | 0);
                    return [{ op: Op.Auipc, rd: link, imm: (hi << 12) | 0 }, { op: Op.Jalr, rd: mnemonic === 'call' ? 1 : 0, rs1: link, imm: lo }];
                });
            }
            case 'csrr': expect(operands, 2, mnemonic, line); return emitOne(line, c => ({ op: Op.Csrrs, rd: reg(0), imm: csr(operands[1], c), rs1: 0 }));
            case 'csrw': expect(operands, 2, mnemonic, line); return emitOne(line, c => ({ op: Op.Csrrw, rd: 0, imm: csr(operands[0], c), rs1: reg(1) }));
            case 'rdcycle': case 'rdtime': case 'rdinstret': case 'rdcycleh': case 'rdtimeh': case 'rdinstreth':
                expect(operands, 1, mnemonic, line);
                return emitOne(line, () => ({ op: Op.Csrrs, rd: reg(0), imm: CSRS.get(mnemonic.slice(2)) as number, rs1: 0 }));
            default:
                throw new AssemblyError(line, `unknown instruction '${mnemonic}'`);
        }
    }

    // Place the sections and resolve the labels.
    const addresses = new Map<string, number>();
    let next = 0;
    for (const name of order) {
        const address = options.sectionAddresses?.[name] ?? next;
        addresses.set(name, address);
        next = (address + (sizes.get(name) as number) + 0xfff) & ~0xfff;
    }
    for (const label of labelsAt) {
        if (symbols.has(label.name)) errors.push(new AssemblyError(label.line, `label '${label.name}' is defined twice`));
        else symbols.set(label.name, (addresses.get(label.section) as number) + label.offset);
    }

    const buffers = new Map(order.map(name => [name, new Uint8Array(sizes.get(name) as number)]));
    for (const statement of statements) {
        const address = (addresses.get(statement.section) as number) + statement.offset;
        try {
            const bytes = statement.emit({
                address,
                value: expression => {
                    const value = evaluate(expression, symbols, statement.line);
                    if (value === undefined) throw new AssemblyError(statement.line, `unknown symbol in '${expression}'`);
                    return value;
                }
            });
            (buffers.get(statement.section) as Uint8Array).set(bytes, statement.offset);
        } catch (error) {
            if (error instanceof AssemblyError) errors.push(error);
            else throw error;
        }
    }
    return {
        sections: order.map(name => ({ name, address: addresses.get(name) as number, bytes: buffers.get(name) as Uint8Array })),
        symbols,
        globals,
        errors: errors.sort((a, b) => a.line - b.line)
    };
}

function parseString(text: string, line: number, terminate: boolean): Uint8Array {
    if (!/^".*"$/.test(text)) throw new AssemblyError(line, `expected a string in double quotes, not ${text}`);
    const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, '"': 34, "'": 39 };
    const bytes: number[] = [];
    const body = text.slice(1, -1);
    for (let i = 0; i < body.length; i++) {
        if (body[i] === '\\') {
            const escaped = escapes[body[++i]];
            if (escaped === undefined) throw new AssemblyError(line, `unknown escape '\\${body[i]}'`);
            bytes.push(escaped);
        } else {
            const code = body.charCodeAt(i);
            if (code > 127) throw new AssemblyError(line, 'strings must be ASCII');
            bytes.push(code);
        }
    }
    if (terminate) bytes.push(0);
    return new Uint8Array(bytes);
}
