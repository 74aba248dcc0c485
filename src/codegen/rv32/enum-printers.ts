/**
 * The routines `print("{}", x)` calls for an enum or flags value in a0, one per type a component prints.
 * They write what the trace decoder writes for the same bits (runtime/trace/message-decoder.ts): an enum
 * by its member's name (ServerFailed, which an error enum's catch variable may hold, by that name; any
 * other value as its number), a set of flags by the names of its bits joined by `|`, bits no member names
 * in hex (`Read|0x40`), the empty set `0`.
 */
import type { EnumDecl, UkTypeSystem } from '../../language/index.js';
import { SERVER_FAILED_LABEL } from '../../../runtime/contract/index.js';

/** A string in read-only data: its symbol and length in bytes. */
export type StringSymbol = (text: string) => { readonly symbol: string; readonly length: number };

export function enumPrinter(decl: EnumDecl, symbol: string, types: UkTypeSystem, stringSymbol: StringSymbol): string[] {
    const values = decl.members.map(member => {
        const value = types.constants.enumMemberValue(member);
        return value.ok ? Number(BigInt.asIntN(32, value.value)) : 0;
    });
    return decl.flags ? flagsPrinter(decl, values, symbol, stringSymbol) : memberPrinter(decl, values, symbol, stringSymbol);
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
 * The bits still to print live at 8(sp) and "something was printed" at 4(sp): __ukc_write and
 * __ukc_print_hex may change every temporary register.
 */
function flagsPrinter(decl: EnumDecl, values: readonly number[], symbol: string, stringSymbol: StringSymbol): string[] {
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
    out(`bnez a0, ${symbol}_set`);
    out('j __ukc_print_u32');
    lines.push(`${symbol}_set:`);
    out('addi sp, sp, -16');
    out('sw ra, 12(sp)');
    out('sw a0, 8(sp)');
    out('sw zero, 4(sp)');
    decl.members.forEach((member, i) => {
        const next = `${symbol}_skip${i}`;
        out('lw t0, 8(sp)');
        out(`li t1, ${values[i]}`);
        out('and t2, t0, t1');
        out(`beqz t2, ${next}`);
        out('xor t0, t0, t1');
        out('sw t0, 8(sp)');
        separator(`${symbol}_name${i}`);
        write(stringSymbol(member.name));
        lines.push(`${next}:`);
    });
    out('lw t0, 8(sp)');
    out(`beqz t0, ${symbol}_done`);
    separator(`${symbol}_rest`);
    write(hex);
    out('lw a0, 8(sp)');
    out('call __ukc_print_hex');
    lines.push(`${symbol}_done:`);
    out('lw ra, 12(sp)');
    out('addi sp, sp, 16');
    out('ret');
    return lines;
}
