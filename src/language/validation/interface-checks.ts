/**
 * Checks on interfaces: method shapes, parameter transfer modes, error enums, annotations and ordinals.
 * Where each field goes in the message registers is the layout engine's business; here only what the
 * source says on its own is checked.
 */
import type { ValidationAcceptor } from 'langium';
import { isMethod, isParam, type Annotation, type InterfaceDecl, type Method, type Param } from '../generated/ast.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';
import { MAX_ORDINAL, explicitOrdinal } from '../model/method-ordinals.js';
import { parseIntLiteral } from '../type-system/constant-evaluator.js';
import { enumBase, typeToString, type UkType } from '../type-system/types.js';
import { holdsCapability, isValueType } from '../type-system/capability-count.js';
import { lineOf, type CheckSupport } from './check-support.js';
import { reportDuplicates } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';
import { MAX_ERROR_CODE, WIDE_ERROR_LABEL } from '../../../runtime/contract/index.js';

/**
 * Error reply labels from this one up are reserved (docs/ABI.md, Labels): the label of 32-bit error codes,
 * and those of errors every method may get: ServerFailed (the kernel's SERVER_FAILED_LABEL), a bad bulk argument, an unknown method (the reply
 * labels of compiled servers, runtime/contract/component-slots.ts); a test keeps these in step.
 */
export const FIRST_RESERVED_ERROR_LABEL = WIDE_ERROR_LABEL;
/** seL4_MsgMaxLength: message registers MR0..MR119. */
export const MESSAGE_REGISTERS = 120;
/** The widest word of any supported ABI profile (64-bit kernels). */
const MAX_WORD_BITS = 64;

export class InterfaceChecks {
    constructor(private readonly support: CheckSupport, private readonly layouts: InterfaceLayouts) {}

    checkInterface(iface: InterfaceDecl, accept: ValidationAcceptor): void {
        if (iface.methods.length === 0 && iface.events.length === 0) {
            accept('warning', `Interface '${iface.name}' has no methods.`, { node: iface, property: 'name', code: IssueCodes.EmptyInterface });
        }
        reportDuplicates(iface.methods, 'method', accept);
        reportDuplicates(iface.events, 'event', accept);
        // Methods and events share the interface's names: a trace line names either as Interface.name.
        for (const event of iface.events) {
            const method = iface.methods.find(candidate => candidate.name === event.name);
            if (method) accept('error', `Event '${event.name}' has the name of method '${method.name}' (line ${lineOf(method)}).`, { node: event, property: 'name', code: IssueCodes.DuplicateName });
        }
        const byOrdinal = new Map<number, Method>();
        for (const method of iface.methods) {
            const ordinal = explicitOrdinal(method);
            if (ordinal === undefined) continue;
            const other = byOrdinal.get(ordinal);
            if (other) {
                const annotation = method.annotations.find(candidate => candidate.name === 'ordinal');
                accept('error', `Ordinal ${ordinal} is already used by method '${other.name}' (line ${lineOf(other)}).`,
                    { node: annotation ?? method, code: IssueCodes.DuplicateOrdinal });
            } else {
                byOrdinal.set(ordinal, method);
            }
        }
        this.checkLayout(iface, accept);
    }

    /**
     * Lays the interface out for the bundled machine (ukvm32) and reports what cannot be placed: pins that
     * collide or fall outside a word or the message, messages longer than the kernel allows, too many
     * capabilities. `ukc layout --abi` reports the same for other profiles.
     */
    private checkLayout(iface: InterfaceDecl, accept: ValidationAcceptor): void {
        const { problems } = this.layouts.layoutOf(iface);
        for (const problem of problems) {
            if (problem.code === 'pin-width') continue; // reported with the annotation by checkPinAnnotation
            const source = problem.source;
            if (problem.code === 'too-many-caps' && isParam(source)) {
                accept('error', problem.message, { node: source, property: 'name', code: IssueCodes.TooManyCaps });
            } else if (isParam(source)) {
                const annotation = source.annotations.find(candidate => candidate.name === 'mr');
                // A pin whose numbers are malformed has been reported by checkPinAnnotation already.
                if (!annotation || !isWellFormedPin(annotation)) continue;
                const code = problem.code === 'pin-overlap' ? IssueCodes.PinOverlap : IssueCodes.PinOutOfRange;
                accept('error', problem.message, { node: annotation, code });
            } else if (isMethod(source)) {
                const code = problem.code === 'too-many-caps' ? IssueCodes.TooManyCaps : IssueCodes.MessageTooLong;
                accept('error', problem.message, { node: source, property: 'name', code });
            }
        }
    }

