/**
 * Errors that carry data: `raises E { code: u32, offset: u64 }` on a method, `raise E.X { code: 5, offset: at }`
 * in its handler, `e.code` in a caller's catch. A payload's fields are scalars (they travel in the error
 * reply's words, docs/ABI.md "Labels"); a raise gives each exactly once; `try` passes an error on only to a
 * method whose payload is the same; a deferred call's `.raise(E.X { ... })` gives the same values a raise would.
 */
import type { ValidationAcceptor } from 'langium';
import { isAnswerExpr, isHandler, type AnswerExpr, type ErrorPayload, type ErrorPayloadValue, type Method, type RaiseStmt, type TryExpr } from '../generated/ast.js';
import { typeToString } from '../type-system/types.js';
import type { CheckSupport } from './check-support.js';
import { reportDuplicates } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';
import { enclosingBody } from './statement-checks.js';
import { ERROR_CODE_FIELD } from '../../../runtime/contract/index.js';


export class ErrorPayloadChecks {
    constructor(private readonly support: CheckSupport) {}

    checkPayload(payload: ErrorPayload, accept: ValidationAcceptor): void {
        reportDuplicates(payload.fields, 'error payload field', accept);
        for (const field of payload.fields) {
            if (field.name === ERROR_CODE_FIELD) {
                accept('error', `'${ERROR_CODE_FIELD}' cannot name an error payload field: it names the error code in the message.`,
                    { node: field, property: 'name', code: IssueCodes.InvalidErrorPayload });
            }
            const type = this.support.types.typeOfTypeRef(field.type);
            if (!['int', 'bool', 'enum', 'bitfield', 'error'].includes(type.kind)) {
                accept('error', `Error payload field '${field.name}' is ${typeToString(type)}, but an error payload carries only integers, bools, enums and bitfields.`,
                    { node: field, property: 'type', code: IssueCodes.InvalidErrorPayload });
            }
        }
    }

    /** `raise E.X { ... }` in a handler. */
    checkRaisePayload(stmt: RaiseStmt, accept: ValidationAcceptor): void {
        const body = enclosingBody(stmt);
        const method = isHandler(body) && !body.event ? body.method?.ref : undefined;
        if (method) this.checkPayloadValues(method, stmt.payload, stmt, accept);
    }

    /** `later.raise(E.X { ... })`: a deferred call's error carries the same payload as the handler's would. */
    checkDeferredRaise(expr: AnswerExpr, method: Method, accept: ValidationAcceptor): void {
        this.checkPayloadValues(method, expr.payload, expr, accept);
    }

    /** The payload values given for an error of `method`: each field exactly once, none where it has none. */
    private checkPayloadValues(method: Method, values: ErrorPayloadValue | undefined, node: RaiseStmt | AnswerExpr, accept: ValidationAcceptor): void {
        if (!method.raises?.ref) return;
        const payload = method.payload;
        const errors = method.raises.ref.name;
        if (!payload) {
            if (values) {
                accept('error', `Method '${method.name}' raises ${errors} without a payload; remove the '{ ... }'.`,
                    { node: values, code: IssueCodes.InvalidErrorPayload });
            }
            return;
        }
        const given = values?.fields ?? [];
        const seen = new Set<string>();
        for (const init of given) {
            const field = init.field?.ref;
            if (!field) continue;
            if (seen.has(field.name)) {
                accept('error', `Field '${field.name}' is given twice.`, { node: init, property: 'field', code: IssueCodes.MissingField });
            }
            seen.add(field.name);
            if ('type' in field && field.$type === 'StructField') {
                this.support.expectAssignable(init.value, this.support.types.typeOfTypeRef(field.type), `Field '${field.name}'`, accept);
            }
        }
        const missing = payload.fields.map(field => field.name).filter(name => !seen.has(name));
        if (missing.length > 0) {
            const fields = payload.fields.map(field => `${field.name}: ...`).join(', ');
            const example = isAnswerExpr(node) ? `${node.receiver.$cstNode?.text ?? 'later'}.raise(${errors}.X { ${fields} })` : `raise ${errors}.X { ${fields} }`;
            accept('error', `The error of '${method.name}' carries ${missing.length === 1 ? 'field' : 'fields'} ${missing.join(', ')}; give ${missing.length === 1 ? 'it' : 'them'}: '${example}'.`,
                { node, code: IssueCodes.MissingField });
        }
    }

    /** `try` passes the error's words on unchanged, so both methods must carry the same payload. */
    checkTryPayload(expr: TryExpr, accept: ValidationAcceptor): void {
        const called = this.support.types.calledMethod(expr.call);
        const body = enclosingBody(expr);
        const handled = isHandler(body) && !body.event ? body.method?.ref : undefined;
        if (!called?.raises?.ref || !handled || handled.raises?.ref !== called.raises.ref) return;
        const before = payloadSignature(called, this.support);
        const after = payloadSignature(handled, this.support);
        if (before !== after) {
            accept('error', `'try' passes the error of '${called.name}' on with its payload {${before}}, but '${handled.name}' raises ${called.raises.ref.name} with {${after}}; use 'catch' and raise it.`,
                { node: expr, code: IssueCodes.InvalidTry });
        }
    }
}

/** `code: u32, offset: u64`: what a payload is on the wire (names and types, in order). */
function payloadSignature(method: Method, support: CheckSupport): string {
    return (method.payload?.fields ?? []).map(field => `${field.name}: ${typeToString(support.types.typeOfTypeRef(field.type))}`).join(', ');
}
