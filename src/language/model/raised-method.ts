/**
 * Which method's error payload a `{ ... }` of error values fills: the handled method for `raise E.X { ... }`
 * in a handler, the kept call's method for `later.raise(E.X { ... })` on a `reply<I.m>` variable. The scope
 * provider, the linker's messages, the checker and the code generator all ask here.
 */
import { AstUtils } from 'langium';
import { isAnswerExpr, isHandler, isNameRef, isReplyTypeRef, isStateVar, type AnswerExpr, type ErrorPayloadValue, type Method } from '../generated/ast.js';

/** The method a deferred answer answers: `later` declared as `reply<I.m>`. */
export function answeredMethod(expr: AnswerExpr): Method | undefined {
    const variable = isNameRef(expr.receiver) ? expr.receiver.target?.ref : undefined;
    return isStateVar(variable) && isReplyTypeRef(variable.type) ? variable.type.method?.ref : undefined;
}

export function raisedMethod(value: ErrorPayloadValue): Method | undefined {
    const owner = value.$container;
    if (isAnswerExpr(owner)) return answeredMethod(owner);
    const handler = AstUtils.getContainerOfType(value, isHandler);
    return handler && !handler.event ? handler.method?.ref : undefined;
}
