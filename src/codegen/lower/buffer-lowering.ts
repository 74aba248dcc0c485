/**
 * Byte buffers in expression lowering: indexing one (bounds-checked), where a bulk parameter's bytes are,
 * writing a buffer value into a place, and where a client's byte-buffer arguments are copied for a call
 * (the shared region, the lease staging page or the message's words).
 */
import { isArrayLiteral, isCallExpr, isNameRef, type Expr, type IndexExpr, type Method, type Param, type UsesPort } from '../../language/index.js';
import type { VReg } from '../ir.js';
import { IPC_MSG, PanicCode, IPC_BUFFER, clientLeaseWindow } from '../../../runtime/contract/index.js';
import { WORD } from './aggregates.js';
import { bufferBytes, copyBytes, fillWords, type Place } from './memory-ops.js';
import type { BulkParameter, BulkPlaces } from './lowering-context.js';
import { MemoryLowering } from './memory-lowering.js';

/** Byte buffers: variables, handler bulk parameters and a call's byte-buffer arguments. */
export abstract class BufferLowering extends MemoryLowering {
    /**
     * The address of `buffer[i]` for a byte buffer (a bulk parameter or a variable), after checking `i`
     * against its length; undefined when the expression indexes something else.
     */
    protected bufferByte(expr: IndexExpr): VReg | undefined {
        const receiver = expr.receiver;
        const target = isNameRef(receiver) ? receiver.target?.ref : undefined;
        const parameter = target ? this.buffers.get(target) : undefined;
        const receiverType = this.types.typeOf(receiver);
        if (!parameter && receiverType.kind !== 'bytes') return undefined;
        // A variable where it is; a call's result in the place the call provided.
        const variable = parameter ? undefined : this.placeOf(receiver) ?? (isCallExpr(receiver) ? this.expression(receiver).place : undefined);
        if (!parameter && !variable) return undefined;
        const index = this.expression(expr.index).regs[0];
        const length = parameter && (parameter.kind === 'shared' || parameter.kind === 'lease') ? parameter.length
            : this.builder.constant(receiverType.kind === 'bytes' ? receiverType.capacity : 0);
        const inside = this.builder.binary('sltu', index, length);
        const ok = this.builder.newBlock('inbuffer');
        const outside = this.builder.newBlock('outofbuffer');
        this.builder.terminate({ op: 'branch', condition: inside, ifTrue: ok.label, ifFalse: outside.label });
        this.builder.place(outside);
        const position = this.context.position(expr);
        this.builder.emit({ op: 'panic', code: PanicCode.IndexOutOfBounds, message: `index out of bounds (buffer) at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
        if (variable) {
            const base = this.builder.binary('add', variable.base, index);
            return variable.offset === 0 ? base : this.builder.binary('add', base, this.builder.constant(variable.offset));
        }
        return this.builder.binary('add', this.bulkAddress(parameter as BulkParameter), index);
    }

    /** Where a byte-buffer parameter's first byte is. */
    protected bulkAddress(parameter: BulkParameter): VReg {
        switch (parameter.kind) {
            case 'copy': return parameter.address;
            case 'lease': return this.builder.constant(parameter.window);
            case 'inline': {
                const base = this.builder.register();
                this.builder.emit({ op: 'address', dst: base, symbol: parameter.symbol });
                return base;
            }
            case 'shared': {
                const region = this.builder.register();
                this.builder.emit({ op: 'load', dst: region, symbol: '__ukc_region', offset: 0, size: 4, signed: false });
                return this.builder.binary('add', region, parameter.offset);
            }
        }
    }

    /** A fresh frame object for a byte buffer of `capacity` bytes, with its address. */
    protected bufferObject(capacity: number): { object: number; place: Place } {
        const object = this.builder.fn.frameObjects.length;
        this.builder.fn.frameObjects.push(bufferBytes(capacity));
        const base = this.builder.register();
        this.builder.emit({ op: 'frameAddress', dst: base, object });
        return { object, place: { base, offset: 0 } };
    }

    /**
     * Writes a value into a byte buffer of `capacity` at `place`: nothing (zeros), `[v; n]`, `[a, b, ...]`
     * (the rest zero), or another buffer's bytes.
     */
    protected writeBuffer(place: Place, capacity: number, value: Expr | undefined): void {
        const size = bufferBytes(capacity);
        if (value && isArrayLiteral(value) && value.count) {
            const byte = this.builder.binary('and', this.expression(value.elements[0]).regs[0], this.builder.constant(0xff));
            fillWords(this.builder, place, size, this.builder.binary('mul', byte, this.builder.constant(0x0101_0101)));
            // The last word's spare bytes stay zero, so that equal buffers are equal words.
            for (let spare = capacity; spare < size; spare++) {
                this.builder.emit({ op: 'storeIndirect', src: this.builder.constant(0), base: place.base, offset: place.offset + spare, size: 1 });
            }
            return;
        }
        if (!value || isArrayLiteral(value)) {
            fillWords(this.builder, place, size, this.builder.constant(0));
            for (const [i, element] of (value?.elements ?? []).entries()) {
                this.builder.emit({ op: 'storeIndirect', src: this.expression(element).regs[0], base: place.base, offset: place.offset + i, size: 1 });
            }
            return;
        }
        // A variable or parameter is where it is; a call's result is in the place the call provided.
        const source = this.placeOf(value) ?? (isCallExpr(value) ? this.expression(value).place : undefined);
        const sourceType = this.types.typeOf(value);
        if (!source || sourceType.kind !== 'bytes') {
            this.context.unsupported(value, 'this kind of byte-buffer value');
            return;
        }
        if (sourceType.capacity < capacity) fillWords(this.builder, place, size, this.builder.constant(0));
        copyBytes(this.builder, place, source, Math.min(capacity, sourceType.capacity));
    }

    /**
     * A byte-buffer argument: its bytes go where the server will find them — the port's shared region (at
     * `shared.offset`, the next free byte for this call; the message carries offset and length), the
     * component's staging page for the call's next lease (`shared.leases`; the stub sends the page's frame
     * and the message carries the length), or the
     * message's own words in the IPC buffer (inline; the stub loads those that travel in registers). The
     * copies in run just before the call (`copies.copyIn`); an `out` or `inout` buffer is copied back after
     * it (`copies.copyBack`). Returns the registers the stub takes for it.
     */
    protected bulkArgument(arg: Expr, method: Method, param: Param, capacity: number, port: UsesPort | undefined, shared: BulkPlaces,
        copies: { readonly copyIn: (() => void)[]; readonly copyBack: (() => void)[] }): VReg[] {
        const transfer = param.transfer ?? 'shared';
        const direction = param.direction ?? 'in';
        const argType = this.types.typeOf(arg);
        const size = Math.min(capacity, argType.kind === 'bytes' ? argType.capacity : isArrayLiteral(arg) ? capacity : 0);
        let source = this.placeOf(arg);
        if (!source && isArrayLiteral(arg)) {
            source = this.bufferObject(capacity).place;
            this.writeBuffer(source, capacity, arg);
        }
        const sharedBase = port ? this.context.sharedWindow(port) : undefined;
        const inlineIn = transfer === 'inline' && direction !== 'out' ? this.context.inlineWord(method, param, 'request') : undefined;
        const inlineOut = transfer === 'inline' && direction !== 'in' ? this.context.inlineWord(method, param, 'reply') : undefined;
        const problem = !source ? 'this byte-buffer argument (it must be a variable or a literal)'
            : transfer === 'shared' && sharedBase === undefined ? 'this byte-buffer argument (shared buffers go through a port, and must be variables)'
            : transfer === 'inline' && (direction !== 'out' ? inlineIn === undefined : false) ? 'this inline byte-buffer argument'
            : transfer === 'inline' && direction !== 'in' && inlineOut === undefined ? 'inline bytes out of a oneway method'
            : undefined;
        const none = { shared: 2, lease: 1, inline: 0 }[transfer];
        if (problem || !source) {
            this.context.unsupported(arg, problem ?? 'this byte-buffer argument');
            return Array.from({ length: none }, () => this.builder.constant(0));
        }
        const from = source;
        if (transfer === 'inline') {
            // In the request's words (the last word's spare bytes as zeros), and back from the reply's, which
            // the stub leaves in the IPC buffer.
            if (inlineIn !== undefined) {
                const window = IPC_BUFFER + IPC_MSG + 4 * inlineIn;
                copies.copyIn.push(() => {
                    const target = { base: this.builder.constant(window), offset: 0 };
                    if (size % WORD !== 0) this.builder.emit({ op: 'storeIndirect', src: this.builder.constant(0), base: target.base, offset: size - (size % WORD), size: 4 });
                    copyBytes(this.builder, target, from, size);
                });
            }
            if (inlineOut !== undefined) {
                const window = IPC_BUFFER + IPC_MSG + 4 * inlineOut;
                copies.copyBack.push(() => copyBytes(this.builder, from, { base: this.builder.constant(window), offset: 0 }, size));
            }
            return [];
        }
        const window = transfer === 'shared' ? (sharedBase as number) + shared.offset : clientLeaseWindow(shared.leases);
        const offset = shared.offset;
        if (transfer === 'shared') shared.offset += capacity;
        else this.context.sendsLeases(++shared.leases);
        if (direction !== 'out') copies.copyIn.push(() => copyBytes(this.builder, { base: this.builder.constant(window), offset: 0 }, from, size));
        if (direction !== 'in') copies.copyBack.push(() => copyBytes(this.builder, from, { base: this.builder.constant(window), offset: 0 }, size));
        return transfer === 'shared' ? [this.builder.constant(offset), this.builder.constant(size)] : [this.builder.constant(size)];
    }
}
