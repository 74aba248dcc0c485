/**
 * Checks on servers and programs: every method handled exactly once with the right number of parameters,
 * blocks in the right kind of component, state that is plain data with constant initial values, and
 * handler and function bodies that end the way their kind demands (reply, return).
 */
import type { ValidationAcceptor } from 'langium';
import {
    isArrayLiteral, isCallExpr, isMemberExpr, isNoneLiteral, isStringLiteral, isUnionVariant, isHandler, isInitBlock, isMainBlock, isNameRef, isNotificationPort, isServerDecl, isStructLiteral, isUsesPort, type Expr,
    type FunctionDecl, type Handler, type ProgramDecl, type ServerDecl, type StateVar
} from '../generated/ast.js';
import { typeToString } from '../type-system/types.js';
import { isValueType } from '../type-system/capability-count.js';
import { lineOf, plural, type CheckSupport } from './check-support.js';
import { blockCompletesNormally } from './control-flow.js';
import type { AnswerFlows } from './answer-flow.js';
import { reportDuplicates, reportNotConstant } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';

export class ComponentChecks {
    constructor(private readonly support: CheckSupport, private readonly flows: AnswerFlows) {}

    checkServer(server: ServerDecl, accept: ValidationAcceptor): void {
        this.checkMembers(server, accept);
        const iface = server.interface?.ref;
        const handlers = server.members.filter(isHandler);
        if (iface) {
            const handled = new Map<string, Handler>();
            for (const handler of handlers) {
                const method = handler.method?.ref;
                if (!method) continue;
                const earlier = handled.get(method.name);
                if (earlier) {
                    accept('error', `Method '${method.name}' is already handled on line ${lineOf(earlier)}.`, { node: handler, property: 'method', code: IssueCodes.DuplicateHandler });
                } else {
                    handled.set(method.name, handler);
                }
            }
            const missing = iface.methods.filter(method => !handled.has(method.name)).map(method => method.name);
            if (missing.length > 0) {
                accept('error', `Server '${server.name}' does not handle ${iface.name}.${missing.join(`, ${iface.name}.`)}.`,
                    // The quick fix that writes the missing handlers reads which they are from here.
                    { node: server, property: 'name', code: IssueCodes.MissingHandler, data: { code: IssueCodes.MissingHandler, methods: missing } });
            }
        }
        const events = new Map<string, Handler>();
        for (const handler of handlers) {
            const port = handler.port?.ref;
            // Event handlers name an event of a `uses` port; event-checks.ts checks those.
            if (!port || handler.event === 'event') continue;
            const earlier = events.get(port.name);
            if (earlier) {
                accept('error', `'${port.name}' is already handled on line ${lineOf(earlier)}.`, { node: handler, property: 'port', code: IssueCodes.DuplicateHandler });
            } else {
                events.set(port.name, handler);
            }
        }
        for (const main of server.members.filter(isMainBlock)) {
            accept('error', `A server has no 'main': its dispatch loop is generated. Put start-up work in 'init { }'.`, { node: main, keyword: 'main', code: IssueCodes.MisplacedBlock });
        }
    }

    checkProgram(program: ProgramDecl, accept: ValidationAcceptor): void {
        this.checkMembers(program, accept);
        const mains = program.members.filter(isMainBlock);
        if (mains.length === 0) {
            accept('error', `Program '${program.name}' has no 'main { }' block.`, { node: program, property: 'name', code: IssueCodes.MissingMain });
        }
        for (const handler of program.members.filter(isHandler)) {
            // A program handles the events of the servers it uses (after main, docs/LANGUAGE.md, "Events").
            if (handler.event && handler.event !== 'event') {
                accept('error', `Only servers have event handlers; a program waits for '${handler.port?.$refText ?? ''}' with wait().`,
                    { node: handler, keyword: 'on', code: IssueCodes.MisplacedBlock });
            }
        }
    }

    private checkMembers(component: ServerDecl | ProgramDecl, accept: ValidationAcceptor): void {
        reportDuplicates(component.members, 'member', accept);
        for (const kind of ['main', 'init'] as const) {
            const blocks = component.members.filter(kind === 'main' ? isMainBlock : isInitBlock);
            for (const extra of blocks.slice(1)) {
                accept('error', `Only one '${kind}' block is allowed; the first is on line ${lineOf(blocks[0])}.`, { node: extra, keyword: kind, code: IssueCodes.MisplacedBlock });
            }
        }
    }

