/**
 * What every group of checks shares: the type system and the one way of saying "this value does not fit
 * there", so that type mismatches and out-of-range constants read the same everywhere.
 */
import type { AstNode, ValidationAcceptor } from 'langium';
import { isArrayLiteral, isFloatLiteral, isStringLiteral, type Expr } from '../generated/ast.js';
import { parseFloatLiteral } from '../type-system/float-constants.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { intRange, isAssignable, typeToString, U8, type UkType } from '../type-system/types.js';
import { IssueCodes } from './issue-codes.js';

export class CheckSupport {
    constructor(readonly types: UkTypeSystem) {}

    /**
     * Reports when `expr` cannot be stored where `target` is expected, or when it is a constant outside
     * `target`'s range. `what` names the place, e.g. "The initial value of 'x'". Returns whether it fits.
     */
    expectAssignable(expr: Expr | undefined, target: UkType, what: string, accept: ValidationAcceptor): boolean {
        if (!expr) return false;
        const source = this.types.typeOf(expr);
        // `Shape.circle` without its payload: reported where it stands (union-checks.ts).
        if (source.kind === 'variant') return false;
        if (source.kind === 'void') {
            accept('error', `${what} must be ${typeToString(target)}, but this expression produces no value.`, { node: expr, code: IssueCodes.TypeMismatch });
            return false;
        }
        if (isStringLiteral(expr) && source.kind === 'string' && target.kind === 'string' && source.capacity > target.capacity) {
            accept('error', `This string is ${plural(source.capacity, 'byte')} of UTF-8, but ${typeToString(target)} holds at most ${target.capacity}.`, { node: expr, code: IssueCodes.StringTooLong });
            return false;
        }
        if (isArrayLiteral(expr) && source.kind === 'array' && target.kind === 'vec' && source.length > target.capacity) {
            accept('error', `This list has ${plural(source.length, 'element')}, but ${typeToString(target)} holds at most ${target.capacity}.`, { node: expr, code: IssueCodes.VecTooLong });
            return false;
        }
        if (!isAssignable(source, target)) {
            accept('error', `${what} must be ${typeToString(target)}, not ${typeToString(source)}.`, { node: expr, code: IssueCodes.TypeMismatch });
            return false;
        }
        return this.expectInRange(expr, target, accept);
    }

    /** For integer targets, checks the value of a constant expression (element-wise for array literals). */
    expectInRange(expr: Expr, target: UkType, accept: ValidationAcceptor): boolean {
        if ((target.kind === 'array' || target.kind === 'vec' || target.kind === 'bytes') && isArrayLiteral(expr)) {
            const element = target.kind === 'bytes' ? U8 : target.element;
            return expr.elements.every(item => this.expectInRange(item, element, accept));
        }
        // A value becoming an optional's `some` fits when it fits the optional's type.
        if (target.kind === 'optional') return this.expectInRange(expr, target.inner, accept);
        if (target.kind === 'float' && target.bits === 32 && isFloatLiteral(expr) && parseFloatLiteral(expr.value, 64) !== Infinity
            && parseFloatLiteral(expr.value, 32) === Infinity) {
            accept('error', `${expr.value} is beyond the range of f32 (about 3.4e38).`, { node: expr, code: IssueCodes.ConstantOutOfRange });
            return false;
        }
        if (target.kind !== 'int') return true;
        const source = this.types.typeOf(expr);
        if (source.kind !== 'untyped-int' && source.kind !== 'int') return true;
        const result = this.types.evaluate(expr);
        if (!result.ok) return true;
        const { min, max } = intRange(target);
        if (result.value < min || result.value > max) {
            accept('error', `Constant ${result.value} does not fit ${typeToString(target)} (${min}..${max}).`, { node: expr, code: IssueCodes.ConstantOutOfRange });
            return false;
        }
        return true;
    }
}

/** 1-based line of a node, for messages that point at an earlier declaration. */
export function lineOf(node: AstNode): number {
    return (node.$cstNode?.range.start.line ?? 0) + 1;
}

/** "1 argument", "2 arguments". */
export function plural(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
