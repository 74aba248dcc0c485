/**
 * Calls in expression lowering: helper functions (arguments and results by value), methods through their
 * client stubs (through a port or an endpoint value; byte-buffer results copied out of the shared
 * region), `catch` and `try`, and the stop on an uncaught ServerFailed.
 */
import { AstUtils, type AstNode } from 'langium';
import {
    isCallExpr, isFunctionDecl, isHandler, isNameRef, isUsesPort, paramTransfer, type CallExpr, type CatchExpr, type ErrorPayload, type ErrorPayloadValue, type Expr, type MemberExpr, type Method,
    type RaiseStmt, type UkType, type UkTypeSystem
} from '../../language/index.js';
import type { VReg } from '../ir.js';
import { BAD_BULK_LABEL, PanicCode } from '../../../runtime/contract/index.js';
import { isAggregate, isWide, leavesOf, livesInMemory, scalarShape } from './aggregates.js';
import { copyBytes, type Place } from './memory-ops.js';
import type { BulkPlaces, Value } from './lowering-context.js';
import { CountedLowering, type ClientCountedOut } from './counted-lowering.js';

/** Each payload field's registers (two for a 64-bit field), from the values a stub returned in payload order. */
function payloadFields(payload: ErrorPayload, regs: readonly VReg[], types: UkTypeSystem): Map<string, VReg[]> {
    const fields = new Map<string, VReg[]>();
    let at = 0;
    for (const field of payload.fields) {
        const width = isWide(types.typeOfTypeRef(field.type)) ? 2 : 1;
        fields.set(field.name, regs.slice(at, at + width));
        at += width;
    }
    return fields;
}

/** Calls: helper functions, methods through stubs, catch and try. */
export abstract class CallLowering extends CountedLowering {
    /** Whether a value of `type` holds a union somewhere (union-lowering.ts). */
    protected abstract containsUnion(type: UkType): boolean;
    /** 1 when every union in the value at `place` is well formed; undefined when it holds none (union-lowering.ts). */
    protected abstract unionsValid(place: Place, type: UkType, node: AstNode): VReg | undefined;
    /** The payload registers of each `catch` variable of a method whose errors carry one. */
    protected readonly caughtPayloads = new Map<AstNode, Map<string, VReg[]>>();

    protected call(expr: CallExpr): Value {
        const type = this.types.typeOf(expr);
        const callee = expr.callee;
        if (isNameRef(callee) && isFunctionDecl(callee.target?.ref)) {
            const fn = callee.target.ref;
            const args = expr.args.flatMap((arg, i) => {
                const paramType = this.types.typeOfTypeRef(fn.params[i]?.type);
                if (paramType.kind === 'bytes') {
                    // A byte buffer goes by value as the address of a copy in the caller's frame.
                    const copy = this.bufferObject(paramType.capacity);
                    this.writeBuffer(copy.place, paramType.capacity, arg);
                    return [copy.place.base];
                }
                if (isAggregate(paramType)) return this.leafRegisters(this.aggregateValue(arg, paramType));
                if (isWide(paramType)) return this.wideOf(arg, paramType);
                return [this.convert(this.expression(arg), paramType, arg)];
            });
            const returned = fn.returnType ? this.types.typeOfTypeRef(fn.returnType) : undefined;
            if (returned && (isAggregate(returned) || returned.kind === 'bytes')) {
                // The caller provides the result's place: a temporary, passed as a hidden first argument.
                const made = returned.kind === 'bytes' ? this.bufferObject(returned.capacity) : this.frameObject(returned, expr);
                if (!made) return { regs: [], type };
                this.builder.emit({ op: 'call', callee: this.context.functionSymbol(fn), args: [made.place.base, ...args], results: [], convention: 'standard' });
                return { regs: [], type, place: made.place };
            }
            const results = returned ? (isWide(returned) ? [this.builder.register(), this.builder.register()] : [this.builder.register()]) : [];
            this.builder.emit({ op: 'call', callee: this.context.functionSymbol(fn), args, results, convention: 'standard' });
            return { regs: results, type };
        }
        const method = this.types.calledMethod(expr);
        if (method) {
            // A method that raises is only called under catch or try (the checker sees to it). For the
            // others the stub stops the component on an error reply the method cannot get, and returns
            // ServerFailed, which stops it here when nothing catches it.
            const outcome = this.methodCall(expr, method);
            if (!method.oneway) this.checkServerFailed(outcome.error, expr, type);
            return this.resultValue(outcome.results, type, expr);
        }
        this.context.unsupported(expr, 'this kind of call');
        return { regs: [], type };
    }

