/**
 * Type inference for uk: the type of every expression, type reference and named element. Results are cached
 * until the workspace changes. The type system never reports anything itself; the validator asks it
 * questions and turns the answers into diagnostics.
 */
import { AstUtils, WorkspaceCache, type AstNode } from 'langium';
import type { LangiumSharedCoreServices } from 'langium';
import {
    isBitfieldDecl,
    isBitfieldField,
    isCallExpr,
    isCatchExpr,
    isDeviceRegister,
    isEnumDecl,
    isEnumMember,
    isForStmt,
    isIfStmt,
    isMatchArm,
    isUnionDecl,
    isUnionVariant,
    isHandler,
    isLetStmt,
    isMemberExpr,
    isMethod,
    isStructDecl,
    isStructField,
    isTryExpr,
    type ArrayLiteral,
    type Binding,
    type Expr,
    type MemberExpr,
    type HandlerParam,
    type MatchArm,
    type Method,
    type Referable,
    type TypeRef
} from '../generated/ast.js';
import { ConstantEvaluator, parseIntLiteral, type ConstantResult } from './constant-evaluator.js';
import { floatToBits } from '../../../runtime/contract/index.js';
import {
    BOOL, ERROR, F64, INTERRUPT, NONE, NOTIFICATION, SERVER_FAILED, U32, U8, UNTYPED_FLOAT, UNTYPED_INT, VOID, enumBase, isFlags, isFloating, isIntegral, primitiveType, unsignedForWidth, utf8Bytes,
    type IntRepresentation, type UkType
} from './types.js';

/** Array lengths and buffer capacities beyond this are reported instead of being used. */
export const MAX_AGGREGATE_LENGTH = 1 << 24;

export class UkTypeSystem {
    private readonly exprTypes: WorkspaceCache<AstNode, UkType>;
    readonly constants = new ConstantEvaluator(expr => this.representationOf(this.typeOf(expr)), expr => floatKind(this.typeOf(expr)));
    /** Constants whose type is being inferred, so that `const A = B; const B = A` ends (it is reported as a cycle). */
    private readonly constantsTyping = new Set<AstNode>();

    constructor(shared: LangiumSharedCoreServices) {
        this.exprTypes = new WorkspaceCache<AstNode, UkType>(shared);
    }

    // ------------------------------------------------------------ type references

    typeOfTypeRef(ref: TypeRef | undefined): UkType {
        if (!ref) return ERROR;
        switch (ref.$type) {
            case 'PrimitiveTypeRef':
                return ref.name ? primitiveType(ref.name) : ERROR;
            case 'ArrayTypeRef': {
                const length = this.lengthOf(ref.length);
                return length === undefined ? ERROR : { kind: 'array', element: this.typeOfTypeRef(ref.element), length };
            }
            case 'BytesTypeRef': {
                const capacity = this.lengthOf(ref.capacity);
                return capacity === undefined ? ERROR : { kind: 'bytes', capacity };
            }
            case 'StringTypeRef': {
                const capacity = this.lengthOf(ref.capacity);
                return capacity === undefined ? ERROR : { kind: 'string', capacity };
            }
            case 'VecTypeRef': {
                const capacity = this.lengthOf(ref.capacity);
                return capacity === undefined ? ERROR : { kind: 'vec', element: this.typeOfTypeRef(ref.element), capacity };
            }
            case 'EndpointTypeRef': {
                const iface = ref.interface?.ref;
                return iface ? { kind: 'endpoint', iface } : ERROR;
            }
            case 'NotificationTypeRef':
                return NOTIFICATION;
            case 'ReplyTypeRef': {
                const method = ref.method?.ref;
                return method ? { kind: 'reply', method } : ERROR;
            }
            case 'NamedTypeRef': {
                const decl = ref.type?.ref;
                if (isEnumDecl(decl)) return { kind: 'enum', decl };
                if (isBitfieldDecl(decl)) return { kind: 'bitfield', decl };
                if (isStructDecl(decl)) return { kind: 'struct', decl };
                if (isUnionDecl(decl)) return { kind: 'union', decl };
                return ERROR;
            }
            case 'OptionalTypeRef': {
                const inner = this.typeOfTypeRef(ref.inner);
                return inner.kind === 'error' ? ERROR : { kind: 'optional', inner };
            }
            default:
                return ERROR;
        }
    }

