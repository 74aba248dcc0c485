/**
 * The routines `print("{}", x)` calls for an enum or flags value in a0, one per type a component prints.
 * They write what the trace decoder writes for the same bits (runtime/trace/message-decoder.ts): an enum
 * by its member's name (ServerFailed, which an error enum's catch variable may hold, by that name; any
 * other value as its number), a set of flags by the names of its bits joined by `|`, bits no member names
 * in hex (`Read|0x40`), the empty set `0`.
 */
import { enumBase, type EnumDecl, type UkTypeSystem } from '../../language/index.js';
import { SERVER_FAILED_LABEL } from '../../../runtime/contract/index.js';

/** A string in read-only data: its symbol and length in bytes. */
export type StringSymbol = (text: string) => { readonly symbol: string; readonly length: number };

export function enumPrinter(decl: EnumDecl, symbol: string, types: UkTypeSystem, stringSymbol: StringSymbol): string[] {
    const values = decl.members.map(member => {
        const value = types.constants.enumMemberValue(member);
        return value.ok ? value.value : 0n;
    });
    const base = enumBase(decl.base);
    const wide = base?.kind === 'int' && base.bits > 32;
    if (decl.flags) return flagsPrinter(decl, values, wide, symbol, stringSymbol);
    if (wide) return wideMemberPrinter(decl, values, base.signed, symbol, stringSymbol);
    return memberPrinter(decl, values.map(value => wordOf(value, 0)), symbol, stringSymbol);
}

/** A word of a 64-bit value as a signed 32-bit number: `li` takes it. */
function wordOf(value: bigint, index: number): number {
    return Number(BigInt.asIntN(32, value >> BigInt(32 * index)));
}

/**
 * The printer of an enum with a base of 33..64 bits: its value is a pair in a0 (low) and a1 (high),
 * sign-extended for a signed base (lower/aggregates.ts, wideShape), as the member values are here.
 */
function wideMemberPrinter(decl: EnumDecl, values: readonly bigint[], signed: boolean, symbol: string, stringSymbol: StringSymbol): string[] {
    const lines = [`${symbol}:`];
    values.forEach((value, i) => lines.push(
        `    li t0, ${wordOf(value, 0)}`, `    bne a0, t0, ${symbol}_not${i}`, `    li t0, ${wordOf(value, 1)}`, `    beq a1, t0, ${symbol}_${i}`, `${symbol}_not${i}:`
    ));
    lines.push(`    li t0, ${SERVER_FAILED_LABEL}`, `    bne a0, t0, ${symbol}_number`, `    beqz a1, __ukc_print_server_failed`);
    lines.push(`${symbol}_number:`, `    j ${signed ? '__ukc_print_i64' : '__ukc_print_u64'}`);
    decl.members.forEach((member, i) => {
        const name = stringSymbol(member.name);
        lines.push(`${symbol}_${i}:`, `    la a0, ${name.symbol}`, `    li a1, ${name.length}`, '    j __ukc_write');
    });
    return lines;
}

function memberPrinter(decl: EnumDecl, values: readonly number[], symbol: string, stringSymbol: StringSymbol): string[] {
    const lines = [`${symbol}:`];
    values.forEach((value, i) => lines.push(`    li t0, ${value}`, `    beq a0, t0, ${symbol}_${i}`));
    lines.push(`    li t0, ${SERVER_FAILED_LABEL}`, '    beq a0, t0, __ukc_print_server_failed');
    lines.push(`    j ${decl.base?.startsWith('i') ? '__ukc_print_i32' : '__ukc_print_u32'}`);
    decl.members.forEach((member, i) => {
        const name = stringSymbol(member.name);
        lines.push(`${symbol}_${i}:`, `    la a0, ${name.symbol}`, `    li a1, ${name.length}`, '    j __ukc_write');
    });
    return lines;
}

/**
 * The printer of a flags type. The set is in a0, or for a base of 33..64 bits a pair in a0 (low) and a1
 * (high). The bits still to print live at 8(sp) (the low word) and 0(sp) (the high word, wide only),
 * "something was printed" at 4(sp): __ukc_write and the hex printers may change every temporary register.
 * Each member is one bit, so it is tested and cleared in the one word that holds it.
 */
function flagsPrinter(decl: EnumDecl, values: readonly bigint[], wide: boolean, symbol: string, stringSymbol: StringSymbol): string[] {
    const bar = stringSymbol('|');
    const hex = stringSymbol('0x');
    const lines = [`${symbol}:`];
    const out = (line: string) => lines.push(`    ${line}`);
    const write = (text: { readonly symbol: string; readonly length: number }) => {
        out(`la a0, ${text.symbol}`);
        out(`li a1, ${text.length}`);
        out('call __ukc_write');
    };
    /** `|` before every part but the first. */
    const separator = (label: string) => {
        out('lw t0, 4(sp)');
        out(`beqz t0, ${label}`);
        write(bar);
        lines.push(`${label}:`);
        out('li t0, 1');
        out('sw t0, 4(sp)');
    };
    /** The bits still to print, or-ed into t0 for a test against zero. */
    const loadRest = () => {
        out('lw t0, 8(sp)');
        if (!wide) return;
        out('lw t1, 0(sp)');
        out('or t0, t0, t1');
    };
    if (wide) out('or t0, a0, a1');
    out(`bnez ${wide ? 't0' : 'a0'}, ${symbol}_set`);
    out('j __ukc_print_u32');
    lines.push(`${symbol}_set:`);
    out('addi sp, sp, -16');
    out('sw ra, 12(sp)');
    out('sw a0, 8(sp)');
    out('sw zero, 4(sp)');
    if (wide) out('sw a1, 0(sp)');
    decl.members.forEach((member, i) => {
        const next = `${symbol}_skip${i}`;
        const low = wordOf(values[i], 0);
        const inLow = !wide || low !== 0;
        const offset = inLow ? 8 : 0;
        out(`lw t0, ${offset}(sp)`);
        out(`li t1, ${inLow ? low : wordOf(values[i], 1)}`);
        out('and t2, t0, t1');
        out(`beqz t2, ${next}`);
        out('xor t0, t0, t1');
        out(`sw t0, ${offset}(sp)`);
        separator(`${symbol}_name${i}`);
        write(stringSymbol(member.name));
        lines.push(`${next}:`);
    });
    loadRest();
    out(`beqz t0, ${symbol}_done`);
    separator(`${symbol}_rest`);
    write(hex);
    out('lw a0, 8(sp)');
    if (wide) out('lw a1, 0(sp)');
    out(`call ${wide ? '__ukc_print_hex64' : '__ukc_print_hex'}`);
    lines.push(`${symbol}_done:`);
    out('lw ra, 12(sp)');
    out('addi sp, sp, 16');
    out('ret');
    return lines;
}
