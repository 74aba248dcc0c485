/**
 * Strings and vecs in expression lowering. In memory both are a length word followed by their items — a
 * string's bytes in whole words, a vec's elements as an array's — so that they are aggregates like
 * structs (copied, passed and sent inline as their leaves, aggregates.ts). Here: building them from
 * literals and from each other, comparing strings, `len`, printing, vec indexing and `push`, a handler's
 * check of a received one, a string or vec sent as bulk data (the shared region or a lease), and `out`
 * and `inout` ones coming back: what a handler adds to its reply, and what a caller takes from one.
 */
import { isArrayLiteral, isStringLiteral, utf8Bytes, type Expr, type IndexExpr, type Param, type StringType, type UkType, type UsesPort, type VecType } from '../../language/index.js';
import { BAD_BULK_LABEL, PanicCode, clientLeaseWindow } from '../../../runtime/contract/index.js';
import type { VReg } from '../ir.js';
import { WORD, leavesOf, sizeOf } from './aggregates.js';
import { BufferLowering } from './buffer-lowering.js';
import { copyBytes, copyWords, fillWords, type Place } from './memory-ops.js';
import type { BulkPlaces } from './lowering-context.js';

/** Runtime routines (string-routines.ts). */
export const STRING_EQUAL_SYMBOL = '__ukc_string_eq';
export const UTF8_VALID_SYMBOL = '__ukc_utf8_valid';

/** A handler's `out` or `inout` string or vec: its own copy (a frame object) and where its caller wants it back. */
export interface CountedOut {
    readonly type: StringType | VecType;
    readonly object: number;
    /** In the reply's words; at an offset (a parameter register) of the caller's shared region; in a leased page. */
    readonly target: { readonly kind: 'inline' } | { readonly kind: 'shared'; readonly offset: VReg } | { readonly kind: 'lease'; readonly window: number };
}

/** A caller's `out` or `inout` string or vec argument: its variable, and its items' window when they travel as bulk data. */
export interface ClientCountedOut {
    readonly name: string;
    readonly type: StringType | VecType;
    readonly place: Place;
    readonly window?: number;
}

