/**
 * Errors that carry data: `raises E { code: u32, offset: u64 }` on a method, `raise E.X { code: 5, offset: at }`
 * in its handler, `e.code` in a caller's catch. A payload's fields are scalars (they travel in the error
 * reply's words, docs/ABI.md "Labels"); a raise gives each exactly once; `try` passes an error on only to a
 * method whose payload is the same; a deferred call's `.raise` cannot carry one yet.
 */
import type { ValidationAcceptor } from 'langium';
import { isHandler, type AnswerExpr, type ErrorPayload, type Method, type RaiseStmt, type TryExpr } from '../generated/ast.js';
import { typeToString } from '../type-system/types.js';
import type { CheckSupport } from './check-support.js';
import { reportDuplicates } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';
import { enclosingBody } from './statement-checks.js';
import { ERROR_CODE_FIELD, WIDE_ERROR_LABEL } from '../../../runtime/contract/index.js';


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

    checkRaisePayload(stmt: RaiseStmt, accept: ValidationAcceptor): void {
        const body = enclosingBody(stmt);
        const method = isHandler(body) && !body.event ? body.method?.ref : undefined;
        if (!method?.raises?.ref) return;
        const payload = method.payload;
        const errors = method.raises.ref.name;
        if (!payload) {
            if (stmt.payload) {
                accept('error', `Method '${method.name}' raises ${errors} without a payload; remove the '{ ... }'.`,
                    { node: stmt.payload, code: IssueCodes.InvalidErrorPayload });
            }
            return;
        }
        const given = stmt.payload?.fields ?? [];
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
            accept('error', `The error of '${method.name}' carries ${missing.length === 1 ? 'field' : 'fields'} ${missing.join(', ')}; give ${missing.length === 1 ? 'it' : 'them'}: 'raise ${errors}.X { ${payload.fields.map(field => `${field.name}: ...`).join(', ')} }'.`,
                { node: stmt, code: IssueCodes.MissingField });
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

    /** A deferred call's `.raise` sends the label alone (docs/ABI.md, "Deferred replies"). */
    checkDeferredRaise(expr: AnswerExpr, method: Method, accept: ValidationAcceptor): void {
        const wide = method.raises?.ref?.members.some(member => {
            const value = this.support.types.constants.enumMemberValue(member);
            return value.ok && value.value >= BigInt(WIDE_ERROR_LABEL);
        });
        if (method.payload || wide) {
            accept('error', `A deferred call of '${method.name}' cannot be answered with an error that carries ${method.payload ? 'a payload' : 'a 32-bit code'} yet; raise it from the handler.`,
                { node: expr, property: 'answer', code: IssueCodes.InvalidErrorPayload });
        }
    }
}

/** `code: u32, offset: u64`: what a payload is on the wire (names and types, in order). */
function payloadSignature(method: Method, support: CheckSupport): string {
    return (method.payload?.fields ?? []).map(field => `${field.name}: ${typeToString(support.types.typeOfTypeRef(field.type))}`).join(', ');
}
