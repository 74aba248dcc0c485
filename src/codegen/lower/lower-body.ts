/**
 * Lowering of function, handler and main bodies from the checked syntax tree to IR. Every value is a
 * 32-bit register holding its uk type normalised (narrow integers zero- or sign-extended), so that
 * comparisons and stores need no extra work and arithmetic wraps by one `extend` after the operation —
 * the integer rules of docs/LANGUAGE.md. Forms the back end cannot compile yet are reported through the
 * context (with their node) instead of producing wrong code.
 */
import type { AstNode } from 'langium';
import {
    isArrayLiteral, isBinding, isBitfieldField, isCallExpr, isConstDecl, isIndexExpr, isEnumMember, isFunctionDecl, isFunctionParam,
    isDevicePort, isDeviceRegister, isHandler, isHandlerParam, isMemberExpr, isNameRef, isNotificationPort, isStateVar, isStructField, isStructLiteral, isUsesPort, type AssertStmt, type AssignStmt,
    type Binding, type Block, type CallExpr, type Referable,
    type CatchExpr, type EnumDecl, type Expr, type ForStmt, type FunctionDecl, type IfStmt, type IndexExpr, type LetStmt, type MemberExpr,
    type Method, type PrintStmt, type ReplyStmt, type ReturnStmt, type StateVar, type Statement, type UsesPort, type WhileStmt
} from '../../language/generated/ast.js';
import type { UkTypeSystem } from '../../language/type-system/uk-type-system.js';
import { defaultType } from '../../language/type-system/uk-type-system.js';
import type { UkType } from '../../language/type-system/types.js';
import { FunctionBuilder, type BinaryOp, type SourcePosition, type VReg } from '../ir.js';
import { LEASE_WINDOW } from '../system-layout.js';
import { WORD, bitfieldFieldOf, fieldOf, isAggregate, isWide, leavesOf, livesInMemory, scalarShape, sizeOf } from './aggregates.js';
import { splitFormat } from './print-format.js';

/** What lowering needs from the component being compiled (names of symbols, stubs, strings). */
export interface LoweringContext {
    readonly types: UkTypeSystem;
    position(node: AstNode): SourcePosition;
    stateSymbol(variable: StateVar): string;
    functionSymbol(fn: FunctionDecl): string;
    /** The client stub for a method called through a port (the context generates it once). */
    stubSymbol(port: UsesPort, method: Method): string;
    /** The capability slot of a port. */
    portSlot(port: AstNode): number;
    /** Where a device port's register page is mapped. */
    deviceWindow(port: AstNode): number;
    /** A routine printing an enum's member names. */
    enumPrinter(decl: EnumDecl): string;
    /** A string in read-only data. */
    stringSymbol(text: string): { readonly symbol: string; readonly length: number };
    readonly badgeSymbol: string;
    unsupported(node: AstNode, what: string): void;
}

/** What a body is: it decides what `return`, `reply` and falling off the end mean. */
export type BodyKind =
    /** `resultType`: a struct or array result is written through a hidden first argument, its address. */
    | { readonly kind: 'function'; readonly returns: boolean; readonly resultType?: UkType }
    | { readonly kind: 'main' }
    | { readonly kind: 'init' }
    /** A two-way handler returns a0 = error label (0: success) and a1.. = the reply's scalars. */
    | { readonly kind: 'handler'; readonly resultCount: number }
    | { readonly kind: 'oneway-handler' };

/**
 * A value: one register for a scalar; for a tuple, the registers of its elements' leaves in order; for a
 * struct or array, no registers but the place in memory that holds it.
 */
interface Value {
    readonly regs: readonly VReg[];
    readonly type: UkType;
    readonly place?: Place;
}

/** A place in memory: a base address register plus a constant offset. */
interface Place {
    readonly base: VReg;
    readonly offset: number;
}

interface Loop {
    readonly continueTarget: string;
    readonly breakTarget: string;
}

export class BodyLowering {
    readonly builder: FunctionBuilder;
    private readonly locals = new Map<AstNode, VReg>();
    /** Locals, parameters and bindings of struct or array type: their frame objects. */
    private readonly aggregates = new Map<AstNode, number>();
    /** Where a function returning a struct or array writes its result (the caller's temporary). */
    private resultPlace: Place | undefined;
    /** Byte-buffer parameters in the caller's shared region: offset and length registers. */
    private readonly buffers = new Map<AstNode, { readonly offset: VReg | undefined; readonly length: VReg; readonly capacity: number }>();
    private readonly loops: Loop[] = [];

