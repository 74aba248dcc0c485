/**
 * 64-bit integers as register pairs (low word first): carries and borrows for + and -, mulhu for *,
 * the runtime library for division and shifts, and comparisons where the high words decide.
 */
import type { FunctionBuilder, VReg } from '../ir.js';

export interface WideHooks {
    /** Faults on a zero divisor (the language's rule), at the operation's position. */
    checkDivisor(divisor: VReg): void;
    unsupported(what: string): void;
}

export function arithmetic64(b: FunctionBuilder, operator: string, x: readonly VReg[], y: readonly VReg[], signed: boolean, hooks: WideHooks): VReg[] {
    switch (operator) {
        case '+': {
            const low = b.binary('add', x[0], y[0]);
            const carry = b.binary('sltu', low, x[0]);
            return [low, b.binary('add', b.binary('add', x[1], y[1]), carry)];
        }
        case '-': {
            const borrow = b.binary('sltu', x[0], y[0]);
            return [b.binary('sub', x[0], y[0]), b.binary('sub', b.binary('sub', x[1], y[1]), borrow)];
        }
        case '*': {
            const low = b.binary('mul', x[0], y[0]);
            const high = b.binary('add', b.binary('mulhu', x[0], y[0]), b.binary('add', b.binary('mul', x[0], y[1]), b.binary('mul', x[1], y[0])));
            return [low, high];
        }
        case '&': return [b.binary('and', x[0], y[0]), b.binary('and', x[1], y[1])];
        case '|': return [b.binary('or', x[0], y[0]), b.binary('or', x[1], y[1])];
        case '^': return [b.binary('xor', x[0], y[0]), b.binary('xor', x[1], y[1])];
        case '/': case '%': {
            hooks.checkDivisor(b.binary('or', y[0], y[1]));
            const results = [b.register(), b.register(), b.register(), b.register()];
            b.emit({ op: 'call', callee: signed ? '__ukc_divmod64' : '__ukc_udivmod64', args: [x[0], x[1], y[0], y[1]], results, convention: 'standard' });
            return operator === '/' ? [results[0], results[1]] : [results[2], results[3]];
        }
        case '<<': case '>>': {
            const callee = operator === '<<' ? '__ukc_sll64' : signed ? '__ukc_sra64' : '__ukc_srl64';
            const results = [b.register(), b.register()];
            b.emit({ op: 'call', callee, args: [x[0], x[1], y[0]], results, convention: 'standard' });
            return results;
        }
        default:
            hooks.unsupported(`the operator '${operator}' on 64-bit integers`);
            return [x[0], x[1]];
    }
}

/** `== != < <= > >=` on pairs: the high words decide, the low ones (unsigned) break a tie. */
export function compare64(b: FunctionBuilder, operator: string, x: readonly VReg[], y: readonly VReg[], signed: boolean): VReg {
    if (operator === '==' || operator === '!=') {
        const differ = b.binary('or', b.binary('xor', x[0], y[0]), b.binary('xor', x[1], y[1]));
        return b.binary(operator === '==' ? 'eq' : 'ne', differ, b.constant(0));
    }
    const less = (p: readonly VReg[], q: readonly VReg[]) => {
        const high = b.binary(signed ? 'slt' : 'sltu', p[1], q[1]);
        const tie = b.binary('and', b.binary('eq', p[1], q[1]), b.binary('sltu', p[0], q[0]));
        return b.binary('or', high, tie);
    };
    const flip = (v: VReg) => b.binary('xor', v, b.constant(1));
    switch (operator) {
        case '<': return less(x, y);
        case '>': return less(y, x);
        case '<=': return flip(less(y, x));
        default: return flip(less(x, y));
    }
}
