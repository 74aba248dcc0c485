/**
 * What GDB is told about the machine (GDB manual, "Target Descriptions" and "RISC-V Features"): an RV32
 * target whose `org.gnu.gdb.riscv.cpu` feature holds the 32 integer registers and pc, 32 bits each. The
 * register numbers of `p`/`P` and the order of `g`/`G` follow the feature: x0..x31 are 0..31, pc is 32.
 */
import { REGISTER_NAMES } from '../../../runtime/machine/index.js';

/** GDB's register number of pc. */
export const PC_REGISTER = 32;
/** x0..x31 and pc. */
export const REGISTER_COUNT = 33;

const registerLines = [
    ...REGISTER_NAMES.map((name, i) => `  <reg name="${name}" bitsize="32" type="${registerType(i)}" regnum="${i}"/>`),
    `  <reg name="pc" bitsize="32" type="code_ptr" regnum="${PC_REGISTER}"/>`
];

/** `target.xml`, the one annex `qXfer:features:read` serves. */
export const TARGET_XML = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
    '<target version="1.0">',
    '<architecture>riscv:rv32</architecture>',
    '<feature name="org.gnu.gdb.riscv.cpu">',
    ...registerLines,
    '</feature>',
    '</target>',
    ''
].join('\n');

/** ra holds code addresses; sp, gp and tp data addresses (as in GDB's own riscv-32bit-cpu.xml). */
function registerType(index: number): string {
    if (index === 1) return 'code_ptr';
    if (index >= 2 && index <= 4) return 'data_ptr';
    return 'int';
}
