/**
 * Compile-time evaluation of integer constant expressions (array lengths, enum values, register offsets,
 * instance properties, literal range checks, constants the code generator folds). It follows the run-time
 * rule exactly (docs/LANGUAGE.md, "Integer semantics"): an expression of an integer type (or of an enum or
 * bitfield, by its base) has the value the compiled code computes, wrapped to that type; shift counts are
 * taken modulo the width. Untyped constants (`1 << 40`, `300`) stay exact; whether such a value fits the
 * type it is used as is checked where it is used.
 */
import type { AstNode } from 'langium';
import type { IntRepresentation } from './types.js';
import {
    isBinaryExpr, isBoolLiteral, isCastExpr, isCharLiteral, isConstDecl, isEnumMember, isFloatLiteral, isIntLiteral, isMemberExpr,
    isNameRef, isUnaryExpr, type EnumMember, type Expr
} from '../generated/ast.js';
import { floatToBits, type FloatBits } from '../../../runtime/contract/index.js';
import { floatArithmetic, floatToInteger, integerToFloat, parseFloatLiteral } from './float-constants.js';

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

/**
 * The integer an expression's value is held as at run time, if any: its integer type, or an enum's or
 * bitfield's base at its exact width (`i40`, `u3`), as compiled code truncates and extends it.
 */
export type RepresentationOf = (expr: Expr) => IntRepresentation | undefined;

/** Whether an expression is a float: of type f32 or f64, or a float constant without a type yet ('constant'). */
export type FloatKindOf = (expr: Expr) => FloatBits | 'constant' | undefined;

/** A float constant's value in its type (a double that the type holds exactly), or why there is none. */
export type FloatResult = { readonly ok: true; readonly value: number } | Extract<ConstantResult, { ok: false }>;

export class ConstantEvaluator {
    /** Constants whose value is being computed, to report `const A = B; const B = A` instead of looping. */
    private readonly inProgress = new Set<AstNode>();

    constructor(private readonly representationOf: RepresentationOf, private readonly floatKindOf: FloatKindOf) {}

    /**
     * The value of a constant expression. An expression of type f32 or f64 has its bit pattern as its
     * value (what the compiled code holds); a float constant without a type has none until it meets one
     * (`evaluateFloat`).
     */
    evaluate(expr: Expr | undefined): ConstantResult {
        if (!expr) {
            return NOT_CONSTANT;
        }
        const kind = this.floatKindOf(expr);
        if (kind === 'constant') return NOT_CONSTANT;
        if (kind !== undefined) {
            const float = this.evaluateFloat(expr, kind);
            return float.ok ? { ok: true, value: floatToBits(float.value, kind) } : float;
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
            const source = this.floatKindOf(expr.value);
            const target = this.representationOf(expr);
            if (source !== undefined && target) {
                const float = this.evaluateFloat(expr.value, source === 'constant' ? 64 : source);
                return float.ok ? { ok: true, value: floatToInteger(float.value, target) } : float;
            }
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
            const comparedFloats = this.floatComparison(expr.operator, expr.left, expr.right);
            if (comparedFloats) return comparedFloats;
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

    /** `a < b` and the like on floats (IEEE: NaN is unordered, -0 equals 0); undefined when no operand is a float. */
    private floatComparison(operator: string, left: Expr, right: Expr): ConstantResult | undefined {
        const kinds = [this.floatKindOf(left), this.floatKindOf(right)];
        if (kinds.every(kind => kind === undefined)) return undefined;
        const bits: FloatBits = kinds.includes(32) ? 32 : 64;
        const a = this.evaluateFloat(left, bits);
        if (!a.ok) return a;
        const b = this.evaluateFloat(right, bits);
        if (!b.ok) return b;
        const results: Record<string, boolean> = {
            '==': a.value === b.value, '!=': a.value !== b.value, '<': a.value < b.value,
            '<=': a.value <= b.value, '>': a.value > b.value, '>=': a.value >= b.value
        };
        return operator in results ? { ok: true, value: results[operator] ? 1n : 0n } : NOT_CONSTANT;
    }

    /**
     * A constant's value as a float of `bits` bits, computed operation by operation in that type as the
     * compiled code computes it (src/language/type-system/float-constants.ts): a float constant without a
     * type, or an integer constant, takes the type here (`x * 2.5` with x: f32 is f32 arithmetic on 2.5
     * rounded to f32).
     */
    evaluateFloat(expr: Expr | undefined, bits: FloatBits): FloatResult {
        if (!expr) return NOT_CONSTANT as FloatResult;
        const kind = this.floatKindOf(expr);
        if (kind === undefined) {
            const integer = this.evaluate(expr);
            return integer.ok ? { ok: true, value: integerToFloat(integer.value, bits) } : integer;
        }
        if (isFloatLiteral(expr)) {
            const value = parseFloatLiteral(expr.value, bits);
            return value === undefined ? { ok: false, reason: 'invalid' } : { ok: true, value };
        }
        if (isNameRef(expr)) {
            const target = expr.target?.ref;
            if (!isConstDecl(target)) return NOT_CONSTANT as FloatResult;
            // A typed constant has its own type's value; an untyped one takes the type it is used as.
            return this.evaluateNamedFloat(target, target.value, kind === 'constant' ? bits : kind);
        }
        if (isUnaryExpr(expr) && expr.op === '-') {
            const operand = this.evaluateFloat(expr.operand, bits);
            return operand.ok ? { ok: true, value: -operand.value } : operand;
        }
        if (isBinaryExpr(expr) && (expr.operator === '+' || expr.operator === '-' || expr.operator === '*' || expr.operator === '/')) {
            const left = this.evaluateFloat(expr.left, bits);
            if (!left.ok) return left;
            const right = this.evaluateFloat(expr.right, bits);
            if (!right.ok) return right;
            return { ok: true, value: floatArithmetic(expr.operator, left.value, right.value, bits) };
        }
        if (isCastExpr(expr)) {
            const source = this.floatKindOf(expr.value);
            if (source === undefined || source === 'constant') return this.evaluateFloat(expr.value, bits);
            const value = this.evaluateFloat(expr.value, source);
            // f32 -> f64 is exact; f64 -> f32 rounds once.
            return value.ok && bits === 32 ? { ok: true, value: Math.fround(value.value) } : value;
        }
        return NOT_CONSTANT as FloatResult;
    }

    private evaluateNamedFloat(owner: AstNode, value: Expr | undefined, bits: FloatBits): FloatResult {
        if (this.inProgress.has(owner)) return { ok: false, reason: 'cycle' };
        this.inProgress.add(owner);
        try {
            return this.evaluateFloat(value, bits);
        } finally {
            this.inProgress.delete(owner);
        }
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
export function wrapTo(type: IntRepresentation, value: bigint): bigint {
    return type.signed ? BigInt.asIntN(type.bits, value) : BigInt.asUintN(type.bits, value);
}
