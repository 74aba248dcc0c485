/**
 * Strings and vecs in expression lowering. In memory both are a length word followed by their items — a
 * string's bytes in whole words, a vec's elements as an array's — so that they are aggregates like
 * structs (copied, passed and sent inline as their leaves, aggregates.ts). Here: building them from
 * literals and from each other, comparing strings, `len`, printing, vec indexing and `push`, a handler's
 * check of a received one, and a string or vec sent as bulk data (the shared region or a lease).
 */
import { isArrayLiteral, isStringLiteral, utf8Bytes, type Expr, type IndexExpr, type StringType, type UkType, type UsesPort, type VecType } from '../../language/index.js';
import { BAD_BULK_LABEL, CLIENT_LEASE_WINDOW, PanicCode } from '../../../runtime/contract/index.js';
import type { VReg } from '../ir.js';
import { WORD, sizeOf } from './aggregates.js';
import { BufferLowering } from './buffer-lowering.js';
import { copyBytes, copyWords, fillWords, type Place } from './memory-ops.js';

/** Runtime routines (string-routines.ts). */
export const STRING_EQUAL_SYMBOL = '__ukc_string_eq';
export const UTF8_VALID_SYMBOL = '__ukc_utf8_valid';

export abstract class CountedLowering extends BufferLowering {
    /** Bytes a string's or vec's items take in memory (after its length word). */
    protected itemBytes(type: StringType | VecType): number {
        return (sizeOf(type, this.types) ?? WORD) - WORD;
    }

    /**
     * Writes a string or vec value into the place of one of `type`: a string literal's bytes, a list's
     * elements (`[1, 2, 3]`, `[0; 4]`), or another string or vec of at most the same capacity; items past
     * the length are zeros, so that a value's words say nothing beyond it.
     */
    protected writeCounted(place: Place, type: StringType | VecType, value: Expr | undefined): void {
        const size = this.itemBytes(type);
        const items = { base: place.base, offset: place.offset + WORD };
        if (!value) {
            fillWords(this.builder, place, size + WORD, this.builder.constant(0));
            return;
        }
        if (isStringLiteral(value) && type.kind === 'string') {
            const bytes = utf8Bytes(value.value ?? '');
            this.builder.emit({ op: 'storeIndirect', src: this.builder.constant(bytes.length), base: place.base, offset: place.offset, size: 4 });
            for (let offset = 0; offset < size; offset += WORD) {
                let word = 0;
                for (let i = 0; i < WORD; i++) word |= (bytes[offset + i] ?? 0) << (8 * i);
                this.builder.emit({ op: 'storeIndirect', src: this.builder.constant(word | 0), base: items.base, offset: items.offset + offset, size: 4 });
            }
            return;
        }
        if (isArrayLiteral(value) && type.kind === 'vec') {
            const count = value.count ? this.types.lengthOf(value.count) ?? 0 : value.elements.length;
            const stride = sizeOf(type.element, this.types) ?? WORD;
            fillWords(this.builder, items, size, this.builder.constant(0));
            this.builder.emit({ op: 'storeIndirect', src: this.builder.constant(count), base: place.base, offset: place.offset, size: 4 });
            for (let i = 0; i < count; i++) {
                const element = value.count ? value.elements[0] : value.elements[i];
                this.storeValue({ base: items.base, offset: items.offset + i * stride }, type.element, element);
            }
            return;
        }
        const sourceType = this.types.typeOf(value);
        const source = this.aggregate(value);
        if (!source || (sourceType.kind !== 'string' && sourceType.kind !== 'vec')) {
            this.context.unsupported(value, 'this kind of string or vec value');
            return;
        }
        const sourceSize = this.itemBytes(sourceType);
        copyWords(this.builder, place, source, WORD + Math.min(size, sourceSize));
        if (sourceSize < size) fillWords(this.builder, { base: items.base, offset: items.offset + sourceSize }, size - sourceSize, this.builder.constant(0));
    }

    /** A string or vec value as one of `type`: itself when the types agree, else a copy widened to `type`. */
    protected countedAs(value: Expr, type: StringType | VecType): Place | undefined {
        const own = this.types.typeOf(value);
        if (own.kind === type.kind && own.capacity === type.capacity && !isStringLiteral(value) && !isArrayLiteral(value)) return this.aggregate(value);
        const made = this.frameObject(type, value);
        if (!made) return undefined;
        this.writeCounted(made.place, type, value);
        return made.place;
    }