    checkStateVar(state: StateVar, accept: ValidationAcceptor): void {
        const type = this.support.types.typeOfTypeRef(state.type);
        // Every type a state can name is data or a capability: a name server keeps the endpoints it is given.
        // A deferred reply starts empty (deferred-reply-checks.ts says so when it has a value).
        if (state.init && type.kind !== 'reply') {
            if (!this.support.expectAssignable(state.init, type, `The initial value of '${state.name}'`, accept)) return;
            if (type.kind === 'endpoint' || type.kind === 'notification') {
                // The only capabilities known before the component runs are its ports.
                const target = isNameRef(state.init) ? state.init.target?.ref : undefined;
                if (!isUsesPort(target) && !isNotificationPort(target)) {
                    accept('error', `The initial value of state '${state.name}' must be one of the component's ports.`, { node: state.init, code: IssueCodes.NotConstant });
                }
            } else {
                // State starts as data in the image: every part of the value must be known at compile time.
                const part = this.firstVariablePart(state.init);
                if (part) {
                    const result = this.support.types.evaluate(part.expr);
                    reportNotConstant(result.ok ? 'not-constant' : result.reason, part.expr, `The initial value of state '${state.name}'`, accept);
                }
            }
        }
    }

    /** The first part of a state's initial value that is not a constant (literals are looked into). */
    private firstVariablePart(expr: Expr): { expr: Expr } | undefined {
        if (isStringLiteral(expr)) return undefined;
        if (isArrayLiteral(expr)) {
            for (const element of expr.elements) {
                const part = this.firstVariablePart(element);
                if (part) return part;
            }
            return undefined;
        }
        if (isStructLiteral(expr)) {
            for (const field of expr.fields) {
                const part = field.value ? this.firstVariablePart(field.value) : undefined;
                if (part) return part;
            }
            return undefined;
        }
        // `none`, `Shape.empty`, `Shape.circle(5)`: a union value is constant when its payload is.
        if (isNoneLiteral(expr) || (isMemberExpr(expr) && isUnionVariant(expr.member?.ref))) return undefined;
        if (isCallExpr(expr) && isMemberExpr(expr.callee) && isUnionVariant(expr.callee.member?.ref)) {
            return expr.args[0] ? this.firstVariablePart(expr.args[0]) : undefined;
        }
        // A float constant has a value once it has a type; f64's stands for both here.
        const constant = this.support.types.typeOf(expr).kind === 'untyped-float' ? this.support.types.constants.evaluateFloat(expr, 64) : this.support.types.evaluate(expr);
        return constant.ok ? undefined : { expr };
    }

    checkHandler(handler: Handler, accept: ValidationAcceptor): void {
        reportDuplicates(handler.params, 'parameter', accept);
        const method = handler.method?.ref;
        if (method && handler.params.length !== method.params.length) {
            const owner = isServerDecl(handler.$container) ? handler.$container.interface?.ref?.name ?? '' : '';
            accept('error', `The handler for '${method.name}' names ${plural(handler.params.length, 'parameter')}, but ${owner}.${method.name} has ${method.params.length}.`,
                { node: handler, property: 'method', code: IssueCodes.HandlerArity });
        }
        if (method && !method.oneway && handler.body && this.flows.of(handler.body).finishesUnanswered) {
            accept('error', `The handler for '${method.name}' can finish without replying; end every path with 'reply', 'raise' or 'defer'.`,
                { node: handler, property: 'method', code: IssueCodes.MissingReply });
        }
    }

    checkFunction(fn: FunctionDecl, accept: ValidationAcceptor): void {
        reportDuplicates(fn.params, 'parameter', accept);
        for (const param of fn.params) {
            const type = this.support.types.typeOfTypeRef(param.type);
            if (!isValueType(type)) {
                accept('error', `Parameter '${param.name}' cannot be ${typeToString(type)}.`, { node: param, property: 'type', code: IssueCodes.InvalidFieldType });
            }
        }
        if (fn.returnType && fn.body && blockCompletesNormally(fn.body)) {
            const type = this.support.types.typeOfTypeRef(fn.returnType);
            accept('error', `Function '${fn.name}' can finish without returning a ${typeToString(type)}.`, { node: fn, property: 'name', code: IssueCodes.MissingReturn });
        }
    }
}
