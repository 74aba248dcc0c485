/**
 * Checks on expressions: operator operands, conversions, calls of functions and interface methods (arity,
 * argument types, errors that must be handled), member and element access, literals, and the kernel
 * builtins. Each check reports only what is wrong at its own node; the type system has already made every
 * ill-typed subexpression ERROR so that mistakes do not cascade.
 */
import { CstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import type { Range } from 'vscode-languageserver';
import {
    isAssignStmt, isBlock, isBuiltinCall, isCallExpr, isCatchExpr, isDeviceRegister, isEnumDecl, isFunctionDecl,
    isHandler, isHandlerParam, isMemberExpr, isMethod, isTryExpr, isDevicePort, isInterruptPort,
    type ArrayLiteral, type AssignStmt, type ConstDecl, type LetStmt, type BinaryExpr, type BuiltinCall, type CallExpr, type CastExpr, type CatchExpr,
    type CharLiteral, type Expr, type FloatLiteral, type IndexExpr, type IntLiteral, type MemberExpr, type Method, type NameRef,
    type Param, type StructLiteral, type TryExpr, type TupleExpr, type UnaryExpr
} from '../generated/ast.js';
import { parseCharLiteral, parseIntLiteral, type ConstantResult } from '../type-system/constant-evaluator.js';
import { isAssignable, isFlags, isFloating, isIntegral, sameType, typeToString, type UkType } from '../type-system/types.js';
import { parseFloatLiteral } from '../type-system/float-constants.js';
import { plural, type CheckSupport } from './check-support.js';
import { blockCompletesNormally } from './control-flow.js';
import { reportNotConstant } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';
import { enclosingBody, isOutParam } from './statement-checks.js';
import { bitfieldWidth } from '../type-system/uk-type-system.js';

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '&', '|', '^']);
const ORDERING = new Set(['<', '<=', '>', '>=']);
const BITWISE = new Set(['&', '|', '^']);

export class ExpressionChecks {
    constructor(private readonly support: CheckSupport) {}

    checkBinary(expr: BinaryExpr, accept: ValidationAcceptor): void {
        const types = this.support.types;
        const left = types.typeOf(expr.left);
        const right = types.typeOf(expr.right);
        if (left.kind === 'error' || right.kind === 'error') return;
        const op = expr.operator;
        const mismatch = (message: string) => accept('error', message, { node: expr, range: operatorRange(expr), code: IssueCodes.OperatorMismatch });
        // `x == none` asks whether an optional holds nothing, whatever it could hold (floats among them).
        if ((op === '==' || op === '!=') && ((left.kind === 'optional' && right.kind === 'none') || (left.kind === 'none' && right.kind === 'optional'))) return;
        if (op === '&&' || op === '||') {
            if (left.kind !== 'bool' || right.kind !== 'bool') {
                mismatch(`'${op}' needs bool operands, not ${typeToString(left)} and ${typeToString(right)}.`);
            }
            return;
        }
        if (op === '<<' || op === '>>') {
            if (!isIntegral(left) || !isIntegral(right)) {
                mismatch(`'${op}' needs integer operands, not ${typeToString(left)} and ${typeToString(right)}.`);
            }
            return;
        }
        if (BITWISE.has(op) && (isFlags(left) || isFlags(right))) {
            if (!isFlags(left) || !isFlags(right) || left.decl !== right.decl) {
                mismatch(`'${op}' needs two sets of the same flags, not ${typeToString(left)} and ${typeToString(right)}.`);
            }
            return;
        }
        if (isFloating(left) || isFloating(right)) {
            this.checkFloatBinary(expr, left, right, mismatch);
            return;
        }
        if (ARITHMETIC.has(op) || ORDERING.has(op)) {
            if (!isIntegral(left) || !isIntegral(right)) {
                mismatch(`'${op}' needs integer operands, not ${typeToString(left)} and ${typeToString(right)}.`);
                return;
            }
        } else if (!isComparable(left) || !isComparable(right)) {
            mismatch(`'${op}' cannot compare ${typeToString(left)} and ${typeToString(right)}.`);
            return;
        } else if (this.holdsFloat(left)) {
            // Aggregates compare word by word, but floats are not equal by their bits (NaN, -0 and 0).
            mismatch(`'${op}' cannot compare ${typeToString(left)}: it holds floats, which are not equal by their bits (NaN, -0); compare its fields.`);
            return;
        }
        if ((op === '/' || op === '%') && isZero(types.evaluate(expr.right))) {
            accept('error', `Division by zero.`, { node: expr.right, code: IssueCodes.DivisionByZero });
            return;
        }
        if (left.kind === 'untyped-int' && right.kind === 'untyped-int') return;
        if (left.kind === 'untyped-int') {
            this.support.expectInRange(expr.left, right, accept);
        } else if (right.kind === 'untyped-int') {
            this.support.expectInRange(expr.right, left, accept);
        } else if (left.kind === 'string' && right.kind === 'string') {
            // Strings of any capacities compare by their bytes: `key == "alpha"`.
            return;
        } else if (!sameType(left, right)) {
            mismatch(`'${op}' needs operands of the same type, not ${typeToString(left)} and ${typeToString(right)}; convert one with 'as'.`);
        }
    }

