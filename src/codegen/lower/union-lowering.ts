/**
 * Unions and optionals in body lowering. A value lives in memory as its packed bits (docs/ABI.md, "Unions
 * and optionals"), the same bits it travels as: the tag in the low bits, the payload after it, unused bits
 * zero. So sending, receiving, copying and `==` are those of any aggregate (its words); here: building a
 * value (`Shape.circle(5)`, `Shape.empty`, `none`, a value becoming `some`), `match` and `if let`, a
 * handler's check of a received one and `print`.
 */
import type { AstNode } from 'langium';
import {
    isCallExpr, isMemberExpr, isNoneLiteral, isUnionVariant, scalarKind, type Binding, type Expr, type IfStmt, type MatchStmt, type UkType, type UkTypeSystem
} from '../../language/index.js';
import { BAD_BULK_LABEL, kindBits, payloadLeaves, type PayloadShape, type UnionKind } from '../../../runtime/contract/index.js';
import type { VReg } from '../ir.js';
import { WORD, fieldOf, isUnion, isWide, scalarShape, sizeOf, wideShape } from './aggregates.js';
import { ExpressionLowering } from './expression-lowering.js';
import { floatPrinter } from './float-lowering.js';
import type { Value } from './lowering-context.js';
import type { Place } from './memory-ops.js';
import { payloadPieces } from './union-pieces.js';

export abstract class UnionLowering extends ExpressionLowering {
    /** Binds a `match` arm's or `if let`'s name to an unpacked payload: a register, or a frame object. */
    protected abstract bindPayload(binding: Binding, type: UkType, payload: { readonly register: VReg } | { readonly object: number }): void;
    protected abstract printer(type: UkType, spec: string, node: AstNode): string;
    protected abstract write(text: string): void;
    protected abstract printWide(words: readonly VReg[], type: UkType, spec: string): void;

    /** The packing of a union or optional type (the checker has refused the ones that have none). */
    protected unionKindOf(type: UkType, node: AstNode): UnionKind | undefined {
        const kind = scalarKind(type, this.types);
        if (kind?.kind === 'union') return kind;
        this.context.unsupported(node, 'values of this union');
        return undefined;
    }

    /** `Shape.empty` and `Shape.circle(5)`: a new value; undefined for expressions that name storage or call. */
    protected override unionExpression(expr: Expr, type: UkType): Value | undefined {
        if (isMemberExpr(expr) && isUnionVariant(expr.member?.ref)) {
            const variant = expr.member.ref;
            return this.buildUnion(type, variant.$container.variants.indexOf(variant), undefined, expr);
        }
        if (isCallExpr(expr) && isMemberExpr(expr.callee) && isUnionVariant(expr.callee.member?.ref)) {
            const variant = expr.callee.member.ref;
            const payloadType = this.types.typeOfTypeRef(variant.type);
            return this.buildUnion(type, variant.$container.variants.indexOf(variant), { expr: expr.args[0], type: payloadType }, expr);
        }
        return undefined;
    }

    /** A value as `type` wants it; for an optional, `none` and a value of its type (which becomes `some`). */
    protected override aggregateValue(expr: Expr, type: UkType): Value {
        if (type.kind === 'optional' && this.types.typeOf(expr).kind !== 'optional') {
            return isNoneLiteral(expr) ? this.buildUnion(type, 0, undefined, expr) : this.buildUnion(type, 1, { expr, type: type.inner }, expr);
        }
        return super.aggregateValue(expr, type);
    }

    /** Packs a tag and a payload into a new frame object: the payload's words go to their bits (union-pieces.ts). */
    private buildUnion(type: UkType, tag: number, payload: { expr: Expr; type: UkType } | undefined, node: Expr): Value {
        const kind = this.unionKindOf(type, node);
        const made = kind ? this.frameObject(type, node) : undefined;
        if (!kind || !made) return { regs: [], type };
        const words: VReg[] = Array.from({ length: Math.ceil(kind.bits / 32) }, (_, i) => this.builder.constant(i === 0 ? tag : 0));
        if (payload) {
            const memory = this.payloadWords(payload.expr, payload.type);
            for (const piece of payloadPieces(kind, tag)) {
                const value = this.maskTo(memory[piece.word] ?? this.builder.constant(0), piece.bits);
                const word = piece.lo >> 5;
                const shift = piece.lo & 31;
                words[word] = this.builder.binary('or', words[word], shift === 0 ? value : this.builder.binary('sll', value, this.builder.constant(shift)));
                if (shift + piece.bits > 32) {
                    words[word + 1] = this.builder.binary('or', words[word + 1], this.builder.binary('srl', value, this.builder.constant(32 - shift)));
                }
            }
        }
        words.forEach((word, i) => this.builder.emit({ op: 'storeIndirect', src: word, base: made.place.base, offset: made.place.offset + WORD * i, size: 4 }));
        return { regs: [], type, place: made.place };
    }