    /** A string literal as a value: a temporary of its own length. */
    protected stringLiteral(expr: Expr, type: StringType): { regs: VReg[]; type: UkType; place?: Place } {
        const made = this.frameObject(type, expr);
        if (!made) return { regs: [], type };
        this.writeCounted(made.place, type, expr);
        return { regs: [], type, place: made.place };
    }

    /** `a == b` on strings of any capacities: equal lengths and equal bytes up to the length. */
    protected stringEquality(left: Expr, right: Expr, negate: boolean): VReg {
        const a = this.aggregate(left);
        const b = this.aggregate(right);
        if (!a || !b) return this.builder.constant(0);
        const equal = this.builder.register();
        this.builder.emit({ op: 'call', callee: STRING_EQUAL_SYMBOL, args: [this.addressOf(a), this.addressOf(b)], results: [equal], convention: 'standard' });
        return negate ? this.builder.binary('xor', equal, this.builder.constant(1)) : equal;
    }

    /** `len(s)`, `len(v)`: the length word. */
    protected countedLength(expr: Expr, at?: Place): VReg {
        const place = at ?? this.aggregate(expr);
        const length = this.builder.register();
        if (place) this.builder.emit({ op: 'loadIndirect', dst: length, base: place.base, offset: place.offset, size: 4, signed: false });
        else this.builder.emit({ op: 'const', dst: length, value: 0 });
        return length;
    }

    /** `print("{}", s)`: the string's bytes as they are. */
    protected printString(place: Place): void {
        const length = this.builder.register();
        this.builder.emit({ op: 'loadIndirect', dst: length, base: place.base, offset: place.offset, size: 4, signed: false });
        const bytes = this.builder.binary('add', place.base, this.builder.constant(place.offset + WORD));
        this.builder.emit({ op: 'call', callee: '__ukc_write', args: [bytes, length], results: [], convention: 'standard' });
    }

    /**
     * `v[i]`, `s[i]`: the element's (the byte's) place, after checking `i` against the vec's (the string's)
     * length (a panic when it is not below).
     */
    protected countedElement(expr: IndexExpr, type: StringType | VecType): Place | undefined {
        const receiver = this.aggregate(expr.receiver);
        const stride = type.kind === 'string' ? 1 : sizeOf(type.element, this.types);
        if (!receiver || stride === undefined) return undefined;
        const index = this.expression(expr.index).regs[0];
        const length = this.countedLength(expr.receiver);
        this.boundsCheck(index, length, expr, `index out of bounds (${type.kind})`);
        const offset = this.builder.binary('mul', index, this.builder.constant(stride));
        return { base: this.builder.binary('add', receiver.base, offset), offset: receiver.offset + WORD };
    }

    /** The address of `s[i]`, a byte of a string, after checking `i` against its length; undefined for anything else. */
    protected stringByte(expr: IndexExpr): VReg | undefined {
        const type = this.types.typeOf(expr.receiver);
        if (type.kind !== 'string') return undefined;
        const place = this.countedElement(expr, type);
        return place ? this.builder.binary('add', place.base, this.builder.constant(place.offset)) : undefined;
    }

    /** `push(v, x)`: stores `x` after the last element and counts it; a full vec panics (index out of bounds). */
    protected push(target: Expr, value: Expr): void {
        const type = this.types.typeOf(target);
        const place = this.placeOf(target);
        const stride = type.kind === 'vec' ? sizeOf(type.element, this.types) : undefined;
        if (type.kind !== 'vec' || !place || stride === undefined) {
            this.context.unsupported(target, 'push onto this value');
            return;
        }
        const length = this.countedLength(target);
        this.boundsCheck(length, this.builder.constant(type.capacity), target, `push onto a full vec (capacity ${type.capacity})`);
        const at = this.builder.binary('add', place.base, this.builder.binary('mul', length, this.builder.constant(stride)));
        this.storeValue({ base: at, offset: place.offset + WORD }, type.element, value);
        this.builder.emit({ op: 'storeIndirect', src: this.builder.binary('add', length, this.builder.constant(1)), base: place.base, offset: place.offset, size: 4 });
    }