    checkMethod(method: Method, accept: ValidationAcceptor): void {
        reportDuplicates(method.params, 'parameter', accept);
        reportDuplicates(method.results, 'result', accept);
        if (method.oneway && (method.resultType || method.results.length > 0)) {
            accept('error', `Oneway method '${method.name}' cannot have results: nobody waits for a reply.`,
                { node: method, property: method.resultType ? 'resultType' : 'results', code: IssueCodes.OnewayWithResults });
        }
        if (method.oneway && method.raises) {
            accept('error', `Oneway method '${method.name}' cannot raise errors: nobody receives the reply.`, { node: method, property: 'raises', code: IssueCodes.OnewayRaises });
        }
        if (method.oneway) {
            // Inline bytes come back only in a reply; shared and leased ones stay where both sides see them.
            // (Strings and vecs out of a oneway method are refused in checkParam, whatever their transport.)
            for (const param of method.params.filter(candidate => candidate.transfer === 'inline' && candidate.direction !== undefined && candidate.direction !== 'in' && !isCountedParam(candidate, this.support))) {
                accept('error', `Oneway method '${method.name}' cannot pass inline bytes ${param.direction}: they would come back in a reply, and there is none.`,
                    { node: param, property: 'direction', code: IssueCodes.OnewayWithResults });
            }
        }
        const errors = method.raises?.ref;
        if (errors) {
            for (const member of errors.members) {
                const value = this.support.types.constants.enumMemberValue(member);
                if (value.ok && value.value === 0n) {
                    accept('error', `Error enum '${errors.name}' has member '${member.name}' = 0, but 0 in a reply label means success; give every error a non-zero value.`,
                        { node: method, property: 'raises', code: IssueCodes.ZeroErrorValue });
                } else if (value.ok && (value.value < 0n || value.value > BigInt(MAX_ERROR_CODE))) {
                    // An error travels as the reply's label, or as a 32-bit code when it does not fit the label.
                    accept('error', `Error enum '${errors.name}' has member '${member.name}' = ${value.value}, which an error reply cannot carry: error values are 1..${MAX_ERROR_CODE} (32-bit codes).`,
                        { node: method, property: 'raises', code: IssueCodes.ErrorValueRange });
                }
                if (value.ok && value.value >= BigInt(FIRST_RESERVED_ERROR_LABEL) && value.value <= BigInt(MAX_ORDINAL)) {
                    accept('error', `Error enum '${errors.name}' has member '${member.name}' = 0x${value.value.toString(16)}, a reply label reserved for 32-bit error codes and errors every method may get (ServerFailed and others); give it another value.`,
                        { node: method, property: 'raises', code: IssueCodes.ReservedErrorValue });
                }
            }
        }
        for (const annotation of method.annotations) {
            this.checkMethodAnnotation(annotation, accept);
        }
        for (const param of method.params) this.checkParam(param, 'parameter', accept);
        for (const result of method.results) this.checkParam(result, 'result', accept);
        if (method.resultType) {
            const type = this.support.types.typeOfTypeRef(method.resultType);
            if (!isValueType(type)) {
                accept('error', `A method cannot return ${typeToString(type)}.`, { node: method, property: 'resultType', code: IssueCodes.InvalidFieldType });
            }
        }
    }

    private checkParam(param: Param, role: 'parameter' | 'result', accept: ValidationAcceptor): void {
        const type = this.support.types.typeOfTypeRef(param.type);
        const bulk = type.kind === 'bytes' || type.kind === 'array' || type.kind === 'string' || type.kind === 'vec';
        if (role === 'result' && (param.transfer || param.direction)) {
            accept('error', `Result '${param.name}' cannot have a transfer mode or direction; declare bulk results as 'out' parameters.`,
                { node: param, property: param.transfer ? 'transfer' : 'direction', code: IssueCodes.InvalidTransfer });
        } else if (!bulk && (param.transfer || param.direction) && type.kind !== 'error') {
            const what = param.transfer ? `'${param.transfer}'` : `'${param.direction}'`;
            accept('error', `${what} applies only to bulk data (bytes, strings, vecs or arrays), not to ${typeToString(type)}.`,
                { node: param, property: param.transfer ? 'transfer' : 'direction', code: IssueCodes.InvalidTransfer });
        }
        if (type.kind === 'array' && role === 'parameter' && !param.transfer && param.direction && param.direction !== 'in') {
            // Without a transfer mode an array is plain values of the request (interface-spec.ts flattens it
            // into its elements), which no reply brings back.
            accept('error', `Array '${param.name}' is '${param.direction}' but has no transfer mode: without one an array travels in the request only; say how it comes back ('inline', 'shared' or 'lease').`,
                { node: param, property: 'direction', code: IssueCodes.InvalidTransfer });
        }
        if (param.transfer && holdsCapability(type, this.support.types)) {
            // Bulk data is bytes in memory; a capability is a kernel object the message carries.
            accept('error', `'${param.transfer}' applies only to plain data; '${param.name}' holds capabilities, which travel as the message's extra capabilities.`,
                { node: param, property: 'transfer', code: IssueCodes.InvalidTransfer });
        }
        if ((type.kind === 'string' || type.kind === 'vec') && param.direction && param.direction !== 'in' && role === 'parameter') {
            const method = param.$container;
            if (method.oneway) {
                // Its length comes back in the reply, whatever the transport, and a oneway method has none.
                accept('error', `Oneway method '${method.name}' cannot pass a ${type.kind} ${param.direction}: its length comes back in a reply, and there is none.`,
                    { node: param, property: 'direction', code: IssueCodes.OnewayWithResults });
            }
            const result = method.results.find(candidate => candidate.name === param.name);
            if (result || (method.resultType && param.name === 'result')) {
                // Both come back in the reply under their names (docs/ABI.md, "Strings and vecs").
                accept('error', `'${param.name}' is both an '${param.direction}' ${type.kind} and a result of '${method.name}'; both come back in the reply, so give them different names.`,
                    { node: param, property: 'name', code: IssueCodes.DuplicateName });
            }
        }
        for (const annotation of param.annotations) {
            this.checkPinAnnotation(annotation, param, accept);
        }
    }