    constructor(
        private readonly context: LoweringContext,
        name: string,
        private readonly kind: BodyKind,
        params: readonly AstNode[],
        position?: SourcePosition
    ) {
        const convention = kind.kind === 'handler' || kind.kind === 'oneway-handler' ? 'message' : 'standard';
        // A struct or array parameter arrives as its scalar leaves, one register each.
        const shapes = params.map(param => {
            const type = context.types.typeOfReferable(param as Referable);
            return { param, type, leaves: livesInMemory(type) ? leavesOf(type, '', context.types) : undefined };
        });
        const hidden = kind.kind === 'function' && kind.resultType !== undefined && isAggregate(kind.resultType) ? 1 : 0;
        const count = hidden + shapes.reduce((sum, shape) => sum + (shape.type.kind === 'bytes' ? (isLease(shape.param) ? 1 : 2) : shape.leaves?.length ?? 1), 0);
        this.builder = new FunctionBuilder(name, count, convention, position);
        let register = 0;
        if (hidden) this.resultPlace = { base: register++, offset: 0 };
        for (const shape of shapes) {
            const named = shape.param as { name?: string };
            if (livesInMemory(shape.type)) {
                if (!shape.leaves) context.unsupported(shape.param, 'parameters of this type');
                const regs = Array.from({ length: shape.leaves?.length ?? 0 }, () => register++);
                this.aggregates.set(shape.param, this.materialiseLeaves(regs, shape.type, shape.param).object);
                continue;
            }
            if (shape.type.kind === 'bytes' && isLease(shape.param)) {
                // A lease: the client's pages, mapped at LEASE_WINDOW by the dispatch loop, and a length.
                this.buffers.set(shape.param, { offset: undefined, length: register, capacity: shape.type.capacity });
                register += 1;
                continue;
            }
            if (shape.type.kind === 'bytes') {
                // Shared bulk data: its offset in the caller's shared region, and its length.
                this.buffers.set(shape.param, { offset: register, length: register + 1, capacity: shape.type.capacity });
                register += 2;
                continue;
            }
            this.locals.set(shape.param, register);
            if (named.name) this.builder.fn.locals.push({ name: named.name, register });
            register++;
        }
    }

    /** Lowers the body and closes the function (falling off the end returns, or replies nothing). */
    lower(body: Block): void {
        this.block(body);
        if (!this.builder.closed) this.fallOffEnd();
    }

