/**
 * Checks on statements: bindings and assignments, conditions and loops, the statements that end a body
 * (return, reply, raise) and where each is allowed, print formats, and unreachable code.
 */
import { AstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import {
    isAnswerExpr, isArrayLiteral, isBinding, isBuiltinCall, isCallExpr, isCatchExpr, isDeviceRegister, isFunctionDecl, isFunctionParam, isHandler,
    isHandlerParam, isIndexExpr, isInitBlock, isLetStmt, isMainBlock, isMemberExpr, isNameRef, isStateVar,
    isTryExpr, isTupleExpr,
    type AssertStmt, type AssignStmt, type Block, type BreakStmt, type ContinueStmt, type Expr, type ForStmt,
    type FunctionDecl, type Handler, type HandlerParam, type IfStmt, type InitBlock, type LetStmt, type MainBlock, type PrintStmt,
    type RaiseStmt, type ReplyStmt, type ReturnStmt, type WhileStmt
} from '../generated/ast.js';
import { defaultType } from '../type-system/uk-type-system.js';
import { isIntegral, sameType, typeToString, type UkType } from '../type-system/types.js';
import { plural, type CheckSupport } from './check-support.js';
import { enclosingLoop, firstUnreachable } from './control-flow.js';
import { IssueCodes } from './issue-codes.js';

export type Body = FunctionDecl | Handler | MainBlock | InitBlock;

/** The function, handler, main or init block a statement belongs to. */
export function enclosingBody(node: AstNode): Body | undefined {
    return AstUtils.getContainerOfType(node, (candidate): candidate is Body =>
        isFunctionDecl(candidate) || isHandler(candidate) || isMainBlock(candidate) || isInitBlock(candidate));
}

/** Type names that can stand in a `let` or `var`: data, and capabilities received from a call. */
function isStorable(type: UkType): boolean {
    switch (type.kind) {
        case 'int': case 'bool': case 'untyped-int': case 'enum': case 'bitfield': case 'struct': case 'array':
        case 'bytes': case 'string': case 'vec': case 'endpoint': case 'notification': case 'error':
            return true;
        default:
            return false;
    }
}

/** A handler parameter bound to an `out` or `inout` bulk parameter: the handler fills it for the caller. */
export function isOutParam(param: HandlerParam): boolean {
    const handler = param.$container;
    const declared = handler.method?.ref?.params[handler.params.indexOf(param)];
    return declared?.direction === 'out' || declared?.direction === 'inout';
}

export class StatementChecks {
    constructor(private readonly support: CheckSupport) {}

    checkLet(stmt: LetStmt, accept: ValidationAcceptor): void {
        const types = this.support.types;
        const names = stmt.bindings.map(binding => binding.name).join(', ');
        if (!stmt.value) {
            if (stmt.kind === 'let') {
                accept('error', `'let ${names}' needs a value; use 'var ${names}: T' for a zero-initialised variable.`, { node: stmt, code: IssueCodes.MissingValue });
            } else if (!stmt.type) {
                accept('error', `'var ${names}' needs a type or a value.`, { node: stmt, code: IssueCodes.MissingValue });
            }
            return;
        }
        if (!stmt.type && isArrayLiteral(stmt.value) && stmt.value.elements.length === 0) {
            accept('error', `An empty list needs a type: write '${stmt.kind} ${names}: vec[T; N] = []'.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
            return;
        }
        if (stmt.bindings.length > 1) {
            if (stmt.type) {
                accept('error', 'A type annotation cannot be used when binding several names; the call gives each its type.', { node: stmt, property: 'type', code: IssueCodes.TypeMismatch });
            }
            const value = types.typeOf(stmt.value);
            if (value.kind === 'error') return;
            if (value.kind !== 'tuple') {
                accept('error', `Binding ${stmt.bindings.length} names needs a call that returns ${stmt.bindings.length} values, not ${typeToString(value)}.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
            } else if (value.elements.length !== stmt.bindings.length) {
                accept('error', `This returns ${plural(value.elements.length, 'value')}, but ${stmt.bindings.length} names are bound.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
            }
            return;
        }
        if (stmt.type) {
            const declared = types.typeOfTypeRef(stmt.type);
            this.support.expectAssignable(stmt.value, declared, `The value of '${names}'`, accept);
            return;
        }
        const value = types.typeOf(stmt.value);
        if (value.kind === 'void') {
            accept('error', `'${names}' cannot be bound to a call that returns nothing.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
        } else if (value.kind === 'none') {
            accept('error', `'none' needs an optional type here: write '${stmt.kind} ${names}: T? = none'.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
        } else if (value.kind === 'tuple' && !isTupleExpr(stmt.value)) {
            accept('error', `This returns ${plural(value.elements.length, 'value')}; bind them with 'let (a, b) = ...'.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
        } else if (isStorable(value)) {
            // Enum names, functions, methods and device ports used as values are reported where they occur.
            this.support.expectInRange(stmt.value, defaultType(value), accept);
        }
    }

    checkAssign(stmt: AssignStmt, accept: ValidationAcceptor): void {
        const types = this.support.types;
        if (!this.checkAssignable(stmt.target, accept)) return;
        const target = types.typeOf(stmt.target);
        if (stmt.op === '=') {
            this.support.expectAssignable(stmt.value, target, 'The assigned value', accept);
            return;
        }
        const operator = stmt.op.slice(0, -1);
        if (target.kind !== 'int' && target.kind !== 'error') {
            accept('error', `'${stmt.op}' needs an integer on the left, not ${typeToString(target)}.`, { node: stmt, property: 'op', code: IssueCodes.OperatorMismatch });
            return;
        }
        const value = types.typeOf(stmt.value);
        if (operator === '<<' || operator === '>>') {
            if (!isIntegral(value) && value.kind !== 'error') {
                accept('error', `A shift count must be an integer, not ${typeToString(value)}.`, { node: stmt.value, code: IssueCodes.OperatorMismatch });
            }
            return;
        }
        this.support.expectAssignable(stmt.value, target, `The right side of '${stmt.op}'`, accept);
    }

    /** Whether `target` names something that may be written; reports why not otherwise. */
    private checkAssignable(target: Expr, accept: ValidationAcceptor): boolean {
        if (isNameRef(target)) {
            const ref = target.target?.ref;
            if (!ref) return false;
            if (isStateVar(ref)) return true;
            if (isBinding(ref)) {
                if (isLetStmt(ref.$container) && ref.$container.kind === 'var') return true;
                const why = isLetStmt(ref.$container) ? "it is declared with 'let'; use 'var' to change it" : 'it is a loop or catch variable';
                accept('error', `Cannot assign to '${ref.name}': ${why}.`, { node: target, code: IssueCodes.NotAssignable });
                return false;
            }
            if (isHandlerParam(ref) && isOutParam(ref)) return true;
            if (isFunctionParam(ref) || isHandlerParam(ref)) {
                accept('error', `Cannot assign to parameter '${ref.name}'; copy it into a 'var' first.`, { node: target, code: IssueCodes.NotAssignable });
                return false;
            }
            accept('error', `Cannot assign to '${ref.name}'.`, { node: target, code: IssueCodes.NotAssignable });
            return false;
        }
        if (isMemberExpr(target)) {
            const member = target.member?.ref;
            if (!member) return false;
            if (isDeviceRegister(member)) {
                if (member.access === 'ro') {
                    accept('error', `Register '${member.name}' is read-only.`, { node: target, property: 'member', code: IssueCodes.RegisterAccess });
                    return false;
                }
                return true;
            }
            if (member.$type === 'StructField' || member.$type === 'BitfieldField') {
                return this.checkAssignable(target.receiver, accept);
            }
            accept('error', `Cannot assign to '${member.name}'.`, { node: target, code: IssueCodes.NotAssignable });
            return false;
        }
        if (isIndexExpr(target)) {
            if (this.support.types.typeOf(target.receiver).kind === 'string') {
                // A byte written alone could leave the string invalid UTF-8, which every string is.
                accept('error', `A string's bytes are read-only; assign the whole string.`, { node: target, code: IssueCodes.NotAssignable });
                return false;
            }
            return this.checkAssignable(target.receiver, accept);
        }
        accept('error', 'Only variables, state, fields, elements and device registers can be assigned to.', { node: target, code: IssueCodes.NotAssignable });
        return false;
    }

    checkIf(stmt: IfStmt, accept: ValidationAcceptor): void {
        this.expectCondition(stmt.condition, accept);
    }

    checkWhile(stmt: WhileStmt, accept: ValidationAcceptor): void {
        this.expectCondition(stmt.condition, accept);
    }

    checkAssert(stmt: AssertStmt, accept: ValidationAcceptor): void {
        this.expectCondition(stmt.condition, accept);
    }

    private expectCondition(condition: Expr, accept: ValidationAcceptor): void {
        const type = this.support.types.typeOf(condition);
        if (type.kind !== 'bool' && type.kind !== 'error') {
            accept('error', `A condition must be bool, not ${typeToString(type)}.`, { node: condition, code: IssueCodes.TypeMismatch });
        }
    }

    checkFor(stmt: ForStmt, accept: ValidationAcceptor): void {
        const types = this.support.types;
        const from = types.typeOf(stmt.from);
        const to = types.typeOf(stmt.to);
        for (const [expr, type] of [[stmt.from, from], [stmt.to, to]] as const) {
            if (!isIntegral(type) && type.kind !== 'error') {
                accept('error', `A range bound must be an integer, not ${typeToString(type)}.`, { node: expr, code: IssueCodes.TypeMismatch });
                return;
            }
        }
        if (from.kind === 'int' && to.kind === 'int' && !sameType(from, to)) {
            accept('error', `Both ends of a range must have the same type, not ${typeToString(from)} and ${typeToString(to)}.`, { node: stmt.to, code: IssueCodes.TypeMismatch });
            return;
        }
        const variable = defaultType(from.kind === 'untyped-int' ? to : from);
        this.support.expectInRange(stmt.from, variable, accept);
        this.support.expectInRange(stmt.to, variable, accept);
    }

    checkBreak(stmt: BreakStmt | ContinueStmt, accept: ValidationAcceptor): void {
        if (!enclosingLoop(stmt)) {
            const keyword = stmt.$type === 'BreakStmt' ? 'break' : 'continue';
            accept('error', `'${keyword}' is only allowed inside a loop.`, { node: stmt, code: IssueCodes.MisplacedStatement });
        }
    }

    checkReturn(stmt: ReturnStmt, accept: ValidationAcceptor): void {
        const body = enclosingBody(stmt);
        if (!body) return;
        if (isHandler(body) && this.support.types.isTwoWay(body)) {
            accept('error', `A handler for '${body.method?.$refText}' ends with 'reply' or 'raise', not 'return': the caller is waiting for an answer.`,
                { node: stmt, code: IssueCodes.MisplacedStatement });
            return;
        }
        if (!isFunctionDecl(body)) {
            if (stmt.value) {
                accept('error', `'return' here takes no value.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
            }
            return;
        }
        if (!body.returnType) {
            if (stmt.value) {
                accept('error', `Function '${body.name}' returns nothing, so 'return' takes no value.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
            }
            return;
        }
        const expected = this.support.types.typeOfTypeRef(body.returnType);
        if (!stmt.value) {
            accept('error', `Function '${body.name}' must return a ${typeToString(expected)}.`, { node: stmt, code: IssueCodes.MissingValue });
            return;
        }
        this.support.expectAssignable(stmt.value, expected, 'The returned value', accept);
    }

    checkReply(stmt: ReplyStmt, accept: ValidationAcceptor): void {
        const body = enclosingBody(stmt);
        if (!isHandler(body) || body.event) {
            accept('error', `'reply' is only allowed in a method handler.`, { node: stmt, code: IssueCodes.MisplacedStatement });
            return;
        }
        const method = body.method?.ref;
        if (!method) return;
        if (method.oneway) {
            accept('error', `Method '${method.name}' is oneway: there is no caller waiting for a reply.`, { node: stmt, code: IssueCodes.OnewayReply });
            return;
        }
        const expected = this.support.types.resultOf(method);
        if (expected.kind === 'void') {
            if (stmt.value) {
                accept('error', `'${method.name}' has no results, so 'reply' takes no value.`, { node: stmt.value, code: IssueCodes.ReplyMismatch });
            }
            return;
        }
        if (!stmt.value) {
            accept('error', `'${method.name}' replies with ${typeToString(expected)}; 'reply' needs a value.`, { node: stmt, code: IssueCodes.ReplyMismatch });
            return;
        }
        if (expected.kind === 'tuple') {
            const value = stmt.value;
            if (!isTupleExpr(value) || value.elements.length !== expected.elements.length) {
                const given = isTupleExpr(value) ? plural(value.elements.length, 'value') : '1 value';
                accept('error', `'${method.name}' replies with ${expected.elements.length} values (${expected.names.join(', ')}), but ${given} ${isTupleExpr(value) && value.elements.length !== 1 ? 'are' : 'is'} given.`,
                    { node: value, code: IssueCodes.ReplyMismatch });
                return;
            }
            value.elements.forEach((element, i) => {
                this.support.expectAssignable(element, expected.elements[i], `Result '${expected.names[i]}'`, accept);
            });
            return;
        }
        this.support.expectAssignable(stmt.value, expected, `The reply of '${method.name}'`, accept);
    }

    checkRaise(stmt: RaiseStmt, accept: ValidationAcceptor): void {
        const body = enclosingBody(stmt);
        if (!isHandler(body) || body.event) {
            accept('error', `'raise' is only allowed in a method handler.`, { node: stmt, code: IssueCodes.MisplacedStatement });
            return;
        }
        const method = body.method?.ref;
        if (!method) return;
        const errors = method.raises?.ref;
        if (!errors) {
            accept('error', `Method '${method.name}' declares no errors; add 'raises E' to its declaration to raise one.`, { node: stmt, code: IssueCodes.MisplacedStatement });
            return;
        }
        this.support.expectAssignable(stmt.value, { kind: 'enum', decl: errors }, `The raised error of '${method.name}'`, accept);
    }

    checkPrint(stmt: PrintStmt, accept: ValidationAcceptor): void {
        if (stmt.format === undefined) return;
        const parsed = parseFormat(stmt.format);
        if (!parsed.ok) {
            accept('error', parsed.message, { node: stmt, property: 'format', code: IssueCodes.FormatMismatch });
            return;
        }
        if (parsed.placeholders !== stmt.args.length) {
            accept('error', `The format has ${plural(parsed.placeholders, 'placeholder')}, but ${plural(stmt.args.length, 'argument')} ${stmt.args.length === 1 ? 'is' : 'are'} given.`,
                { node: stmt, property: 'format', code: IssueCodes.FormatMismatch });
        }
        stmt.args.forEach((arg, i) => {
            const type = this.support.types.typeOf(arg);
            if ((type.kind === 'float' || type.kind === 'untyped-float') && parsed.specs[i] === ':c') {
                accept('error', `A float prints with {}, or with {:x} or {:b} for its bits; not as a character.`, { node: arg, code: IssueCodes.FormatMismatch });
            }
            if (!['int', 'untyped-int', 'float', 'untyped-float', 'bool', 'enum', 'bitfield', 'string', 'union', 'optional', 'error', 'server-failed'].includes(type.kind)) {
                accept('error', `Cannot print a value of type ${typeToString(type)}; print its parts.`, { node: arg, code: IssueCodes.TypeMismatch });
            } else if ((type.kind === 'union' || type.kind === 'optional') && (parsed.specs[i] ?? '') !== '') {
                // A union prints as the source writes it; a payload's number in hex is a match arm's business.
                accept('error', `A union or optional prints in one form, with '{}', not '{${parsed.specs[i]}}'.`, { node: arg, code: IssueCodes.FormatMismatch });
            }
        });
    }

    /** An expression used as a statement must do something: a call, or a kernel operation. */
    checkExpressionStatement(expr: Expr, accept: ValidationAcceptor): void {
        if (isCallExpr(expr) || isCatchExpr(expr) || isTryExpr(expr) || isBuiltinCall(expr) || isAnswerExpr(expr)) return;
        const kind = this.support.types.typeOf(expr).kind;
        if (kind === 'method' || kind === 'function' || kind === 'enum-name' || kind === 'error') return; // reported where they occur
        accept('error', `This expression's value is not used; only calls can stand alone as statements.`, { node: expr, code: IssueCodes.UnusedValue });
    }

    checkBlock(block: Block, accept: ValidationAcceptor): void {
        const unreachable = firstUnreachable(block);
        if (unreachable) {
            accept('warning', 'Unreachable code.', { node: unreachable, code: IssueCodes.UnreachableCode });
        }
    }
}

export type FormatParse = { ok: true; placeholders: number; specs: string[] } | { ok: false; message: string };

/** Counts `{}`, `{:x}` and `{:b}` placeholders, with each one's spec (`''`, `':x'`, ...); `{{` and `}}` are literal braces. */
function parseFormat(format: string): FormatParse {
    let placeholders = 0;
    const specs: string[] = [];
    for (let i = 0; i < format.length; i++) {
        const c = format[i];
        if (c === '{') {
            if (format[i + 1] === '{') { i++; continue; }
            const close = format.indexOf('}', i);
            if (close < 0) return { ok: false, message: `Unclosed '{' in the format; write '{{' for a literal brace.` };
            const spec = format.slice(i + 1, close);
            if (spec !== '' && spec !== ':x' && spec !== ':b' && spec !== ':c') {
                return { ok: false, message: `Unknown placeholder '{${spec}}'; use {}, {:x} (hex), {:b} (binary) or {:c} (character).` };
            }
            placeholders++;
            specs.push(spec);
            i = close;
        } else if (c === '}') {
            if (format[i + 1] === '}') { i++; continue; }
            return { ok: false, message: `Unmatched '}' in the format; write '}}' for a literal brace.` };
        }
    }
    return { ok: true, placeholders, specs };
}
