/**
 * Lowering of function, handler and main bodies from the checked syntax tree to IR. Every value is a
 * 32-bit register holding its uk type normalised (narrow integers zero- or sign-extended), so that
 * comparisons and stores need no extra work and arithmetic wraps by one `extend` after the operation —
 * the integer rules of docs/LANGUAGE.md. Forms the back end cannot compile yet are reported through the
 * context (with their node) instead of producing wrong code.
 */
import type { AstNode } from 'langium';
import {
    isArrayLiteral, isBinding, isCallExpr, isConstDecl, isIndexExpr, isEnumMember, isFunctionDecl, isFunctionParam, isHandlerParam, isNameRef, isStateVar, isUsesPort, type AssertStmt, type AssignStmt, type Binding, type Block, type CallExpr,
    type CatchExpr, type EnumDecl, type Expr, type ForStmt, type FunctionDecl, type IfStmt, type IndexExpr, type LetStmt, type MemberExpr,
    type Method, type PrintStmt, type ReplyStmt, type ReturnStmt, type StateVar, type Statement, type UsesPort, type WhileStmt
} from '../../language/generated/ast.js';
import type { UkTypeSystem } from '../../language/type-system/uk-type-system.js';
import { defaultType } from '../../language/type-system/uk-type-system.js';
import type { UkType } from '../../language/type-system/types.js';
import { FunctionBuilder, type BinaryOp, type SourcePosition, type VReg } from '../ir.js';

/** What lowering needs from the component being compiled (names of symbols, stubs, strings). */
export interface LoweringContext {
    readonly types: UkTypeSystem;
    position(node: AstNode): SourcePosition;
    stateSymbol(variable: StateVar): string;
    functionSymbol(fn: FunctionDecl): string;
    /** The client stub for a method called through a port (the context generates it once). */
    stubSymbol(port: UsesPort, method: Method): string;
    /** A routine printing an enum's member names. */
    enumPrinter(decl: EnumDecl): string;
    /** A string in read-only data. */
    stringSymbol(text: string): { readonly symbol: string; readonly length: number };
    readonly badgeSymbol: string;
    unsupported(node: AstNode, what: string): void;
}

/** What a body is: it decides what `return`, `reply` and falling off the end mean. */
export type BodyKind =
    | { readonly kind: 'function'; readonly returns: boolean }
    | { readonly kind: 'main' }
    | { readonly kind: 'init' }
    /** A two-way handler returns a0 = error label (0: success) and a1.. = the reply's scalars. */
    | { readonly kind: 'handler'; readonly resultCount: number }
    | { readonly kind: 'oneway-handler' };

/** A value: one register per scalar (tuples have several). */
interface Value {
    readonly regs: readonly VReg[];
    readonly type: UkType;
}

interface Loop {
    readonly continueTarget: string;
    readonly breakTarget: string;
}

/** The scalar a type is in registers, or undefined for what the back end does not support yet. */
function scalarShape(type: UkType): { readonly bits: number; readonly signed: boolean } | undefined {
    switch (type.kind) {
        case 'int': return type.bits <= 32 ? { bits: type.bits, signed: type.signed } : undefined;
        case 'untyped-int': return { bits: 32, signed: true };
        case 'bool': return { bits: 1, signed: false };
        case 'enum': {
            const base = type.decl.base;
            if (base === 'bool') return { bits: 1, signed: false };
            const bits = Number(base?.slice(1));
            return bits <= 32 ? { bits, signed: base?.startsWith('i') ?? false } : undefined;
        }
        default: return undefined;
    }
}

export class BodyLowering {
    readonly builder: FunctionBuilder;
    private readonly locals = new Map<AstNode, VReg>();
    /** Local arrays: their frame objects. */
    private readonly arrays = new Map<AstNode, number>();
    private readonly loops: Loop[] = [];

    constructor(
        private readonly context: LoweringContext,
        name: string,
        private readonly kind: BodyKind,
        params: readonly AstNode[],
        position?: SourcePosition
    ) {
        const convention = kind.kind === 'handler' || kind.kind === 'oneway-handler' ? 'message' : 'standard';
        this.builder = new FunctionBuilder(name, params.length, convention, position);
        params.forEach((param, i) => {
            this.locals.set(param, i);
            const named = param as { name?: string };
            if (named.name) this.builder.fn.locals.push({ name: named.name, register: i });
        });
    }

    /** Lowers the body and closes the function (falling off the end returns, or replies nothing). */
    lower(body: Block): void {
        this.block(body);
        if (!this.builder.closed) this.fallOffEnd();
    }