    /**
     * A float operand: `+ - * /` and comparisons of two values of one float type, or of one and a constant
     * (an integer constant converts; an integer variable does not); no `%` and no bitwise operators.
     */
    private checkFloatBinary(expr: BinaryExpr, left: UkType, right: UkType, mismatch: (message: string) => void): void {
        const op = expr.operator;
        if (op === '%' || BITWISE.has(op)) {
            mismatch(`'${op}' needs integer operands, not ${typeToString(left)} and ${typeToString(right)}; floats take + - * / and comparisons.`);
            return;
        }
        const constant = (type: UkType) => type.kind === 'untyped-int' || type.kind === 'untyped-float';
        const fits = (a: UkType, b: UkType) => (a.kind === 'float' && (constant(b) || sameType(a, b))) || (constant(a) && constant(b));
        if (!fits(left, right) && !fits(right, left)) {
            mismatch(`'${op}' needs operands of the same type, not ${typeToString(left)} and ${typeToString(right)}; convert one with 'as'.`);
        }
    }

    /** Whether a struct, array, vec, union or optional has a float inside. */
    private holdsFloat(type: UkType, seen = new Set<unknown>()): boolean {
        switch (type.kind) {
            case 'float': return true;
            case 'array': case 'vec': return this.holdsFloat(type.element, seen);
            case 'struct':
                // A struct that holds itself is reported elsewhere (recursive-struct); look at it once.
                if (seen.has(type.decl)) return false;
                seen.add(type.decl);
                return type.decl.fields.some(field => this.holdsFloat(this.support.types.typeOfTypeRef(field.type), seen));
            case 'optional': return this.holdsFloat(type.inner, seen);
            case 'union':
                // A union that holds itself is reported elsewhere too (recursive-struct).
                if (seen.has(type.decl)) return false;
                seen.add(type.decl);
                return type.decl.variants.some(variant => variant.type !== undefined && this.holdsFloat(this.support.types.typeOfTypeRef(variant.type), seen));
            default: return false;
        }
    }

    checkUnary(expr: UnaryExpr, accept: ValidationAcceptor): void {
        const operand = this.support.types.typeOf(expr.operand);
        if (operand.kind === 'error') return;
        const report = (message: string) => accept('error', message, { node: expr, property: 'op', code: IssueCodes.OperatorMismatch });
        if (expr.op === '!') {
            if (operand.kind !== 'bool') report(`'!' needs a bool, not ${typeToString(operand)}; use '~' for bitwise not.`);
        } else if (expr.op === '~' && isFlags(operand)) {
            return;
        } else if (expr.op === '-' && isFloating(operand)) {
            return;
        } else if (!isIntegral(operand)) {
            report(`'${expr.op}' needs an integer, not ${typeToString(operand)}.`);
        } else if (expr.op === '-' && operand.kind === 'int' && !operand.signed) {
            report(`Cannot negate unsigned ${typeToString(operand)}; write '0 - x' for wrapping negation.`);
        }
    }