    /** A payload value as its memory words (aggregates.ts): a scalar's one, a 64-bit pair, an aggregate's leaves. */
    private payloadWords(expr: Expr, type: UkType): VReg[] {
        if (scalarShape(type)) return [this.convert(this.expression(expr), type, expr)];
        if (isWide(type)) return this.wideOf(expr, type);
        const value = this.aggregateValue(expr, type);
        return value.place ? this.readLeaves(value.place, type) : [];
    }

    private maskTo(value: VReg, bits: number): VReg {
        return bits >= 32 ? value : this.builder.binary('and', value, this.builder.constant(bits === 31 ? 0x7fffffff : (1 << bits) - 1));
    }

    /** Bits `lo..lo+bits-1` (at most 32) of packed words, zero- or sign-extended. */
    private bitsOf(words: readonly VReg[], lo: number, bits: number, signed: boolean): VReg {
        const word = lo >> 5;
        const shift = lo & 31;
        let value = shift === 0 ? words[word] : this.builder.binary('srl', words[word], this.builder.constant(shift));
        if (shift + bits > 32) value = this.builder.binary('or', value, this.builder.binary('sll', words[word + 1], this.builder.constant(32 - shift)));
        if (bits >= 32) return value;
        if (!signed) return this.maskTo(value, bits);
        const up = this.builder.binary('sll', value, this.builder.constant(32 - bits));
        return this.builder.binary('sra', up, this.builder.constant(32 - bits));
    }

    /** A payload unpacked from packed words into its memory form: a register, or a new frame object. */
    private unpackPayload(words: readonly VReg[], kind: UnionKind, tag: number, type: UkType, node: AstNode): { readonly register: VReg } | { readonly object: number } {
        const memory: VReg[] = [];
        for (const piece of payloadPieces(kind, tag)) memory[piece.word] = this.bitsOf(words, piece.lo, piece.bits, piece.signed);
        if (scalarShape(type)) return { register: memory[0] ?? this.builder.constant(0) };
        return { object: this.materialiseLeaves(memory, type, node).object };
    }

    protected override holdsNothing(expr: Expr, type: UkType): VReg {
        const kind = this.unionKindOf(type, expr);
        if (!kind) return this.builder.constant(0);
        return this.builder.binary('eq', this.taggedWords(expr, type, kind).tag, this.builder.constant(0));
    }

    /** The packed words of a union-valued expression and its tag. */
    private taggedWords(expr: Expr, type: UkType, kind: UnionKind): { words: VReg[]; tag: VReg } {
        const place = this.aggregate(expr);
        const words = place ? this.readLeaves(place, type) : [this.builder.constant(0)];
        return { words, tag: this.bitsOf(words, 0, kind.tagBits, false) };
    }

    // ------------------------------------------------------------ match and if let

    protected matchStatement(statement: MatchStmt): void {
        const type = this.types.typeOf(statement.value);
        const kind = this.unionKindOf(type, statement);
        if (!kind) return;
        const { words, tag } = this.taggedWords(statement.value, type, kind);
        const end = this.builder.newBlock('endmatch');
        for (const arm of statement.arms) {
            if (arm.otherwise) {
                this.block(arm.body);
                this.builder.terminate({ op: 'jump', target: end.label });
                this.builder.place(this.builder.newBlock('matchafterelse'));
                break;
            }
            const index = kind.variants.findIndex(variant => variant.name === arm.variant?.$refText);
            const body = this.builder.newBlock('arm');
            const next = this.builder.newBlock('nextarm');
            this.builder.terminate({ op: 'branch', condition: this.builder.binary('eq', tag, this.builder.constant(index)), ifTrue: body.label, ifFalse: next.label });
            this.builder.place(body);
            if (arm.binding) {
                const payloadType = this.types.payloadOfArm(arm);
                this.bindPayload(arm.binding, payloadType, this.unpackPayload(words, kind, index, payloadType, arm.binding));
            }
            this.block(arm.body);
            this.builder.terminate({ op: 'jump', target: end.label });
            this.builder.place(next);
        }
        // Past every arm only when no arm matched: the checker makes a match cover every variant.
        this.builder.terminate({ op: 'jump', target: end.label });
        this.builder.place(end);
    }