    /**
     * A handler's check of a string or vec it received, before its body runs: the length is at most the
     * capacity and a string's bytes are valid UTF-8. A request that fails gets the bad-bulk error reply
     * (BAD_BULK_LABEL, docs/ABI.md): the handler returns that label without running.
     */
    protected checkReceived(place: Place, type: StringType | VecType): void {
        const length = this.builder.register();
        this.builder.emit({ op: 'loadIndirect', dst: length, base: place.base, offset: place.offset, size: 4, signed: false });
        let valid = this.builder.binary('sltu', length, this.builder.constant(type.capacity + 1));
        if (type.kind === 'string') {
            const utf8 = this.builder.register();
            const bytes = this.builder.binary('add', place.base, this.builder.constant(place.offset + WORD));
            // Only within the capacity: a length beyond it is refused anyway.
            const bounded = this.builder.binary('mul', length, valid);
            this.builder.emit({ op: 'call', callee: UTF8_VALID_SYMBOL, args: [bytes, bounded], results: [utf8], convention: 'standard' });
            valid = this.builder.binary('and', valid, utf8);
        }
        const ok = this.builder.newBlock('received');
        const refused = this.builder.newBlock('refused');
        this.builder.terminate({ op: 'branch', condition: valid, ifTrue: ok.label, ifFalse: refused.label });
        this.builder.place(refused);
        this.builder.terminate({ op: 'return', values: [this.builder.constant(BAD_BULK_LABEL)] });
        this.builder.place(ok);
    }

    /**
     * A handler's string or vec that came as bulk data (`shared`: at an offset of the caller's region;
     * `lease`: in the mapped page): copied, with its length, into a frame object of the handler's own, so
     * that the body sees an ordinary value and the caller cannot change it underneath.
     */
    protected receiveCountedBulk(type: StringType | VecType, data: VReg, length: VReg, node: Parameters<CountedLowering['frameObject']>[1]): { object: number; place: Place } | undefined {
        const made = this.frameObject(type, node);
        if (!made) return undefined;
        this.builder.emit({ op: 'storeIndirect', src: length, base: made.place.base, offset: made.place.offset, size: 4 });
        copyBytes(this.builder, { base: made.place.base, offset: made.place.offset + WORD }, { base: data, offset: 0 }, this.itemBytes(type));
        return made;
    }

    /**
     * A string or vec argument sent as bulk data: its items are copied, just before the call, into the
     * port's shared region (at the call's next free offset) or the lease staging page, and the message
     * carries its length (and the offset). Returns the registers the stub takes for it.
     */
    protected countedBulkArgument(arg: Expr, type: StringType | VecType, transfer: 'shared' | 'lease', port: UsesPort | undefined,
        shared: { offset: number }, copyIn: (() => void)[]): VReg[] {
        const sharedBase = port ? this.context.sharedWindow(port) : undefined;
        const place = this.countedAs(arg, type);
        if (!place || (transfer === 'shared' && sharedBase === undefined)) {
            this.context.unsupported(arg, transfer === 'shared' ? 'a shared string or vec through an endpoint value' : 'this string or vec argument');
            return transfer === 'shared' ? [this.builder.constant(0), this.builder.constant(0)] : [this.builder.constant(0)];
        }
        // As many bytes as the layout gives it in the region (a string's capacity, not rounded to words).
        const bytes = type.kind === 'string' ? type.capacity : this.itemBytes(type);
        const window = transfer === 'shared' ? (sharedBase as number) + shared.offset : CLIENT_LEASE_WINDOW;
        const offset = shared.offset;
        if (transfer === 'shared') shared.offset += bytes;
        else this.context.sendsLeases();
        const length = this.countedLength(arg, place);
        copyIn.push(() => copyBytes(this.builder, { base: this.builder.constant(window), offset: 0 }, { base: place.base, offset: place.offset + WORD }, bytes));
        return transfer === 'shared' ? [this.builder.constant(offset), length] : [length];
    }

    private addressOf(place: Place): VReg {
        return place.offset === 0 ? place.base : this.builder.binary('add', place.base, this.builder.constant(place.offset));
    }

    private boundsCheck(index: VReg, limit: VReg, node: Expr, what: string): void {
        const inside = this.builder.binary('sltu', index, limit);
        const ok = this.builder.newBlock('inbounds');
        const outside = this.builder.newBlock('outofbounds');
        this.builder.terminate({ op: 'branch', condition: inside, ifTrue: ok.label, ifFalse: outside.label });
        this.builder.place(outside);
        const position = this.context.position(node);
        this.builder.emit({ op: 'panic', code: PanicCode.IndexOutOfBounds, message: `${what} at ${position.file}:${position.line}:${position.column}\n` });
        this.builder.place(ok);
    }
}