    private fallOffEnd(): void {
        switch (this.kind.kind) {
            case 'handler': this.builder.terminate({ op: 'return', values: [this.builder.constant(0)] }); break;
            case 'function': this.builder.terminate({ op: 'return', values: this.kind.returns && !this.resultPlace ? [this.builder.constant(0), this.builder.constant(0)] : [] }); break;
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
        if (statement.bindings.length === 1 && livesInMemory(this.bindingType(statement.bindings[0]))) {
            this.letAggregate(statement.bindings[0], this.bindingType(statement.bindings[0]), statement.value);
            return;
        }
        if (statement.bindings.length === 1) {
            const binding = statement.bindings[0];
            const type = this.bindingType(binding);
            if (!scalarShape(type)) {
                this.context.unsupported(binding, 'variables of this type (byte buffers or capabilities)');
                return;
            }
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
        // A tuple: its registers are the leaves of its elements, in order.
        const value = statement.value ? this.expression(statement.value) : undefined;
        let next = 0;
        statement.bindings.forEach(binding => {
            const type = this.bindingType(binding);
            if (livesInMemory(type)) {
                const count = leavesOf(type, '', this.types)?.length ?? 0;
                this.aggregates.set(binding, this.materialiseLeaves((value?.regs ?? []).slice(next, next + count), type, binding).object);
                next += count;
                return;
            }
            const register = this.builder.register();
            this.builder.emit({ op: 'copy', dst: register, src: value?.regs[next++] ?? this.builder.constant(0) });
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
        const type = this.types.typeOf(target);
        if (isMemberExpr(target) && isBitfieldField(target.member?.ref)) {
            this.assignBitfieldField(statement, target);
            return;
        }
        const byte = isIndexExpr(target) ? this.bufferByte(target) : undefined;
        if (byte !== undefined) {
            let current: VReg | undefined;
            if (statement.op !== '=') {
                current = this.builder.register();
                this.builder.emit({ op: 'loadIndirect', dst: current, base: byte, offset: 0, size: 1, signed: false });
            }
            this.builder.emit({ op: 'storeIndirect', src: this.assignedValue(statement, type, current), base: byte, offset: 0, size: 1 });
            return;
        }
        const register = isMemberExpr(target) ? this.deviceRegister(target) : undefined;
        if (register) {
            const base = this.builder.constant(register.address);
            let current: VReg | undefined;
            if (statement.op !== '=') {
                current = this.builder.register();
                this.builder.emit({ op: 'loadIndirect', dst: current, base, offset: 0, size: register.size, signed: false });
            }
            this.builder.emit({ op: 'storeIndirect', src: this.assignedValue(statement, type, current), base, offset: 0, size: register.size });
            return;
        }
        const referable = isNameRef(target) ? target.target?.ref : undefined;
        const local = referable && !isStateVar(referable) && !livesInMemory(type) ? this.locals.get(referable) : undefined;
        if (local !== undefined) {
            this.builder.emit({ op: 'copy', dst: local, src: this.assignedValue(statement, type, local) });
            return;
        }
        const place = this.placeOf(target);
        if (!place) {
            this.context.unsupported(target, 'assignment to this target (byte buffers or device registers)');
            return;
        }
        if (isAggregate(type)) {
            const source = this.aggregate(statement.value);
            if (source) this.copyAggregate(place, source, type);
            return;
        }
        if (isWide(type)) {
            const right = this.wideOf(statement.value, statement.op === '<<=' || statement.op === '>>=' ? this.types.typeOf(statement.value) : type);
            const words = statement.op === '=' ? right : this.arithmetic64(statement.op.slice(0, -1), this.readLeaves(place, type), right, type, statement);
            this.writeWords(place, words);
            return;
        }
        let current: VReg | undefined;
        if (statement.op !== '=') {
            current = this.builder.register();
            this.builder.emit({ op: 'loadIndirect', dst: current, base: place.base, offset: place.offset, size: 4, signed: false });
        }
        this.builder.emit({ op: 'storeIndirect', src: this.assignedValue(statement, type, current), base: place.base, offset: place.offset, size: 4 });
    }

    /** The value an assignment stores: the right side, or `current op right` for compound assignment. */
    private assignedValue(statement: AssignStmt, type: UkType, current: VReg | undefined): VReg {
        if (statement.op === '=' || current === undefined) return this.convert(this.expression(statement.value), type, statement.value);
        const shift = statement.op === '<<=' || statement.op === '>>=';
        const operand = this.convert(this.expression(statement.value), shift ? this.types.typeOf(statement.value) : type, statement.value);
        return this.arithmetic(statement.op.slice(0, -1), current, operand, type, statement);
    }

    /** `flags.valid = 1`: read the bitfield, replace the field, write it back. */
    private assignBitfieldField(statement: AssignStmt, target: MemberExpr): void {
        const holderType = this.types.typeOf(target.receiver);
        const field = bitfieldFieldOf(holderType, target.member?.ref?.name ?? '');
        const holder = target.receiver;
        const referable = isNameRef(holder) ? holder.target?.ref : undefined;
        const local = referable && !isStateVar(referable) ? this.locals.get(referable) : undefined;
        const place = local === undefined ? this.placeOf(holder) : undefined;
        if (!field || (local === undefined && !place)) {
            this.context.unsupported(target, 'assignment to this bitfield');
            return;
        }
        let whole: VReg;
        if (local !== undefined) {
            whole = local;
        } else {
            whole = this.builder.register();
            this.builder.emit({ op: 'loadIndirect', dst: whole, base: (place as Place).base, offset: (place as Place).offset, size: 4, signed: false });
        }
        const fieldType = this.types.typeOf(target);
        const value = this.assignedValue(statement, fieldType, statement.op === '=' ? undefined : this.bitfieldRead(whole, field));
        const updated = this.bitfieldWrite(whole, field, value);
        if (local !== undefined) this.builder.emit({ op: 'copy', dst: local, src: updated });
        else this.builder.emit({ op: 'storeIndirect', src: updated, base: (place as Place).base, offset: (place as Place).offset, size: 4 });
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
            if (this.resultPlace && isAggregate(declared)) {
                const source = this.aggregate(statement.value);
                if (source) this.copyAggregate(this.resultPlace, source, declared);
                this.builder.terminate({ op: 'return', values: [] });
                return;
            }
            if (isWide(declared)) {
                this.builder.terminate({ op: 'return', values: this.wideOf(statement.value, declared) });
                return;
            }
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
        const value = statement.value;
        if (value?.$type === 'TupleExpr') {
            for (const element of (value as unknown as { elements: Expr[] }).elements) values.push(...this.replyLeaves(element));
        } else if (value) {
            values.push(...this.replyLeaves(value));
        }
        this.builder.terminate({ op: 'return', values });
    }

    /** One reply value's registers: a scalar normalised to its result type, or a struct's leaves. */
    private replyLeaves(value: Expr): VReg[] {
        const type = this.types.typeOf(value);
        if (isAggregate(type)) return this.leafRegisters(this.aggregateValue(value, type));
        if (isWide(type)) return this.wideOf(value, type);
        return [this.expression(value).regs[0]];
    }

    private print(statement: PrintStmt): void {
        const pieces = splitFormat(statement.format);
        // Every argument is evaluated before anything is printed (an argument may call a server, which may
        // print), so that a line comes out whole.
        const values = statement.args.map(arg => this.expression(arg));
        let argument = 0;
        for (const piece of pieces) {
            if (piece.kind === 'text') {
                if (piece.text.length > 0) this.write(piece.text);
                continue;
            }
            const expr = statement.args[argument];
            const value = values[argument++];
            const type = this.types.typeOf(expr);
            if (isWide(type)) {
                if (piece.spec !== '' && piece.spec !== 'x') this.context.unsupported(expr, `printing a 64-bit value with {:${piece.spec}}`);
                const callee = piece.spec === 'x' ? '__ukc_print_hex64' : type.kind === 'int' && type.signed ? '__ukc_print_i64' : '__ukc_print_u64';
                this.builder.emit({ op: 'call', callee, args: this.wide(value, type), results: [], convention: 'standard' });
                continue;
            }
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
        if (constant.ok && isWide(type)) {
            return { regs: [this.builder.constant(Number(BigInt.asIntN(32, constant.value))), this.builder.constant(Number(BigInt.asIntN(32, constant.value >> 32n)))], type };
        }
        switch (expr.$type) {
            case 'BoolLiteral': return { regs: [this.builder.constant((expr as { value: boolean }).value ? 1 : 0)], type };
            case 'NameRef': return this.name(expr as Expr & { target: { ref?: AstNode } }, type);
            case 'MemberExpr': return this.member(expr as MemberExpr, type);
            case 'IndexExpr': {
                const byte = this.bufferByte(expr as IndexExpr);
                if (byte !== undefined) {
                    const dst = this.builder.register();
                    this.builder.emit({ op: 'loadIndirect', dst, base: byte, offset: 0, size: 1, signed: false });
                    return { regs: [dst], type };
                }
                return this.stored(expr, type);
            }
            case 'StructLiteral': return type.kind === 'bitfield' ? this.bitfieldLiteral(expr, type) : this.literal(expr, type);
            case 'ArrayLiteral': return this.literal(expr, type);
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
                if (isWide(type)) return { regs: this.wideOf(source, type), type };
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
        if (livesInMemory(type)) return this.stored(expr, type);
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
        if (isStructField(member)) return this.stored(expr, type);
        if (isBitfieldField(member)) {
            const field = bitfieldFieldOf(this.types.typeOf(expr.receiver), member.name);
            const receiver = this.expression(expr.receiver).regs[0];
            if (field && receiver !== undefined) return { regs: [this.bitfieldRead(receiver, field)], type };
        }
        const register = this.deviceRegister(expr);
        if (register) {
            const dst = this.builder.register();
            this.builder.emit({ op: 'loadIndirect', dst, base: this.builder.constant(register.address), offset: 0, size: register.size, signed: false });
            return { regs: [this.normalise(dst, type)], type };
        }
        this.context.unsupported(expr, 'this member');
        return { regs: [this.builder.constant(0)], type };
    }

    /**
     * The address of `buffer[i]` for a shared byte buffer, after checking `i` against its length; undefined
     * when the expression indexes something else.
     */
    private bufferByte(expr: IndexExpr): VReg | undefined {
        const receiver = expr.receiver;
        const buffer = isNameRef(receiver) && receiver.target?.ref ? this.buffers.get(receiver.target.ref) : undefined;
        if (!buffer) return undefined;
        const index = this.expression(expr.index).regs[0];
        const inside = this.builder.binary('sltu', index, buffer.length);
        const ok = this.builder.newBlock('inbuffer');
        const outside = this.builder.newBlock('outofbuffer');
        this.builder.terminate({ op: 'branch', condition: inside, ifTrue: ok.label, ifFalse: outside.label });
        this.builder.place(outside);
        const position = this.context.position(expr);
        this.builder.emit({ op: 'panic', message: `index out of bounds (buffer) at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
        if (buffer.offset === undefined) return this.builder.binary('add', this.builder.constant(LEASE_WINDOW), index);
        const region = this.builder.register();
        this.builder.emit({ op: 'load', dst: region, symbol: '__ukc_region', offset: 0, size: 4, signed: false });
        return this.builder.binary('add', this.builder.binary('add', region, buffer.offset), index);
    }

    /** `regs.lsr`: the register's address in the device port's page, and its access size. */
    private deviceRegister(expr: MemberExpr): { address: number; size: 1 | 2 | 4 } | undefined {
        const member = expr.member?.ref;
        const receiver = expr.receiver;
        const port = isNameRef(receiver) ? receiver.target?.ref : undefined;
        if (!isDeviceRegister(member) || !isDevicePort(port)) return undefined;
        const offset = this.types.evaluate(member.offset);
        const bits = scalarShape(this.types.typeOfTypeRef(member.type))?.bits ?? 32;
        return { address: this.context.deviceWindow(port) + (offset.ok ? Number(offset.value) : 0), size: bits <= 8 ? 1 : bits <= 16 ? 2 : 4 };
    }

    /** A value in memory: a scalar is loaded; a struct or array is its place. */
    private stored(expr: Expr, type: UkType): Value {
        const place = this.placeOf(expr);
        if (!place) {
            this.context.unsupported(expr, 'this kind of storage');
            return { regs: [this.builder.constant(0)], type };
        }
        if (isAggregate(type)) return { regs: [], type, place };
        if (isWide(type)) return { regs: this.readLeaves(place, type), type };
        const dst = this.builder.register();
        this.builder.emit({ op: 'loadIndirect', dst, base: place.base, offset: place.offset, size: 4, signed: false });
        return { regs: [dst], type };
    }

    private call(expr: CallExpr): Value {
        const type = this.types.typeOf(expr);
        const callee = expr.callee;
        if (isNameRef(callee) && isFunctionDecl(callee.target?.ref)) {
            const fn = callee.target.ref;
            const args = expr.args.flatMap((arg, i) => {
                const paramType = this.types.typeOfTypeRef(fn.params[i]?.type);
                if (isAggregate(paramType)) return this.leafRegisters(this.aggregateValue(arg, paramType));
                if (isWide(paramType)) return this.wideOf(arg, paramType);
                return [this.convert(this.expression(arg), paramType, arg)];
            });
            const returned = fn.returnType ? this.types.typeOfTypeRef(fn.returnType) : undefined;
            if (returned && isAggregate(returned)) {
                // The caller provides the result's place: a temporary, passed as a hidden first argument.
                const made = this.frameObject(returned, expr);
                if (!made) return { regs: [], type };
                this.builder.emit({ op: 'call', callee: this.context.functionSymbol(fn), args: [made.place.base, ...args], results: [], convention: 'standard' });
                return { regs: [], type, place: made.place };
            }
            const results = returned ? (isWide(returned) ? [this.builder.register(), this.builder.register()] : [this.builder.register()]) : [];
            this.builder.emit({ op: 'call', callee: this.context.functionSymbol(fn), args, results, convention: 'standard' });
            return { regs: results, type };
        }
        const method = this.types.calledMethod(expr);
        if (method) {
            // A method that raises is only called under catch or try (the checker sees to it); for the
            // others the stub itself stops the component on an error reply.
            return this.resultValue(this.methodCall(expr, method).results, type, expr);
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
        // Struct and array arguments travel as their leaves, as the layout flattens them.
        const args = expr.args.flatMap((arg, i) => {
            const param = method.params[i];
            const paramType = param ? this.types.typeOfTypeRef(param.type) : this.types.typeOf(arg);
            if (isAggregate(paramType)) return this.leafRegisters(this.aggregateValue(arg, paramType));
            if (isWide(paramType)) return this.wideOf(arg, paramType);
            if (!scalarShape(paramType)) this.context.unsupported(arg, 'arguments of this type (buffers or capabilities)');
            return [this.convert(this.expression(arg), paramType, arg)];
        });
        const resultType = this.types.resultOf(method);
        const elements = resultType.kind === 'tuple' ? resultType.elements : resultType.kind === 'void' ? [] : [resultType];
        let count = 0;
        for (const element of elements) {
            const leaves = livesInMemory(element) ? leavesOf(element, '', this.types) : scalarShape(element) ? [element] : undefined;
            if (!leaves) this.context.unsupported(expr, 'results of this type (buffers or capabilities)');
            count += leaves?.length ?? 0;
        }
        const results = Array.from({ length: count }, () => this.builder.register());
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
        return this.resultValue(outcome.results, type, expr);
    }

    /** A method's result from its leaves: a struct or array result goes to a temporary in memory. */
    private resultValue(regs: readonly VReg[], type: UkType, node: AstNode): Value {
        if (isAggregate(type)) return { regs: [], type, place: this.materialiseLeaves(regs, type, node).place };
        return { regs, type };
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
        return this.resultValue(outcome.results, type, expr);
    }

    private unary(expr: Expr & { op: string; operand: Expr }, type: UkType): Value {
        const operand = this.expression(expr.operand);
        if (isWide(type)) {
            const words = this.wide(operand, type);
            if (expr.op === '-') return { regs: this.arithmetic64('-', [this.builder.constant(0), this.builder.constant(0)], words, type, expr), type };
            return { regs: words.map(word => this.builder.binary('xor', word, this.builder.constant(-1))), type };
        }
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
        if (isAggregate(operandType) && (operator === '==' || operator === '!=')) {
            return { regs: [this.aggregateEquality(expr.left, expr.right, operandType, operator === '!=')], type };
        }
        if (isWide(operandType)) {
            const left = this.wideOf(expr.left, operandType);
            const shift = operator === '<<' || operator === '>>';
            const right = shift ? [this.convert(this.expression(expr.right), rightType, expr.right)] : this.wideOf(expr.right, operandType);
            if (['==', '!=', '<', '<=', '>', '>='].includes(operator)) return { regs: [this.compare64(operator, left, right, operandType)], type };
            return { regs: this.arithmetic64(operator, left, right, operandType, expr), type };
        }
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
            const buffer = isNameRef(expr.args[0]) && expr.args[0].target?.ref ? this.buffers.get(expr.args[0].target.ref) : undefined;
            if (buffer) return { regs: [buffer.length], type };
        }
        if (expr.name === 'signal' || expr.name === 'wait' || expr.name === 'poll') {
            const argument = expr.args[0];
            const port = isNameRef(argument) ? argument.target?.ref : undefined;
            if (!isNotificationPort(port)) {
                this.context.unsupported(expr, `'${expr.name}' on interrupt ports`);
                return { regs: [this.builder.constant(0)], type };
            }
            const slot = this.builder.constant(this.context.portSlot(port));
            const results = expr.name === 'signal' ? [] : [this.builder.register()];
            this.builder.emit({ op: 'call', callee: `__ukc_${expr.name}`, args: [slot], results, convention: 'standard' });
            return { regs: results, type };
        }
        if (expr.name === 'badge') {
            const dst = this.builder.register();
            this.builder.emit({ op: 'load', dst, symbol: this.context.badgeSymbol, offset: 0, size: 4, signed: false });
            return { regs: [dst], type };
        }
        this.context.unsupported(expr, `the builtin '${expr.name}'`);
        return { regs: [this.builder.constant(0)], type };
    }

    // ------------------------------------------------------------ structs and arrays in memory

    /** A fresh frame object for a value of `type`, with its address. */
    private frameObject(type: UkType, node: AstNode): { object: number; place: Place } | undefined {
        const size = sizeOf(type, this.types);
        if (size === undefined) {
            this.context.unsupported(node, 'values of this type (arrays of buffers, 64-bit integers or capabilities)');
            return undefined;
        }
        const object = this.builder.fn.frameObjects.length;
        this.builder.fn.frameObjects.push(size);
        const base = this.builder.register();
        this.builder.emit({ op: 'frameAddress', dst: base, object });
        return { object, place: { base, offset: 0 } };
    }

    /** Stores leaves (in order) into a new frame object: a struct or array that arrived in registers. */
    private materialiseLeaves(regs: readonly VReg[], type: UkType, node: AstNode): { object: number; place: Place } {
        const made = this.frameObject(type, node) ?? { object: -1, place: { base: this.builder.constant(0), offset: 0 } };
        regs.forEach((register, i) => this.builder.emit({ op: 'storeIndirect', src: register, base: made.place.base, offset: made.place.offset + WORD * i, size: 4 }));
        return made;
    }

    /** Where a struct or array (or one of its parts) lives, for expressions that name storage. */
    private placeOf(expr: Expr): Place | undefined {
        if (isNameRef(expr)) {
            const target = expr.target?.ref;
            if (isStateVar(target)) {
                const base = this.builder.register();
                this.builder.emit({ op: 'address', dst: base, symbol: this.context.stateSymbol(target) });
                return { base, offset: 0 };
            }
            const object = target ? this.aggregates.get(target) : undefined;
            if (object === undefined) return undefined;
            const base = this.builder.register();
            this.builder.emit({ op: 'frameAddress', dst: base, object });
            return { base, offset: 0 };
        }
        if (isMemberExpr(expr)) {
            const member = expr.member?.ref;
            if (!isStructField(member)) return undefined;
            const receiver = this.aggregate(expr.receiver);
            const field = fieldOf(this.types.typeOf(expr.receiver), member.name, this.types);
            return receiver && field ? { base: receiver.base, offset: receiver.offset + field.offset } : undefined;
        }
        if (isIndexExpr(expr)) {
            const arrayType = this.types.typeOf(expr.receiver);
            if (arrayType.kind !== 'array') return undefined;
            const receiver = this.aggregate(expr.receiver);
            const size = sizeOf(arrayType.element, this.types);
            if (!receiver || size === undefined) return undefined;
            const index = this.expression(expr.index).regs[0];
            const inside = this.builder.binary('sltu', index, this.builder.constant(arrayType.length));
            const ok = this.builder.newBlock('inbounds');
            const outside = this.builder.newBlock('outofbounds');
            this.builder.terminate({ op: 'branch', condition: inside, ifTrue: ok.label, ifFalse: outside.label });
            this.builder.place(outside);
            const position = this.context.position(expr);
            this.builder.emit({ op: 'panic', message: `index out of bounds (length ${arrayType.length}) at ${position.file}:${position.line}:${position.column}\n` });
            this.builder.place(ok);
            const offset = this.builder.binary('mul', index, this.builder.constant(size));
            return { base: this.builder.binary('add', receiver.base, offset), offset: receiver.offset };
        }
        return undefined;
    }

    /** A struct or array value with its place (storage, or a temporary). */
    private aggregateValue(expr: Expr, type: UkType): Value {
        const place = this.aggregate(expr);
        return place ? { regs: [], type, place } : { regs: [], type };
    }

    /** The place of an aggregate-valued expression: its storage, or a temporary holding the value. */
    private aggregate(expr: Expr): Place | undefined {
        const named = this.placeOf(expr);
        if (named) return named;
        const value = this.expression(expr);
        if (value.place) return value.place;
        this.context.unsupported(expr, 'this kind of struct or array value');
        return undefined;
    }

    private readLeaves(place: Place, type: UkType): VReg[] {
        const leaves = leavesOf(type, '', this.types) ?? [];
        return leaves.map(leaf => {
            const dst = this.builder.register();
            this.builder.emit({ op: 'loadIndirect', dst, base: place.base, offset: place.offset + leaf.offset, size: 4, signed: false });
            return dst;
        });
    }

    /** Copies a struct or array word by word (a loop for long ones). */
    private copyAggregate(target: Place, source: Place, type: UkType): void {
        const size = sizeOf(type, this.types) ?? 0;
        if (size <= 16 * WORD) {
            for (let offset = 0; offset < size; offset += WORD) {
                const word = this.builder.register();
                this.builder.emit({ op: 'loadIndirect', dst: word, base: source.base, offset: source.offset + offset, size: 4, signed: false });
                this.builder.emit({ op: 'storeIndirect', src: word, base: target.base, offset: target.offset + offset, size: 4 });
            }
            return;
        }
        this.wordLoop(target, size, (cursor, offset) => {
            const from = this.builder.binary('add', source.base, offset);
            const word = this.builder.register();
            this.builder.emit({ op: 'loadIndirect', dst: word, base: from, offset: source.offset, size: 4, signed: false });
            this.builder.emit({ op: 'storeIndirect', src: word, base: cursor, offset: target.offset, size: 4 });
        });
    }

    /** Fills every word of a place with one value (zero for a fresh `var`, `v` for `[v; N]`). */
    private fillAggregate(target: Place, size: number, value: VReg): void {
        this.wordLoop(target, size, cursor => this.builder.emit({ op: 'storeIndirect', src: value, base: cursor, offset: target.offset, size: 4 }));
    }

    /** A loop over the words of `size` bytes at `target`: `body(cursor, byteOffset)`. */
    private wordLoop(target: Place, size: number, body: (cursor: VReg, offset: VReg) => void): void {
        if (size === 0) return;
        const offset = this.builder.register();
        this.builder.emit({ op: 'const', dst: offset, value: 0 });
        const head = this.builder.newBlock('words');
        const done = this.builder.newBlock('wordsdone');
        this.builder.terminate({ op: 'jump', target: head.label });
        this.builder.place(head);
        body(this.builder.binary('add', target.base, offset), offset);
        this.builder.emit({ op: 'binary', kind: 'add', dst: offset, a: offset, b: this.builder.constant(WORD) });
        this.builder.terminate({ op: 'branch', condition: this.builder.binary('sltu', offset, this.builder.constant(size)), ifTrue: head.label, ifFalse: done.label });
        this.builder.place(done);
    }

    /** A struct literal or an array literal, built in a temporary. */
    private literal(expr: Expr, type: UkType): Value {
        const made = this.frameObject(type, expr);
        if (!made) return { regs: [], type };
        const place = made.place;
        if (isStructLiteral(expr) && type.kind === 'struct') {
            const size = sizeOf(type, this.types) ?? 0;
            const initialised = new Set(expr.fields.map(init => init.field?.ref?.name));
            if (type.decl.fields.some(field => !initialised.has(field.name))) this.fillAggregate(place, size, this.builder.constant(0));
            for (const init of expr.fields) {
                const field = fieldOf(type, init.field?.ref?.name ?? '', this.types);
                if (field) this.storeValue({ base: place.base, offset: place.offset + field.offset }, field.type, init.value);
            }
        } else if (isArrayLiteral(expr) && type.kind === 'array') {
            const size = sizeOf(type.element, this.types) ?? WORD;
            if (expr.count) {
                const element = this.convert(this.expression(expr.elements[0]), type.element, expr.elements[0]);
                if (scalarShape(type.element)) this.fillAggregate(place, size * type.length, element);
                else this.context.unsupported(expr, 'repeated arrays of structs');
            } else {
                expr.elements.forEach((element, i) => this.storeValue({ base: place.base, offset: place.offset + i * size }, type.element, element));
            }
        }
        return { regs: [], type, place };
    }

    /** Evaluates `value` into the place of a `type` (a scalar store or an aggregate copy). */
    private storeValue(place: Place, type: UkType, value: Expr): void {
        if (isAggregate(type)) {
            const source = this.aggregate(value);
            if (source) this.copyAggregate(place, source, type);
            return;
        }
        if (isWide(type)) {
            this.writeWords(place, this.wideOf(value, type));
            return;
        }
        const register = this.convert(this.expression(value), type, value);
        this.builder.emit({ op: 'storeIndirect', src: register, base: place.base, offset: place.offset, size: 4 });
    }

    /** `let x = struct or array`: a frame object of its own (a copy: values are values). */
    private letAggregate(binding: Binding, type: UkType, value: Expr | undefined): void {
        const made = this.frameObject(type, binding);
        if (!made) return;
        this.aggregates.set(binding, made.object);
        if (isWide(type)) {
            const words = value ? this.wideOf(value, type) : [this.builder.constant(0), this.builder.constant(0)];
            this.writeWords(made.place, words);
            return;
        }
        if (value) {
            const source = this.aggregate(value);
            if (source) this.copyAggregate(made.place, source, type);
        } else {
            this.fillAggregate(made.place, sizeOf(type, this.types) ?? 0, this.builder.constant(0));
        }
    }

    /** `a == b` on structs or arrays: every leaf equal. */
    private aggregateEquality(left: Expr, right: Expr, type: UkType, negate: boolean): VReg {
        const a = this.aggregate(left);
        const b = this.aggregate(right);
        if (!a || !b) return this.builder.constant(0);
        const leftLeaves = this.readLeaves(a, type);
        const rightLeaves = this.readLeaves(b, type);
        let differ = this.builder.constant(0);
        leftLeaves.forEach((leaf, i) => { differ = this.builder.binary('or', differ, this.builder.binary('xor', leaf, rightLeaves[i])); });
        return this.builder.binary(negate ? 'ne' : 'eq', differ, this.builder.constant(0));
    }

    /** The registers a value passes as: a scalar's one, a tuple's leaves, a struct's or array's leaves. */
    private leafRegisters(value: Value): VReg[] {
        return value.place ? this.readLeaves(value.place, value.type) : [...value.regs];
    }

    private writeWords(place: Place, words: readonly VReg[]): void {
        words.forEach((word, i) => this.builder.emit({ op: 'storeIndirect', src: word, base: place.base, offset: place.offset + WORD * i, size: 4 }));
    }

    // ------------------------------------------------------------ 64-bit integers (low word first)

    /** An expression as a 64-bit pair; a constant keeps all its 64 bits (an untyped constant may need them). */
    private wideOf(expr: Expr, type: UkType): VReg[] {
        const constant = this.types.evaluate(expr);
        if (constant.ok) return [this.builder.constant(Number(BigInt.asIntN(32, constant.value))), this.builder.constant(Number(BigInt.asIntN(32, constant.value >> 32n)))];
        return this.wide(this.expression(expr), type);
    }

    /** A value as a 64-bit pair: already one, or a narrower integer zero- or sign-extended. */
    private wide(value: Value, type: UkType): VReg[] {
        if (value.regs.length >= 2 && isWide(value.type)) return [value.regs[0], value.regs[1]];
        const low = value.regs[0] ?? this.builder.constant(0);
        const signed = value.type.kind === 'untyped-int' ? type.kind === 'int' && type.signed : (scalarShape(value.type)?.signed ?? false);
        return [low, signed ? this.builder.binary('sra', low, this.builder.constant(31)) : this.builder.constant(0)];
    }

    private arithmetic64(operator: string, a: readonly VReg[], b: readonly VReg[], type: UkType, node: AstNode): VReg[] {
        const signed = type.kind === 'int' && type.signed;
        switch (operator) {
            case '+': {
                const low = this.builder.binary('add', a[0], b[0]);
                const carry = this.builder.binary('sltu', low, a[0]);
                return [low, this.builder.binary('add', this.builder.binary('add', a[1], b[1]), carry)];
            }
            case '-': {
                const borrow = this.builder.binary('sltu', a[0], b[0]);
                return [this.builder.binary('sub', a[0], b[0]), this.builder.binary('sub', this.builder.binary('sub', a[1], b[1]), borrow)];
            }
            case '*': {
                const low = this.builder.binary('mul', a[0], b[0]);
                const high = this.builder.binary('add', this.builder.binary('mulhu', a[0], b[0]),
                    this.builder.binary('add', this.builder.binary('mul', a[0], b[1]), this.builder.binary('mul', a[1], b[0])));
                return [low, high];
            }
            case '&': return [this.builder.binary('and', a[0], b[0]), this.builder.binary('and', a[1], b[1])];
            case '|': return [this.builder.binary('or', a[0], b[0]), this.builder.binary('or', a[1], b[1])];
            case '^': return [this.builder.binary('xor', a[0], b[0]), this.builder.binary('xor', a[1], b[1])];
            case '/': case '%': {
                this.checkDivisor(this.builder.binary('or', b[0], b[1]), node);
                const results = [this.builder.register(), this.builder.register(), this.builder.register(), this.builder.register()];
                this.builder.emit({ op: 'call', callee: signed ? '__ukc_divmod64' : '__ukc_udivmod64', args: [a[0], a[1], b[0], b[1]], results, convention: 'standard' });
                return operator === '/' ? [results[0], results[1]] : [results[2], results[3]];
            }
            case '<<': case '>>': {
                const callee = operator === '<<' ? '__ukc_sll64' : signed ? '__ukc_sra64' : '__ukc_srl64';
                const results = [this.builder.register(), this.builder.register()];
                this.builder.emit({ op: 'call', callee, args: [a[0], a[1], b[0]], results, convention: 'standard' });
                return results;
            }
            default:
                this.context.unsupported(node, `the operator '${operator}' on 64-bit integers`);
                return [a[0], a[1]];
        }
    }

    /** Compares 64-bit pairs: the high words decide, the low ones (unsigned) break a tie. */
    private compare64(operator: string, a: readonly VReg[], b: readonly VReg[], type: UkType): VReg {
        if (operator === '==' || operator === '!=') {
            const differ = this.builder.binary('or', this.builder.binary('xor', a[0], b[0]), this.builder.binary('xor', a[1], b[1]));
            return this.builder.binary(operator === '==' ? 'eq' : 'ne', differ, this.builder.constant(0));
        }
        const signed = type.kind === 'int' && type.signed;
        const less = (x: readonly VReg[], y: readonly VReg[]) => {
            const high = this.builder.binary(signed ? 'slt' : 'sltu', x[1], y[1]);
            const tie = this.builder.binary('and', this.builder.binary('eq', x[1], y[1]), this.builder.binary('sltu', x[0], y[0]));
            return this.builder.binary('or', high, tie);
        };
        const flip = (v: VReg) => this.builder.binary('xor', v, this.builder.constant(1));
        switch (operator) {
            case '<': return less(a, b);
            case '>': return less(b, a);
            case '<=': return flip(less(b, a));
            default: return flip(less(a, b));
        }
    }

    /** Reads a bitfield's field: shift down and mask. */
    private bitfieldRead(value: VReg, field: { shift: number; width: number }): VReg {
        const shifted = field.shift === 0 ? value : this.builder.binary('srl', value, this.builder.constant(field.shift));
        return this.builder.binary('and', shifted, this.builder.constant(field.width >= 32 ? -1 : (1 << field.width) - 1));
    }

    /** A bitfield with one field replaced. */
    private bitfieldWrite(value: VReg, field: { shift: number; width: number }, fieldValue: VReg): VReg {
        const mask = (field.width >= 32 ? -1 : ((1 << field.width) - 1)) << field.shift;
        const kept = this.builder.binary('and', value, this.builder.constant(~mask));
        const placed = this.builder.binary('and', this.builder.binary('sll', fieldValue, this.builder.constant(field.shift)), this.builder.constant(mask));
        return this.builder.binary('or', kept, placed);
    }

    /** A bitfield literal: the fields ORed into place. */
    private bitfieldLiteral(expr: Expr, type: UkType): Value {
        let value = this.builder.constant(0);
        if (isStructLiteral(expr)) {
            for (const init of expr.fields) {
                const field = bitfieldFieldOf(type, init.field?.ref?.name ?? '');
                if (!field) continue;
                value = this.bitfieldWrite(value, field, this.expression(init.value).regs[0]);
            }
        }
        return { regs: [value], type };
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

}

/** Whether a handler parameter is a leased buffer (its method's parameter says `lease`). */
function isLease(param: AstNode): boolean {
    const handler = param.$container;
    if (!isHandler(handler)) return false;
    const index = handler.params.indexOf(param as (typeof handler.params)[number]);
    return handler.method?.ref?.params[index]?.transfer === 'lease';
}

function describe(type: string): string {
    return type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ Expr$| Literal$/, match => match === ' Literal' ? ' literal' : '').toLowerCase();
}
