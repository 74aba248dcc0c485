/**
 * Lowering of expressions from the checked syntax tree to IR. Every value is a 32-bit register holding its
 * uk type normalised (narrow integers zero- or sign-extended), so that comparisons and stores need no
 * extra work and arithmetic wraps by one `extend` after the operation — the integer rules of
 * docs/LANGUAGE.md. Forms the back end cannot compile yet are reported through the context (with their
 * node) instead of producing wrong code.
 */
import type { AstNode } from 'langium';
import { isBinding, isBitfieldField, isConstDecl, isEnumMember, isFunctionParam, isHandlerParam, isNameRef, isNotificationPort, isStateVar, isStructField, isStructLiteral, isUsesPort, type CallExpr, type CatchExpr, type Expr, type IndexExpr, type MemberExpr, type UkType, type FloatType, F64 } from '../../language/index.js';
import type { BinaryOp, VReg } from '../ir.js';
import { PanicCode } from '../../../runtime/contract/index.js';
import { bitfieldFieldOf, isAggregate, isUnion, isWide, livesInMemory, scalarShape, wideShape } from './aggregates.js';
import { readField, readField64, writeField, writeField64 } from './bitfields.js';
import { arithmetic64, compare64 } from './wide-integers.js';
import { floatArithmetic, floatCompare, floatFromInteger, floatNegate, floatResize, floatToInteger } from './float-lowering.js';
import type { Value } from './lowering-context.js';
import { CallLowering } from './call-lowering.js';

/**
 * Expressions, operators and conditions: the top of the half of body lowering that produces values, over
 * calls (call-lowering.ts), byte buffers (buffer-lowering.ts) and values in memory (memory-lowering.ts).
 * BodyLowering (lower-body.ts) adds statements on top (and `block`, which `catch` handlers need).
 */