    checkCast(expr: CastExpr, accept: ValidationAcceptor): void {
        const source = this.support.types.typeOf(expr.value);
        const target = this.support.types.typeOfTypeRef(expr.type);
        if (source.kind === 'error' || target.kind === 'error') return;
        const numeric = (type: UkType) => isIntegral(type) || type.kind === 'enum' || type.kind === 'bitfield' || type.kind === 'bool';
        // A float converts to and from the integer types and the other float type, never from enums or bools.
        const ok = isFloating(source) ? target.kind === 'int' || target.kind === 'float'
            : target.kind === 'float' ? isIntegral(source)
            : target.kind === 'int' ? numeric(source)
            : target.kind === 'enum' || target.kind === 'bitfield' ? isIntegral(source) || sameType(source, target)
            : sameType(source, target);
        if (!ok) {
            accept('error', `Cannot convert ${typeToString(source)} to ${typeToString(target)}.`, { node: expr, property: 'type', code: IssueCodes.InvalidCast });
        }
    }

    checkCall(call: CallExpr, accept: ValidationAcceptor): void {
        const callee = this.support.types.typeOf(call.callee);
        if (callee.kind === 'error') return;
        if (callee.kind === 'function') {
            const params = callee.decl.params;
            if (this.checkArity(call, params.length, `'${callee.decl.name}'`, accept)) {
                call.args.forEach((arg, i) => {
                    this.support.expectAssignable(arg, this.support.types.typeOfTypeRef(params[i].type), `Argument ${i + 1} of '${callee.decl.name}'`, accept);
                });
            }
            return;
        }
        if (callee.kind === 'method') {
            this.checkMethodCall(call, callee.method, accept);
            return;
        }
        accept('error', `A value of type ${typeToString(callee)} cannot be called.`, { node: call.callee, code: IssueCodes.NotCallable });
    }

    private checkMethodCall(call: CallExpr, method: Method, accept: ValidationAcceptor): void {
        const owner = `${method.$container.name}.${method.name}`;
        if (this.checkArity(call, method.params.length, owner, accept)) {
            call.args.forEach((arg, i) => this.checkArgument(arg, method.params[i], `Argument '${method.params[i].name}' of ${owner}`, accept));
        }
        const errors = method.raises?.ref;
        const container: AstNode | undefined = call.$container;
        const handled = (isTryExpr(container) && container.call === call) || (isCatchExpr(container) && (container.call as AstNode) === call);
        if (errors && !handled) {
            accept('error', `${owner} may raise ${errors.name}; handle it with 'catch' or pass it on with 'try'.`, { node: call, code: IssueCodes.UnhandledError });
        }
    }

    private checkArgument(arg: Expr, param: Param, what: string, accept: ValidationAcceptor): void {
        const expected = this.support.types.typeOfTypeRef(param.type);
        if (!this.support.expectAssignable(arg, expected, what, accept)) return;
        if (param.direction === 'out' || param.direction === 'inout') {
            if (!isWritable(arg)) {
                accept('error', `${what} is '${param.direction}': pass a variable or state that the server's data can be written to.`, { node: arg, code: IssueCodes.NotAssignable });
                return;
            }
            const given = this.support.types.typeOf(arg);
            if ((expected.kind === 'string' || expected.kind === 'vec') && given.kind !== 'error' && !sameType(given, expected)) {
                // What comes back may be as long as the parameter's capacity: the variable holds exactly that.
                accept('error', `${what} is '${param.direction}' ${typeToString(expected)}: pass a variable of that type to be written into, not ${typeToString(given)}.`,
                    { node: arg, code: IssueCodes.TypeMismatch });
            }
        }
    }

    private checkArity(call: CallExpr, expected: number, name: string, accept: ValidationAcceptor): boolean {
        if (call.args.length === expected) return true;
        accept('error', `${name} takes ${plural(expected, 'argument')}, but ${call.args.length} ${call.args.length === 1 ? 'was' : 'were'} given.`,
            { node: call, code: IssueCodes.WrongArity });
        return false;
    }

