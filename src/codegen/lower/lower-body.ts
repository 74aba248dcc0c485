/**
 * Lowering of function, handler and main bodies: parameters (scalars in registers; structs, buffers and
 * 64-bit values as their parts), statements, and what `return`, `reply` and falling off the end mean for
 * each kind of body. Expressions are ExpressionLowering's (expression-lowering.ts).
 */
import type { AstNode } from 'langium';
import {
    isAnswerExpr, isCounted, leaseIndex, paramTransfer, isBitfieldField, isDeferExpr, isFunctionDecl, isHandler, isIndexExpr, isMemberExpr, isNameRef, isStateVar, defaultType,
    type AnswerExpr,
    type AssertStmt, type AssignStmt, type Binding, type Block, type EmitStmt, type Expr, type ForStmt, type IfStmt, type LetStmt, type MatchStmt,
    type MemberExpr, type PrintStmt, type RaiseStmt, type Referable, type ReplyStmt, type ReturnStmt, type Statement, type WhileStmt,
    type Param, type StringType, type UkType, type UkTypeSystem, type VecType
} from '../../language/index.js';
import { FunctionBuilder, type SourcePosition, type VReg } from '../ir.js';
import { PanicCode, leaseWindow } from '../../../runtime/contract/index.js';
import { ANSWER_ERROR_SYMBOL, DEFER_SYMBOL } from '../ipc/deferred-replies.js';
import { bitfieldFieldOf, isAggregate, isUnion, isWide, leavesOf, livesInMemory, scalarShape, sizeOf, wideShape } from './aggregates.js';
import { floatPrinter } from './float-lowering.js';
import { readField, readField64, writeField, writeField64 } from './bitfields.js';
import { writeWords, type Place } from './memory-ops.js';
import { splitFormat } from './print-format.js';
import { UnionLowering } from './union-lowering.js';
import type { CountedOut } from './counted-lowering.js';
import type { LoweringContext, Value } from './lowering-context.js';

export type { LoweringContext } from './lowering-context.js';

/** What a body is: it decides what `return`, `reply` and falling off the end mean. */
export type BodyKind =
    /** `resultType`: a struct or array result is written through a hidden first argument, its address. */
    | { readonly kind: 'function'; readonly returns: boolean; readonly resultType?: UkType }
    | { readonly kind: 'main' }
    | { readonly kind: 'init' }
    /** A two-way handler returns a0 = error label (0: success) and a2.. = the reply's values. */
    | { readonly kind: 'handler'; readonly resultCount: number }
    | { readonly kind: 'oneway-handler' };

interface Loop {
    readonly continueTarget: string;
    readonly breakTarget: string;
}

export class BodyLowering extends UnionLowering {
    private readonly kind: BodyKind;
    private readonly loops: Loop[];