    /** Calls a method through its client stub: a0 = error label (0: success), a1.. = the results. */
    protected methodCall(expr: CallExpr, method: Method): { error: VReg; results: VReg[]; payload: VReg[] } {
        const receiver = (expr.callee as MemberExpr).receiver;
        const port = isNameRef(receiver) ? receiver.target?.ref : undefined;
        const error = this.builder.register();
        // Through a port, the stub knows the capability; through an endpoint value, it is passed in a1.
        const receiverType = this.types.typeOf(receiver);
        const dynamic = isUsesPort(port) ? undefined : this.expression(receiver).regs[0];
        if (!isUsesPort(port) && (receiverType.kind !== 'endpoint' || dynamic === undefined)) {
            this.context.unsupported(expr, 'calls through this kind of value');
            this.builder.emit({ op: 'const', dst: error, value: 0 });
            return { error, results: [], payload: [] };
        }
        // Struct and array arguments travel as their leaves, as the layout flattens them; byte buffers as
        // where they are in memory both sides see, copied back after the call when they are `out`.
        const copyIn: (() => void)[] = [];
        const copyBack: (() => void)[] = [];
        const shared: BulkPlaces = { offset: 0, leases: 0 };
        // `out` and `inout` strings and vecs, in parameter order: they come back after the results.
        const countedOuts: ClientCountedOut[] = [];
        const args = expr.args.flatMap((arg, i) => {
            const param = method.params[i];
            const paramType = param ? this.types.typeOfTypeRef(param.type) : this.types.typeOf(arg);
            if (paramType.kind === 'bytes' && param) {
                return this.bulkArgument(arg, method, param, paramType.capacity, isUsesPort(port) ? port : undefined, shared, { copyIn, copyBack });
            }
            const transfer = param ? paramTransfer(param, this.types) : undefined;
            if ((paramType.kind === 'string' || paramType.kind === 'vec') && param && transfer && transfer !== 'inline') {
                return this.countedBulkArgument(arg, param, paramType, transfer, isUsesPort(port) ? port : undefined, shared, copyIn, countedOuts);
            }
            if ((paramType.kind === 'string' || paramType.kind === 'vec') && param && param.direction && param.direction !== 'in') {
                // Inline: an `out` one sends nothing, an `inout` one its leaves; both come back in the reply's words.
                const place = this.aggregate(arg);
                if (place) countedOuts.push({ name: param.name, type: paramType, place });
                if (param.direction === 'out') return [];
            }
            if (isAggregate(paramType)) return this.leafRegisters(this.aggregateValue(arg, paramType));
            if (isWide(paramType)) return this.wideOf(arg, paramType);
            if (!scalarShape(paramType)) this.context.unsupported(arg, 'arguments of this type (buffers or capabilities)');
            return [this.convert(this.expression(arg), paramType, arg)];
        });
        const resultType = this.types.resultOf(method);
        const elements = resultType.kind === 'tuple' ? resultType.elements : resultType.kind === 'void' ? [] : [resultType];
        let count = 0;
        // A byte-buffer result arrives as an offset and a length in the port's shared region; it is copied
        // into a buffer of the caller's own, which stands for it from then on (its address).
        const bufferResults: { readonly at: number; readonly capacity: number; readonly copy: { object: number; place: Place } }[] = [];
        const window = isUsesPort(port) ? this.context.sharedWindow(port) : undefined;
        for (const element of elements) {
            if (element.kind === 'bytes') {
                if (window === undefined) this.context.unsupported(expr, 'byte-buffer results through an endpoint value');
                bufferResults.push({ at: count, capacity: element.capacity, copy: this.bufferObject(element.capacity) });
                count += 2;
                continue;
            }
            const leaves = livesInMemory(element) ? leavesOf(element, '', this.types) : scalarShape(element) ? [element] : undefined;
            if (!leaves) this.context.unsupported(expr, 'results of this type (buffers or capabilities)');
            count += leaves?.length ?? 0;
        }
        const outCounts = countedOuts.map(out => (out.window === undefined ? (leavesOf(out.type, '', this.types) ?? []).length : 1));
        const outTotal = outCounts.reduce((sum, n) => sum + n, 0);
        // An error's payload comes back where results would (ipc/error-replies.ts).
        const payloadCount = this.context.errorOrder(method).length;
        const returned = Array.from({ length: Math.max(count + outTotal, payloadCount) }, () => this.builder.register());
        const results = returned.slice(0, count);
        let outAt = count;
        for (const [i, out] of countedOuts.entries()) {
            const values = returned.slice(outAt, outAt + outCounts[i]);
            outAt += outCounts[i];
            copyBack.push(() => this.receiveCountedOut(out, values, expr));
        }
        const callee = isUsesPort(port) ? this.context.stubSymbol(port, method) : this.context.dynamicStubSymbol(method, expr);
        // Bytes are copied where the server finds them only now: a later argument may itself be a call.
        for (const copy of copyIn) copy();
        this.builder.emit({ op: 'call', callee, args, results: [error, ...returned], convention: 'message', cptr: isUsesPort(port) ? undefined : dynamic });
        for (const buffer of bufferResults) {
            const offset = results[buffer.at];
            copyBack.push(() => {
                // A server that names bytes outside the region stops this component, as a reply it does
                // not understand does.
                const room = this.builder.constant(this.context.sharedRegionBytes(method) - buffer.capacity);
                const outside = this.builder.binary('sltu', room, offset);
                const bad = this.builder.newBlock('badbulk');
                const good = this.builder.newBlock('goodbulk');
                this.builder.terminate({ op: 'branch', condition: outside, ifTrue: bad.label, ifFalse: good.label });
                this.builder.place(bad);
                this.builder.emit({ op: 'panic', code: PanicCode.BulkOutOfBounds, message: 'bulk data out of bounds in a reply\n' });
                this.builder.place(good);
                const source = this.builder.binary('add', this.builder.constant(window ?? 0), offset);
                copyBytes(this.builder, buffer.copy.place, { base: source, offset: 0 }, buffer.capacity);
            });
        }
        if (copyBack.length > 0) {
            // `out` bytes, strings and vecs are the server's answer only when it answered without an error.
            const answered = this.builder.newBlock('copyback');
            const done = this.builder.newBlock('copiedback');
            this.builder.terminate({ op: 'branch', condition: error, ifTrue: done.label, ifFalse: answered.label });
            this.builder.place(answered);
            for (const copy of copyBack) copy();
            this.builder.terminate({ op: 'jump', target: done.label });
            this.builder.place(done);
        }
        const checked = this.checkReplyUnions(error, results, elements, expr);
        // Each byte-buffer result's offset and length give way to the address of the caller's copy.
        const values: VReg[] = [];
        results.forEach((register, i) => {
            const buffer = bufferResults.find(candidate => candidate.at === i || candidate.at + 1 === i);
            if (!buffer) values.push(register);
            else if (buffer.at === i) values.push(buffer.copy.place.base);
        });
        return { error: checked, results: values, payload: returned.slice(0, payloadCount) };
    }

