/**
 * Compile-time evaluation of integer constant expressions (array lengths, enum values, register offsets,
 * instance properties, literal range checks, constants the code generator folds). It follows the run-time
 * rule exactly (docs/LANGUAGE.md, "Integer semantics"): an expression of an integer type (or of an enum or
 * bitfield, by its base) has the value the compiled code computes, wrapped to that type; shift counts are
 * taken modulo the width. Untyped constants (`1 << 40`, `300`) stay exact; whether such a value fits the
 * type it is used as is checked where it is used.
 */
import type { AstNode } from 'langium';
import type { IntType } from './types.js';
import {
    isBinaryExpr, isBoolLiteral, isCastExpr, isCharLiteral, isConstDecl, isEnumMember, isIntLiteral, isMemberExpr,
    isNameRef, isUnaryExpr, type EnumMember, type Expr
} from '../generated/ast.js';

export type ConstantResult =
    | { readonly ok: true; readonly value: bigint }
    | { readonly ok: false; readonly reason: 'not-constant' | 'division-by-zero' | 'cycle' | 'invalid' };

const NOT_CONSTANT: ConstantResult = { ok: false, reason: 'not-constant' };

/** Parses the text of an INT token: decimal, `0x` hex or `0b` binary, with `_` separators. */
export function parseIntLiteral(text: string | undefined): bigint | undefined {
    if (text === undefined) return undefined;
    const digits = text.replace(/_/g, '');
    if (digits === '' || /^0[xXbB]$/.test(digits)) {
        return undefined;
    }
    try {
        return BigInt(digits);
    } catch {
        return undefined;
    }
}

const CHAR_ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, '\'': 39, '"': 34 };

/** The byte value of a CHAR token such as `'a'` or `'\n'`, or undefined for an unknown escape. */
export function parseCharLiteral(text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const body = text.slice(1, -1);
    if (body.startsWith('\\')) {
        return CHAR_ESCAPES[body.slice(1)];
    }
    const code = body.codePointAt(0);
    return body.length === 1 && code !== undefined && code < 128 ? code : undefined;
}

/** The integer type an expression's value is held in at run time (an enum's or bitfield's base), if any. */
export type RepresentationOf = (expr: Expr) => IntType | undefined;

export class ConstantEvaluator {
    /** Constants whose value is being computed, to report `const A = B; const B = A` instead of looping. */
    private readonly inProgress = new Set<AstNode>();

    constructor(private readonly representationOf: RepresentationOf) {}

    evaluate(expr: Expr | undefined): ConstantResult {
        if (!expr) {
            return NOT_CONSTANT;
        }
        const result = this.evaluateExact(expr);
        if (!result.ok) return result;
        const type = this.representationOf(expr);
        return type ? { ok: true, value: wrapTo(type, result.value) } : result;
    }

    /** The value before it is wrapped to the expression's own type; operands are evaluated (and wrapped) in full. */
    private evaluateExact(expr: Expr): ConstantResult {
        if (isIntLiteral(expr)) {
            const value = parseIntLiteral(expr.value);
            return value === undefined ? { ok: false, reason: 'invalid' } : { ok: true, value };
        }
        if (isCharLiteral(expr)) {
            const value = parseCharLiteral(expr.value);
            return value === undefined ? { ok: false, reason: 'invalid' } : { ok: true, value: BigInt(value) };
        }
        if (isBoolLiteral(expr)) {
            return { ok: true, value: expr.value ? 1n : 0n };
        }
        if (isNameRef(expr)) {
            const target = expr.target?.ref;
            return isConstDecl(target) ? this.evaluateNamed(target, target.value) : NOT_CONSTANT;
        }
        if (isMemberExpr(expr)) {
            const member = expr.member?.ref;
            if (isEnumMember(member)) {
                return this.enumMemberValue(member);
            }
            return NOT_CONSTANT;
        }
        if (isCastExpr(expr)) {
            return this.evaluate(expr.value);
        }
        if (isUnaryExpr(expr)) {
            const operand = this.evaluate(expr.operand);
            if (!operand.ok) return operand;
            switch (expr.op) {
                case '-': return { ok: true, value: -operand.value };
                case '~': return { ok: true, value: ~operand.value };
                case '!': return { ok: true, value: operand.value === 0n ? 1n : 0n };
            }
        }
        if (isBinaryExpr(expr)) {
            const left = this.evaluate(expr.left);
            if (!left.ok) return left;
            const right = this.evaluate(expr.right);
            if (!right.ok) return right;
            const shifted = (expr.operator === '<<' || expr.operator === '>>') ? this.representationOf(expr.left) : undefined;
            // A typed shift takes its count modulo the width, as RV32 and the 64-bit helpers do.
            const count = shifted ? right.value & BigInt(shifted.bits - 1) : right.value;
            return applyBinary(expr.operator, left.value, count);
        }
        return NOT_CONSTANT;
    }