    private fallOffEnd(): void {
        switch (this.kind.kind) {
            case 'handler': this.builder.terminate({ op: 'return', values: [this.builder.constant(0)] }); break;
            case 'function': this.builder.terminate({ op: 'return', values: this.kind.returns ? [this.builder.constant(0)] : [] }); break;
            default: this.builder.terminate({ op: 'return', values: [] });
        }
    }

    private get types(): UkTypeSystem {
        return this.context.types;
    }

    // ------------------------------------------------------------ statements

    private block(block: Block): void {
        for (const statement of block.statements) {
            if (this.builder.closed) return;
            this.statement(statement);
        }
    }

    private statement(statement: Statement): void {
        this.builder.emit({ op: 'position', position: this.context.position(statement) });
        switch (statement.$type) {
            case 'LetStmt': return this.let(statement as LetStmt);
            case 'AssignStmt': return this.assign(statement as AssignStmt);
            case 'IfStmt': return this.ifStatement(statement as IfStmt);
            case 'WhileStmt': return this.whileStatement(statement as WhileStmt);
            case 'ForStmt': return this.forStatement(statement as ForStmt);
            case 'BreakStmt': return this.jumpOut('break', statement);
            case 'ContinueStmt': return this.jumpOut('continue', statement);
            case 'ReturnStmt': return this.returnStatement(statement as ReturnStmt);
            case 'ReplyStmt': return this.reply(statement as ReplyStmt);
            case 'RaiseStmt': {
                const value = this.expression((statement as { value: Expr }).value);
                this.builder.terminate({ op: 'return', values: [value.regs[0]] });
                return;
            }
            case 'PrintStmt': return this.print(statement as PrintStmt);
            case 'AssertStmt': return this.assert(statement as AssertStmt);
            case 'Block': return this.block(statement as Block);
            default:
                // An expression statement: a call (the checker allows nothing else).
                this.expression(statement as Expr);
        }
    }

    private let(statement: LetStmt): void {
        if (statement.bindings.length === 1 && this.bindingType(statement.bindings[0]).kind === 'array') {
            this.letArray(statement.bindings[0], statement.value);
            return;
        }
        if (statement.bindings.length === 1) {
            const binding = statement.bindings[0];
            const type = this.bindingType(binding);
            const register = this.builder.register();
            if (statement.value) {
                const value = this.expression(statement.value);
                this.builder.emit({ op: 'copy', dst: register, src: this.convert(value, type, statement.value) });
            } else {
                this.builder.emit({ op: 'const', dst: register, value: 0 });
            }
            this.bind(binding, register);
            return;
        }
        const value = statement.value ? this.expression(statement.value) : undefined;
        statement.bindings.forEach((binding, i) => {
            const register = this.builder.register();
            this.builder.emit({ op: 'copy', dst: register, src: value?.regs[i] ?? this.builder.constant(0) });
            this.bind(binding, register);
        });
    }

    private bindingType(binding: Binding): UkType {
        return this.types.typeOfReferable(binding);
    }

    private bind(binding: Binding, register: VReg): void {
        this.locals.set(binding, register);
        this.builder.fn.locals.push({ name: binding.name, register });
    }

    private assign(statement: AssignStmt): void {
        const target = statement.target;
        if (isIndexExpr(target)) {
            this.assignElement(statement, target);
            return;
        }
        if (!isNameRef(target)) {
            this.context.unsupported(target, 'assignment to fields, elements and device registers');
            return;
        }
        const referable = target.target?.ref;
        const type = this.types.typeOf(target);
        let value: VReg;
        if (statement.op === '=') {
            value = this.convert(this.expression(statement.value), type, statement.value);
        } else {
            const current = this.expression(target);
            const operand = this.convert(this.expression(statement.value), statement.op === '<<=' || statement.op === '>>=' ? this.types.typeOf(statement.value) : type, statement.value);
            value = this.arithmetic(statement.op.slice(0, -1), current.regs[0], operand, type, statement);
        }
        if (isStateVar(referable)) {
            this.storeState(referable, value);
        } else if (referable) {
            const register = this.locals.get(referable);
            if (register !== undefined) this.builder.emit({ op: 'copy', dst: register, src: value });
        }
    }

    private ifStatement(statement: IfStmt): void {
        const thenBlock = this.builder.newBlock('then');
        const elseBlock = this.builder.newBlock('else');
        const join = this.builder.newBlock('endif');
        this.condition(statement.condition, thenBlock.label, elseBlock.label);
        this.builder.place(thenBlock);
        this.block(statement.then);
        this.builder.terminate({ op: 'jump', target: join.label });
        this.builder.place(elseBlock);
        if (statement.elseIf) this.statement(statement.elseIf);
        else if (statement.else) this.block(statement.else);
        this.builder.terminate({ op: 'jump', target: join.label });
        this.builder.place(join);
    }