    /** A valid array length or buffer capacity, or undefined (the validator says why). */
    lengthOf(expr: Expr | undefined): number | undefined {
        const result = this.constants.evaluate(expr);
        if (!result.ok || result.value < 1n || result.value > BigInt(MAX_AGGREGATE_LENGTH)) {
            return undefined;
        }
        return Number(result.value);
    }

    evaluate(expr: Expr | undefined): ConstantResult {
        return this.constants.evaluate(expr);
    }

    /**
     * The value of a constant stored as `type`: for a float type its bit pattern, with a float or integer
     * constant rounded to that type (`var t: f32 = 21.5`); otherwise as `evaluate`.
     */
    constantAs(expr: Expr | undefined, type: UkType): ConstantResult {
        if (type.kind !== 'float') return this.evaluate(expr);
        const value = this.constants.evaluateFloat(expr, type.bits);
        return value.ok ? { ok: true, value: floatToBits(value.value, type.bits) } : value;
    }

    /**
     * The integer a value of `type` is held as: itself, or an enum's or bitfield's base, an enum's at its exact
     * width (`u3`, `i40`: compiled code truncates and extends to it); undefined otherwise.
     */
    representationOf(type: UkType): IntRepresentation | undefined {
        if (type.kind === 'int') return type;
        if (type.kind === 'enum') {
            const base = enumBase(type.decl.base);
            return base?.kind === 'int' ? { signed: base.signed, bits: base.bits } : undefined;
        }
        if (type.kind === 'bitfield') {
            const base = type.decl.base ? primitiveType(type.decl.base) : undefined;
            return base?.kind === 'int' ? base : undefined;
        }
        return undefined;
    }

    // ------------------------------------------------------------ named elements

    typeOfReferable(node: Referable | undefined): UkType {
        if (!node) return ERROR;
        switch (node.$type) {
            case 'Binding': return this.typeOfBinding(node);
            case 'FunctionParam': return this.typeOfTypeRef(node.type);
            case 'HandlerParam': return this.typeOfHandlerParam(node);
            case 'StateVar': return this.typeOfTypeRef(node.type);
            case 'UsesPort': {
                const iface = node.interface?.ref;
                return iface ? { kind: 'endpoint', iface } : ERROR;
            }
            case 'DevicePort': {
                const decl = node.device?.ref;
                return decl ? { kind: 'device', decl } : ERROR;
            }
            case 'InterruptPort': return INTERRUPT;
            case 'NotificationPort': return NOTIFICATION;
            case 'ConstDecl': {
                if (node.type) return this.typeOfTypeRef(node.type);
                // Untyped: a float constant if its value is one (`const PI = 3.14159`), else an integer constant.
                if (this.constantsTyping.has(node)) return UNTYPED_INT;
                this.constantsTyping.add(node);
                try {
                    return isFloating(this.typeOf(node.value)) ? UNTYPED_FLOAT : UNTYPED_INT;
                } finally {
                    this.constantsTyping.delete(node);
                }
            }
            case 'FunctionDecl': return { kind: 'function', decl: node };
            case 'EnumDecl': return { kind: 'enum-name', decl: node };
            case 'UnionDecl': return { kind: 'union-name', decl: node };
            default: return ERROR;
        }
    }

