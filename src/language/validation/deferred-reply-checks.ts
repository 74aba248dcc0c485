/**
 * Checks on deferred replies: `reply<I.m>` only as the type of a server's state variable (for a method of
 * the interface the server implements, which replies without byte buffers), `defer` only as `v = defer` in
 * the handler of a method that replies, `v.reply(...)` and `v.raise(...)` with the method's results or
 * errors, a reply variable used only through those and pending(v), and, path by path (answer-flow.ts), no
 * answer after `defer` and no deferred reply answered twice where that is certain.
 */
import type { AstNode, ValidationAcceptor } from 'langium';
import {
    isAnswerExpr, isAssignStmt, isBuiltinCall, isFunctionParam, isHandler, isMethod, isNameRef, isParam, isReplyTypeRef, isServerDecl, isStateVar,
    isStructField, type AnswerExpr, type Block, type DeferExpr, type Method, type NameRef, type ReplyTypeRef
} from '../generated/ast.js';
import { SAVED_REPLY_SLOTS } from '../../../runtime/contract/index.js';
import { typeToString, type ReplyType } from '../type-system/types.js';
import { lineOf, plural, type CheckSupport } from './check-support.js';
import type { AnswerFlows } from './answer-flow.js';
import { replyVariables } from '../model/reply-state.js';
import { IssueCodes } from './issue-codes.js';

/** The reply type of a state variable an expression names directly, if it has one. */
export function replyVariableType(expr: AstNode | undefined, support: CheckSupport): ReplyType | undefined {
    const target = isNameRef(expr) ? expr.target?.ref : undefined;
    // Only a `reply<I.m>` type names a reply; this is asked of every name in a program.
    if (!isStateVar(target) || !isReplyTypeRef(target.type)) return undefined;
    const type = support.types.typeOfTypeRef(target.type);
    return type.kind === 'reply' ? type : undefined;
}

export class DeferredReplyChecks {
    constructor(private readonly support: CheckSupport, private readonly flows: AnswerFlows) {}

    checkReplyType(ref: ReplyTypeRef, accept: ValidationAcceptor): void {
        const owner = ref.$container;
        // Parameters, results and fields say for themselves that they cannot hold one.
        if (isParam(owner) || isMethod(owner) || isFunctionParam(owner) || isStructField(owner)) return;
        const server = owner.$container;
        if (!isStateVar(owner) || !isServerDecl(server)) {
            accept('error', `Only a server's state variable can hold a reply<...>: a deferred call outlives the handler that kept it.`,
                { node: ref, code: IssueCodes.InvalidReply });
            return;
        }
        const method = ref.method?.ref;
        if (!method) return;
        const implemented = server.interface?.ref;
        if (implemented && method.$container !== implemented) {
            accept('error', `Server '${server.name}' implements ${implemented.name}, so it only defers calls of ${implemented.name}'s methods.`,
                { node: ref, property: 'interface', code: IssueCodes.InvalidReply });
            return;
        }
        const reason = notDeferrable(method, this.support);
        if (reason) {
            accept('error', `Calls of '${method.name}' cannot be deferred: ${reason}.`, { node: ref, property: 'method', code: IssueCodes.InvalidReply });
            return;
        }
        if (owner.init) {
            accept('error', `State '${owner.name}' of type ${typeToString({ kind: 'reply', method })} starts empty; it takes no initial value.`,
                { node: owner.init, code: IssueCodes.InvalidReply });
        }
        if (replyVariables(server).indexOf(owner) === SAVED_REPLY_SLOTS) {
            accept('error', `A server keeps at most ${SAVED_REPLY_SLOTS} deferred replies in its state: one capability slot each.`, { node: owner, property: 'name', code: IssueCodes.InvalidReply });
        }
    }

    checkDefer(expr: DeferExpr, accept: ValidationAcceptor): void {
        const handler = enclosingHandler(expr);
        const method = handler?.method?.ref;
        if (!handler || handler.event || !method || method.oneway) {
            accept('error', `'defer' is only allowed in the handler of a method that replies.`, { node: expr, code: IssueCodes.InvalidDefer });
            return;
        }
        const assign = expr.$container;
        if (!isAssignStmt(assign) || assign.value !== expr || assign.op !== '=' || !isStateVar(isNameRef(assign.target) ? assign.target.target?.ref : undefined)) {
            accept('error', `'defer' keeps the caller in a state variable: write 'v = defer', with v of type ${typeToString({ kind: 'reply', method })}.`,
                { node: expr, code: IssueCodes.InvalidDefer });
        }
    }

    /** A reply variable is used only through `.reply`, `.raise`, pending() and `v = defer`: it cannot be copied. */
    checkReplyVariableUse(expr: NameRef, accept: ValidationAcceptor): void {
        if (!replyVariableType(expr, this.support)) return;
        const parent = expr.$container;
        if (isAnswerExpr(parent) && parent.receiver === expr) return;
        if (isBuiltinCall(parent) && parent.name === 'pending') return;
        if (isAssignStmt(parent) && parent.target === expr) return;
        accept('error', `A deferred reply cannot be copied; answer it with '${expr.target?.$refText}.reply(...)' or '.raise(...)', or test it with pending().`,
            { node: expr, code: IssueCodes.InvalidReply });
    }