    private whileStatement(statement: WhileStmt): void {
        const head = this.builder.newBlock('while');
        const body = this.builder.newBlock('body');
        const exit = this.builder.newBlock('endwhile');
        this.builder.terminate({ op: 'jump', target: head.label });
        this.builder.place(head);
        this.condition(statement.condition, body.label, exit.label);
        this.builder.place(body);
        this.loops.push({ continueTarget: head.label, breakTarget: exit.label });
        this.block(statement.body);
        this.loops.pop();
        this.builder.terminate({ op: 'jump', target: head.label });
        this.builder.place(exit);
    }

    private forStatement(statement: ForStmt): void {
        const type = this.bindingType(statement.variable);
        const shape = scalarShape(type);
        const counter = this.builder.register();
        this.builder.emit({ op: 'copy', dst: counter, src: this.convert(this.expression(statement.from), type, statement.from) });
        const end = this.builder.register();
        this.builder.emit({ op: 'copy', dst: end, src: this.convert(this.expression(statement.to), type, statement.to) });
        this.bind(statement.variable, counter);
        const head = this.builder.newBlock('for');
        const body = this.builder.newBlock('body');
        const step = this.builder.newBlock('step');
        const exit = this.builder.newBlock('endfor');
        this.builder.terminate({ op: 'jump', target: head.label });
        this.builder.place(head);
        const more = this.builder.binary(shape?.signed ? 'slt' : 'sltu', counter, end);
        this.builder.terminate({ op: 'branch', condition: more, ifTrue: body.label, ifFalse: exit.label });
        this.builder.place(body);
        this.loops.push({ continueTarget: step.label, breakTarget: exit.label });
        this.block(statement.body);
        this.loops.pop();
        this.builder.terminate({ op: 'jump', target: step.label });
        this.builder.place(step);
        this.builder.emit({ op: 'binary', kind: 'add', dst: counter, a: counter, b: this.builder.constant(1) });
        this.builder.terminate({ op: 'jump', target: head.label });
        this.builder.place(exit);
    }

    private jumpOut(which: 'break' | 'continue', node: AstNode): void {
        const loop = this.loops[this.loops.length - 1];
        if (!loop) {
            this.context.unsupported(node, `'${which}' outside a loop`);
            return;
        }
        this.builder.terminate({ op: 'jump', target: which === 'break' ? loop.breakTarget : loop.continueTarget });
    }

    private returnStatement(statement: ReturnStmt): void {
        if (this.kind.kind === 'function' && this.kind.returns && statement.value) {
            const declared = this.returnType(statement);
            const value = this.convert(this.expression(statement.value), declared, statement.value);
            this.builder.terminate({ op: 'return', values: [value] });
            return;
        }
        this.fallOffEnd();
    }

    private returnType(node: AstNode): UkType {
        let current: AstNode | undefined = node;
        while (current && !isFunctionDecl(current)) current = current.$container;
        return current?.returnType ? this.types.typeOfTypeRef(current.returnType) : defaultType({ kind: 'untyped-int' });
    }

    private reply(statement: ReplyStmt): void {
        const values: VReg[] = [this.builder.constant(0)];
        if (statement.value) {
            const value = this.expression(statement.value);
            values.push(...value.regs);
        }
        this.builder.terminate({ op: 'return', values });
    }

    private print(statement: PrintStmt): void {
        const pieces = splitFormat(statement.format);
        let argument = 0;
        for (const piece of pieces) {
            if (piece.kind === 'text') {
                if (piece.text.length > 0) this.write(piece.text);
                continue;
            }
            const expr = statement.args[argument++];
            const value = this.expression(expr);
            const type = this.types.typeOf(expr);
            this.builder.emit({ op: 'call', callee: this.printer(type, piece.spec, expr), args: [value.regs[0]], results: [], convention: 'standard' });
        }
        this.write('\n');
    }

    private write(text: string): void {
        const string = this.context.stringSymbol(text);
        const address = this.builder.register();
        this.builder.emit({ op: 'address', dst: address, symbol: string.symbol });
        this.builder.emit({ op: 'call', callee: '__ukc_write', args: [address, this.builder.constant(string.length)], results: [], convention: 'standard' });
    }