    private typeOfBinding(binding: Binding): UkType {
        const owner = binding.$container;
        if (isLetStmt(owner)) {
            const declared = owner.type ? this.typeOfTypeRef(owner.type) : undefined;
            if (owner.bindings.length === 1) {
                return declared ?? defaultType(this.typeOf(owner.value));
            }
            const value = this.typeOf(owner.value);
            if (value.kind !== 'tuple') return ERROR;
            const element = value.elements[owner.bindings.indexOf(binding)];
            return element ? defaultType(element) : ERROR;
        }
        if (isForStmt(owner)) {
            const from = this.typeOf(owner.from);
            const to = this.typeOf(owner.to);
            return defaultType(from.kind === 'untyped-int' ? to : from);
        }
        if (isIfStmt(owner)) {
            // `if let v = opt`: the optional's value.
            const value = this.typeOf(owner.condition);
            return value.kind === 'optional' ? value.inner : ERROR;
        }
        if (isMatchArm(owner)) return this.payloadOfArm(owner);
        if (isCatchExpr(owner)) {
            const method = this.calledMethod(owner.call);
            if (!method) return ERROR;
            const errors = method.raises?.ref;
            if (!errors) return SERVER_FAILED;
            return method.payload ? { kind: 'enum', decl: errors, payload: method.payload } : { kind: 'enum', decl: errors };
        }
        return ERROR;
    }

    /** The payload a `match` arm binds: its variant's type, or an optional's value for `some(v)`. */
    payloadOfArm(arm: MatchArm): UkType {
        const matched = this.typeOf(arm.$container.value);
        if (matched.kind === 'optional') return arm.variant?.$refText === 'some' ? matched.inner : ERROR;
        if (matched.kind !== 'union') return ERROR;
        const variant = arm.variant?.ref;
        return variant?.type ? this.typeOfTypeRef(variant.type) : ERROR;
    }

    private typeOfHandlerParam(param: HandlerParam): UkType {
        const handler = param.$container;
        if (handler.event === 'notification') {
            return U32; // the notification word: the OR of the signalled bits
        }
        if (handler.event === 'event') {
            const declared = handler.eventDecl?.ref?.params[handler.params.indexOf(param)];
            return declared ? this.typeOfTypeRef(declared.type) : ERROR;
        }
        const method = handler.method?.ref;
        const declared = method?.params[handler.params.indexOf(param)];
        return declared ? this.typeOfTypeRef(declared.type) : ERROR;
    }

    /** The result a call of `method` produces: nothing, one value, or a tuple of the named results. */
    resultOf(method: Method): UkType {
        if (method.resultType) return this.typeOfTypeRef(method.resultType);
        if (method.results.length === 0) return VOID;
        if (method.results.length === 1) return this.typeOfTypeRef(method.results[0].type);
        return {
            kind: 'tuple',
            elements: method.results.map(result => this.typeOfTypeRef(result.type)),
            names: method.results.map(result => result.name)
        };
    }

    /** The interface method an expression calls (`store.put(...)`, possibly under `try` or `catch`). */
    calledMethod(expr: Expr | undefined): Method | undefined {
        if (isTryExpr(expr)) return this.calledMethod(expr.call);
        if (isCatchExpr(expr)) return this.calledMethod(expr.call);
        if (isCallExpr(expr) && isMemberExpr(expr.callee)) {
            const member = expr.callee.member?.ref;
            return isMethod(member) ? member : undefined;
        }
        return undefined;
    }

    // ------------------------------------------------------------ expressions

    typeOf(expr: Expr | undefined): UkType {
        if (!expr) return ERROR;
        return this.exprTypes.get(expr, () => this.inferType(expr));
    }

