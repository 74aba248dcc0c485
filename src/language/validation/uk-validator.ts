/**
 * The table of checks, one entry per AST type. The checks themselves live in one file per concern
 * (declarations, interfaces, components, statements, expressions, systems); UkDocumentValidator runs them.
 * They are synchronous and are not registered with Langium's ValidationRegistry, whose per-check promises
 * cost more than most checks do.
 */
import type { AstNode, AstReflection, ValidationAcceptor } from 'langium';
import type { Expr, UkAstType } from '../generated/ast.js';
import { isBlock, isMemberExpr, isUnionDecl, isUnionVariant } from '../generated/ast.js';
import type { UkServices } from '../uk-module.js';
import { AnswerFlows } from './answer-flow.js';
import { CheckSupport } from './check-support.js';
import { CompileLimitChecks } from './compile-limit-checks.js';
import { ComponentChecks } from './component-checks.js';
import { DeclarationChecks } from './declaration-checks.js';
import { DeferredReplyChecks } from './deferred-reply-checks.js';
import { ErrorPayloadChecks } from './error-payload-checks.js';
import { EventChecks } from './event-checks.js';
import { ExpressionChecks } from './expression-checks.js';
import { InterfaceChecks } from './interface-checks.js';
import { PackageChecks } from './package-checks.js';
import { StatementChecks } from './statement-checks.js';
import { SystemChecks } from './system-checks.js';
import { UnionChecks } from './union-checks.js';

export type Check<N extends AstNode = AstNode> = (node: N, accept: ValidationAcceptor) => void;

type ChecksByType = { [K in keyof UkAstType]?: Check<UkAstType[K]> | Check<UkAstType[K]>[] };

/** The checks for each node type, including those declared for its supertypes. */
export class UkChecks {
    private readonly declared = new Map<string, Check[]>();
    private readonly resolved = new Map<string, readonly Check[]>();

    constructor(checks: ChecksByType, private readonly reflection: AstReflection) {
        for (const [type, entry] of Object.entries(checks)) {
            this.declared.set(type, (Array.isArray(entry) ? entry : [entry]) as Check[]);
        }
    }

    for(type: string): readonly Check[] {
        let checks = this.resolved.get(type);
        if (!checks) {
            checks = [...this.declared.entries()]
                .filter(([declaredType]) => this.reflection.isSubtype(type, declaredType))
                .flatMap(([, list]) => list);
            this.resolved.set(type, checks);
        }
        return checks;
    }
}

