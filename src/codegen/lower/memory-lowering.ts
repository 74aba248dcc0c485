/**
 * Values in memory for expression lowering: the state a body's lowering keeps (locals, frame objects,
 * byte-buffer parameters), places of structs and arrays (lvalues, with bounds checks), loads, stores and
 * copies, conversions that keep a value normalised to its uk type, and 64-bit pairs.
 */
import type { AstNode } from 'langium';
import { isArrayLiteral, isExpr, isIndexExpr, isDevicePort, isDeviceRegister, isMemberExpr, isNameRef, isStateVar, isStructField, isStructLiteral, type Binding, type Block, type Expr, type IndexExpr, type MemberExpr, type StringType, type VecType, type StateVar, type UkTypeSystem, type UkType } from '../../language/index.js';
import { FunctionBuilder, type VReg } from '../ir.js';
import { PanicCode, floatToBits } from '../../../runtime/contract/index.js';
import { WORD, fieldOf, isAggregate, isWide, leavesOf, scalarShape, sizeOf, wideShape } from './aggregates.js';
import { copyWords, fillWords, readWords, writeWords, type Place } from './memory-ops.js';
import type { BulkParameter, LoweringContext, Value } from './lowering-context.js';
import { debugTypeOf } from '../debug-info.js';

/**
 * The state of body lowering and values in memory: locals, frame objects, places of structs and arrays
 * (lvalues), loads and stores, conversions to a uk type and 64-bit pairs. The layers above add byte
 * buffers (BufferLowering), calls (CallLowering) and expressions (ExpressionLowering).
 */
export abstract class MemoryLowering {
    constructor(protected readonly context: LoweringContext, readonly builder: FunctionBuilder) {}

    protected abstract block(block: Block): void;

    protected abstract expression(expr: Expr): Value;
    protected abstract bulkAddress(parameter: BulkParameter): VReg;
    protected abstract writeBuffer(place: Place, capacity: number, value: Expr | undefined): void;
    protected abstract writeCounted(place: Place, type: StringType | VecType, value: Expr | undefined): void;
    protected abstract countedAs(value: Expr, type: StringType | VecType): Place | undefined;
    protected abstract countedElement(expr: IndexExpr, type: StringType | VecType): Place | undefined;

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
        this.recordLocal(binding.name, this.types.typeOfReferable(binding), false, { register });
    }

    /** A variable that lives in a frame object (a struct, an array, a 64-bit integer, a byte buffer). */
    protected bindObject(node: AstNode & { readonly name?: string }, type: UkType, object: number, argument: boolean): void {
        this.aggregates.set(node, object);
        if (node.name) this.recordLocal(node.name, type, argument, { object });
    }

    /** Where a named value is and its type, for the debugger (the function's debug information). */
    protected recordLocal(name: string, type: UkType, argument: boolean, where: { readonly register: VReg } | { readonly object: number }): void {
        // `_` binds nothing a user can name.
        if (name !== '_') this.builder.fn.locals.push({ name, type: debugTypeOf(type, this.types), argument, ...where });
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
            if (arrayType.kind === 'vec') return this.countedElement(expr, arrayType);
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
        // A shorter string or vec (a literal among them) widens to the capacity expected; an array literal
        // is built as the array expected (its own type may hold arrays where byte buffers are expected).
        const place = type.kind === 'string' || type.kind === 'vec' ? this.countedAs(expr, type)
            : isArrayLiteral(expr) && type.kind === 'array' ? this.literal(expr, type).place : this.aggregate(expr);
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
        if (type.kind === 'string' || type.kind === 'vec') {
            this.writeCounted(place, type, value);
            return;
        }
        if (isAggregate(type)) {
            const source = this.aggregateValue(value, type).place;
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
        const float = this.floatConstant(expr, type);
        if (float !== undefined) return [this.builder.constant(Number(BigInt.asIntN(32, float))), this.builder.constant(Number(BigInt.asIntN(32, float >> 32n)))];
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

    /**
     * A pair truncated and extended to a wide type's bits (aggregates.ts, wideShape): the high word of an
     * `i40` enum keeps its 8 bits, sign-extended; 64-bit types are any pair.
     */
    protected normaliseWide(words: readonly VReg[], type: UkType): VReg[] {
        const shape = wideShape(type);
        if (!shape || shape.bits >= 64) return [words[0], words[1]];
        const high = this.builder.register();
        this.builder.emit({ op: 'extend', dst: high, src: words[1], bits: shape.bits - 32, signed: shape.signed });
        return [words[0], high];
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
        // A constant meets its float type here: `x * 2` and `let t: f32 = 21.5` take the constant in f32.
        const float = this.floatConstant(node, type);
        if (float !== undefined) return this.builder.constant(Number(BigInt.asIntN(32, float)));
        if (!scalarShape(type)) {
            this.context.unsupported(node, 'values of this type (structs, arrays, buffers, 64-bit integers or capabilities)');
            return register;
        }
        const from = scalarShape(value.type);
        const to = scalarShape(type);
        if (from && to && from.bits === to.bits && from.signed === to.signed) return register;
        // An integer constant (`reply 1` for a u16) converts now: `expression` loaded it as its exact value,
        // which is already the converted word unless the conversion wraps it (`-1 as u16` via a cast).
        const constant = to && type.kind === 'int' && (value.type.kind === 'int' || value.type.kind === 'untyped-int') && isExpr(node)
            ? this.types.evaluate(node) : undefined;
        if (constant?.ok && to) {
            const fitted = to.signed ? BigInt.asIntN(to.bits, constant.value) : BigInt.asUintN(to.bits, constant.value);
            const word = Number(BigInt.asIntN(32, fitted));
            return word === Number(BigInt.asIntN(32, constant.value)) ? register : this.builder.constant(word);
        }
        return this.normalise(register, type);
    }

    /** The bits of `node` as a constant of float type `type`, when it is a constant expression; else undefined. */
    protected floatConstant(node: AstNode, type: UkType): bigint | undefined {
        if (type.kind !== 'float' || !isExpr(node)) return undefined;
        const value = this.types.constants.evaluateFloat(node, type.bits);
        return value.ok ? floatToBits(value.value, type.bits) : undefined;
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