    checkTry(expr: TryExpr, accept: ValidationAcceptor): void {
        const method = this.support.types.calledMethod(expr.call);
        const errors = method?.raises?.ref;
        if (!isCallExpr(expr.call) || !errors) {
            if (this.support.types.typeOf(expr.call).kind !== 'error') {
                accept('error', `'try' needs a call to a method that raises errors.`, { node: expr, code: IssueCodes.InvalidTry });
            }
            return;
        }
        const body = enclosingBody(expr);
        const handlerErrors = isHandler(body) && !body.event ? body.method?.ref?.raises?.ref : undefined;
        if (!isHandler(body) || body.event || !handlerErrors) {
            accept('error', `'try' passes ${errors.name} on to this handler's caller, so it is only allowed in a handler whose method raises ${errors.name}.`,
                { node: expr, code: IssueCodes.InvalidTry });
        } else if (handlerErrors !== errors) {
            accept('error', `'try' passes ${errors.name} on, but '${body.method?.$refText}' raises ${handlerErrors.name}; use 'catch' and raise a ${handlerErrors.name}.`,
                { node: expr, code: IssueCodes.InvalidTry });
        }
    }

    checkCatch(expr: CatchExpr, accept: ValidationAcceptor): void {
        const method = this.support.types.calledMethod(expr.call);
        if (!isCallExpr(expr.call) || !method) {
            if (this.support.types.typeOf(expr.call).kind !== 'error') {
                accept('error', `'catch' needs a call to an interface method.`, { node: expr, keyword: 'catch', code: IssueCodes.InvalidCatch });
            }
            return;
        }
        if (method.oneway) {
            accept('error', `${method.$container.name}.${method.name} is oneway: no reply comes back, so there is nothing to catch.`, { node: expr, keyword: 'catch', code: IssueCodes.InvalidCatch });
            return;
        }
        const valueUsed = !isBlock(expr.$container) && this.support.types.typeOf(expr.call).kind !== 'void';
        if (valueUsed && blockCompletesNormally(expr.handler)) {
            accept('error', `The call's value is used, so the catch block must leave (return, reply, raise, break or continue).`,
                { node: expr, keyword: 'catch', code: IssueCodes.InvalidCatch });
        }
    }

    checkMember(expr: MemberExpr, accept: ValidationAcceptor): void {
        const member = expr.member?.ref;
        if (isMethod(member) && !(isCallExpr(expr.$container) && expr.$container.callee === expr)) {
            accept('error', `Method '${member.name}' must be called: ${expr.receiver.$cstNode?.text ?? ''}.${member.name}(...).`, { node: expr, property: 'member', code: IssueCodes.NotAValue });
        }
        if (isDeviceRegister(member) && member.access === 'wo' && !isPlainAssignTarget(expr)) {
            accept('error', `Register '${member.name}' is write-only.`, { node: expr, property: 'member', code: IssueCodes.RegisterAccess });
        }
    }

    checkNameRef(expr: NameRef, accept: ValidationAcceptor): void {
        const target = expr.target?.ref;
        const parent = expr.$container;
        if (isEnumDecl(target) && !(isMemberExpr(parent) && parent.receiver === expr)) {
            const first = target.members[0]?.name ?? 'Member';
            accept('error', `'${target.name}' is an enum, not a value; name one of its members, such as ${target.name}.${first}.`, { node: expr, code: IssueCodes.NotAValue });
        } else if (isFunctionDecl(target) && !(isCallExpr(parent) && parent.callee === expr)) {
            accept('error', `Function '${target.name}' must be called.`, { node: expr, code: IssueCodes.NotAValue });
        } else if (isDevicePort(target) && !(isMemberExpr(parent) && parent.receiver === expr)) {
            accept('error', `Device port '${target.name}' is reached through its registers, as in ${target.name}.reg.`, { node: expr, code: IssueCodes.NotAValue });
        } else if (isInterruptPort(target) && !isBuiltinCall(parent)) {
            // A notification port is a value (a capability it may pass on); an interrupt line is not.
            accept('error', `Interrupt port '${target.name}' is used through wait() or poll().`, { node: expr, code: IssueCodes.NotAValue });
        }
    }