    /**
     * A reply's unions and optionals are checked as a server checks a request's (docs/ABI.md, "Unions and
     * optionals"): when one's tag numbers no variant, the reply counts as the bad-message error
     * (BAD_BULK_LABEL) in place of a success, which a `catch` or `try` then sees and which stops the
     * component when nothing catches it. Returns the error label the caller goes on with.
     */
    private checkReplyUnions(error: VReg, results: readonly VReg[], elements: readonly UkType[], node: AstNode): VReg {
        let valid: VReg | undefined;
        let at = 0;
        for (const element of elements) {
            // As methodCall counts them: a byte-buffer result is an offset and a length.
            const width = element.kind === 'bytes' ? 2 : livesInMemory(element) ? (leavesOf(element, '', this.types)?.length ?? 0) : scalarShape(element) ? 1 : 0;
            if (this.containsUnion(element)) {
                const { place } = this.materialiseLeaves(results.slice(at, at + width), element, node);
                const inner = this.unionsValid(place, element, node);
                if (inner !== undefined) valid = valid === undefined ? inner : this.builder.binary('and', valid, inner);
            }
            at += width;
        }
        if (valid === undefined) return error;
        const malformed = this.builder.binary('and', this.builder.binary('eq', error, this.builder.constant(0)), this.builder.binary('xor', valid, this.builder.constant(1)));
        return this.builder.binary('or', error, this.builder.binary('mul', malformed, this.builder.constant(BAD_BULK_LABEL)));
    }

    protected catchExpression(expr: CatchExpr): Value {
        const type = this.types.typeOf(expr);
        // The grammar types the operand as a binary expression; it is any expression, a call when checked.
        const call = expr.call as unknown as Expr;
        const method = this.types.calledMethod(call);
        if (!method || !isCallExpr(call)) {
            this.context.unsupported(expr, 'catch on this expression');
            return { regs: [], type };
        }
        const outcome = this.methodCall(call, method);
        const handler = this.builder.newBlock('catch');
        const join = this.builder.newBlock('caught');
        this.builder.terminate({ op: 'branch', condition: outcome.error, ifTrue: handler.label, ifFalse: join.label });
        this.builder.place(handler);
        const bound = this.builder.register();
        this.builder.emit({ op: 'copy', dst: bound, src: outcome.error });
        const errorType = this.types.typeOfReferable(expr.binding);
        // An error enum with a base wider than 32 bits is a pair in memory like any wide value; its
        // values (and ServerFailed) are 32-bit labels, so the high word is zero.
        if (isWide(errorType)) this.bindObject(expr.binding, errorType, this.materialiseLeaves([bound, this.builder.constant(0)], errorType, expr.binding).object, false);
        else this.bind(expr.binding, bound);
        if (method.payload) this.caughtPayloads.set(expr.binding, payloadFields(method.payload, outcome.payload, this.types));
        this.block(expr.handler);
        this.builder.terminate({ op: 'jump', target: join.label });
        this.builder.place(join);
        return this.resultValue(outcome.results, type, expr);
    }