/** Bytes a string or vec takes in the shared region or a lease: a string's capacity, a vec's items as in memory. */
function countedBulkBytes(type: StringType | VecType, itemBytes: number): number {
    return type.kind === 'string' ? type.capacity : itemBytes;
}

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
    protected countedLength(expr: Expr | undefined, at?: Place): VReg {
        const place = at ?? (expr ? this.aggregate(expr) : undefined);
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
        const ok = this.builder.newBlock('received');
        const refused = this.builder.newBlock('refused');
        this.builder.terminate({ op: 'branch', condition: this.isWellFormed(place, type), ifTrue: ok.label, ifFalse: refused.label });
        this.builder.place(refused);
        this.builder.terminate({ op: 'return', values: [this.builder.constant(BAD_BULK_LABEL)] });
        this.builder.place(ok);
    }

    /** 1 when the string or vec at `place` has a length within its capacity and, a string, well-formed UTF-8 bytes. */
    private isWellFormed(place: Place, type: StringType | VecType): VReg {
        const length = this.builder.register();
        this.builder.emit({ op: 'loadIndirect', dst: length, base: place.base, offset: place.offset, size: 4, signed: false });
        const valid = this.builder.binary('sltu', length, this.builder.constant(type.capacity + 1));
        if (type.kind !== 'string') return valid;
        const utf8 = this.builder.register();
        const bytes = this.builder.binary('add', place.base, this.builder.constant(place.offset + WORD));
        // Only within the capacity: a length beyond it is refused anyway.
        const bounded = this.builder.binary('mul', length, valid);
        this.builder.emit({ op: 'call', callee: UTF8_VALID_SYMBOL, args: [bytes, bounded], results: [utf8], convention: 'standard' });
        return this.builder.binary('and', valid, utf8);
    }

    /**
     * The values a handler's `out` and `inout` strings and vecs add to its reply, in parameter order: an
     * inline one's leaves; for one in the caller's shared region or leased page, its items are copied there
     * (before the dispatch loop lets go of the lease) and its length is the value.
     */
    protected countedOutValues(outs: readonly CountedOut[]): VReg[] {
        return outs.flatMap(out => {
            const base = this.builder.register();
            this.builder.emit({ op: 'frameAddress', dst: base, object: out.object });
            const place = { base, offset: 0 };
            if (out.target.kind === 'inline') return this.readLeaves(place, out.type);
            const target = out.target.kind === 'lease' ? this.builder.constant(out.target.window)
                : this.bulkAddress({ kind: 'shared', offset: out.target.offset, length: out.target.offset, capacity: 0 });
            copyBytes(this.builder, { base: target, offset: 0 }, { base, offset: WORD }, countedBulkBytes(out.type, this.itemBytes(out.type)));
            return [this.countedLength(undefined, place)];
        });
    }

    /**
     * After a call answered without an error: an `out` or `inout` string or vec comes back into the
     * caller's variable — an inline one's leaves from the reply, else its length from the reply and its
     * items from where the server wrote them — and is checked as a server checks what it receives. One
     * that is longer than its capacity or not UTF-8 stops the component (bad-reply-data), as a reply it
     * cannot understand does.
     */
    protected receiveCountedOut(out: ClientCountedOut, values: readonly VReg[], node: Expr): void {
        if (out.window === undefined) {
            const leaves = leavesOf(out.type, '', this.types) ?? [];
            leaves.forEach((leaf, i) => this.builder.emit({ op: 'storeIndirect', src: values[i], base: out.place.base, offset: out.place.offset + leaf.offset, size: 4 }));
        } else {
            this.builder.emit({ op: 'storeIndirect', src: values[0], base: out.place.base, offset: out.place.offset, size: 4 });
            copyBytes(this.builder, { base: out.place.base, offset: out.place.offset + WORD }, { base: this.builder.constant(out.window), offset: 0 },
                countedBulkBytes(out.type, this.itemBytes(out.type)));
        }
        const ok = this.builder.newBlock('replydata');
        const bad = this.builder.newBlock('badreplydata');
        this.builder.terminate({ op: 'branch', condition: this.isWellFormed(out.place, out.type), ifTrue: ok.label, ifFalse: bad.label });
        this.builder.place(bad);
        const position = this.context.position(node);
        const what = out.type.kind === 'string' ? `not UTF-8 or longer than ${out.type.capacity} bytes` : `longer than ${out.type.capacity} elements`;
        this.builder.emit({ op: 'panic', code: PanicCode.BadReplyData, message: `bad reply: the ${out.type.kind} '${out.name}' is ${what} at ${position.file}:${position.line}:${position.column}\n` });
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
    protected countedBulkArgument(arg: Expr, param: Param, type: StringType | VecType, transfer: 'shared' | 'lease', port: UsesPort | undefined,
        shared: BulkPlaces, copyIn: (() => void)[], outs: ClientCountedOut[]): VReg[] {
        const sharedBase = port ? this.context.sharedWindow(port) : undefined;
        const place = this.countedAs(arg, type);
        if (!place || (transfer === 'shared' && sharedBase === undefined)) {
            this.context.unsupported(arg, transfer === 'shared' ? 'a shared string or vec through an endpoint value' : 'this string or vec argument');
            return transfer === 'shared' ? [this.builder.constant(0), this.builder.constant(0)] : [this.builder.constant(0)];
        }
        // As many bytes as the layout gives it in the region (a string's capacity, not rounded to words).
        const bytes = countedBulkBytes(type, this.itemBytes(type));
        const window = transfer === 'shared' ? (sharedBase as number) + shared.offset : clientLeaseWindow(shared.leases);
        const offset = shared.offset;
        if (transfer === 'shared') shared.offset += bytes;
        else this.context.sendsLeases(++shared.leases);
        const direction = param.direction ?? 'in';
        if (direction !== 'in') outs.push({ name: param.name, type, place, window });
        // An `out` one sends nothing but its place: the server starts from an empty value.
        if (direction === 'out') return transfer === 'shared' ? [this.builder.constant(offset), this.builder.constant(0)] : [this.builder.constant(0)];
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