    checkIndex(expr: IndexExpr, accept: ValidationAcceptor): void {
        const receiver = this.support.types.typeOf(expr.receiver);
        if (receiver.kind === 'error') return;
        if (receiver.kind !== 'array' && receiver.kind !== 'bytes' && receiver.kind !== 'vec' && receiver.kind !== 'string') {
            accept('error', `A value of type ${typeToString(receiver)} cannot be indexed.`, { node: expr.receiver, code: IssueCodes.TypeMismatch });
            return;
        }
        const index = this.support.types.typeOf(expr.index);
        if (!isIntegral(index) && index.kind !== 'error') {
            accept('error', `An index must be an integer, not ${typeToString(index)}.`, { node: expr.index, code: IssueCodes.TypeMismatch });
            return;
        }
        const length = receiver.kind === 'array' ? receiver.length : receiver.capacity;
        // A vec's elements and a string's bytes past its length are checked at run time; its capacity bounds
        // every index.
        const value = this.support.types.evaluate(expr.index);
        if (value.ok && (value.value < 0n || value.value >= BigInt(length))) {
            accept('error', `Index ${value.value} is out of bounds for ${typeToString(receiver)}.`, { node: expr.index, code: IssueCodes.IndexOutOfBounds });
        }
    }

    checkStructLiteral(expr: StructLiteral, accept: ValidationAcceptor): void {
        const decl = expr.type?.ref;
        if (!decl) return;
        if (isEnumDecl(decl)) {
            accept('error', `Enum '${decl.name}' has no fields; name a member, such as ${decl.name}.${decl.members[0]?.name ?? 'Member'}.`, { node: expr, property: 'type', code: IssueCodes.TypeMismatch });
            return;
        }
        const set = new Set<string>();
        for (const init of expr.fields) {
            const field = init.field?.ref;
            if (!field) continue;
            if (set.has(field.name)) {
                accept('error', `Field '${field.name}' is set twice.`, { node: init, property: 'field', code: IssueCodes.DuplicateName });
                continue;
            }
            set.add(field.name);
            if (field.$type === 'StructField') {
                this.support.expectAssignable(init.value, this.support.types.typeOfTypeRef(field.type), `Field '${field.name}'`, accept);
            } else if (field.$type === 'BitfieldField') {
                this.checkBitfieldValue(init.value, field.name, bitfieldWidth(field.width), accept);
            }
        }
        if (decl.$type === 'StructDecl') {
            const missing = decl.fields.filter(field => !set.has(field.name)).map(field => `'${field.name}'`);
            if (missing.length > 0) {
                accept('error', `${decl.name} literal is missing ${missing.length === 1 ? 'field' : 'fields'} ${missing.join(', ')}.`, { node: expr, property: 'type', code: IssueCodes.MissingField });
            }
        }
    }

    private checkBitfieldValue(value: Expr, name: string, width: number | undefined, accept: ValidationAcceptor): void {
        const type = this.support.types.typeOf(value);
        if (!isIntegral(type) && type.kind !== 'bool' && type.kind !== 'error') {
            accept('error', `Field '${name}' must be an integer, not ${typeToString(type)}.`, { node: value, code: IssueCodes.TypeMismatch });
            return;
        }
        const result = this.support.types.evaluate(value);
        if (width !== undefined && result.ok && (result.value < 0n || result.value >= 1n << BigInt(width))) {
            accept('error', `Value ${result.value} does not fit field '${name}' (${width} bits, 0..${(1n << BigInt(width)) - 1n}).`, { node: value, code: IssueCodes.ConstantOutOfRange });
        }
    }