    private printer(type: UkType, spec: string, node: AstNode): string {
        if (spec === 'x') return '__ukc_print_hex';
        if (spec === 'b') return '__ukc_print_bin';
        if (spec === 'c') return '__ukc_print_char';
        switch (type.kind) {
            case 'bool': return '__ukc_print_bool';
            case 'enum': return this.context.enumPrinter(type.decl);
            case 'int': return type.signed ? '__ukc_print_i32' : '__ukc_print_u32';
            case 'untyped-int': return '__ukc_print_i32';
            default:
                this.context.unsupported(node, `printing a value of this type`);
                return '__ukc_print_u32';
        }
    }

    private assert(statement: AssertStmt): void {
        const failed = this.builder.newBlock('assertfail');
        const ok = this.builder.newBlock('assertok');
        this.condition(statement.condition, ok.label, failed.label);
        this.builder.place(failed);
        const position = this.context.position(statement);
        const detail = statement.message ? `: ${statement.message}` : '';
        this.builder.emit({ op: 'panic', message: `assertion failed${detail} at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
    }

    // ------------------------------------------------------------ conditions

    /** Branches on a bool expression, with && and || short-circuiting. */
    private condition(expr: Expr, ifTrue: string, ifFalse: string): void {
        if (expr.$type === 'BinaryExpr') {
            const binary = expr as Expr & { operator: string; left: Expr; right: Expr };
            if (binary.operator === '&&' || binary.operator === '||') {
                const middle = this.builder.newBlock(binary.operator === '&&' ? 'and' : 'or');
                if (binary.operator === '&&') this.condition(binary.left, middle.label, ifFalse);
                else this.condition(binary.left, ifTrue, middle.label);
                this.builder.place(middle);
                this.condition(binary.right, ifTrue, ifFalse);
                return;
            }
        }
        if (expr.$type === 'UnaryExpr' && (expr as { op?: string }).op === '!') {
            this.condition((expr as unknown as { operand: Expr }).operand, ifFalse, ifTrue);
            return;
        }
        const value = this.expression(expr);
        this.builder.terminate({ op: 'branch', condition: value.regs[0], ifTrue, ifFalse });
    }

    // ------------------------------------------------------------ expressions

    private expression(expr: Expr): Value {
        const type = this.types.typeOf(expr);
        const constant = this.types.evaluate(expr);
        if (constant.ok && scalarShape(type)) {
            return { regs: [this.builder.constant(Number(BigInt.asIntN(32, constant.value)))], type };
        }
        switch (expr.$type) {
            case 'BoolLiteral': return { regs: [this.builder.constant((expr as { value: boolean }).value ? 1 : 0)], type };
            case 'NameRef': return this.name(expr as Expr & { target: { ref?: AstNode } }, type);
            case 'MemberExpr': return this.member(expr as MemberExpr, type);
            case 'IndexExpr': {
                const index = expr as IndexExpr;
                const address = this.elementAddress(index);
                if (address === undefined) return { regs: [this.builder.constant(0)], type };
                const dst = this.builder.register();
                this.builder.emit({ op: 'loadIndirect', dst, base: address, offset: 0, size: 4, signed: false });
                return { regs: [dst], type };
            }
            case 'CallExpr': return this.call(expr as CallExpr);
            case 'CatchExpr': return this.catchExpression(expr as CatchExpr);
            case 'TryExpr': return this.tryExpression(expr as Expr & { call: Expr });
            case 'TupleExpr': {
                const elements = (expr as unknown as { elements: Expr[] }).elements.map(element => this.expression(element));
                return { regs: elements.flatMap(element => element.regs), type };
            }
            case 'UnaryExpr': return this.unary(expr as Expr & { op: string; operand: Expr }, type);
            case 'BinaryExpr': return this.binaryExpression(expr as Expr & { operator: string; left: Expr; right: Expr }, type);
            case 'CastExpr': {
                const source = (expr as unknown as { value: Expr }).value;
                return { regs: [this.convert(this.expression(source), type, expr)], type };
            }
            case 'BuiltinCall': return this.builtin(expr as Expr & { name: string; args: Expr[] }, type);
            default:
                this.context.unsupported(expr, `${describe(expr.$type)} expressions`);
                return { regs: [this.builder.constant(0)], type };
        }
    }

    private name(expr: Expr & { target: { ref?: AstNode } }, type: UkType): Value {
        const target = expr.target.ref;
        if (isStateVar(target)) return { regs: [this.loadState(target)], type };
        if (isBinding(target) || isFunctionParam(target) || isHandlerParam(target)) {
            const register = this.locals.get(target);
            if (register !== undefined) return { regs: [register], type };
        }
        if (isConstDecl(target)) {
            const value = this.types.evaluate(target.value);
            if (value.ok) return { regs: [this.builder.constant(Number(BigInt.asIntN(32, value.value)))], type };
        }
        this.context.unsupported(expr, 'this kind of name');
        return { regs: [this.builder.constant(0)], type };
    }

    private member(expr: MemberExpr, type: UkType): Value {
        const member = expr.member?.ref;
        if (isEnumMember(member)) {
            const value = this.types.constants.enumMemberValue(member);
            return { regs: [this.builder.constant(value.ok ? Number(BigInt.asIntN(32, value.value)) : 0)], type };
        }
        this.context.unsupported(expr, 'fields of structs, bitfields and device registers');
        return { regs: [this.builder.constant(0)], type };
    }

    private call(expr: CallExpr): Value {
        const type = this.types.typeOf(expr);
        const callee = expr.callee;
        if (isNameRef(callee) && isFunctionDecl(callee.target?.ref)) {
            const fn = callee.target.ref;
            const args = expr.args.map((arg, i) => this.convert(this.expression(arg), this.types.typeOfTypeRef(fn.params[i]?.type), arg));
            const results = fn.returnType ? [this.builder.register()] : [];
            this.builder.emit({ op: 'call', callee: this.context.functionSymbol(fn), args, results, convention: 'standard' });
            return { regs: results, type };
        }
        const method = this.types.calledMethod(expr);
        if (method) {
            // A method that raises is only called under catch or try (the checker sees to it); for the
            // others the stub itself stops the component on an error reply.
            return { regs: this.methodCall(expr, method).results, type };
        }
        this.context.unsupported(expr, 'this kind of call');
        return { regs: [], type };
    }

    /** Calls a method through its client stub: a0 = error label (0: success), a1.. = the results. */
    private methodCall(expr: CallExpr, method: Method): { error: VReg; results: VReg[] } {
        const receiver = (expr.callee as MemberExpr).receiver;
        const port = isNameRef(receiver) ? receiver.target?.ref : undefined;
        const error = this.builder.register();
        if (!isUsesPort(port)) {
            this.context.unsupported(expr, 'calls through endpoint values other than a uses port');
            this.builder.emit({ op: 'const', dst: error, value: 0 });
            return { error, results: [] };
        }
        const args = expr.args.map((arg, i) => {
            const param = method.params[i];
            const paramType = param ? this.types.typeOfTypeRef(param.type) : this.types.typeOf(arg);
            if (!scalarShape(paramType)) this.context.unsupported(arg, 'arguments that are not scalars (structs, arrays, buffers or capabilities)');
            return this.convert(this.expression(arg), paramType, arg);
        });
        const resultType = this.types.resultOf(method);
        const resultCount = resultType.kind === 'void' ? 0 : resultType.kind === 'tuple' ? resultType.elements.length : 1;
        const scalarResults = resultType.kind === 'tuple' ? resultType.elements : resultType.kind === 'void' ? [] : [resultType];
        if (scalarResults.some(result => !scalarShape(result))) this.context.unsupported(expr, 'results that are not scalars');
        const results = Array.from({ length: resultCount }, () => this.builder.register());
        this.builder.emit({ op: 'call', callee: this.context.stubSymbol(port, method), args, results: [error, ...results], convention: 'message' });
        return { error, results };
    }

    private catchExpression(expr: CatchExpr): Value {
        const type = this.types.typeOf(expr);
        // The grammar types the operand as a binary expression; it is any expression, a call when checked.
        const call = expr.call as unknown as Expr;
        const method = this.types.calledMethod(call);
        if (!method || !isCallExpr(call)) {
            this.context.unsupported(expr, 'catch on this expression');
            return { regs: [], type };
        }
        const outcome = this.methodCall(call, method);
        const handler = this.builder.newBlock('catch');
        const join = this.builder.newBlock('caught');
        this.builder.terminate({ op: 'branch', condition: outcome.error, ifTrue: handler.label, ifFalse: join.label });
        this.builder.place(handler);
        const bound = this.builder.register();
        this.builder.emit({ op: 'copy', dst: bound, src: outcome.error });
        this.bind(expr.binding, bound);
        this.block(expr.handler);
        this.builder.terminate({ op: 'jump', target: join.label });
        this.builder.place(join);
        return { regs: outcome.results, type };
    }

    /** `try call`: an error reply becomes this handler's own error reply. */
    private tryExpression(expr: Expr & { call: Expr }): Value {
        const type = this.types.typeOf(expr);
        const method = this.types.calledMethod(expr.call);
        if (!method || expr.call.$type !== 'CallExpr') {
            this.context.unsupported(expr, 'try on this expression');
            return { regs: [], type };
        }
        const outcome = this.methodCall(expr.call as CallExpr, method);
        const raise = this.builder.newBlock('raise');
        const join = this.builder.newBlock('tried');
        this.builder.terminate({ op: 'branch', condition: outcome.error, ifTrue: raise.label, ifFalse: join.label });
        this.builder.place(raise);
        this.builder.terminate({ op: 'return', values: [outcome.error] });
        this.builder.place(join);
        return { regs: outcome.results, type };
    }

    private unary(expr: Expr & { op: string; operand: Expr }, type: UkType): Value {
        const operand = this.expression(expr.operand);
        const value = operand.regs[0];
        if (expr.op === '!') return { regs: [this.builder.binary('xor', value, this.builder.constant(1))], type };
        if (expr.op === '-') return { regs: [this.normalise(this.builder.binary('sub', this.builder.constant(0), value), type)], type };
        return { regs: [this.normalise(this.builder.binary('xor', value, this.builder.constant(-1)), type)], type };
    }

    private binaryExpression(expr: Expr & { operator: string; left: Expr; right: Expr }, type: UkType): Value {
        const operator = expr.operator;
        if (operator === '&&' || operator === '||') {
            const result = this.builder.register();
            const yes = this.builder.newBlock('true');
            const no = this.builder.newBlock('false');
            const join = this.builder.newBlock('bool');
            this.condition(expr, yes.label, no.label);
            this.builder.place(yes);
            this.builder.emit({ op: 'const', dst: result, value: 1 });
            this.builder.terminate({ op: 'jump', target: join.label });
            this.builder.place(no);
            this.builder.emit({ op: 'const', dst: result, value: 0 });
            this.builder.terminate({ op: 'jump', target: join.label });
            this.builder.place(join);
            return { regs: [result], type };
        }
        const leftType = this.types.typeOf(expr.left);
        const rightType = this.types.typeOf(expr.right);
        const operandType = leftType.kind === 'untyped-int' ? rightType : leftType;
        const left = this.convert(this.expression(expr.left), operandType, expr.left);
        const right = this.convert(this.expression(expr.right), operator === '<<' || operator === '>>' ? rightType : operandType, expr.right);
        switch (operator) {
            case '==': return { regs: [this.builder.binary('eq', left, right)], type };
            case '!=': return { regs: [this.builder.binary('ne', left, right)], type };
            case '<': case '>': case '<=': case '>=': {
                const signed = scalarShape(operandType)?.signed ?? false;
                const less: BinaryOp = signed ? 'slt' : 'sltu';
                // a > b is b < a; a <= b is !(b < a); a >= b is !(a < b).
                const swapped = operator === '>' || operator === '<=';
                const compared = swapped ? this.builder.binary(less, right, left) : this.builder.binary(less, left, right);
                const negate = operator === '<=' || operator === '>=';
                return { regs: [negate ? this.builder.binary('xor', compared, this.builder.constant(1)) : compared], type };
            }
            default:
                return { regs: [this.arithmetic(operator, left, right, type, expr)], type };
        }
    }

    /** `+ - * / % & | ^ << >>` on a type: wraps by normalising, faults on division by zero. */
    private arithmetic(operator: string, left: VReg, right: VReg, type: UkType, node: AstNode): VReg {
        const shape = scalarShape(type);
        if (!shape) {
            this.context.unsupported(node, 'arithmetic on 64-bit integers');
            return left;
        }
        const signed = shape.signed;
        switch (operator) {
            case '+': return this.normalise(this.builder.binary('add', left, right), type);
            case '-': return this.normalise(this.builder.binary('sub', left, right), type);
            case '*': return this.normalise(this.builder.binary('mul', left, right), type);
            case '/': case '%': {
                this.checkDivisor(right, node);
                const op: BinaryOp = operator === '/' ? (signed ? 'div' : 'divu') : (signed ? 'rem' : 'remu');
                return this.normalise(this.builder.binary(op, left, right), type);
            }
            case '&': return this.builder.binary('and', left, right);
            case '|': return this.builder.binary('or', left, right);
            case '^': return this.builder.binary('xor', left, right);
            case '<<': case '>>': {
                // The count is taken modulo the width (RV32 does that by itself for 32 bits).
                const count = shape.bits < 32 ? this.builder.binary('and', right, this.builder.constant(shape.bits - 1)) : right;
                const op: BinaryOp = operator === '<<' ? 'sll' : signed ? 'sra' : 'srl';
                return this.normalise(this.builder.binary(op, left, count), type);
            }
            default:
                this.context.unsupported(node, `the operator '${operator}'`);
                return left;
        }
    }

    private checkDivisor(divisor: VReg, node: AstNode): void {
        const zero = this.builder.newBlock('divzero');
        const ok = this.builder.newBlock('divok');
        this.builder.terminate({ op: 'branch', condition: divisor, ifTrue: ok.label, ifFalse: zero.label });
        this.builder.place(zero);
        const position = this.context.position(node);
        this.builder.emit({ op: 'panic', message: `division by zero at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
    }

    private builtin(expr: Expr & { name: string; args: Expr[] }, type: UkType): Value {
        if (expr.name === 'len') {
            const argument = this.types.typeOf(expr.args[0]);
            if (argument.kind === 'array') return { regs: [this.builder.constant(argument.length)], type };
        }
        if (expr.name === 'badge') {
            const dst = this.builder.register();
            this.builder.emit({ op: 'load', dst, symbol: this.context.badgeSymbol, offset: 0, size: 4, signed: false });
            return { regs: [dst], type };
        }
        this.context.unsupported(expr, `the builtin '${expr.name}'`);
        return { regs: [this.builder.constant(0)], type };
    }

    // ------------------------------------------------------------ arrays

    /** Where an array lives: a state variable's data, or a local's frame object. */
    private arrayStorage(expr: Expr): { readonly base: () => VReg; readonly length: number } | undefined {
        const type = this.types.typeOf(expr);
        if (type.kind !== 'array' || !isNameRef(expr) || !scalarShape(type.element)) return undefined;
        const target = expr.target?.ref;
        if (isStateVar(target)) {
            const symbol = this.context.stateSymbol(target);
            return { base: () => { const dst = this.builder.register(); this.builder.emit({ op: 'address', dst, symbol }); return dst; }, length: type.length };
        }
        const object = target ? this.arrays.get(target) : undefined;
        if (object === undefined) return undefined;
        return { base: () => { const dst = this.builder.register(); this.builder.emit({ op: 'frameAddress', dst, object }); return dst; }, length: type.length };
    }

    /** The address of `a[i]`, after checking `i` against the length (an out-of-bounds index faults). */
    private elementAddress(expr: IndexExpr): VReg | undefined {
        const storage = this.arrayStorage(expr.receiver);
        if (!storage) {
            this.context.unsupported(expr, 'indexing this kind of value (only arrays of scalars in state and locals)');
            return undefined;
        }
        const index = this.expression(expr.index).regs[0];
        const inside = this.builder.binary('sltu', index, this.builder.constant(storage.length));
        const ok = this.builder.newBlock('inbounds');
        const outside = this.builder.newBlock('outofbounds');
        this.builder.terminate({ op: 'branch', condition: inside, ifTrue: ok.label, ifFalse: outside.label });
        this.builder.place(outside);
        const position = this.context.position(expr);
        this.builder.emit({ op: 'panic', message: `index out of bounds (length ${storage.length}) at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
        const offset = this.builder.binary('sll', index, this.builder.constant(2));
        return this.builder.binary('add', storage.base(), offset);
    }

    private assignElement(statement: AssignStmt, target: IndexExpr): void {
        const type = this.types.typeOf(target);
        const address = this.elementAddress(target);
        if (address === undefined) return;
        let value: VReg;
        if (statement.op === '=') {
            value = this.convert(this.expression(statement.value), type, statement.value);
        } else {
            const current = this.builder.register();
            this.builder.emit({ op: 'loadIndirect', dst: current, base: address, offset: 0, size: 4, signed: false });
            const operand = this.convert(this.expression(statement.value), statement.op === '<<=' || statement.op === '>>=' ? this.types.typeOf(statement.value) : type, statement.value);
            value = this.arithmetic(statement.op.slice(0, -1), current, operand, type, statement);
        }
        this.builder.emit({ op: 'storeIndirect', src: value, base: address, offset: 0, size: 4 });
    }

    /** A local array: a frame object, filled from an array literal or with zeros. */
    private letArray(binding: Binding, value: Expr | undefined): void {
        const type = this.bindingType(binding);
        if (type.kind !== 'array' || !scalarShape(type.element)) {
            this.context.unsupported(binding, 'arrays of structs or arrays');
            return;
        }
        const object = this.builder.fn.frameObjects.length;
        this.builder.fn.frameObjects.push(4 * type.length);
        this.arrays.set(binding, object);
        const base = this.builder.register();
        this.builder.emit({ op: 'frameAddress', dst: base, object });
        if (value && isArrayLiteral(value) && !value.count) {
            value.elements.forEach((element, i) => {
                const v = this.convert(this.expression(element), type.element, element);
                this.builder.emit({ op: 'storeIndirect', src: v, base, offset: 4 * i, size: 4 });
            });
            return;
        }
        if (value && !(isArrayLiteral(value) && value.count)) {
            this.context.unsupported(value, 'copying whole arrays');
            return;
        }
        const fill = value && isArrayLiteral(value) ? this.convert(this.expression(value.elements[0]), type.element, value.elements[0]) : this.builder.constant(0);
        // A loop over the words: arrays can be long.
        const cursor = this.builder.register();
        this.builder.emit({ op: 'copy', dst: cursor, src: base });
        const end = this.builder.binary('add', base, this.builder.constant(4 * type.length));
        const head = this.builder.newBlock('fill');
        const done = this.builder.newBlock('filled');
        this.builder.terminate({ op: 'jump', target: head.label });
        this.builder.place(head);
        this.builder.emit({ op: 'storeIndirect', src: fill, base: cursor, offset: 0, size: 4 });
        this.builder.emit({ op: 'binary', kind: 'add', dst: cursor, a: cursor, b: this.builder.constant(4) });
        this.builder.terminate({ op: 'branch', condition: this.builder.binary('sltu', cursor, end), ifTrue: head.label, ifFalse: done.label });
        this.builder.place(done);
    }

    // ------------------------------------------------------------ conversions and state

    /** The value as `type` wants it: constants and wider values truncated and extended to its width. */
    private convert(value: Value, type: UkType, node: AstNode): VReg {
        const register = value.regs[0];
        if (register === undefined) {
            this.context.unsupported(node, 'a value of this kind here');
            return this.builder.constant(0);
        }
        if (type.kind === 'untyped-int' || type.kind === 'error') return register;
        if (!scalarShape(type)) {
            this.context.unsupported(node, 'values of this type (structs, arrays, buffers, 64-bit integers or capabilities)');
            return register;
        }
        const from = scalarShape(value.type);
        const to = scalarShape(type);
        if (from && to && from.bits === to.bits && from.signed === to.signed) return register;
        return this.normalise(register, type);
    }

    /** Truncates and extends a 32-bit result to the type's width. */
    private normalise(register: VReg, type: UkType): VReg {
        const shape = scalarShape(type);
        if (!shape || shape.bits >= 32) return register;
        if (shape.bits === 1) return this.builder.binary('and', register, this.builder.constant(1));
        const dst = this.builder.register();
        this.builder.emit({ op: 'extend', dst, src: register, bits: shape.bits, signed: shape.signed });
        return dst;
    }

    private loadState(variable: StateVar): VReg {
        const shape = scalarShape(this.types.typeOfTypeRef(variable.type));
        const dst = this.builder.register();
        if (!shape) {
            this.context.unsupported(variable, 'state of this type');
            this.builder.emit({ op: 'const', dst, value: 0 });
            return dst;
        }
        this.builder.emit({ op: 'load', dst, symbol: this.context.stateSymbol(variable), offset: 0, size: 4, signed: false });
        return dst;
    }

    private storeState(variable: StateVar, value: VReg): void {
        this.builder.emit({ op: 'store', src: value, symbol: this.context.stateSymbol(variable), offset: 0, size: 4 });
    }
}

/** Text and placeholders of a print format (`{{` and `}}` are braces). */
export function splitFormat(format: string): ({ kind: 'text'; text: string } | { kind: 'value'; spec: string })[] {
    const pieces: ({ kind: 'text'; text: string } | { kind: 'value'; spec: string })[] = [];
    let text = '';
    for (let i = 0; i < format.length; i++) {
        const c = format[i];
        if (c === '{' && format[i + 1] === '{') { text += '{'; i++; continue; }
        if (c === '}' && format[i + 1] === '}') { text += '}'; i++; continue; }
        if (c === '{') {
            const close = format.indexOf('}', i);
            pieces.push({ kind: 'text', text });
            text = '';
            const spec = format.slice(i + 1, close);
            pieces.push({ kind: 'value', spec: spec.startsWith(':') ? spec.slice(1) : '' });
            i = close;
            continue;
        }
        text += c;
    }
    pieces.push({ kind: 'text', text });
    return pieces;
}

function describe(type: string): string {
    return type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ Expr$| Literal$/, match => match === ' Literal' ? ' literal' : '').toLowerCase();
}
