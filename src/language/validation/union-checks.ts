/**
 * Unions and optionals (docs/LANGUAGE.md, "Unions and optionals"): declarations, building a value
 * (`Shape.circle(5)`, `Shape.empty`, `none`), and taking one apart (`match`, `if let`). A payload packs into
 * the union's bits, so it is plain data that is not bulk: integers, bools, enums, bitfields, floats (as
 * their IEEE bits), structs, arrays, unions and optionals of those. `==` on a union or optional holding a
 * float is refused with the other float comparisons (expression-checks.ts).
 */
import type { ValidationAcceptor } from 'langium';
import {
    isCallExpr, isMemberExpr, isStructDecl, isUnionDecl, type CallExpr, type IfStmt, type MatchStmt, type MemberExpr, type NameRef, type OptionalTypeRef,
    type StructDecl, type UnionDecl, type UnionVariant
} from '../generated/ast.js';
import { typeToString, type UkType } from '../type-system/types.js';
import type { CheckSupport } from './check-support.js';
import { reportDuplicates } from './declaration-checks.js';
import { IssueCodes } from './issue-codes.js';

export class UnionChecks {
    constructor(private readonly support: CheckSupport) {}

    checkUnion(decl: UnionDecl, accept: ValidationAcceptor): void {
        if (decl.variants.length === 0) {
            accept('error', `Union '${decl.name}' has no variants.`, { node: decl, property: 'name', code: IssueCodes.EmptyUnion });
            return;
        }
        reportDuplicates(decl.variants, 'variant', accept);
        for (const variant of decl.variants) {
            if (!variant.type) continue;
            const type = this.support.types.typeOfTypeRef(variant.type);
            const problem = unpackable(type, this.support);
            if (problem) {
                accept('error', `A union's payload is packed into its bits, so it cannot be ${problem}; ${problem.startsWith('bytes') || problem.startsWith('string') || problem.startsWith('vec') ? 'pass bulk data as a parameter of its own' : 'use plain data'}.`,
                    { node: variant, property: 'type', code: IssueCodes.InvalidFieldType });
                continue;
            }
            const path = containsItself(decl, variant, this.support);
            if (path) {
                accept('error', `Union '${decl.name}' contains itself through ${path.join(' -> ')}; a union cannot contain itself.`,
                    { node: variant, property: 'type', code: IssueCodes.RecursiveStruct });
            }
        }
    }

    checkOptionalTypeRef(ref: OptionalTypeRef, accept: ValidationAcceptor): void {
        const inner = this.support.types.typeOfTypeRef(ref.inner);
        if (inner.kind === 'error') return;
        if (inner.kind === 'optional') {
            accept('error', `An optional of an optional (${typeToString(inner)}?) says nothing more than ${typeToString(inner)}; use a union to tell the two 'none's apart.`,
                { node: ref, code: IssueCodes.InvalidFieldType });
            return;
        }
        const problem = unpackable(inner, this.support);
        if (problem) {
            accept('error', `An optional is packed into bits like a union, so it cannot hold ${problem}.`, { node: ref, property: 'inner', code: IssueCodes.InvalidFieldType });
        }
    }

    /** `Shape.circle(5)`: one argument, of the variant's payload type. */
    checkVariantCall(call: CallExpr, variant: UnionVariant, accept: ValidationAcceptor): void {
        const name = `${variant.$container.name}.${variant.name}`;
        if (call.args.length !== 1) {
            accept('error', `${name} takes one value, its payload, but ${call.args.length} ${call.args.length === 1 ? 'was' : 'were'} given.`, { node: call, code: IssueCodes.WrongArity });
            return;
        }
        this.support.expectAssignable(call.args[0], this.support.types.typeOfTypeRef(variant.type), `The payload of ${name}`, accept);
    }

    /** `Shape.circle` without its payload, or `Shape.empty(1)` with one it does not take. */
    checkVariantMember(expr: MemberExpr, variant: UnionVariant, accept: ValidationAcceptor): void {
        const parent = expr.$container;
        const called = isCallExpr(parent) && parent.callee === expr;
        const name = `${variant.$container.name}.${variant.name}`;
        if (variant.type && !called) {
            accept('error', `${name} carries ${typeToString(this.support.types.typeOfTypeRef(variant.type))}: write ${name}(value).`, { node: expr, property: 'member', code: IssueCodes.PayloadMismatch });
        } else if (!variant.type && called) {
            accept('error', `${name} carries no payload: write ${name} without parentheses.`, { node: parent, code: IssueCodes.PayloadMismatch });
        }
    }

    checkUnionName(expr: NameRef, decl: UnionDecl, accept: ValidationAcceptor): void {
        const parent = expr.$container;
        if (isMemberExpr(parent) && parent.receiver === expr) return;
        const first = decl.variants[0]?.name ?? 'variant';
        accept('error', `'${decl.name}' is a union, not a value; name one of its variants, such as ${decl.name}.${first}.`, { node: expr, code: IssueCodes.NotAValue });
    }