    /** The value of an enum member: explicit, or one more than the previous member (the first is 0). */
    enumMemberValue(member: EnumMember): ConstantResult {
        if (member.$container.flags) {
            const bit = this.flagBit(member);
            return bit.ok ? { ok: true, value: 1n << bit.value } : bit;
        }
        if (member.value) {
            return this.evaluateNamed(member, member.value);
        }
        const members = member.$container.members;
        const index = members.indexOf(member);
        if (index <= 0) {
            return { ok: true, value: 0n };
        }
        const previous = this.enumMemberValue(members[index - 1]);
        return previous.ok ? { ok: true, value: previous.value + 1n } : previous;
    }

    /** The bit position of a flags member: its `at`, else one past the previous member's (the first is bit 0). */
    flagBit(member: EnumMember): ConstantResult {
        if (member.bit) return this.evaluateNamed(member, member.bit);
        const members = member.$container.members;
        const index = members.indexOf(member);
        if (index <= 0) return { ok: true, value: 0n };
        const previous = this.flagBit(members[index - 1]);
        return previous.ok ? { ok: true, value: previous.value + 1n } : previous;
    }

    private evaluateNamed(owner: AstNode, value: Expr | undefined): ConstantResult {
        if (this.inProgress.has(owner)) {
            return { ok: false, reason: 'cycle' };
        }
        this.inProgress.add(owner);
        try {
            return this.evaluate(value);
        } finally {
            this.inProgress.delete(owner);
        }
    }
}

function applyBinary(operator: string, left: bigint, right: bigint): ConstantResult {
    const bool = (value: boolean): ConstantResult => ({ ok: true, value: value ? 1n : 0n });
    switch (operator) {
        case '+': return { ok: true, value: left + right };
        case '-': return { ok: true, value: left - right };
        case '*': return { ok: true, value: left * right };
        case '/': return right === 0n ? { ok: false, reason: 'division-by-zero' } : { ok: true, value: left / right };
        case '%': return right === 0n ? { ok: false, reason: 'division-by-zero' } : { ok: true, value: left % right };
        case '&': return { ok: true, value: left & right };
        case '|': return { ok: true, value: left | right };
        case '^': return { ok: true, value: left ^ right };
        // Shift counts are bounded so that a typo such as `1 << 100000` cannot allocate a huge bigint.
        case '<<': return right < 0n || right > 64n ? { ok: false, reason: 'invalid' } : { ok: true, value: left << right };
        case '>>': return right < 0n || right > 64n ? { ok: false, reason: 'invalid' } : { ok: true, value: left >> right };
        case '==': return bool(left === right);
        case '!=': return bool(left !== right);
        case '<': return bool(left < right);
        case '<=': return bool(left <= right);
        case '>': return bool(left > right);
        case '>=': return bool(left >= right);
        case '&&': return bool(left !== 0n && right !== 0n);
        case '||': return bool(left !== 0n || right !== 0n);
        default: return NOT_CONSTANT;
    }
}

/** `value` as a value of `type`: its low bits, read as two's complement for signed types. */
export function wrapTo(type: IntType, value: bigint): bigint {
    return type.signed ? BigInt.asIntN(type.bits, value) : BigInt.asUintN(type.bits, value);
}
