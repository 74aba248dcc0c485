/**
 * Lowering of expressions from the checked syntax tree to IR. Every value is a 32-bit register holding its
 * uk type normalised (narrow integers zero- or sign-extended), so that comparisons and stores need no
 * extra work and arithmetic wraps by one `extend` after the operation — the integer rules of
 * docs/LANGUAGE.md. Forms the back end cannot compile yet are reported through the context (with their
 * node) instead of producing wrong code.
 */
import type { AstNode } from 'langium';
import {
    isArrayLiteral, isBinding, isBitfieldField, isCallExpr, isConstDecl, isIndexExpr, isEnumMember, isFunctionDecl, isFunctionParam,
    isDevicePort, isDeviceRegister, isHandlerParam, isMemberExpr, isNameRef, isNotificationPort, isStateVar, isStructField, isStructLiteral, isUsesPort, type Binding, type Block, type CallExpr, type CatchExpr, type EnumDecl, type Expr, type FunctionDecl, type IndexExpr, type MemberExpr,
    type Method, type Param, type StateVar, type UsesPort
} from '../../language/generated/ast.js';
import type { UkTypeSystem } from '../../language/type-system/uk-type-system.js';
import type { UkType } from '../../language/type-system/types.js';
import { FunctionBuilder, type BinaryOp, type SourcePosition, type VReg } from '../ir.js';
import { IPC_MSG, PanicCode } from '../../../runtime/kernel/abi.js';
import { CLIENT_LEASE_WINDOW, IPC_BUFFER, LEASE_WINDOW } from '../system-layout.js';
import { WORD, bitfieldFieldOf, fieldOf, isAggregate, isWide, leavesOf, livesInMemory, scalarShape, sizeOf } from './aggregates.js';
import { readField, writeField } from './bitfields.js';
import { bufferBytes, copyBytes, copyWords, fillWords, readWords, writeWords, type Place } from './memory-ops.js';
import { arithmetic64, compare64 } from './wide-integers.js';

/**
 * A handler's byte-buffer parameter: `shared` bulk data is at an offset of the caller's shared region
 * (offset and length in registers); a `lease` is the caller's page, mapped at LEASE_WINDOW (its length in
 * a register); `inline` bytes were saved from the message to a buffer of the handler's own (`symbol`).
 * A helper function's byte-buffer parameter is the address of the caller's copy (`copy`).
 * Byte-buffer variables are in memory like structs (their frame object or state symbol).
 */
export type BulkParameter =
    | { readonly kind: 'copy'; readonly address: VReg; readonly capacity: number }
    | { readonly kind: 'shared'; readonly offset: VReg; readonly length: VReg; readonly capacity: number }
    | { readonly kind: 'lease'; readonly length: VReg; readonly capacity: number }
    | { readonly kind: 'inline'; readonly symbol: string; readonly capacity: number };

/** What lowering needs from the component being compiled (names of symbols, stubs, strings). */
export interface LoweringContext {
    readonly types: UkTypeSystem;
    position(node: AstNode): SourcePosition;
    stateSymbol(variable: StateVar): string;
    functionSymbol(fn: FunctionDecl): string;
    /** The client stub for a method called through a port (the context generates it once). */
    stubSymbol(port: UsesPort, method: Method): string;
    /** The client stub for a method called through an endpoint value (its capability pointer in a1). */
    dynamicStubSymbol(method: Method, node: AstNode): string;
    /** The capability slot of a port. */
    portSlot(port: AstNode): number;
    /** Where a `uses` port's shared region is mapped in this component (undefined: its interface has none). */
    sharedWindow(port: AstNode): number | undefined;
    /** The size of the shared region of a method's interface (0: none). */
    sharedRegionBytes(method: Method): number;
    /** Notes that the component sends leases: it then gets a staging page (CLIENT_LEASE_WINDOW). */
    sendsLeases(): void;
    /** The buffer an inline byte-buffer handler parameter's bytes are saved to. */
    inlineSymbol(param: AstNode): string;
    /** Where an inline byte-buffer parameter of a method travels in the request or the reply: its first word. */
    inlineWord(method: Method, param: Param, message: 'request' | 'reply'): number | undefined;
    /** Where a device port's register page is mapped. */
    deviceWindow(port: AstNode): number;
    /** A routine printing an enum's member names. */
    enumPrinter(decl: EnumDecl): string;
    /** A string in read-only data. */
    stringSymbol(text: string): { readonly symbol: string; readonly length: number };
    readonly badgeSymbol: string;
    unsupported(node: AstNode, what: string): void;
}