    /** A method's result from its leaves: a struct or array result goes to a temporary in memory. */
    protected resultValue(regs: readonly VReg[], type: UkType, node: AstNode): Value {
        if (type.kind === 'bytes') return { regs: [], type, place: { base: regs[0], offset: 0 } };
        if (isAggregate(type)) return { regs: [], type, place: this.materialiseLeaves(regs, type, node).place };
        return { regs, type };
    }

    /** `try call`: an error reply becomes this handler's own error reply. */
    protected tryExpression(expr: Expr & { call: Expr }): Value {
        const type = this.types.typeOf(expr);
        const method = this.types.calledMethod(expr.call);
        if (!method || expr.call.$type !== 'CallExpr') {
            this.context.unsupported(expr, 'try on this expression');
            return { regs: [], type };
        }
        const outcome = this.methodCall(expr.call as CallExpr, method);
        const raise = this.builder.newBlock('raise');
        const join = this.builder.newBlock('tried');
        this.builder.terminate({ op: 'branch', condition: outcome.error, ifTrue: raise.label, ifFalse: join.label });
        this.builder.place(raise);
        // The payload goes on as it came (the checker sees that both methods carry the same one).
        this.builder.terminate({ op: 'return', values: [outcome.error, ...outcome.payload] });
        this.builder.place(join);
        return this.resultValue(outcome.results, type, expr);
    }

    /** `raise E.X { code: 5 }`: the error's value and its payload's values, in the method's payload order. */
    protected raiseValues(stmt: RaiseStmt): VReg[] {
        const label = this.expression(stmt.value).regs[0] ?? this.builder.constant(0);
        const method = AstUtils.getContainerOfType(stmt, isHandler)?.method?.ref;
        return [label, ...this.payloadValues(method, stmt.payload)];
    }

    /** The values of an error payload `{ code: 5, ... }` of `method`'s errors, in its payload order. */
    protected payloadValues(method: Method | undefined, payload: ErrorPayloadValue | undefined): VReg[] {
        const values: VReg[] = [];
        for (const field of method?.payload?.fields ?? []) {
            const init = payload?.fields.find(candidate => candidate.field?.ref === field);
            const type = this.types.typeOfTypeRef(field.type);
            if (!init) continue;
            values.push(...(isWide(type) ? this.wideOf(init.value, type) : [this.convert(this.expression(init.value), type, init.value)]));
        }
        return values;
    }

    /** `e.code` in a catch block: the payload value the call returned. */
    protected caughtField(expr: MemberExpr, type: UkType): Value | undefined {
        const receiver = expr.receiver;
        const binding = isNameRef(receiver) ? receiver.target?.ref : undefined;
        const fields = binding ? this.caughtPayloads.get(binding) : undefined;
        const regs = fields?.get(expr.member?.ref?.name ?? '');
        return regs ? { regs, type } : undefined;
    }

    /**
     * A call's uncaught ServerFailed stops the component at the call; so does a malformed reply (a union
     * tag that numbers no variant: checkReplyUnions), with a message of its own, when the result holds unions.
     */
    protected checkServerFailed(error: VReg, node: AstNode, resultType: UkType): void {
        const failed = this.builder.newBlock('failed');
        const ok = this.builder.newBlock('served');
        this.builder.terminate({ op: 'branch', condition: error, ifTrue: failed.label, ifFalse: ok.label });
        this.builder.place(failed);
        const position = this.context.position(node);
        const at = `${position.file}:${position.line}:${position.column}`;
        const results = resultType.kind === 'tuple' ? resultType.elements : [resultType];
        if (results.some(result => this.containsUnion(result))) {
            const malformed = this.builder.newBlock('malformed');
            const serverFailed = this.builder.newBlock('serverfailed');
            this.builder.terminate({ op: 'branch', condition: this.builder.binary('eq', error, this.builder.constant(BAD_BULK_LABEL)), ifTrue: malformed.label, ifFalse: serverFailed.label });
            this.builder.place(malformed);
            this.builder.emit({ op: 'panic', code: PanicCode.UnexpectedReply, message: `call failed: a malformed reply (a union tag that names no variant) at ${at}\n` });
            this.builder.place(serverFailed);
        }
        this.builder.emit({ op: 'panic', code: PanicCode.ServerFailed, message: `call failed: the server failed (ServerFailed) at ${at}\n` });
        this.builder.place(ok);
    }
}