    constructor(context: LoweringContext, name: string, kind: BodyKind, params: readonly AstNode[], position?: SourcePosition) {
        const frame = parameterFrame(context, name, kind, params, position);
        super(context, frame.builder);
        this.kind = kind;
        this.loops = [];
        let register = 0;
        if (frame.hidden) this.resultPlace = { base: register++, offset: 0 };
        for (const shape of frame.shapes) {
            const named = shape.param as { name?: string };
            const handler = isHandler(shape.param.$container);
            const direction = handler ? directionOf(shape.param) : 'in';
            if (isCounted(shape.type) && handler && transferOf(shape.param, context.types) !== 'inline') {
                // A string or vec as bulk data: copied from the caller's region or leased page, with its
                // length; an `out` one starts empty, and goes back there when the handler replies.
                const shared = transferOf(shape.param, context.types) === 'shared';
                const window = leaseWindowOf(shape.param, context.types);
                const data = shared ? this.bulkAddress({ kind: 'shared', offset: register, length: register + 1, capacity: 0 })
                    : this.bulkAddress({ kind: 'lease', window, length: register, capacity: 0 });
                const made = direction === 'out' ? this.emptyCounted(shape.type, shape.param)
                    : this.receiveCountedBulk(shape.type, data, shared ? register + 1 : register, shape.param);
                if (made) {
                    this.bindObject(shape.param, shape.type, made.object, true);
                    if (direction !== 'out') this.checkReceived(made.place, shape.type);
                    if (direction !== 'in') this.countedOuts.push({ type: shape.type, object: made.object, target: shared ? { kind: 'shared', offset: register } : { kind: 'lease', window } });
                }
                register += shared ? 2 : 1;
                continue;
            }
            if (isCounted(shape.type) && handler && direction === 'out') {
                // An inline `out` string or vec: nothing of it came; it goes back in the reply's words.
                const made = this.emptyCounted(shape.type, shape.param);
                if (made) {
                    this.bindObject(shape.param, shape.type, made.object, true);
                    this.countedOuts.push({ type: shape.type, object: made.object, target: { kind: 'inline' } });
                }
                continue;
            }
            if (livesInMemory(shape.type)) {
                if (!shape.leaves) context.unsupported(shape.param, 'parameters of this type');
                const regs = Array.from({ length: shape.leaves?.length ?? 0 }, () => register++);
                const made = this.materialiseLeaves(regs, shape.type, shape.param);
                this.bindObject(shape.param, shape.type, made.object, true);
                // What a client sent is checked before the handler trusts it.
                if (isCounted(shape.type) && handler) this.checkReceived(made.place, shape.type);
                if (isCounted(shape.type) && direction === 'inout') this.countedOuts.push({ type: shape.type, object: made.object, target: { kind: 'inline' } });
                if (handler) this.checkUnionsReceived(made.place, shape.type, shape.param);
                continue;
            }
            if (shape.type.kind === 'bytes' && !isHandler(shape.param.$container)) {
                // A helper's byte buffer: the address of the caller's copy.
                this.buffers.set(shape.param, { kind: 'copy', address: register, capacity: shape.type.capacity });
                register += 1;
                continue;
            }
            if (shape.type.kind === 'bytes' && transferOf(shape.param, context.types) === 'inline') {
                // Inline bytes: the dispatch loop saved the message words to a buffer of this handler's own.
                this.buffers.set(shape.param, { kind: 'inline', symbol: context.inlineSymbol(shape.param), capacity: shape.type.capacity });
                continue;
            }
            if (shape.type.kind === 'bytes' && transferOf(shape.param, context.types) === 'lease') {
                // A lease: the client's page, mapped at its lease's window by the dispatch loop, and a length.
                this.buffers.set(shape.param, { kind: 'lease', window: leaseWindowOf(shape.param, context.types), length: register, capacity: shape.type.capacity });
                register += 1;
                continue;
            }
            if (shape.type.kind === 'bytes') {
                // Shared bulk data: its offset in the caller's shared region, and its length.
                this.buffers.set(shape.param, { kind: 'shared', offset: register, length: register + 1, capacity: shape.type.capacity });
                register += 2;
                continue;
            }
            this.locals.set(shape.param, register);
            if (named.name) this.recordLocal(named.name, shape.type, true, { register });
            register++;
        }
    }

    /** Lowers the body and closes the function (falling off the end returns, or replies nothing). */
    lower(body: Block): void {
        this.block(body);
        if (!this.builder.closed) this.fallOffEnd();
    }

    /** A handler's `out` and `inout` strings and vecs (parameter order): they go back with every reply. */
    private readonly countedOuts: CountedOut[] = [];

    /** A handler's `out` string or vec as it starts: empty, its items zeros. */
    private emptyCounted(type: StringType | VecType, node: AstNode): { object: number; place: Place } | undefined {
        const made = this.frameObject(type, node);
        if (made) this.writeCounted(made.place, type, undefined);
        return made;
    }