export function createUkChecks(services: UkServices): UkChecks {
    const support = new CheckSupport(services.types.TypeSystem);
    const declarations = new DeclarationChecks(support, services.references.ModuleImports);
    const interfaces = new InterfaceChecks(support, services.layout.InterfaceLayouts);
    const flows = new AnswerFlows(services.shared);
    const components = new ComponentChecks(support, flows);
    const limits = new CompileLimitChecks(services.types.TypeSystem, services.layout.InterfaceLayouts, services.shared);
    const statements = new StatementChecks(support);
    const expressions = new ExpressionChecks(support);
    const systems = new SystemChecks(support);
    const deferred = new DeferredReplyChecks(support, flows);
    const packages = new PackageChecks(services.shared);
    const payloads = new ErrorPayloadChecks(support);
    const unions = new UnionChecks(support);
    const events = new EventChecks(support, services.layout.InterfaceLayouts);

    /** An expression directly in a block is an expression statement. */
    const expressionStatement = (expr: Expr, accept: ValidationAcceptor) => {
        if (isBlock(expr.$container)) statements.checkExpressionStatement(expr, accept);
    };

    const checks: ChecksByType = {
        Module: [(node, accept) => declarations.checkModule(node, accept), (node, accept) => packages.checkPackageNames(node, accept)],
        ConstDecl: (node, accept) => declarations.checkConst(node, accept),
        EnumDecl: (node, accept) => declarations.checkEnum(node, accept),
        BitfieldDecl: (node, accept) => declarations.checkBitfield(node, accept),
        StructDecl: (node, accept) => declarations.checkStruct(node, accept),
        UnionDecl: (node, accept) => unions.checkUnion(node, accept),
        OptionalTypeRef: (node, accept) => unions.checkOptionalTypeRef(node, accept),
        MatchStmt: (node, accept) => unions.checkMatch(node, accept),
        NoneLiteral: expressionStatement,
        ArrayTypeRef: (node, accept) => declarations.checkArrayTypeRef(node, accept),
        BytesTypeRef: (node, accept) => declarations.checkBytesTypeRef(node, accept),
        StringTypeRef: (node, accept) => declarations.checkStringTypeRef(node, accept),
        VecTypeRef: (node, accept) => declarations.checkVecTypeRef(node, accept),
        DeviceDecl: (node, accept) => declarations.checkDevice(node, accept),
        InterfaceDecl: (node, accept) => interfaces.checkInterface(node, accept),
        Method: (node, accept) => interfaces.checkMethod(node, accept),
        EventDecl: (node, accept) => events.checkEvent(node, accept),
        EmitStmt: (node, accept) => events.checkEmit(node, accept),
        ServerDecl: [(node, accept) => events.checkEventHandlers(node, accept), (node, accept) => components.checkServer(node, accept), (node, accept) => limits.checkComponent(node, accept), (node, accept) => limits.checkPorts(node, accept)],
        ProgramDecl: [(node, accept) => events.checkEventHandlers(node, accept), (node, accept) => components.checkProgram(node, accept), (node, accept) => limits.checkComponent(node, accept), (node, accept) => limits.checkPorts(node, accept)],
        StateVar: (node, accept) => components.checkStateVar(node, accept),
        Handler: [(node, accept) => components.checkHandler(node, accept), (node, accept) => events.checkEventHandler(node, accept), (node, accept) => deferred.checkBody(node.body, accept)],
        FunctionDecl: [(node, accept) => components.checkFunction(node, accept), (node, accept) => deferred.checkBody(node.body, accept)],
        InitBlock: (node, accept) => deferred.checkBody(node.body, accept),
        ReplyTypeRef: (node, accept) => deferred.checkReplyType(node, accept),
        DeferExpr: [(node, accept) => deferred.checkDefer(node, accept), expressionStatement],
        AnswerExpr: [(node, accept) => deferred.checkAnswer(node, accept), (node, accept) => {
            const receiver = services.types.TypeSystem.typeOf(node.receiver);
            if (node.answer === 'raise' && receiver.kind === 'reply') payloads.checkDeferredRaise(node, receiver.method, accept);
        }],
        Block: (node, accept) => statements.checkBlock(node, accept),
        LetStmt: (node, accept) => statements.checkLet(node, accept),
        AssignStmt: (node, accept) => statements.checkAssign(node, accept),
        IfStmt: (node, accept) => (node.binding ? unions.checkIfLet(node, accept) : statements.checkIf(node, accept)),
        WhileStmt: (node, accept) => statements.checkWhile(node, accept),
        ForStmt: (node, accept) => statements.checkFor(node, accept),
        BreakStmt: (node, accept) => statements.checkBreak(node, accept),
        ContinueStmt: (node, accept) => statements.checkBreak(node, accept),
        ReturnStmt: (node, accept) => statements.checkReturn(node, accept),
        ReplyStmt: (node, accept) => statements.checkReply(node, accept),
        RaiseStmt: [(node, accept) => statements.checkRaise(node, accept), (node, accept) => payloads.checkRaisePayload(node, accept)],
        ErrorPayload: (node, accept) => payloads.checkPayload(node, accept),
        PrintStmt: (node, accept) => statements.checkPrint(node, accept),
        AssertStmt: (node, accept) => statements.checkAssert(node, accept),
        BinaryExpr: [(node, accept) => expressions.checkBinary(node, accept), expressionStatement],
        UnaryExpr: [(node, accept) => expressions.checkUnary(node, accept), expressionStatement],
        CastExpr: [(node, accept) => expressions.checkCast(node, accept), expressionStatement],
        CallExpr: [(node, accept) => {
            const callee = services.types.TypeSystem.typeOf(node.callee);
            const member = isMemberExpr(node.callee) ? node.callee.member?.ref : undefined;
            if (callee.kind === 'variant') unions.checkVariantCall(node, callee.variant, accept);
            // `Shape.empty(1)`: reported at the variant (checkVariantMember).
            else if (!isUnionVariant(member)) expressions.checkCall(node, accept);
        }, (node, accept) => limits.checkCall(node, accept)],
        TryExpr: [(node, accept) => expressions.checkTry(node, accept), (node, accept) => payloads.checkTryPayload(node, accept)],
        CatchExpr: (node, accept) => expressions.checkCatch(node, accept),
        MemberExpr: [(node, accept) => expressions.checkMember(node, accept), (node, accept) => {
            const member = node.member?.ref;
            if (isUnionVariant(member)) unions.checkVariantMember(node, member, accept);
        }, expressionStatement],
        NameRef: [(node, accept) => expressions.checkNameRef(node, accept), (node, accept) => {
            const target = node.target?.ref;
            if (isUnionDecl(target)) unions.checkUnionName(node, target, accept);
        }, (node, accept) => deferred.checkReplyVariableUse(node, accept), expressionStatement],
        IndexExpr: [(node, accept) => expressions.checkIndex(node, accept), expressionStatement],
        StructLiteral: [(node, accept) => expressions.checkStructLiteral(node, accept), expressionStatement],
        ArrayLiteral: [(node, accept) => expressions.checkArrayLiteral(node, accept), expressionStatement],
        TupleExpr: (node, accept) => expressions.checkTuple(node, accept),
        BuiltinCall: [(node, accept) => expressions.checkBuiltin(node, accept), (node, accept) => { if (node.name === 'pending') deferred.checkPending(node.args, accept); }],
        IntLiteral: [(node, accept) => expressions.checkIntLiteral(node, accept), expressionStatement],
        FloatLiteral: [(node, accept) => expressions.checkFloatLiteral(node, accept), expressionStatement],
        CharLiteral: [(node, accept) => expressions.checkCharLiteral(node, accept), expressionStatement],
        BoolLiteral: expressionStatement,
        SystemDecl: [(node, accept) => systems.checkSystem(node, accept), (node, accept) => limits.checkSystem(node, accept)],
        Instance: (node, accept) => systems.checkInstance(node, accept),
        DeviceInstance: [(node, accept) => systems.checkDeviceInstance(node, accept), (node, accept) => limits.checkDeviceInstance(node, accept)],
        Connection: [(node, accept) => systems.checkConnection(node, accept), (node, accept) => events.checkConnection(node, accept), (node, accept) => limits.checkConnection(node, accept)]
    };
    return new UkChecks(checks, services.shared.AstReflection);
}