    /**
     * A match names variants of the matched union (`some` and `none` for an optional), each once, binds a
     * payload only where there is one, and covers every variant or has `else` (last, once).
     */
    checkMatch(stmt: MatchStmt, accept: ValidationAcceptor): void {
        const matched = this.support.types.typeOf(stmt.value);
        if (matched.kind === 'error') return;
        const variants = variantsOf(matched);
        if (!variants) {
            accept('error', `'match' takes a union or an optional, not ${typeToString(matched)}.`, { node: stmt.value, code: IssueCodes.TypeMismatch });
            return;
        }
        const seen = new Set<string>();
        let otherwise = false;
        for (const arm of stmt.arms) {
            if (otherwise) {
                accept('error', `This arm comes after 'else', which already takes every variant left.`, { node: arm, code: IssueCodes.UnreachableCode });
                continue;
            }
            if (arm.otherwise) {
                otherwise = true;
                continue;
            }
            const name = arm.variant?.$refText ?? '';
            const variant = variants.find(candidate => candidate.name === name);
            if (!variant) {
                accept('error', `${typeToString(matched)} has no variant '${name}'; its variants are ${variants.map(candidate => candidate.name).join(', ')}.`,
                    { node: arm, property: 'variant', code: IssueCodes.UnknownVariant });
                continue;
            }
            if (seen.has(name)) {
                accept('error', `Variant '${name}' already has an arm in this match.`, { node: arm, property: 'variant', code: IssueCodes.DuplicateArm });
                continue;
            }
            seen.add(name);
            if (arm.binding && !variant.payload) {
                accept('error', `Variant '${name}' carries no payload to bind; write '${name} { ... }'.`, { node: arm.binding, code: IssueCodes.PayloadMismatch });
            }
        }
        const missing = variants.filter(variant => !seen.has(variant.name));
        if (!otherwise && missing.length > 0) {
            accept('error', `This match does not cover ${missing.map(variant => `'${variant.name}'`).join(', ')}; add ${missing.length === 1 ? 'an arm' : 'arms'} or an 'else' arm.`,
                { node: stmt, keyword: 'match', code: IssueCodes.NonExhaustiveMatch });
        }
    }

    /** `if let v = opt`: the value is an optional. */
    checkIfLet(stmt: IfStmt, accept: ValidationAcceptor): void {
        const value = this.support.types.typeOf(stmt.condition);
        if (value.kind !== 'optional' && value.kind !== 'error') {
            accept('error', `'if let' takes an optional, not ${typeToString(value)}.`, { node: stmt.condition, code: IssueCodes.TypeMismatch });
        }
    }
}

/** The variants a match may name, with whether each carries a payload; undefined when the type has none. */
function variantsOf(type: UkType): { name: string; payload: boolean }[] | undefined {
    if (type.kind === 'optional') return [{ name: 'some', payload: true }, { name: 'none', payload: false }];
    if (type.kind !== 'union') return undefined;
    return type.decl.variants.map(variant => ({ name: variant.name, payload: variant.type !== undefined }));
}

/** Why a value of `type` cannot be packed into a union's bits (its type's name), or undefined when it can. */
function unpackable(type: UkType, support: CheckSupport): string | undefined {
    switch (type.kind) {
        case 'int': case 'float': case 'bool': case 'enum': case 'bitfield': case 'union': case 'optional': case 'error':
            return undefined;
        case 'array': return unpackable(type.element, support);
        case 'struct': {
            for (const field of type.decl.fields) {
                const problem = unpackable(support.types.typeOfTypeRef(field.type), support);
                if (problem) return `${typeToString(type)} (its field '${field.name}' is ${problem})`;
            }
            return undefined;
        }
        default: return typeToString(type);
    }
}

/** The chain of variants and fields through which a union contains itself, if it does. */
function containsItself(root: UnionDecl, variant: UnionVariant, support: CheckSupport): string[] | undefined {
    const visited = new Set<StructDecl | UnionDecl>();
    const walk = (type: UkType, path: string[]): string[] | undefined => {
        if (type.kind === 'array') return walk(type.element, path);
        if (type.kind === 'optional') return walk(type.inner, path);
        if (type.kind !== 'union' && type.kind !== 'struct') return undefined;
        if (type.decl === root) return path;
        if (visited.has(type.decl)) return undefined;
        visited.add(type.decl);
        const decl = type.decl;
        if (isStructDecl(decl)) {
            for (const field of decl.fields) {
                const found = walk(support.types.typeOfTypeRef(field.type), [...path, `${decl.name}.${field.name}`]);
                if (found) return found;
            }
        } else if (isUnionDecl(decl)) {
            for (const inner of decl.variants) {
                const found = inner.type ? walk(support.types.typeOfTypeRef(inner.type), [...path, `${decl.name}.${inner.name}`]) : undefined;
                if (found) return found;
            }
        }
        return undefined;
    };
    return variant.type ? walk(support.types.typeOfTypeRef(variant.type), [`${root.name}.${variant.name}`]) : undefined;
}