    private inferType(expr: Expr): UkType {
        switch (expr.$type) {
            case 'IntLiteral': return UNTYPED_INT;
            case 'FloatLiteral': return UNTYPED_FLOAT;
            case 'CharLiteral': return U8;
            case 'StringLiteral': return { kind: 'string', capacity: utf8Bytes(expr.value ?? '').length };
            case 'BoolLiteral': return BOOL;
            case 'NoneLiteral': return NONE;
            case 'NameRef': return this.typeOfReferable(expr.target?.ref);
            case 'MemberExpr': return this.typeOfMember(expr);
            case 'IndexExpr': {
                const receiver = this.typeOf(expr.receiver);
                if (receiver.kind === 'array') return receiver.element;
                if (receiver.kind === 'bytes' || receiver.kind === 'string') return U8;
                if (receiver.kind === 'vec') return receiver.element;
                return ERROR;
            }
            case 'CallExpr': {
                const callee = this.typeOf(expr.callee);
                if (callee.kind === 'method') return this.resultOf(callee.method);
                // `Shape.circle(5)`: a union value of that variant.
                if (callee.kind === 'variant') return { kind: 'union', decl: callee.variant.$container };
                if (callee.kind === 'function') {
                    return callee.decl.returnType ? this.typeOfTypeRef(callee.decl.returnType) : VOID;
                }
                return ERROR;
            }
            case 'StructLiteral': {
                const decl = expr.type?.ref;
                if (isStructDecl(decl)) return { kind: 'struct', decl };
                if (isBitfieldDecl(decl)) return { kind: 'bitfield', decl };
                return ERROR;
            }
            case 'ArrayLiteral': return this.typeOfArrayLiteral(expr);
            case 'TupleExpr':
                return { kind: 'tuple', elements: expr.elements.map(element => this.typeOf(element)), names: [] };
            case 'BuiltinCall': return expr.name === 'signal' || expr.name === 'push' ? VOID : expr.name === 'pending' ? BOOL : U32;
            case 'DeferExpr': {
                // The caller of the handler `defer` is in; outside a request handler it has no type (reported).
                const handler = AstUtils.getContainerOfType(expr, isHandler);
                const method = handler?.method?.ref;
                return method && !handler.event && !method.oneway ? { kind: 'reply', method } : ERROR;
            }
            case 'AnswerExpr': return VOID;
            case 'CastExpr': return this.typeOfTypeRef(expr.type);
            case 'CatchExpr': return this.typeOf(expr.call);
            case 'TryExpr': return this.typeOf(expr.call);
            case 'UnaryExpr': {
                if (expr.op === '!') return BOOL;
                const operand = this.typeOf(expr.operand);
                if (expr.op === '-' && isFloating(operand)) return operand;
                return isIntegral(operand) || (expr.op === '~' && isFlags(operand)) ? operand : ERROR;
            }
            case 'BinaryExpr':
                return this.typeOfBinary(expr.operator, this.typeOf(expr.left), this.typeOf(expr.right));
            default:
                // Error recovery can leave a node of an unexpected type where an expression belongs.
                return ERROR;
        }
    }

    private typeOfMember(expr: MemberExpr): UkType {
        const member = expr.member?.ref;
        if (isStructField(member)) return this.typeOfTypeRef(member.type);
        if (isBitfieldField(member)) {
            const width = bitfieldWidth(member.width);
            return width === undefined ? ERROR : unsignedForWidth(width);
        }
        if (isEnumMember(member)) return { kind: 'enum', decl: member.$container };
        // A variant with a payload is given it in a call (`Shape.circle(5)`); one without is a value.
        if (isUnionVariant(member)) return member.type ? { kind: 'variant', variant: member } : { kind: 'union', decl: member.$container };
        if (isMethod(member)) return { kind: 'method', method: member };
        if (isDeviceRegister(member)) return this.typeOfTypeRef(member.type);
        return ERROR;
    }

    private typeOfArrayLiteral(expr: ArrayLiteral): UkType {
        const first = expr.elements[0];
        let element = this.typeOf(first);
        for (const other of expr.elements.slice(1)) {
            const type = this.typeOf(other);
            if ((element.kind === 'untyped-int' && (type.kind === 'int' || isFloating(type))) || (element.kind === 'untyped-float' && type.kind === 'float')) {
                element = type;
            }
            element = longerStrings(element, type);
            // `[p, none]` and `[none, p]` are lists of optionals.
            if (element.kind === 'none' && type.kind !== 'none') element = type.kind === 'optional' ? type : { kind: 'optional', inner: defaultType(type) };
            else if (type.kind === 'none' && element.kind !== 'optional' && element.kind !== 'error') element = { kind: 'optional', inner: defaultType(element) };
        }
        if (expr.count) {
            const length = this.lengthOf(expr.count);
            return length === undefined ? ERROR : { kind: 'array', element, length };
        }
        return { kind: 'array', element, length: expr.elements.length };
    }