    checkArrayLiteral(expr: ArrayLiteral, accept: ValidationAcceptor): void {
        const type = this.support.types.typeOf(expr);
        if (type.kind !== 'array') {
            if (expr.count) reportNotConstant(this.support.types.evaluate(expr.count).ok ? 'invalid' : 'not-constant', expr.count, 'The repeat count of an array', accept);
            return;
        }
        // Where no type is expected, the list's strings must agree on a length: the literal's own type
        // would otherwise be chosen silently. Where one is, each string is checked against it instead.
        const first = expr.elements[0] ? this.support.types.typeOf(expr.elements[0]) : undefined;
        const oneLength = first && !hasExpectedType(expr) ? first : undefined;
        for (const element of expr.elements) {
            const elementType = this.support.types.typeOf(element);
            if (!isAssignable(elementType, type.element)) {
                accept('error', `Array elements must all be ${typeToString(type.element)}, not ${typeToString(elementType)}.`, { node: element, code: IssueCodes.TypeMismatch });
            } else if (oneLength && !sameStringLengths(oneLength, elementType)) {
                accept('error', `Array elements must all be ${typeToString(oneLength)}, not ${typeToString(elementType)}.`, { node: element, code: IssueCodes.TypeMismatch });
            }
        }
    }

    checkTuple(expr: TupleExpr, accept: ValidationAcceptor): void {
        if (expr.$container.$type !== 'ReplyStmt') {
            accept('error', `A tuple of values can only be replied; bind the results of a call with 'let (a, b) = ...'.`, { node: expr, code: IssueCodes.TypeMismatch });
        }
    }

    checkBuiltin(expr: BuiltinCall, accept: ValidationAcceptor): void {
        const expectArgs = (count: number): boolean => {
            if (expr.args.length === count) return true;
            accept('error', `${expr.name}() takes ${plural(count, 'argument')}, but ${expr.args.length} ${expr.args.length === 1 ? 'was' : 'were'} given.`, { node: expr, code: IssueCodes.WrongArity });
            return false;
        };
        const argType = () => this.support.types.typeOf(expr.args[0]);
        switch (expr.name) {
            case 'badge': {
                if (!expectArgs(0)) return;
                const body = enclosingBody(expr);
                if (!isHandler(body)) {
                    accept('error', `badge() is the caller's badge, so it is only available in a handler.`, { node: expr, code: IssueCodes.InvalidBuiltin });
                }
                return;
            }
            case 'signal': {
                if (!expectArgs(1)) return;
                const type = argType();
                if (type.kind !== 'notification' && type.kind !== 'error') {
                    accept('error', `signal() needs a notification, not ${typeToString(type)}.`, { node: expr.args[0], code: IssueCodes.InvalidBuiltin });
                }
                return;
            }
            case 'wait': case 'poll': {
                if (!expectArgs(1)) return;
                const type = argType();
                if (type.kind !== 'notification' && type.kind !== 'interrupt' && type.kind !== 'error') {
                    accept('error', `${expr.name}() needs a notification or interrupt port, not ${typeToString(type)}.`, { node: expr.args[0], code: IssueCodes.InvalidBuiltin });
                }
                return;
            }
            case 'pending': {
                // What its argument must be is DeferredReplyChecks' business.
                expectArgs(1);
                return;
            }
            case 'push': {
                if (!expectArgs(2)) return;
                const type = argType();
                if (type.kind === 'error') return;
                if (type.kind !== 'vec') {
                    accept('error', `push() needs a vec, not ${typeToString(type)}.`, { node: expr.args[0], code: IssueCodes.InvalidBuiltin });
                    return;
                }
                if (!isWritable(expr.args[0])) {
                    accept('error', `push() needs a vec variable it can change.`, { node: expr.args[0], code: IssueCodes.NotAssignable });
                    return;
                }
                this.support.expectAssignable(expr.args[1], type.element, `The element pushed onto ${typeToString(type)}`, accept);
                return;
            }
            case 'len': {
                if (!expectArgs(1)) return;
                const type = argType();
                if (!['array', 'bytes', 'string', 'vec', 'error'].includes(type.kind)) {
                    accept('error', `len() needs an array, byte buffer, string or vec, not ${typeToString(type)}.`, { node: expr.args[0], code: IssueCodes.InvalidBuiltin });
                }
                return;
            }
        }
    }