    checkAnswer(expr: AnswerExpr, accept: ValidationAcceptor): void {
        const type = replyVariableType(expr.receiver, this.support);
        if (!type) {
            const received = this.support.types.typeOf(expr.receiver);
            if (received.kind !== 'error') {
                accept('error', `Only a deferred reply (a state variable of type reply<...>) is answered with '.${expr.answer}', not ${typeToString(received)}.`,
                    { node: expr.receiver, code: IssueCodes.InvalidReply });
            }
            return;
        }
        const method = type.method;
        if (expr.answer === 'raise') {
            const errors = method.raises?.ref;
            if (!errors) {
                accept('error', `Method '${method.name}' declares no errors; add 'raises E' to its declaration to raise one.`, { node: expr, property: 'answer', code: IssueCodes.MisplacedStatement });
            } else if (expr.args.length !== 1) {
                accept('error', `'.raise' takes one error of ${errors.name}, but ${plural(expr.args.length, 'argument')} ${expr.args.length === 1 ? 'is' : 'are'} given.`,
                    { node: expr, property: 'answer', code: IssueCodes.ReplyMismatch });
            } else {
                this.support.expectAssignable(expr.args[0], { kind: 'enum', decl: errors }, `The raised error of '${method.name}'`, accept);
            }
            return;
        }
        if (expr.payload) {
            accept('error', `'.reply' answers with results; an error payload '{ ... }' goes with '.raise(E.X { ... })'.`,
                { node: expr.payload, code: IssueCodes.InvalidErrorPayload });
        }
        const expected = this.support.types.resultOf(method);
        const elements = expected.kind === 'tuple' ? expected.elements : expected.kind === 'void' ? [] : [expected];
        if (expr.args.length !== elements.length) {
            const results = expected.kind === 'tuple' ? ` (${expected.names.join(', ')})` : '';
            accept('error', `'${method.name}' replies with ${plural(elements.length, 'value')}${results}, but ${plural(expr.args.length, 'value')} ${expr.args.length === 1 ? 'is' : 'are'} given.`,
                { node: expr, property: 'answer', code: IssueCodes.ReplyMismatch });
            return;
        }
        expr.args.forEach((arg, i) => {
            const what = expected.kind === 'tuple' ? `Result '${expected.names[i]}'` : `The reply of '${method.name}'`;
            this.support.expectAssignable(arg, elements[i], what, accept);
        });
    }

    checkPending(args: readonly AstNode[], accept: ValidationAcceptor): void {
        const arg = args[0];
        if (!arg || replyVariableType(arg, this.support)) return;
        const type = this.support.types.typeOf(arg as never);
        if (type.kind === 'error') return;
        accept('error', `pending() needs a deferred reply (a state variable of type reply<...>), not ${typeToString(type)}.`, { node: arg, code: IssueCodes.InvalidBuiltin });
    }

    /** Answers after `defer`, and deferred replies answered twice on every path, in a body of a server. */
    checkBody(body: Block | undefined, accept: ValidationAcceptor): void {
        if (!body) return;
        for (const finding of this.flows.of(body).findings) {
            if (finding.kind === 'after-defer') {
                const what = finding.node.$type === 'DeferExpr' ? `'defer'` : finding.node.$type === 'RaiseStmt' ? `'raise'` : `'reply'`;
                accept('error', `${what} after 'defer': this call was deferred on line ${lineOf(finding.earlier)}, so it is answered through the variable that keeps it.`,
                    { node: finding.node, code: IssueCodes.ReplyAfterDefer });
            } else {
                accept('error', `'${finding.variable.name}' was already answered on line ${lineOf(finding.earlier)}; a deferred reply is answered once.`,
                    { node: finding.node, code: IssueCodes.ReplyAnsweredTwice });
            }
        }
    }
}

/** Why calls of `method` cannot be deferred yet, or undefined when they can. */
function notDeferrable(method: Method, support: CheckSupport): string | undefined {
    if (method.oneway) return 'it is oneway, so nobody waits for its reply';
    const result = support.types.resultOf(method);
    const results = result.kind === 'tuple' ? result.elements : [result];
    if (results.some(type => type.kind === 'bytes')) return 'a byte-buffer result travels through the shared region of the call being served';
    const out = method.params.find(param => param.direction === 'out' || param.direction === 'inout');
    if (out) {
        const kind = support.types.typeOfTypeRef(out.type).kind;
        // An out string or vec comes back as the reply's words (or its length does), as out bytes do.
        const what = kind === 'string' || kind === 'vec' ? `an '${out.direction}' ${kind} goes` : `'out' bytes go`;
        return `${what} back with the reply of the call being served`;
    }
    return undefined;
}

function enclosingHandler(node: AstNode) {
    let current: AstNode | undefined = node.$container;
    while (current && !isHandler(current)) {
        if (current.$type === 'FunctionDecl' || current.$type === 'InitBlock' || current.$type === 'MainBlock') return undefined;
        current = current.$container;
    }
    return current;
}