    /** The result type of a binary operator, or ERROR when the operands do not fit it. */
    typeOfBinary(operator: string, left: UkType, right: UkType): UkType {
        switch (operator) {
            case '&&': case '||': case '==': case '!=': case '<': case '<=': case '>': case '>=':
                return BOOL;
            case '<<': case '>>':
                return isIntegral(left) ? left : ERROR;
            case '&': case '|': case '^':
                // A set of flags combines with a set of the same flags (`Perm.Read | Perm.Write`).
                if (isFlags(left) || isFlags(right)) return isFlags(left) && isFlags(right) && left.decl === right.decl ? left : ERROR;
                return this.typeOfBinary('%', left, right);
            case '%':
                // Remainder and the bitwise operators take integers only.
                return isFloating(left) || isFloating(right) ? ERROR : this.typeOfBinary('+', left, right);
            default:
                if (left.kind === 'error' || right.kind === 'error') return ERROR;
                if (isFloating(left) || isFloating(right)) return floatingResult(left, right);
                if (left.kind === 'untyped-int') return isIntegral(right) ? right : ERROR;
                if (right.kind === 'untyped-int') return isIntegral(left) ? left : ERROR;
                return left.kind === 'int' ? left : ERROR;
        }
    }

    /** Whether `handler` serves a method that expects a reply. */
    isTwoWay(handler: AstNode): boolean {
        return isHandler(handler) && !handler.event && handler.method?.ref !== undefined && !handler.method?.ref.oneway;
    }
}

/** For the constant evaluator: 32 or 64 for f32 and f64, 'constant' for a float constant, undefined otherwise. */
function floatKind(type: UkType): 32 | 64 | 'constant' | undefined {
    return type.kind === 'float' ? type.bits : type.kind === 'untyped-float' ? 'constant' : undefined;
}

/**
 * The type of `+ - * /` with a float operand: two of one float type, or one and a constant (an integer
 * constant converts, `t * 2`); two constants stay a float constant. Anything else is ERROR.
 */
function floatingResult(left: UkType, right: UkType): UkType {
    const constant = (type: UkType) => type.kind === 'untyped-int' || type.kind === 'untyped-float';
    if (constant(left) && constant(right)) return UNTYPED_FLOAT;
    if (left.kind === 'float' && (constant(right) || (right.kind === 'float' && right.bits === left.bits))) return left;
    if (right.kind === 'float' && constant(left)) return right;
    return ERROR;
}

/** What a constant becomes when nothing says otherwise: `u32` for integers, `f64` for floats (`let x = 5`). */
export function defaultType(type: UkType): UkType {
    if (type.kind === 'untyped-int') return U32;
    if (type.kind === 'untyped-float') return F64;
    if (type.kind === 'array' && (type.element.kind === 'untyped-int' || type.element.kind === 'untyped-float')) {
        return { ...type, element: defaultType(type.element) };
    }
    return type;
}

/** The width of a bitfield field (an INT token), or undefined when it is not between 1 and 64 bits. */
export function bitfieldWidth(text: string | undefined): number | undefined {
    const value = parseIntLiteral(text);
    return value !== undefined && value >= 1n && value <= 64n ? Number(value) : undefined;
}

/**
 * Strings of different lengths in one list make a list of the longest (inside nested lists too): each
 * fits there, as into any string[N] that holds it. Where no type is expected, the checker still wants one
 * length (expression-checks.ts).
 */
function longerStrings(element: UkType, other: UkType): UkType {
    if (element.kind === 'string' && other.kind === 'string') return other.capacity > element.capacity ? other : element;
    if (element.kind === 'array' && other.kind === 'array' && element.length === other.length) {
        const inner = longerStrings(element.element, other.element);
        return inner === element.element ? element : { kind: 'array', element: inner, length: element.length };
    }
    return element;
}