    /** `if let v = opt { ... } else { ... }`: the `some` arm binds the value. */
    protected ifLetStatement(statement: IfStmt, otherwise: () => void): void {
        const type = this.types.typeOf(statement.condition);
        const kind = this.unionKindOf(type, statement);
        if (!kind || type.kind !== 'optional' || !statement.binding) return;
        const { words, tag } = this.taggedWords(statement.condition, type, kind);
        const thenBlock = this.builder.newBlock('iflet');
        const elseBlock = this.builder.newBlock('ifnone');
        const join = this.builder.newBlock('endiflet');
        this.builder.terminate({ op: 'branch', condition: tag, ifTrue: thenBlock.label, ifFalse: elseBlock.label });
        this.builder.place(thenBlock);
        this.bindPayload(statement.binding, type.inner, this.unpackPayload(words, kind, 1, type.inner, statement.binding));
        this.block(statement.then);
        this.builder.terminate({ op: 'jump', target: join.label });
        this.builder.place(elseBlock);
        otherwise();
        this.builder.terminate({ op: 'jump', target: join.label });
        this.builder.place(join);
    }

    // ------------------------------------------------------------ checked on receipt

    /**
     * A handler's check of the unions in a value it received (at any depth of structs and arrays): every
     * tag numbers a variant. A request that fails gets the bad-message error reply (BAD_BULK_LABEL,
     * docs/ABI.md) and the handler does not run, as for a string or vec out of bounds.
     */
    protected checkUnionsReceived(place: Place, type: UkType, node: AstNode): void {
        const valid = this.unionsValid(place, type, node);
        if (valid === undefined) return;
        const ok = this.builder.newBlock('unionok');
        const refused = this.builder.newBlock('unionrefused');
        this.builder.terminate({ op: 'branch', condition: valid, ifTrue: ok.label, ifFalse: refused.label });
        this.builder.place(refused);
        this.builder.terminate({ op: 'return', values: [this.builder.constant(BAD_BULK_LABEL)] });
        this.builder.place(ok);
    }

    protected containsUnion(type: UkType): boolean {
        return containsUnion(type, this.types);
    }

    /** 1 when every union in the value at `place` is well formed; undefined when it holds none. */
    protected unionsValid(place: Place, type: UkType, node: AstNode): VReg | undefined {
        if (isUnion(type)) {
            const kind = this.unionKindOf(type, node);
            return kind ? this.imageValid(this.readLeaves(place, type), kind, 0) : undefined;
        }
        const parts: { place: Place; type: UkType }[] = [];
        if (type.kind === 'struct') {
            for (const field of type.decl.fields) {
                const found = fieldOf(type, field.name, this.types);
                if (found) parts.push({ place: { base: place.base, offset: place.offset + found.offset }, type: found.type });
            }
        } else if (type.kind === 'array') {
            const stride = sizeOf(type.element, this.types) ?? WORD;
            for (let i = 0; i < type.length; i++) parts.push({ place: { base: place.base, offset: place.offset + i * stride }, type: type.element });
        }
        let valid: VReg | undefined;
        for (const part of parts) {
            if (!containsUnion(part.type, this.types)) continue;
            const inner = this.unionsValid(part.place, part.type, node);
            if (inner !== undefined) valid = valid === undefined ? inner : this.builder.binary('and', valid, inner);
        }
        return valid;
    }

    /** Branch-free: the tag at `at` numbers a variant, and each union inside the variant it names is valid too. */
    private imageValid(words: readonly VReg[], kind: UnionKind, at: number): VReg {
        const tag = this.bitsOf(words, at, kind.tagBits, false);
        let valid = this.builder.binary('sltu', tag, this.builder.constant(kind.variants.length));
        kind.variants.forEach((variant, index) => {
            for (const leaf of payloadLeaves(variant.payload)) {
                if (leaf.type.kind !== 'union') continue;
                const notThis = this.builder.binary('ne', tag, this.builder.constant(index));
                valid = this.builder.binary('and', valid, this.builder.binary('or', notThis, this.imageValid(words, leaf.type, at + leaf.lo)));
            }
        });
        return valid;
    }

    // ------------------------------------------------------------ print