    private checkMethodAnnotation(annotation: Annotation, accept: ValidationAcceptor): void {
        if (annotation.name !== 'ordinal') {
            accept('error', `Unknown method annotation '@${annotation.name}'; methods take @ordinal(n).`, { node: annotation, property: 'name', code: IssueCodes.UnknownAnnotation });
            return;
        }
        const arg = annotation.args[0];
        const value = arg && arg.end === undefined ? parseIntLiteral(arg.value) : undefined;
        if (annotation.args.length !== 1 || value === undefined || value < 1n || value > BigInt(MAX_ORDINAL)) {
            accept('error', `@ordinal takes one number between 1 and ${MAX_ORDINAL} (the 20-bit message label; 0 is never a method).`,
                { node: annotation, code: IssueCodes.InvalidAnnotation });
        }
    }

    /** `@mr(word)` pins a field to the start of a message word; `@mr(word, lo..hi)` to a bit range of it. */
    private checkPinAnnotation(annotation: Annotation, param: Param, accept: ValidationAcceptor): void {
        if (annotation.name !== 'mr') {
            accept('error', `Unknown parameter annotation '@${annotation.name}'; parameters and results take @mr(word) or @mr(word, lo..hi).`,
                { node: annotation, property: 'name', code: IssueCodes.UnknownAnnotation });
            return;
        }
        const [wordArg, bitsArg] = annotation.args;
        const word = wordArg && wordArg.end === undefined ? parseIntLiteral(wordArg.value) : undefined;
        if (annotation.args.length < 1 || annotation.args.length > 2 || word === undefined || word >= BigInt(MESSAGE_REGISTERS)) {
            accept('error', `@mr takes a message word between 0 and ${MESSAGE_REGISTERS - 1}, then optionally a bit range lo..hi.`,
                { node: annotation, code: IssueCodes.InvalidAnnotation });
            return;
        }
        const pinnedType = this.support.types.typeOfTypeRef(param.type);
        if (fieldBits(pinnedType) === undefined && pinnedType.kind !== 'error') {
            accept('error', `Only scalar parameters and results can be pinned; '${param.name}' is ${typeToString(pinnedType)}.`,
                { node: annotation, code: IssueCodes.InvalidAnnotation });
            return;
        }
        if (bitsArg) {
            const lo = parseIntLiteral(bitsArg.value);
            const hi = bitsArg.end === undefined ? undefined : parseIntLiteral(bitsArg.end);
            if (lo === undefined || hi === undefined || lo > hi || hi >= BigInt(MAX_WORD_BITS)) {
                accept('error', `The bit range of @mr must be lo..hi with lo <= hi < ${MAX_WORD_BITS}.`, { node: bitsArg, code: IssueCodes.InvalidAnnotation });
                return;
            }
            const type = this.support.types.typeOfTypeRef(param.type);
            const needed = fieldBits(type);
            const width = Number(hi - lo) + 1;
            if (needed !== undefined && width !== needed) {
                accept('error', `Bits ${lo}..${hi} hold ${width} bits, but '${param.name}: ${typeToString(type)}' needs ${needed}.`,
                    { node: bitsArg, code: IssueCodes.InvalidAnnotation });
            }
        }
    }
}

/** Whether `@mr(...)` has the shape and ranges checkPinAnnotation accepts. */
function isWellFormedPin(annotation: Annotation): boolean {
    const [wordArg, bitsArg] = annotation.args;
    const word = wordArg && wordArg.end === undefined ? parseIntLiteral(wordArg.value) : undefined;
    if (annotation.args.length > 2 || word === undefined || word >= BigInt(MESSAGE_REGISTERS)) return false;
    if (!bitsArg) return true;
    const lo = parseIntLiteral(bitsArg.value);
    const hi = parseIntLiteral(bitsArg.end);
    return lo !== undefined && hi !== undefined && lo <= hi && hi < BigInt(MAX_WORD_BITS);
}

/** The packed width of a scalar field in bits, or undefined for aggregates and capabilities. */
export function fieldBits(type: UkType): number | undefined {
    switch (type.kind) {
        case 'bool': return 1;
        case 'int': return type.bits;
        case 'enum': {
            const base = enumBase(type.decl.base);
            return base?.kind === 'int' ? base.bits : 1;
        }
        case 'bitfield': {
            const base = type.decl.base;
            return base === 'bool' ? 1 : Number(base.slice(1));
        }
        default: return undefined;
    }
}

function isCountedParam(param: Param, support: CheckSupport): boolean {
    const kind = support.types.typeOfTypeRef(param.type).kind;
    return kind === 'string' || kind === 'vec';
}