/**
 * A value: one register for a scalar; for a tuple, the registers of its elements' leaves in order; for a
 * struct or array, no registers but the place in memory that holds it.
 */
export interface Value {
    readonly regs: readonly VReg[];
    readonly type: UkType;
    readonly place?: Place;
}

/**
 * Expressions, conditions, calls and values in memory: the half of body lowering that produces values.
 * BodyLowering (lower-body.ts) adds statements on top (and `block`, which `catch` handlers need).
 */
export abstract class ExpressionLowering {
    constructor(protected readonly context: LoweringContext, readonly builder: FunctionBuilder) {}

    protected abstract block(block: Block): void;

    protected readonly locals = new Map<AstNode, VReg>();
    /** Locals, parameters and bindings of struct or array type: their frame objects. */
    protected readonly aggregates = new Map<AstNode, number>();
    /** Where a function returning a struct or array writes its result (the caller's temporary). */
    protected resultPlace: Place | undefined;
    /** A handler's byte-buffer parameters: in the caller's shared region, or leased pages. */
    protected readonly buffers = new Map<AstNode, BulkParameter>();
    protected get types(): UkTypeSystem {
        return this.context.types;
    }

    protected bind(binding: Binding, register: VReg): void {
        this.locals.set(binding, register);
        this.builder.fn.locals.push({ name: binding.name, register });
    }

    // ------------------------------------------------------------ conditions