    /** `print("{}", shape)`: `Shape.circle(5)`, `Shape.rect(Rect { w: 3, h: 4 })`, `some(5)`, `none`. */
    protected printUnion(value: Value, type: UkType, node: AstNode): void {
        const kind = this.unionKindOf(type, node);
        if (!kind || !value.place) return;
        this.printImage(this.readLeaves(value.place, type), type, kind, 0, node);
    }

    private printImage(words: readonly VReg[], type: UkType, kind: UnionKind, at: number, node: AstNode): void {
        const tag = this.bitsOf(words, at, kind.tagBits, false);
        const end = this.builder.newBlock('printedunion');
        kind.variants.forEach((variant, index) => {
            const body = this.builder.newBlock('printvariant');
            const next = this.builder.newBlock('printnext');
            this.builder.terminate({ op: 'branch', condition: this.builder.binary('eq', tag, this.builder.constant(index)), ifTrue: body.label, ifFalse: next.label });
            this.builder.place(body);
            const name = kind.optional ? variant.name : `${kind.name}.${variant.name}`;
            const payloadType = this.variantPayloadType(type, index);
            if (variant.payload && payloadType) {
                this.write(`${name}(`);
                this.printPayload(words, payloadType, variant.payload, at, node);
                this.write(')');
            } else {
                this.write(name);
            }
            this.builder.terminate({ op: 'jump', target: end.label });
            this.builder.place(next);
        });
        this.builder.terminate({ op: 'jump', target: end.label });
        this.builder.place(end);
    }

    private variantPayloadType(type: UkType, index: number): UkType | undefined {
        if (type.kind === 'optional') return index === 1 ? type.inner : undefined;
        if (type.kind !== 'union') return undefined;
        const variant = type.decl.variants[index];
        return variant?.type ? this.types.typeOfTypeRef(variant.type) : undefined;
    }

    private printPayload(words: readonly VReg[], type: UkType, shape: PayloadShape, at: number, node: AstNode): void {
        if (shape.kind === 'struct' && type.kind === 'struct') {
            this.write(`${shape.name} { `);
            shape.fields.forEach((field, i) => {
                const declared = type.decl.fields[i];
                this.write(`${i > 0 ? ', ' : ''}${field.name}: `);
                if (declared) this.printPayload(words, this.types.typeOfTypeRef(declared.type), field.shape, at, node);
            });
            this.write(' }');
            return;
        }
        if (shape.kind === 'array' && type.kind === 'array') {
            this.write('[');
            shape.elements.forEach((element, i) => {
                if (i > 0) this.write(', ');
                this.printPayload(words, type.element, element, at, node);
            });
            this.write(']');
            return;
        }
        if (shape.kind !== 'leaf') return;
        if (shape.type.kind === 'union') {
            this.printImage(words, type, shape.type, at + shape.lo, node);
            return;
        }
        if (type.kind === 'float') {
            // A float payload is its IEEE bits (an f64's low word first), printed as `print("{}", x)` prints x.
            const bits = type.bits === 64 ? [this.bitsOf(words, at + shape.lo, 32, false), this.bitsOf(words, at + shape.lo + 32, 32, false)] : [this.bitsOf(words, at + shape.lo, 32, false)];
            this.builder.emit({ op: 'call', callee: floatPrinter(type.bits), args: bits, results: [], convention: 'standard' });
            return;
        }
        if (isWide(type)) {
            // The high word has the leaf's bits beyond 32 (8 of an `i40` enum), extended as the pair holds them.
            const high = kindBits(shape.type) - 32;
            const pair = [this.bitsOf(words, at + shape.lo, 32, false), this.bitsOf(words, at + shape.lo + 32, high, wideShape(type)?.signed ?? false)];
            this.printWide(pair, type, '');
            return;
        }
        const bits = shape.type.kind === 'bool' ? 1 : shape.type.bits;
        const signed = scalarShape(type)?.signed ?? false;
        this.builder.emit({ op: 'call', callee: this.printer(type, '', node), args: [this.bitsOf(words, at + shape.lo, bits, signed)], results: [], convention: 'standard' });
    }
}

/** Whether a value of `type` holds a union somewhere (so that a received one needs checking). */
function containsUnion(type: UkType, types: UkTypeSystem): boolean {
    if (isUnion(type)) return true;
    if (type.kind === 'array') return containsUnion(type.element, types);
    if (type.kind === 'struct') return type.decl.fields.some(field => containsUnion(types.typeOfTypeRef(field.type), types));
    return false;
}