    checkIntLiteral(expr: IntLiteral, accept: ValidationAcceptor): void {
        if (parseIntLiteral(expr.value) === undefined) {
            accept('error', `'${expr.value}' is not a valid integer.`, { node: expr, code: IssueCodes.InvalidLiteral });
        }
    }

    checkFloatLiteral(expr: FloatLiteral, accept: ValidationAcceptor): void {
        // Where it meets f32, CheckSupport.expectInRange checks it against f32's range.
        if (parseFloatLiteral(expr.value, 64) === Infinity) {
            accept('error', `${expr.value} is beyond the range of f64 (about 1.8e308).`, { node: expr, code: IssueCodes.ConstantOutOfRange });
        }
    }

    checkCharLiteral(expr: CharLiteral, accept: ValidationAcceptor): void {
        if (parseCharLiteral(expr.value) === undefined) {
            accept('error', `${expr.value} is not a valid character: use an ASCII character or one of \\n \\r \\t \\0 \\\\ \\' \\".`, { node: expr, code: IssueCodes.InvalidLiteral });
        }
    }
}

/** The range of a binary expression's operator token (the infix rule gives it no property of its own). */
function operatorRange(expr: BinaryExpr): Range | undefined {
    const left = expr.left.$cstNode;
    const right = expr.right.$cstNode;
    if (!expr.$cstNode || !left || !right) return undefined;
    const token = CstUtils.streamCst(expr.$cstNode).find(node =>
        node.offset >= left.end && node.end <= right.offset && node.text === expr.operator);
    return token?.range;
}

function isZero(result: ConstantResult): boolean {
    return result.ok && result.value === 0n;
}

function isComparable(type: UkType): boolean {
    return ['int', 'untyped-int', 'float', 'untyped-float', 'bool', 'enum', 'bitfield', 'struct', 'union', 'optional', 'array', 'bytes', 'string', 'vec'].includes(type.kind);
}

/** `x.reg = v`: a plain write, the only use of a write-only register. */
function isPlainAssignTarget(expr: AstNode): boolean {
    const parent = expr.$container;
    return isAssignStmt(parent) && parent.target === expr && parent.op === '=';
}

/** Whether an argument names storage a server may write into (for `out` and `inout` bulk data). */
function isWritable(expr: Expr): boolean {
    if (expr.$type === 'NameRef') {
        const ref = (expr as NameRef).target?.ref;
        return ref?.$type === 'StateVar' || (ref?.$type === 'Binding' && ref.$container.$type === 'LetStmt' && ref.$container.kind === 'var')
            || (isHandlerParam(ref) && isOutParam(ref));
    }
    if (isMemberExpr(expr)) return isWritable(expr.receiver);
    if (expr.$type === 'IndexExpr') return isWritable((expr as IndexExpr).receiver);
    return false;
}

/**
 * Whether the place of an array literal declares the type it becomes (a typed `let`, state or constant, an
 * assignment, an argument, a field, a returned or replied value, an emitted value, or an element of a
 * list that has one), so that its elements are checked against that type rather than against each other.
 */
function hasExpectedType(literal: Expr): boolean {
    const parent: AstNode | undefined = literal.$container;
    switch (parent?.$type) {
        case 'LetStmt': case 'ConstDecl': return (parent as LetStmt | ConstDecl).type !== undefined;
        case 'StateVar': case 'ReturnStmt': case 'ReplyStmt': case 'FieldInit': case 'EmitStmt': case 'TupleExpr': return true;
        case 'AssignStmt': return (parent as AssignStmt).value === literal;
        case 'CallExpr': return (parent as CallExpr).args.includes(literal);
        case 'ArrayLiteral': return hasExpectedType(parent as ArrayLiteral);
        default: return false;
    }
}

/** Whether two types have the same string lengths where both hold strings (in lists of the same length too). */
function sameStringLengths(a: UkType, b: UkType): boolean {
    if (a.kind === 'string' && b.kind === 'string') return a.capacity === b.capacity;
    if (a.kind === 'array' && b.kind === 'array') return sameStringLengths(a.element, b.element);
    return true;
}