    /** Branches on a bool expression, with && and || short-circuiting. */
    protected condition(expr: Expr, ifTrue: string, ifFalse: string): void {
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

    protected expression(expr: Expr): Value {
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

    protected name(expr: Expr & { target: { ref?: AstNode } }, type: UkType): Value {
        const target = expr.target.ref;
        // A port used as a value is its capability pointer.
        if (isUsesPort(target) || isNotificationPort(target)) return { regs: [this.builder.constant(this.context.portSlot(target))], type };
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

    protected member(expr: MemberExpr, type: UkType): Value {
        const member = expr.member?.ref;
        if (isEnumMember(member)) {
            const value = this.types.constants.enumMemberValue(member);
            return { regs: [this.builder.constant(value.ok ? Number(BigInt.asIntN(32, value.value)) : 0)], type };
        }
        if (isStructField(member)) return this.stored(expr, type);
        if (isBitfieldField(member)) {
            const field = bitfieldFieldOf(this.types.typeOf(expr.receiver), member.name);
            const receiver = this.expression(expr.receiver).regs[0];
            if (field && receiver !== undefined) return { regs: [readField(this.builder, receiver, field)], type };
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
     * The address of `buffer[i]` for a byte buffer (a bulk parameter or a variable), after checking `i`
     * against its length; undefined when the expression indexes something else.
     */
    protected bufferByte(expr: IndexExpr): VReg | undefined {
        const receiver = expr.receiver;
        const target = isNameRef(receiver) ? receiver.target?.ref : undefined;
        const parameter = target ? this.buffers.get(target) : undefined;
        const receiverType = this.types.typeOf(receiver);
        if (!parameter && receiverType.kind !== 'bytes') return undefined;
        // A variable where it is; a call's result in the place the call provided.
        const variable = parameter ? undefined : this.placeOf(receiver) ?? (isCallExpr(receiver) ? this.expression(receiver).place : undefined);
        if (!parameter && !variable) return undefined;
        const index = this.expression(expr.index).regs[0];
        const length = parameter && (parameter.kind === 'shared' || parameter.kind === 'lease') ? parameter.length
            : this.builder.constant(receiverType.kind === 'bytes' ? receiverType.capacity : 0);
        const inside = this.builder.binary('sltu', index, length);
        const ok = this.builder.newBlock('inbuffer');
        const outside = this.builder.newBlock('outofbuffer');
        this.builder.terminate({ op: 'branch', condition: inside, ifTrue: ok.label, ifFalse: outside.label });
        this.builder.place(outside);
        const position = this.context.position(expr);
        this.builder.emit({ op: 'panic', code: PanicCode.IndexOutOfBounds, message: `index out of bounds (buffer) at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
        if (variable) {
            const base = this.builder.binary('add', variable.base, index);
            return variable.offset === 0 ? base : this.builder.binary('add', base, this.builder.constant(variable.offset));
        }
        return this.builder.binary('add', this.bulkAddress(parameter as BulkParameter), index);
    }

    /** Where a byte-buffer parameter's first byte is. */
    protected bulkAddress(parameter: BulkParameter): VReg {
        switch (parameter.kind) {
            case 'copy': return parameter.address;
            case 'lease': return this.builder.constant(LEASE_WINDOW);
            case 'inline': {
                const base = this.builder.register();
                this.builder.emit({ op: 'address', dst: base, symbol: parameter.symbol });
                return base;
            }
            case 'shared': {
                const region = this.builder.register();
                this.builder.emit({ op: 'load', dst: region, symbol: '__ukc_region', offset: 0, size: 4, signed: false });
                return this.builder.binary('add', region, parameter.offset);
            }
        }
    }

    /** A fresh frame object for a byte buffer of `capacity` bytes, with its address. */
    protected bufferObject(capacity: number): { object: number; place: Place } {
        const object = this.builder.fn.frameObjects.length;
        this.builder.fn.frameObjects.push(bufferBytes(capacity));
        const base = this.builder.register();
        this.builder.emit({ op: 'frameAddress', dst: base, object });
        return { object, place: { base, offset: 0 } };
    }

    /**
     * Writes a value into a byte buffer of `capacity` at `place`: nothing (zeros), `[v; n]`, `[a, b, ...]`
     * (the rest zero), or another buffer's bytes.
     */
    protected writeBuffer(place: Place, capacity: number, value: Expr | undefined): void {
        const size = bufferBytes(capacity);
        if (value && isArrayLiteral(value) && value.count) {
            const byte = this.builder.binary('and', this.expression(value.elements[0]).regs[0], this.builder.constant(0xff));
            fillWords(this.builder, place, size, this.builder.binary('mul', byte, this.builder.constant(0x0101_0101)));
            // The last word's spare bytes stay zero, so that equal buffers are equal words.
            for (let spare = capacity; spare < size; spare++) {
                this.builder.emit({ op: 'storeIndirect', src: this.builder.constant(0), base: place.base, offset: place.offset + spare, size: 1 });
            }
            return;
        }
        if (!value || isArrayLiteral(value)) {
            fillWords(this.builder, place, size, this.builder.constant(0));
            for (const [i, element] of (value?.elements ?? []).entries()) {
                this.builder.emit({ op: 'storeIndirect', src: this.expression(element).regs[0], base: place.base, offset: place.offset + i, size: 1 });
            }
            return;
        }
        // A variable or parameter is where it is; a call's result is in the place the call provided.
        const source = this.placeOf(value) ?? (isCallExpr(value) ? this.expression(value).place : undefined);
        const sourceType = this.types.typeOf(value);
        if (!source || sourceType.kind !== 'bytes') {
            this.context.unsupported(value, 'this kind of byte-buffer value');
            return;
        }
        if (sourceType.capacity < capacity) fillWords(this.builder, place, size, this.builder.constant(0));
        copyBytes(this.builder, place, source, Math.min(capacity, sourceType.capacity));
    }

    /** `regs.lsr`: the register's address in the device port's page, and its access size. */
    protected deviceRegister(expr: MemberExpr): { address: number; size: 1 | 2 | 4 } | undefined {
        const member = expr.member?.ref;
        const receiver = expr.receiver;
        const port = isNameRef(receiver) ? receiver.target?.ref : undefined;
        if (!isDeviceRegister(member) || !isDevicePort(port)) return undefined;
        const offset = this.types.evaluate(member.offset);
        const bits = scalarShape(this.types.typeOfTypeRef(member.type))?.bits ?? 32;
        return { address: this.context.deviceWindow(port) + (offset.ok ? Number(offset.value) : 0), size: bits <= 8 ? 1 : bits <= 16 ? 2 : 4 };
    }

    /** A value in memory: a scalar is loaded; a struct or array is its place. */
    protected stored(expr: Expr, type: UkType): Value {
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

    protected call(expr: CallExpr): Value {
        const type = this.types.typeOf(expr);
        const callee = expr.callee;
        if (isNameRef(callee) && isFunctionDecl(callee.target?.ref)) {
            const fn = callee.target.ref;
            const args = expr.args.flatMap((arg, i) => {
                const paramType = this.types.typeOfTypeRef(fn.params[i]?.type);
                if (paramType.kind === 'bytes') {
                    // A byte buffer goes by value as the address of a copy in the caller's frame.
                    const copy = this.bufferObject(paramType.capacity);
                    this.writeBuffer(copy.place, paramType.capacity, arg);
                    return [copy.place.base];
                }
                if (isAggregate(paramType)) return this.leafRegisters(this.aggregateValue(arg, paramType));
                if (isWide(paramType)) return this.wideOf(arg, paramType);
                return [this.convert(this.expression(arg), paramType, arg)];
            });
            const returned = fn.returnType ? this.types.typeOfTypeRef(fn.returnType) : undefined;
            if (returned && (isAggregate(returned) || returned.kind === 'bytes')) {
                // The caller provides the result's place: a temporary, passed as a hidden first argument.
                const made = returned.kind === 'bytes' ? this.bufferObject(returned.capacity) : this.frameObject(returned, expr);
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
            // A method that raises is only called under catch or try (the checker sees to it). For the
            // others the stub stops the component on an error reply the method cannot get, and returns
            // ServerFailed, which stops it here when nothing catches it.
            const outcome = this.methodCall(expr, method);
            if (!method.oneway) this.checkServerFailed(outcome.error, expr);
            return this.resultValue(outcome.results, type, expr);
        }
        this.context.unsupported(expr, 'this kind of call');
        return { regs: [], type };
    }

    /** Calls a method through its client stub: a0 = error label (0: success), a1.. = the results. */
    protected methodCall(expr: CallExpr, method: Method): { error: VReg; results: VReg[] } {
        const receiver = (expr.callee as MemberExpr).receiver;
        const port = isNameRef(receiver) ? receiver.target?.ref : undefined;
        const error = this.builder.register();
        // Through a port, the stub knows the capability; through an endpoint value, it is passed in a1.
        const receiverType = this.types.typeOf(receiver);
        const dynamic = isUsesPort(port) ? undefined : this.expression(receiver).regs[0];
        if (!isUsesPort(port) && (receiverType.kind !== 'endpoint' || dynamic === undefined)) {
            this.context.unsupported(expr, 'calls through this kind of value');
            this.builder.emit({ op: 'const', dst: error, value: 0 });
            return { error, results: [] };
        }
        // Struct and array arguments travel as their leaves, as the layout flattens them; byte buffers as
        // where they are in memory both sides see, copied back after the call when they are `out`.
        const copyIn: (() => void)[] = [];
        const copyBack: (() => void)[] = [];
        const shared = { offset: 0 };
        const args = expr.args.flatMap((arg, i) => {
            const param = method.params[i];
            const paramType = param ? this.types.typeOfTypeRef(param.type) : this.types.typeOf(arg);
            if (paramType.kind === 'bytes' && param) {
                return this.bulkArgument(arg, method, param, paramType.capacity, isUsesPort(port) ? port : undefined, shared, { copyIn, copyBack });
            }
            if (isAggregate(paramType)) return this.leafRegisters(this.aggregateValue(arg, paramType));
            if (isWide(paramType)) return this.wideOf(arg, paramType);
            if (!scalarShape(paramType)) this.context.unsupported(arg, 'arguments of this type (buffers or capabilities)');
            return [this.convert(this.expression(arg), paramType, arg)];
        });
        const resultType = this.types.resultOf(method);
        const elements = resultType.kind === 'tuple' ? resultType.elements : resultType.kind === 'void' ? [] : [resultType];
        let count = 0;
        // A byte-buffer result arrives as an offset and a length in the port's shared region; it is copied
        // into a buffer of the caller's own, which stands for it from then on (its address).
        const bufferResults: { readonly at: number; readonly capacity: number; readonly copy: { object: number; place: Place } }[] = [];
        const window = isUsesPort(port) ? this.context.sharedWindow(port) : undefined;
        for (const element of elements) {
            if (element.kind === 'bytes') {
                if (window === undefined) this.context.unsupported(expr, 'byte-buffer results through an endpoint value');
                bufferResults.push({ at: count, capacity: element.capacity, copy: this.bufferObject(element.capacity) });
                count += 2;
                continue;
            }
            const leaves = livesInMemory(element) ? leavesOf(element, '', this.types) : scalarShape(element) ? [element] : undefined;
            if (!leaves) this.context.unsupported(expr, 'results of this type (buffers or capabilities)');
            count += leaves?.length ?? 0;
        }
        const results = Array.from({ length: count }, () => this.builder.register());
        const callee = isUsesPort(port) ? this.context.stubSymbol(port, method) : this.context.dynamicStubSymbol(method, expr);
        // Bytes are copied where the server finds them only now: a later argument may itself be a call.
        for (const copy of copyIn) copy();
        this.builder.emit({ op: 'call', callee, args, results: [error, ...results], convention: 'message', cptr: isUsesPort(port) ? undefined : dynamic });
        for (const buffer of bufferResults) {
            const offset = results[buffer.at];
            copyBack.push(() => {
                // A server that names bytes outside the region stops this component, as a reply it does
                // not understand does.
                const room = this.builder.constant(this.context.sharedRegionBytes(method) - buffer.capacity);
                const outside = this.builder.binary('sltu', room, offset);
                const bad = this.builder.newBlock('badbulk');
                const good = this.builder.newBlock('goodbulk');
                this.builder.terminate({ op: 'branch', condition: outside, ifTrue: bad.label, ifFalse: good.label });
                this.builder.place(bad);
                this.builder.emit({ op: 'panic', code: PanicCode.BulkOutOfBounds, message: 'bulk data out of bounds in a reply\n' });
                this.builder.place(good);
                const source = this.builder.binary('add', this.builder.constant(window ?? 0), offset);
                copyBytes(this.builder, buffer.copy.place, { base: source, offset: 0 }, buffer.capacity);
            });
        }
        if (copyBack.length > 0) {
            // `out` bytes are the server's answer only when it answered without an error.
            const answered = this.builder.newBlock('copyback');
            const done = this.builder.newBlock('copiedback');
            this.builder.terminate({ op: 'branch', condition: error, ifTrue: done.label, ifFalse: answered.label });
            this.builder.place(answered);
            for (const copy of copyBack) copy();
            this.builder.terminate({ op: 'jump', target: done.label });
            this.builder.place(done);
        }
        // Each byte-buffer result's offset and length give way to the address of the caller's copy.
        const values: VReg[] = [];
        results.forEach((register, i) => {
            const buffer = bufferResults.find(candidate => candidate.at === i || candidate.at + 1 === i);
            if (!buffer) values.push(register);
            else if (buffer.at === i) values.push(buffer.copy.place.base);
        });
        return { error, results: values };
    }

    /**
     * A byte-buffer argument: its bytes go where the server will find them — the port's shared region (at
     * `shared.offset`, the next free byte for this call; the message carries offset and length), the
     * component's lease staging page (whose frame the stub sends; the message carries the length), or the
     * message's own words in the IPC buffer (inline; the stub loads those that travel in registers). The
     * copies in run just before the call (`copies.copyIn`); an `out` or `inout` buffer is copied back after
     * it (`copies.copyBack`). Returns the registers the stub takes for it.
     */
    private bulkArgument(arg: Expr, method: Method, param: Param, capacity: number, port: UsesPort | undefined, shared: { offset: number },
        copies: { readonly copyIn: (() => void)[]; readonly copyBack: (() => void)[] }): VReg[] {
        const transfer = param.transfer ?? 'shared';
        const direction = param.direction ?? 'in';
        const argType = this.types.typeOf(arg);
        const size = Math.min(capacity, argType.kind === 'bytes' ? argType.capacity : isArrayLiteral(arg) ? capacity : 0);
        let source = this.placeOf(arg);
        if (!source && isArrayLiteral(arg)) {
            source = this.bufferObject(capacity).place;
            this.writeBuffer(source, capacity, arg);
        }
        const sharedBase = port ? this.context.sharedWindow(port) : undefined;
        const inlineIn = transfer === 'inline' && direction !== 'out' ? this.context.inlineWord(method, param, 'request') : undefined;
        const inlineOut = transfer === 'inline' && direction !== 'in' ? this.context.inlineWord(method, param, 'reply') : undefined;
        const problem = !source ? 'this byte-buffer argument (it must be a variable or a literal)'
            : transfer === 'shared' && sharedBase === undefined ? 'this byte-buffer argument (shared buffers go through a port, and must be variables)'
            : transfer === 'inline' && (direction !== 'out' ? inlineIn === undefined : false) ? 'this inline byte-buffer argument'
            : transfer === 'inline' && direction !== 'in' && inlineOut === undefined ? 'inline bytes out of a oneway method'
            : undefined;
        const none = { shared: 2, lease: 1, inline: 0 }[transfer];
        if (problem || !source) {
            this.context.unsupported(arg, problem ?? 'this byte-buffer argument');
            return Array.from({ length: none }, () => this.builder.constant(0));
        }
        const from = source;
        if (transfer === 'inline') {
            // In the request's words (the last word's spare bytes as zeros), and back from the reply's, which
            // the stub leaves in the IPC buffer.
            if (inlineIn !== undefined) {
                const window = IPC_BUFFER + IPC_MSG + 4 * inlineIn;
                copies.copyIn.push(() => {
                    const target = { base: this.builder.constant(window), offset: 0 };
                    if (size % WORD !== 0) this.builder.emit({ op: 'storeIndirect', src: this.builder.constant(0), base: target.base, offset: size - (size % WORD), size: 4 });
                    copyBytes(this.builder, target, from, size);
                });
            }
            if (inlineOut !== undefined) {
                const window = IPC_BUFFER + IPC_MSG + 4 * inlineOut;
                copies.copyBack.push(() => copyBytes(this.builder, from, { base: this.builder.constant(window), offset: 0 }, size));
            }
            return [];
        }
        const window = transfer === 'shared' ? (sharedBase as number) + shared.offset : CLIENT_LEASE_WINDOW;
        const offset = shared.offset;
        if (transfer === 'shared') shared.offset += capacity;
        else this.context.sendsLeases();
        if (direction !== 'out') copies.copyIn.push(() => copyBytes(this.builder, { base: this.builder.constant(window), offset: 0 }, from, size));
        if (direction !== 'in') copies.copyBack.push(() => copyBytes(this.builder, from, { base: this.builder.constant(window), offset: 0 }, size));
        return transfer === 'shared' ? [this.builder.constant(offset), this.builder.constant(size)] : [this.builder.constant(size)];
    }

    protected catchExpression(expr: CatchExpr): Value {
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
    protected resultValue(regs: readonly VReg[], type: UkType, node: AstNode): Value {
        if (type.kind === 'bytes') return { regs: [], type, place: { base: regs[0], offset: 0 } };
        if (isAggregate(type)) return { regs: [], type, place: this.materialiseLeaves(regs, type, node).place };
        return { regs, type };
    }

    /** `try call`: an error reply becomes this handler's own error reply. */
    protected tryExpression(expr: Expr & { call: Expr }): Value {
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

    protected unary(expr: Expr & { op: string; operand: Expr }, type: UkType): Value {
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

    protected binaryExpression(expr: Expr & { operator: string; left: Expr; right: Expr }, type: UkType): Value {
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
            if (['==', '!=', '<', '<=', '>', '>='].includes(operator)) return { regs: [compare64(this.builder, operator, left, right, operandType.kind === 'int' && operandType.signed)], type };
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
    protected arithmetic(operator: string, left: VReg, right: VReg, type: UkType, node: AstNode): VReg {
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

    /** A call's uncaught ServerFailed stops the component at the call. */
    protected checkServerFailed(error: VReg, node: AstNode): void {
        const failed = this.builder.newBlock('failed');
        const ok = this.builder.newBlock('served');
        this.builder.terminate({ op: 'branch', condition: error, ifTrue: failed.label, ifFalse: ok.label });
        this.builder.place(failed);
        const position = this.context.position(node);
        this.builder.emit({ op: 'panic', code: PanicCode.ServerFailed, message: `call failed: the server failed (ServerFailed) at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
    }

    protected checkDivisor(divisor: VReg, node: AstNode): void {
        const zero = this.builder.newBlock('divzero');
        const ok = this.builder.newBlock('divok');
        this.builder.terminate({ op: 'branch', condition: divisor, ifTrue: ok.label, ifFalse: zero.label });
        this.builder.place(zero);
        const position = this.context.position(node);
        this.builder.emit({ op: 'panic', code: PanicCode.DivisionByZero, message: `division by zero at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
    }

    protected builtin(expr: Expr & { name: string; args: Expr[] }, type: UkType): Value {
        if (expr.name === 'len') {
            const argument = this.types.typeOf(expr.args[0]);
            if (argument.kind === 'array') return { regs: [this.builder.constant(argument.length)], type };
            const buffer = isNameRef(expr.args[0]) && expr.args[0].target?.ref ? this.buffers.get(expr.args[0].target.ref) : undefined;
            if (buffer && (buffer.kind === 'shared' || buffer.kind === 'lease')) return { regs: [buffer.length], type };
            if (argument.kind === 'bytes') return { regs: [this.builder.constant(argument.capacity)], type };
        }
        if (expr.name === 'signal' || expr.name === 'wait' || expr.name === 'poll') {
            const argument = expr.args[0];
            const port = isNameRef(argument) ? argument.target?.ref : undefined;
            // A notification port is a constant slot; a notification value (received in a message) is its slot.
            const value = !isNotificationPort(port) && this.types.typeOf(argument).kind === 'notification' ? this.expression(argument).regs[0] : undefined;
            if (!isNotificationPort(port) && value === undefined) {
                this.context.unsupported(expr, `'${expr.name}' on interrupt ports`);
                return { regs: [this.builder.constant(0)], type };
            }
            const slot = value ?? this.builder.constant(this.context.portSlot(port as AstNode));
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
    protected frameObject(type: UkType, node: AstNode): { object: number; place: Place } | undefined {
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
    protected materialiseLeaves(regs: readonly VReg[], type: UkType, node: AstNode): { object: number; place: Place } {
        const made = this.frameObject(type, node) ?? { object: -1, place: { base: this.builder.constant(0), offset: 0 } };
        regs.forEach((register, i) => this.builder.emit({ op: 'storeIndirect', src: register, base: made.place.base, offset: made.place.offset + WORD * i, size: 4 }));
        return made;
    }

    /** Where a struct or array (or one of its parts) lives, for expressions that name storage. */
    protected placeOf(expr: Expr): Place | undefined {
        if (isNameRef(expr)) {
            const target = expr.target?.ref;
            if (isStateVar(target)) {
                const base = this.builder.register();
                this.builder.emit({ op: 'address', dst: base, symbol: this.context.stateSymbol(target) });
                return { base, offset: 0 };
            }
            const parameter = target ? this.buffers.get(target) : undefined;
            if (parameter) return { base: this.bulkAddress(parameter), offset: 0 };
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
            this.builder.emit({ op: 'panic', code: PanicCode.IndexOutOfBounds, message: `index out of bounds (length ${arrayType.length}) at ${position.file}:${position.line}:${position.column}\n` });
            this.builder.place(ok);
            const offset = this.builder.binary('mul', index, this.builder.constant(size));
            return { base: this.builder.binary('add', receiver.base, offset), offset: receiver.offset };
        }
        return undefined;
    }

    /** A struct or array value with its place (storage, or a temporary). */
    protected aggregateValue(expr: Expr, type: UkType): Value {
        const place = this.aggregate(expr);
        return place ? { regs: [], type, place } : { regs: [], type };
    }

    /** The place of an aggregate-valued expression: its storage, or a temporary holding the value. */
    protected aggregate(expr: Expr): Place | undefined {
        const named = this.placeOf(expr);
        if (named) return named;
        const value = this.expression(expr);
        if (value.place) return value.place;
        this.context.unsupported(expr, 'this kind of struct or array value');
        return undefined;
    }

    protected readLeaves(place: Place, type: UkType): VReg[] {
        return readWords(this.builder, place, (leavesOf(type, '', this.types) ?? []).map(leaf => leaf.offset));
    }

    /** Copies a struct or array word by word. */
    protected copyAggregate(target: Place, source: Place, type: UkType): void {
        copyWords(this.builder, target, source, sizeOf(type, this.types) ?? 0);
    }

    protected fillAggregate(target: Place, size: number, value: VReg): void {
        fillWords(this.builder, target, size, value);
    }

    /** A struct literal or an array literal, built in a temporary. */
    protected literal(expr: Expr, type: UkType): Value {
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
    protected storeValue(place: Place, type: UkType, value: Expr): void {
        if (type.kind === 'bytes') {
            this.writeBuffer(place, type.capacity, value);
            return;
        }
        if (isAggregate(type)) {
            const source = this.aggregate(value);
            if (source) this.copyAggregate(place, source, type);
            return;
        }
        if (isWide(type)) {
            writeWords(this.builder, place, this.wideOf(value, type));
            return;
        }
        const register = this.convert(this.expression(value), type, value);
        this.builder.emit({ op: 'storeIndirect', src: register, base: place.base, offset: place.offset, size: 4 });
    }

    /** `a == b` on structs or arrays: every leaf equal. */
    protected aggregateEquality(left: Expr, right: Expr, type: UkType, negate: boolean): VReg {
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
    protected leafRegisters(value: Value): VReg[] {
        return value.place ? this.readLeaves(value.place, value.type) : [...value.regs];
    }

    // ------------------------------------------------------------ 64-bit integers (low word first)

    /** An expression as a 64-bit pair; a constant keeps all its 64 bits (an untyped constant may need them). */
    protected wideOf(expr: Expr, type: UkType): VReg[] {
        const constant = this.types.evaluate(expr);
        if (constant.ok) return [this.builder.constant(Number(BigInt.asIntN(32, constant.value))), this.builder.constant(Number(BigInt.asIntN(32, constant.value >> 32n)))];
        return this.wide(this.expression(expr), type);
    }

    /** A value as a 64-bit pair: already one, or a narrower integer zero- or sign-extended. */
    protected wide(value: Value, type: UkType): VReg[] {
        if (value.regs.length >= 2 && isWide(value.type)) return [value.regs[0], value.regs[1]];
        const low = value.regs[0] ?? this.builder.constant(0);
        const signed = value.type.kind === 'untyped-int' ? type.kind === 'int' && type.signed : (scalarShape(value.type)?.signed ?? false);
        return [low, signed ? this.builder.binary('sra', low, this.builder.constant(31)) : this.builder.constant(0)];
    }

    protected arithmetic64(operator: string, a: readonly VReg[], b: readonly VReg[], type: UkType, node: AstNode): VReg[] {
        return arithmetic64(this.builder, operator, a, b, type.kind === 'int' && type.signed, {
            checkDivisor: divisor => this.checkDivisor(divisor, node),
            unsupported: what => this.context.unsupported(node, what)
        });
    }

    /** A bitfield literal: the fields ORed into place. */
    protected bitfieldLiteral(expr: Expr, type: UkType): Value {
        let value = this.builder.constant(0);
        if (isStructLiteral(expr)) {
            for (const init of expr.fields) {
                const field = bitfieldFieldOf(type, init.field?.ref?.name ?? '');
                if (!field) continue;
                value = writeField(this.builder, value, field, this.expression(init.value).regs[0]);
            }
        }
        return { regs: [value], type };
    }

    // ------------------------------------------------------------ conversions and state

    /** The value as `type` wants it: constants and wider values truncated and extended to its width. */
    protected convert(value: Value, type: UkType, node: AstNode): VReg {
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
    protected normalise(register: VReg, type: UkType): VReg {
        const shape = scalarShape(type);
        if (!shape || shape.bits >= 32) return register;
        if (shape.bits === 1) return this.builder.binary('and', register, this.builder.constant(1));
        const dst = this.builder.register();
        this.builder.emit({ op: 'extend', dst, src: register, bits: shape.bits, signed: shape.signed });
        return dst;
    }

    protected loadState(variable: StateVar): VReg {
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

function describe(type: string): string {
    return type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ Expr$| Literal$/, match => match === ' Literal' ? ' literal' : '').toLowerCase();
}