    private fallOffEnd(): void {
        switch (this.kind.kind) {
            case 'handler': this.builder.terminate({ op: 'return', values: [this.builder.constant(0), ...this.countedOutValues(this.countedOuts)] }); break;
            case 'function': this.builder.terminate({ op: 'return', values: this.kind.returns && !this.resultPlace ? [this.builder.constant(0), this.builder.constant(0)] : [] }); break;
            default: this.builder.terminate({ op: 'return', values: [] });
        }
    }

    // ------------------------------------------------------------ statements

    protected block(block: Block): void {
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
            case 'MatchStmt': return this.matchStatement(statement as MatchStmt);
            case 'WhileStmt': return this.whileStatement(statement as WhileStmt);
            case 'ForStmt': return this.forStatement(statement as ForStmt);
            case 'BreakStmt': return this.jumpOut('break', statement);
            case 'ContinueStmt': return this.jumpOut('continue', statement);
            case 'ReturnStmt': return this.returnStatement(statement as ReturnStmt);
            case 'ReplyStmt': return this.reply(statement as ReplyStmt);
            case 'RaiseStmt':
                this.builder.terminate({ op: 'return', values: this.raiseValues(statement as RaiseStmt) });
                return;
            case 'EmitStmt': return this.emitEvent(statement as EmitStmt);
            case 'PrintStmt': return this.print(statement as PrintStmt);
            case 'AssertStmt': return this.assert(statement as AssertStmt);
            case 'Block': return this.block(statement as Block);
            default:
                // An expression statement: a call or an answer (the checker allows nothing else).
                if (isAnswerExpr(statement)) return this.answer(statement);
                this.expression(statement as Expr);
        }
    }

    private let(statement: LetStmt): void {
        const first = statement.bindings.length === 1 ? this.bindingType(statement.bindings[0]) : undefined;
        if (first?.kind === 'bytes') {
            // A byte buffer lives in a frame object, its bytes packed.
            const made = this.bufferObject(first.capacity);
            this.bindObject(statement.bindings[0], first, made.object, false);
            this.writeBuffer(made.place, first.capacity, statement.value);
            return;
        }
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
            if (type.kind === 'bytes') {
                // A byte-buffer result: the address of the caller's copy of it.
                this.buffers.set(binding, { kind: 'copy', address: value?.regs[next++] ?? this.builder.constant(0), capacity: type.capacity });
                return;
            }
            if (livesInMemory(type)) {
                const count = leavesOf(type, '', this.types)?.length ?? 0;
                this.bindObject(binding, type, this.materialiseLeaves((value?.regs ?? []).slice(next, next + count), type, binding).object, false);
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

    private assign(statement: AssignStmt): void {
        if (isDeferExpr(statement.value)) return this.deferInto(statement);
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
        if (type.kind === 'bytes') {
            const place = this.placeOf(target);
            if (place) this.writeBuffer(place, type.capacity, statement.value);
            else this.context.unsupported(target, 'assignment to this byte buffer');
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
        if (isCounted(type)) {
            this.writeCounted(place, type, statement.value);
            return;
        }
        if (isAggregate(type)) {
            const source = this.aggregateValue(statement.value, type).place;
            if (source) this.copyAggregate(place, source, type);
            return;
        }
        if (isWide(type)) {
            const right = this.wideOf(statement.value, statement.op === '<<=' || statement.op === '>>=' ? this.types.typeOf(statement.value) : type);
            const words = statement.op === '=' ? right : this.arithmetic64(statement.op.slice(0, -1), this.readLeaves(place, type), right, type, statement);
            writeWords(this.builder, place, words);
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
        if (isWide(holderType) && place) {
            this.assignWideBitfieldField(statement, target, place, field);
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
        const value = this.assignedValue(statement, fieldType, statement.op === '=' ? undefined : readField(this.builder, whole, field));
        const updated = writeField(this.builder, whole, field, value);
        if (local !== undefined) this.builder.emit({ op: 'copy', dst: local, src: updated });
        else this.builder.emit({ op: 'storeIndirect', src: updated, base: (place as Place).base, offset: (place as Place).offset, size: 4 });
    }

    /** `f.high = 3` on a bitfield with a 64-bit base, which lives in memory as a pair. */
    private assignWideBitfieldField(statement: AssignStmt, target: MemberExpr, place: Place, field: { readonly shift: number; readonly width: number }): void {
        const holderType = this.types.typeOf(target.receiver);
        const fieldType = this.types.typeOf(target);
        const whole = this.readLeaves(place, holderType);
        let value: VReg[];
        if (statement.op === '=') {
            value = this.wideOf(statement.value, fieldType);
        } else {
            const current = readField64(this.builder, whole, field);
            value = isWide(fieldType)
                ? this.arithmetic64(statement.op.slice(0, -1), current, this.wideOf(statement.value, statement.op === '<<=' || statement.op === '>>=' ? this.types.typeOf(statement.value) : fieldType), fieldType, statement)
                : [this.assignedValue(statement, fieldType, current[0]), this.builder.constant(0)];
        }
        writeWords(this.builder, place, writeField64(this.builder, whole, field, value));
    }

    private ifStatement(statement: IfStmt): void {
        if (statement.binding) {
            this.ifLetStatement(statement, () => {
                if (statement.elseIf) this.statement(statement.elseIf);
                else if (statement.else) this.block(statement.else);
            });
            return;
        }
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
            if (this.resultPlace && declared.kind === 'bytes') {
                this.writeBuffer(this.resultPlace, declared.capacity, statement.value);
                this.builder.terminate({ op: 'return', values: [] });
                return;
            }
            if (this.resultPlace && isCounted(declared)) {
                this.writeCounted(this.resultPlace, declared, statement.value);
                this.builder.terminate({ op: 'return', values: [] });
                return;
            }
            if (this.resultPlace && isAggregate(declared)) {
                const source = this.aggregateValue(statement.value, declared).place;
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
        // Byte buffers go into the caller's shared region one after the other, from its start.
        const region = { offset: 0 };
        let handler: AstNode | undefined = statement;
        while (handler && !isHandler(handler)) handler = handler.$container;
        const method = isHandler(handler) ? handler.method?.ref : undefined;
        const results = method ? this.types.resultOf(method) : undefined;
        const declared = (i: number) => (results?.kind === 'tuple' ? results.elements[i] : results);
        if (value?.$type === 'TupleExpr') {
            (value as unknown as { elements: Expr[] }).elements.forEach((element, i) => values.push(...this.replyLeaves(element, region, declared(i))));
        } else if (value) {
            values.push(...this.replyLeaves(value, region, declared(0)));
        }
        values.push(...this.countedOutValues(this.countedOuts));
        this.builder.terminate({ op: 'return', values });
    }

    /**
     * `v = defer`: the caller moves into v's slot (whoever v held gets ServerFailed), and v is pending.
     * The handler then ends as usual; its ReplyRecv finds no reply capability and sends nothing.
     */
    private deferInto(statement: AssignStmt): void {
        const target = isNameRef(statement.target) ? statement.target.target?.ref : undefined;
        if (!isStateVar(target)) {
            this.context.unsupported(statement, `'defer' into anything but a state variable`);
            return;
        }
        this.builder.emit({ op: 'call', callee: DEFER_SYMBOL, args: [this.builder.constant(this.context.replySlot(target))], results: [], convention: 'standard' });
        this.builder.emit({ op: 'store', src: this.builder.constant(1), symbol: this.context.stateSymbol(target), offset: 0, size: 4 });
    }

    /**
     * `v.reply(...)` and `v.raise(E.X)`: the values first (they may call servers), then v must be pending
     * (a second answer stops the component: reply-not-pending), is no longer, and the answer goes out
     * through the routine that packs the method's reply layout.
     */
    private answer(expr: AnswerExpr): void {
        const variable = isNameRef(expr.receiver) ? expr.receiver.target?.ref : undefined;
        const type = isStateVar(variable) ? this.types.typeOfTypeRef(variable.type) : undefined;
        if (!isStateVar(variable) || type?.kind !== 'reply') {
            this.context.unsupported(expr, 'answering anything but a reply state variable');
            return;
        }
        const results = this.types.resultOf(type.method);
        const declared = (i: number) => (results.kind === 'tuple' ? results.elements[i] : results);
        const callee = this.context.answerSymbol(type.method, expr.answer);
        // An error routine for errors with words takes the payload first and the error's value last.
        let values: VReg[];
        if (expr.answer === 'reply') {
            values = expr.args.flatMap((arg, i) => this.replyLeaves(arg, { offset: 0 }, declared(i)));
        } else {
            const error = this.expression(expr.args[0]).regs[0];
            values = callee === ANSWER_ERROR_SYMBOL ? [error] : [...this.payloadValues(type.method, expr.payload), error];
        }
        const symbol = this.context.stateSymbol(variable);
        const pending = this.builder.register();
        this.builder.emit({ op: 'load', dst: pending, symbol, offset: 0, size: 4, signed: false });
        const idle = this.builder.newBlock('notpending');
        const ok = this.builder.newBlock('pending');
        this.builder.terminate({ op: 'branch', condition: pending, ifTrue: ok.label, ifFalse: idle.label });
        this.builder.place(idle);
        const position = this.context.position(expr);
        this.builder.emit({ op: 'panic', code: PanicCode.ReplyNotPending, message: `'${variable.name}' holds no deferred call to answer at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
        this.builder.emit({ op: 'store', src: this.builder.constant(0), symbol, offset: 0, size: 4 });
        const slot = this.builder.constant(this.context.replySlot(variable));
        this.builder.emit({ op: 'call', callee, args: values, results: [], convention: 'message', cptr: slot });
    }

    /**
     * One reply value's registers: a scalar normalised to its result type, a struct's leaves, or a byte
     * buffer's offset and length once its bytes are in the caller's shared region.
     */
    private replyLeaves(value: Expr, region: { offset: number }, declared: UkType | undefined): VReg[] {
        const type = this.types.typeOf(value);
        if (declared?.kind === 'bytes') {
            const base = this.builder.register();
            this.builder.emit({ op: 'load', dst: base, symbol: '__ukc_region', offset: 0, size: 4, signed: false });
            const offset = region.offset;
            region.offset += declared.capacity;
            this.writeBuffer({ base, offset }, declared.capacity, value);
            return [this.builder.constant(offset), this.builder.constant(declared.capacity)];
        }
        if (declared && (isCounted(declared) || isUnion(declared))) return this.leafRegisters(this.aggregateValue(value, declared));
        if (isAggregate(type)) return this.leafRegisters(this.aggregateValue(value, type));
        // A constant takes the result's type: `reply -1.0` for an f64 result is two words of an f64.
        const target = declared ?? type;
        if (isWide(target)) return this.wideOf(value, target);
        return [this.convert(this.expression(value), target, value)];
    }

    /** `emit e(a, b)`: the values in the message convention, to the event's emit stub (ipc/event-code.ts). */
    private emitEvent(statement: EmitStmt): void {
        const event = statement.event?.ref;
        if (!event) return;
        const args = statement.args.flatMap((arg, i) => {
            const paramType = this.types.typeOfTypeRef(event.params[i]?.type);
            if (isAggregate(paramType)) return this.leafRegisters(this.aggregateValue(arg, paramType));
            if (isWide(paramType)) return this.wideOf(arg, paramType);
            return [this.convert(this.expression(arg), paramType, arg)];
        });
        this.builder.emit({ op: 'call', callee: this.context.emitSymbol(event), args, results: [], convention: 'message' });
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
            // A float constant's value is an f64 (expression-lowering.ts).
            const type = value.type.kind === 'float' ? value.type : this.types.typeOf(expr);
            if (type.kind === 'string') {
                if (value.place) this.printString(value.place);
                continue;
            }
            if (isUnion(type)) {
                this.printUnion(value, type, expr);
                continue;
            }
            if (type.kind === 'float' && piece.spec === '') {
                this.builder.emit({ op: 'call', callee: floatPrinter(type.bits), args: type.bits === 64 ? this.wide(value, type) : [value.regs[0]], results: [], convention: 'standard' });
                continue;
            }
            if (isWide(type) && piece.spec !== 'c') {
                this.printWide(this.wide(value, type), type, piece.spec);
                continue;
            }
            this.builder.emit({ op: 'call', callee: this.printer(type, piece.spec, expr), args: [this.digitsOf(value, type, piece.spec)], results: [], convention: 'standard' });
        }
        this.write('\n');
    }

    /**
     * A wide value (aggregates.ts, wideShape) as a placeholder shows it: an enum by its member's name, flags
     * by theirs, integers in decimal; hex and binary show the value's own bits (an `i40` enum's 40).
     */
    protected printWide(words: readonly VReg[], type: UkType, spec: string): void {
        const shape = wideShape(type);
        if (spec === '' && type.kind === 'enum') {
            this.builder.emit({ op: 'call', callee: this.context.enumPrinter(type.decl), args: [...words], results: [], convention: 'standard' });
            return;
        }
        if (spec === 'x' || spec === 'b') {
            const high = shape && shape.signed && shape.bits < 64 ? this.builder.binary('and', words[1], this.builder.constant(2 ** (shape.bits - 32) - 1)) : words[1];
            this.builder.emit({ op: 'call', callee: spec === 'x' ? '__ukc_print_hex64' : '__ukc_print_bin64', args: [words[0], high], results: [], convention: 'standard' });
            return;
        }
        this.builder.emit({ op: 'call', callee: shape?.signed ? '__ukc_print_i64' : '__ukc_print_u64', args: [...words], results: [], convention: 'standard' });
    }

    protected write(text: string): void {
        const string = this.context.stringSymbol(text);
        const address = this.builder.register();
        this.builder.emit({ op: 'address', dst: address, symbol: string.symbol });
        this.builder.emit({ op: 'call', callee: '__ukc_write', args: [address, this.builder.constant(string.length)], results: [], convention: 'standard' });
    }

    /**
     * The register a placeholder prints: hex and binary show a value's own bits, so a narrow signed value
     * (held sign-extended) is masked to its width; `-128 as i8` prints `80`, not `ffffff80`.
     */
    private digitsOf(value: Value, type: UkType, spec: string): VReg {
        const register = isWide(type) ? this.wide(value, type)[0] : value.regs[0];
        const shape = scalarShape(type);
        if ((spec !== 'x' && spec !== 'b') || !shape?.signed || shape.bits >= 32) return register;
        return this.builder.binary('and', register, this.builder.constant(2 ** shape.bits - 1));
    }

    protected printer(type: UkType, spec: string, node: AstNode): string {
        if (spec === 'x') return '__ukc_print_hex';
        if (spec === 'b') return '__ukc_print_bin';
        if (spec === 'c') return '__ukc_print_char';
        switch (type.kind) {
            case 'bool': return '__ukc_print_bool';
            case 'enum': return this.context.enumPrinter(type.decl);
            case 'server-failed': return '__ukc_print_label';
            case 'int': return type.signed ? '__ukc_print_i32' : '__ukc_print_u32';
            case 'bitfield': return '__ukc_print_u32'; // its base, which is unsigned
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
        this.builder.emit({ op: 'panic', code: PanicCode.AssertionFailed, message: `assertion failed${detail} at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
    }

    protected bindPayload(binding: Binding, type: UkType, payload: { readonly register: VReg } | { readonly object: number }): void {
        if ('register' in payload) {
            const register = this.builder.register();
            this.builder.emit({ op: 'copy', dst: register, src: payload.register });
            this.bind(binding, register);
        } else {
            this.bindObject(binding, type, payload.object, false);
        }
    }

    /** `let x = struct or array`: a frame object of its own (a copy: values are values). */
    private letAggregate(binding: Binding, type: UkType, value: Expr | undefined): void {
        const made = this.frameObject(type, binding);
        if (!made) return;
        this.bindObject(binding, type, made.object, false);
        if (isWide(type)) {
            const words = value ? this.wideOf(value, type) : [this.builder.constant(0), this.builder.constant(0)];
            writeWords(this.builder, made.place, words);
            return;
        }
        if (isCounted(type)) {
            this.writeCounted(made.place, type, value);
        } else if (value) {
            const source = this.aggregateValue(value, type).place;
            if (source) this.copyAggregate(made.place, source, type);
        } else {
            this.fillAggregate(made.place, sizeOf(type, this.types) ?? 0, this.builder.constant(0));
        }
    }

}

/** The function's register parameters: each AST parameter's shape, and whether a hidden result address comes first. */
function parameterFrame(context: LoweringContext, name: string, kind: BodyKind, params: readonly AstNode[], position: SourcePosition | undefined) {
    const convention = kind.kind === 'handler' || kind.kind === 'oneway-handler' ? 'message' : 'standard';
    // A struct or array parameter arrives as its scalar leaves, one register each.
    const shapes = params.map(param => {
        const type = context.types.typeOfReferable(param as Referable);
        return { param, type, leaves: livesInMemory(type) ? leavesOf(type, '', context.types) : undefined };
    });
    // A struct, array or byte buffer comes back through a place the caller provides.
    const hidden = kind.kind === 'function' && kind.resultType !== undefined && (isAggregate(kind.resultType) || kind.resultType.kind === 'bytes') ? 1 : 0;
    // Bulk data in registers: shared as offset and length, a lease as its length, inline bytes as nothing.
    // A helper's byte buffer is one register, the address of the caller's copy.
    const bulkRegisters = { shared: 2, lease: 1, inline: 0 } as const;
    const registersOf = (shape: (typeof shapes)[number]) => {
        if (isCounted(shape.type) && isHandler(shape.param.$container) && transferOf(shape.param, context.types) !== 'inline') {
            return bulkRegisters[transferOf(shape.param, context.types)];
        }
        // An inline `out` string or vec travels in the reply only.
        if (isCounted(shape.type) && isHandler(shape.param.$container) && directionOf(shape.param) === 'out') return 0;
        return shape.type.kind !== 'bytes' ? shape.leaves?.length ?? 1 : isHandler(shape.param.$container) ? bulkRegisters[transferOf(shape.param, context.types)] : 1;
    };
    const count = hidden + shapes.reduce((sum, shape) => sum + registersOf(shape), 0);
    return { builder: new FunctionBuilder(name, count, convention, position), shapes, hidden };
}

/** The method parameter a handler's parameter stands for. */
function declaredParam(param: AstNode): Param | undefined {
    const handler = param.$container;
    if (!isHandler(handler)) return undefined;
    return handler.method?.ref?.params[handler.params.indexOf(param as (typeof handler.params)[number])];
}

/** Which way a handler's parameter travels (its method's parameter says; `in` by default). */
function directionOf(param: AstNode): 'in' | 'out' | 'inout' {
    return (declaredParam(param)?.direction ?? 'in') as 'in' | 'out' | 'inout';
}

/** Where the dispatch loop maps a handler's lease parameter: its lease's window (docs/ABI.md, "Bulk data"). */
function leaseWindowOf(param: AstNode, types: UkTypeSystem): number {
    const declared = declaredParam(param);
    return leaseWindow(declared ? leaseIndex(declared, types) ?? 0 : 0);
}

/** How a handler's bulk parameter travels (its method's parameter says, or the default for its type; inline in an event). */
function transferOf(param: AstNode, types: UkTypeSystem): 'shared' | 'lease' | 'inline' {
    // An event's values all travel in its record's words (docs/ABI.md, "Events").
    if (isHandler(param.$container) && param.$container.event === 'event') return 'inline';
    const declared = declaredParam(param);
    return declared ? paramTransfer(declared, types) ?? 'shared' : 'shared';
}