export abstract class ExpressionLowering extends CallLowering {
    /** A new union or optional value (`Shape.circle(5)`, `Shape.empty`), or undefined for storage and calls (union-lowering.ts). */
    protected abstract unionExpression(expr: Expr, type: UkType): Value | undefined;
    /** Whether an optional-valued expression holds nothing (its tag is none's): 1 or 0 (union-lowering.ts). */
    protected abstract holdsNothing(expr: Expr, type: UkType): VReg;

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
        if (type.kind === 'untyped-float') {
            // A float constant where nothing gives it a type (`print("{}", 1.5)`): an f64, as `let` would make it.
            const bits = this.floatConstant(expr, F64) ?? 0n;
            return { regs: [this.builder.constant(Number(BigInt.asIntN(32, bits))), this.builder.constant(Number(BigInt.asIntN(32, bits >> 32n)))], type: F64 };
        }
        const constant = this.types.evaluate(expr);
        if (constant.ok && scalarShape(type)) {
            return { regs: [this.builder.constant(Number(BigInt.asIntN(32, constant.value)))], type };
        }
        if (constant.ok && isWide(type)) {
            return { regs: [this.builder.constant(Number(BigInt.asIntN(32, constant.value))), this.builder.constant(Number(BigInt.asIntN(32, constant.value >> 32n)))], type };
        }
        if (isUnion(type)) {
            const built = this.unionExpression(expr, type);
            if (built) return built;
        }
        switch (expr.$type) {
            case 'BoolLiteral': return { regs: [this.builder.constant((expr as { value: boolean }).value ? 1 : 0)], type };
            case 'NameRef': return this.name(expr as Expr & { target: { ref?: AstNode } }, type);
            case 'MemberExpr': return this.member(expr as MemberExpr, type);
            case 'IndexExpr': {
                const byte = this.bufferByte(expr as IndexExpr) ?? this.stringByte(expr as IndexExpr);
                if (byte !== undefined) {
                    const dst = this.builder.register();
                    this.builder.emit({ op: 'loadIndirect', dst, base: byte, offset: 0, size: 1, signed: false });
                    return { regs: [dst], type };
                }
                return this.stored(expr, type);
            }
            case 'StructLiteral': return type.kind === 'bitfield' ? this.bitfieldLiteral(expr, type) : this.literal(expr, type);
            case 'ArrayLiteral': return this.literal(expr, type);
            case 'StringLiteral': return type.kind === 'string' ? this.stringLiteral(expr, type) : { regs: [], type };
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
                const floatCast = this.floatCast(source, type);
                if (floatCast) return { regs: floatCast, type };
                if (isWide(type)) return { regs: this.normaliseWide(this.wideOf(source, type), type), type };
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
            const bits = value.ok ? value.value : 0n;
            const low = this.builder.constant(Number(BigInt.asIntN(32, bits)));
            return { regs: isWide(type) ? [low, this.builder.constant(Number(BigInt.asIntN(32, bits >> 32n)))] : [low], type };
        }
        if (isStructField(member)) return this.caughtField(expr, type) ?? this.stored(expr, type);
        if (isBitfieldField(member)) {
            const holderType = this.types.typeOf(expr.receiver);
            const field = bitfieldFieldOf(holderType, member.name);
            if (field && isWide(holderType)) {
                const pair = readField64(this.builder, this.wideOf(expr.receiver, holderType), field);
                return { regs: isWide(type) ? pair : [pair[0]], type };
            }
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

    /** An operand of a float operation, as a value of its float type (a constant rounded to it). */
    protected floatOperand(expr: Expr, type: FloatType): VReg[] {
        return type.bits === 64 ? this.wideOf(expr, type) : [this.convert(this.expression(expr), type, expr)];
    }

    /** `x as T` where x or T is a float (float-lowering.ts); undefined for other casts. */
    protected floatCast(source: Expr, target: UkType): VReg[] | undefined {
        const from = this.types.typeOf(source);
        if (target.kind === 'float') {
            if (from.kind === 'float') return floatResize(this.builder, this.floatOperand(source, from), from.bits, target.bits);
            if (from.kind !== 'int') return this.floatOperand(source, target); // a constant: rounded to the type once
            const words = isWide(from) ? this.wideOf(source, from) : [this.expression(source).regs[0]];
            return floatFromInteger(this.builder, words, from, target.bits);
        }
        if (from.kind === 'float' && target.kind === 'int') return floatToInteger(this.builder, this.floatOperand(source, from), from.bits, target);
        return undefined;
    }

    protected unary(expr: Expr & { op: string; operand: Expr }, type: UkType): Value {
        if (type.kind === 'float') return { regs: floatNegate(this.builder, this.floatOperand(expr.operand, type), type.bits), type };
        const operand = this.expression(expr.operand);
        if (isWide(type)) {
            const words = this.wide(operand, type);
            if (expr.op === '-') return { regs: this.arithmetic64('-', [this.builder.constant(0), this.builder.constant(0)], words, type, expr), type };
            // `~` on flags narrower than 64 bits keeps to the base's bits.
            return { regs: this.normaliseWide(words.map(word => this.builder.binary('xor', word, this.builder.constant(-1))), type), type };
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
        const operandType = leftType.kind === 'untyped-int' || leftType.kind === 'untyped-float' ? rightType : leftType;
        if ((operator === '==' || operator === '!=') && (leftType.kind === 'none' || rightType.kind === 'none')) {
            // `x == none`: only the tag is read, whatever the optional holds (floats, unions, structs).
            const [optional, optionalType] = leftType.kind === 'none' ? [expr.right, rightType] : [expr.left, leftType];
            const empty = this.holdsNothing(optional, optionalType);
            return { regs: [operator === '==' ? empty : this.builder.binary('xor', empty, this.builder.constant(1))], type };
        }
        if (operandType.kind === 'float') {
            const left = this.floatOperand(expr.left, operandType);
            const right = this.floatOperand(expr.right, operandType);
            if (['==', '!=', '<', '<=', '>', '>='].includes(operator)) return { regs: [floatCompare(this.builder, operator, left, right, operandType.bits)], type };
            return { regs: floatArithmetic(this.builder, operator, left, right, operandType.bits), type };
        }
        if (operandType.kind === 'string' && (operator === '==' || operator === '!=')) {
            return { regs: [this.stringEquality(expr.left, expr.right, operator === '!=')], type };
        }
        if (isAggregate(operandType) && (operator === '==' || operator === '!=')) {
            return { regs: [this.aggregateEquality(expr.left, expr.right, operandType, operator === '!=')], type };
        }
        if (isWide(operandType)) {
            const left = this.wideOf(expr.left, operandType);
            const shift = operator === '<<' || operator === '>>';
            const right = shift ? [this.shiftCount(expr.right, rightType)] : this.wideOf(expr.right, operandType);
            if (['==', '!=', '<', '<=', '>', '>='].includes(operator)) return { regs: [compare64(this.builder, operator, left, right, wideShape(operandType)?.signed ?? false)], type };
            return { regs: this.arithmetic64(operator, left, right, operandType, expr), type };
        }
        const left = this.convert(this.expression(expr.left), operandType, expr.left);
        const right = operator === '<<' || operator === '>>' ? this.shiftCount(expr.right, rightType) : this.convert(this.expression(expr.right), operandType, expr.right);
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

    /** A shift count as one register: its low word is enough, as the count is taken modulo the width (at most 64). */
    protected shiftCount(expr: Expr, type: UkType): VReg {
        return isWide(type) ? this.wideOf(expr, type)[0] : this.convert(this.expression(expr), type, expr);
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
            if (argument.kind === 'string' || argument.kind === 'vec') return { regs: [this.countedLength(expr.args[0])], type };
            const buffer = isNameRef(expr.args[0]) && expr.args[0].target?.ref ? this.buffers.get(expr.args[0].target.ref) : undefined;
            if (buffer && (buffer.kind === 'shared' || buffer.kind === 'lease')) return { regs: [buffer.length], type };
            if (argument.kind === 'bytes') return { regs: [this.builder.constant(argument.capacity)], type };
        }
        if (expr.name === 'push') {
            this.push(expr.args[0], expr.args[1]);
            return { regs: [], type };
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
        if (expr.name === 'pending') {
            // A reply state variable's word: 1 while it keeps a caller.
            const variable = isNameRef(expr.args[0]) ? expr.args[0].target?.ref : undefined;
            if (isStateVar(variable)) {
                const dst = this.builder.register();
                this.builder.emit({ op: 'load', dst, symbol: this.context.stateSymbol(variable), offset: 0, size: 4, signed: false });
                return { regs: [dst], type };
            }
        }
        if (expr.name === 'badge') {
            const dst = this.builder.register();
            this.builder.emit({ op: 'load', dst, symbol: this.context.badgeSymbol, offset: 0, size: 4, signed: false });
            return { regs: [dst], type };
        }
        this.context.unsupported(expr, `the builtin '${expr.name}'`);
        return { regs: [this.builder.constant(0)], type };
    }

    protected arithmetic64(operator: string, a: readonly VReg[], b: readonly VReg[], type: UkType, node: AstNode): VReg[] {
        return arithmetic64(this.builder, operator, a, b, wideShape(type)?.signed ?? false, {
            checkDivisor: divisor => this.checkDivisor(divisor, node),
            unsupported: what => this.context.unsupported(node, what)
        });
    }

    /** A bitfield literal: the fields ORed into place. */
    protected bitfieldLiteral(expr: Expr, type: UkType): Value {
        if (isWide(type)) return { regs: this.bitfieldLiteral64(expr, type), type };
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

    /** A bitfield literal with a 64-bit base: the fields ORed into place in a pair. */
    private bitfieldLiteral64(expr: Expr, type: UkType): VReg[] {
        let value = [this.builder.constant(0), this.builder.constant(0)];
        if (!isStructLiteral(expr)) return value;
        for (const init of expr.fields) {
            const field = bitfieldFieldOf(type, init.field?.ref?.name ?? '');
            if (field) value = writeField64(this.builder, value, field, this.wideOf(init.value, this.types.typeOf(init.value)));
        }
        return value;
    }
}

function describe(type: string): string {
    return type.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/ Expr$| Literal$/, match => match === ' Literal' ? ' literal' : '').toLowerCase();
}
