/**
 * Checks on modules and data declarations: imports, duplicate and ambiguous names, constants, enums,
 * bitfields, structs, type references and device register maps.
 */
import { AstUtils, UriUtils, type AstNode, type ValidationAcceptor } from 'langium';
import {
    isArrayTypeRef, isDeclaration, isNamedTypeRef, isNameRef, isStructDecl,
    type ArrayTypeRef, type BitfieldDecl, type BytesTypeRef, type ConstDecl, type Declaration, type DeviceDecl,
    type EnumDecl, type Module, type StringTypeRef, type StructDecl, type StructField, type TypeRef, type VecTypeRef
} from '../generated/ast.js';
import type { ModuleImports } from '../references/module-imports.js';
import { bitfieldWidth, MAX_AGGREGATE_LENGTH } from '../type-system/uk-type-system.js';
import { enumBase, isDataType, primitiveType, typeToString, widthRange } from '../type-system/types.js';
import { holdsCapability } from '../type-system/capability-count.js';
import { lineOf, plural, type CheckSupport } from './check-support.js';
import { IssueCodes } from './issue-codes.js';

/** The size of a device when it does not say: one page. */
export const DEFAULT_DEVICE_SIZE = 4096;
const PAGE_SIZE = 4096;

export class DeclarationChecks {
    constructor(private readonly support: CheckSupport, private readonly imports: ModuleImports) {}

    checkModule(module: Module, accept: ValidationAcceptor): void {
        this.checkImports(module, accept);
        reportDuplicates(module.declarations, 'declaration', accept);
        this.checkNameClashesWithImports(module, accept);
    }

    private checkImports(module: Module, accept: ValidationAcceptor): void {
        const document = AstUtils.getDocument(module);
        const seen = new Set<string>();
        for (const imp of module.imports) {
            if (imp.path === undefined) continue;
            const resolution = this.imports.resolve(imp);
            const target = this.imports.targetOf(imp, document.uri);
            if (!resolution.ok) {
                const what = target.path.endsWith('.uk') ? 'file' : 'folder with .uk files';
                accept('error', `Cannot find the ${what} '${imp.path}' (looked for ${target.fsPath}).`, { node: imp, property: 'path', code: IssueCodes.UnresolvedImport });
                continue;
            }
            const key = target.toString();
            if (seen.has(key) || UriUtils.equals(target, document.uri)) {
                accept('warning', `'${imp.path}' is ${seen.has(key) ? 'already imported' : 'this file'}.`, { node: imp, property: 'path', code: IssueCodes.DuplicateImport });
            }
            seen.add(key);
        }
    }

    /** A declaration that an import also declares would make every use of the name ambiguous. */
    private checkNameClashesWithImports(module: Module, accept: ValidationAcceptor): void {
        const document = AstUtils.getDocument(module);
        const own = new Map(module.declarations.filter(hasName).map(decl => [decl.name, decl]));
        const firstSeenIn = new Map<string, string>();
        const seenDocuments = new Set<string>([document.uri.toString()]);
        for (const imp of module.imports) {
            const resolution = this.imports.resolve(imp);
            if (!resolution.ok) continue;
            for (const imported of resolution.documents) {
                if (seenDocuments.has(imported.uri.toString())) continue;
                seenDocuments.add(imported.uri.toString());
                const file = UriUtils.basename(imported.uri);
                for (const decl of (imported.parseResult.value as Module).declarations ?? []) {
                    if (!hasName(decl)) continue;
                    const clash = own.get(decl.name);
                    const earlier = firstSeenIn.get(decl.name);
                    if (clash) {
                        accept('error', `'${decl.name}' is also declared in the imported file ${file}.`, { node: clash, property: 'name', code: IssueCodes.AmbiguousName });
                    } else if (earlier) {
                        accept('error', `'${decl.name}' is declared in both ${earlier} and ${file}; uses of it would be ambiguous.`,
                            { node: imp, property: 'path', code: IssueCodes.AmbiguousName });
                    } else {
                        firstSeenIn.set(decl.name, file);
                    }
                }
            }
        }
    }

    checkConst(decl: ConstDecl, accept: ValidationAcceptor): void {
        const declared = decl.type ? this.support.types.typeOfTypeRef(decl.type) : undefined;
        const valueType = this.support.types.typeOf(decl.value);
        // A float constant without a type has a value in each float type; f64's stands for both here.
        const result = declared?.kind === 'float' ? this.support.types.constants.evaluateFloat(decl.value, declared.bits)
            : valueType.kind === 'untyped-float' ? this.support.types.constants.evaluateFloat(decl.value, 64)
            : this.support.types.evaluate(decl.value);
        if (!result.ok) {
            reportNotConstant(result.reason, decl.value, `The value of constant '${decl.name}'`, accept);
            return;
        }
        if (decl.type) {
            const type = this.support.types.typeOfTypeRef(decl.type);
            if (type.kind !== 'int' && type.kind !== 'float' && type.kind !== 'bool' && type.kind !== 'error') {
                accept('error', `A constant must be an integer, float or bool, not ${typeToString(type)}.`, { node: decl, property: 'type', code: IssueCodes.TypeMismatch });
                return;
            }
            this.support.expectAssignable(decl.value, type, `The value of constant '${decl.name}'`, accept);
        }
    }

    checkEnum(decl: EnumDecl, accept: ValidationAcceptor): void {
        if (!decl.base) return; // a syntax error, already reported
        if (decl.flags) {
            this.checkFlags(decl, accept);
            return;
        }
        const base = enumBase(decl.base);
        if (base?.kind !== 'int') {
            const what = base ? decl.base : `'${decl.base}'`;
            accept('error', `The underlying type of an enum must be an integer type (u1..u64, i1..i64), not ${what}.`, { node: decl, property: 'base', code: IssueCodes.InvalidEnumBase });
            return;
        }
        if (decl.members.length === 0) {
            accept('error', `Enum '${decl.name}' has no members.`, { node: decl, property: 'name', code: IssueCodes.EmptyEnum });
        }
        reportDuplicates(decl.members, 'member', accept);
        const { min, max } = widthRange(base.signed, base.bits);
        const byValue = new Map<bigint, string>();
        for (const member of decl.members) {
            if (member.bit) {
                accept('error', `'at' gives the bit of a flags member; an enum member takes a value with '='.`, { node: member, property: 'bit', code: IssueCodes.InvalidEnumMember });
                continue;
            }
            const result = this.support.types.constants.enumMemberValue(member);
            if (!result.ok) {
                if (member.value) reportNotConstant(result.reason, member.value, `The value of ${decl.name}.${member.name}`, accept);
                continue;
            }
            if (result.value < min || result.value > max) {
                accept('error', `${decl.name}.${member.name} = ${result.value} does not fit ${decl.base} (${min}..${max}).`,
                    { node: member, property: member.value ? 'value' : 'name', code: IssueCodes.ConstantOutOfRange });
                continue;
            }
            const other = byValue.get(result.value);
            if (other !== undefined) {
                accept('error', `${decl.name}.${member.name} has the same value (${result.value}) as ${decl.name}.${other}.`,
                    { node: member, property: 'name', code: IssueCodes.DuplicateEnumValue });
            } else {
                byValue.set(result.value, member.name);
            }
        }
    }

    /** `flags Perm : u8 { Read, Write, Exec at 4 }`: an unsigned base, one distinct bit per member, inside the base. */
    private checkFlags(decl: EnumDecl, accept: ValidationAcceptor): void {
        const base = enumBase(decl.base);
        if (base?.kind !== 'int' || base.signed) {
            const what = base ? decl.base : `'${decl.base}'`;
            accept('error', `The underlying type of flags must be an unsigned integer type (u1..u64), not ${what}.`, { node: decl, property: 'base', code: IssueCodes.InvalidEnumBase });
            return;
        }
        if (decl.members.length === 0) {
            accept('error', `Flags '${decl.name}' has no members.`, { node: decl, property: 'name', code: IssueCodes.EmptyEnum });
        }
        reportDuplicates(decl.members, 'member', accept);
        const byBit = new Map<bigint, string>();
        for (const member of decl.members) {
            if (member.value) {
                accept('error', `A flags member is a bit; give its position with 'at', not a value with '='.`, { node: member, property: 'value', code: IssueCodes.InvalidEnumMember });
                continue;
            }
            const result = this.support.types.constants.flagBit(member);
            if (!result.ok) {
                if (member.bit) reportNotConstant(result.reason, member.bit, `The bit of ${decl.name}.${member.name}`, accept);
                continue;
            }
            if (result.value < 0n || result.value >= BigInt(base.bits)) {
                accept('error', `${decl.name}.${member.name} is bit ${result.value}, but ${decl.base} has bits 0..${base.bits - 1}.`,
                    { node: member, property: member.bit ? 'bit' : 'name', code: IssueCodes.ConstantOutOfRange });
                continue;
            }
            const other = byBit.get(result.value);
            if (other !== undefined) {
                accept('error', `${decl.name}.${member.name} is the same bit (${result.value}) as ${decl.name}.${other}.`,
                    { node: member, property: 'name', code: IssueCodes.DuplicateEnumValue });
            } else {
                byBit.set(result.value, member.name);
            }
        }
    }

    checkBitfield(decl: BitfieldDecl, accept: ValidationAcceptor): void {
        if (!decl.base) return; // a syntax error, already reported
        const base = primitiveType(decl.base);
        if (base.kind !== 'int' || base.signed) {
            accept('error', `The underlying type of a bitfield must be an unsigned integer type, not ${decl.base}.`, { node: decl, property: 'base', code: IssueCodes.InvalidBitfieldBase });
            return;
        }
        reportDuplicates(decl.fields, 'field', accept);
        let total = 0;
        for (const field of decl.fields) {
            const width = bitfieldWidth(field.width);
            if (width === undefined || width > base.bits) {
                accept('error', `The width of '${field.name}' must be between 1 and ${base.bits} bits.`, { node: field, property: 'width', code: IssueCodes.InvalidBitWidth });
                continue;
            }
            total += width;
        }
        if (total > base.bits) {
            accept('error', `The fields of '${decl.name}' take ${total} bits, but ${decl.base} holds only ${base.bits}.`, { node: decl, property: 'base', code: IssueCodes.BitfieldOverflow });
        }
    }

    checkStruct(decl: StructDecl, accept: ValidationAcceptor): void {
        reportDuplicates(decl.fields, 'field', accept);
        for (const field of decl.fields) {
            const path = recursionPath(decl, field);
            if (path) {
                accept('error', `Struct '${decl.name}' contains itself through ${path.join(' -> ')}; a struct cannot contain itself.`,
                    { node: field, property: 'type', code: IssueCodes.RecursiveStruct });
            }
        }
    }

    checkArrayTypeRef(ref: ArrayTypeRef, accept: ValidationAcceptor): void {
        this.checkLength(ref, 'length', 'An array length', accept);
    }

    checkBytesTypeRef(ref: BytesTypeRef, accept: ValidationAcceptor): void {
        this.checkLength(ref, 'capacity', 'A byte buffer size', accept);
    }

    checkStringTypeRef(ref: StringTypeRef, accept: ValidationAcceptor): void {
        this.checkLength(ref, 'capacity', 'A string capacity', accept);
    }

    checkVecTypeRef(ref: VecTypeRef, accept: ValidationAcceptor): void {
        this.checkLength(ref, 'capacity', 'A vec capacity', accept);
        const element = this.support.types.typeOfTypeRef(ref.element);
        if (!isDataType(element) || holdsCapability(element, this.support.types)) {
            // Capabilities travel as a message's extra capabilities, at most three: a fixed array says how many.
            accept('error', `A vec holds data, not ${typeToString(element)}${isDataType(element) ? ', which holds capabilities' : ''}.`, { node: ref, property: 'element', code: IssueCodes.InvalidFieldType });
        }
    }

    private checkLength(ref: ArrayTypeRef | BytesTypeRef | StringTypeRef | VecTypeRef, property: 'length' | 'capacity', what: string, accept: ValidationAcceptor): void {
        const expr = ref.$type === 'ArrayTypeRef' ? ref.length : ref.capacity;
        const result = this.support.types.evaluate(expr);
        if (!result.ok) {
            reportNotConstant(result.reason, expr, what, accept);
        } else if (result.value < 1n || result.value > BigInt(MAX_AGGREGATE_LENGTH)) {
            accept('error', `${what} must be between 1 and ${MAX_AGGREGATE_LENGTH}, not ${result.value}.`, { node: ref, property, code: IssueCodes.InvalidLength });
        }
    }

    checkDevice(decl: DeviceDecl, accept: ValidationAcceptor): void {
        reportDuplicates(decl.registers, 'register', accept);
        let size = DEFAULT_DEVICE_SIZE;
        if (decl.size) {
            const result = this.support.types.evaluate(decl.size);
            if (!result.ok) {
                reportNotConstant(result.reason, decl.size, 'The size of a device', accept);
            } else if (result.value < 1n || result.value % BigInt(PAGE_SIZE) !== 0n || result.value > 1n << 24n) {
                accept('error', `The size of a device must be a whole number of ${PAGE_SIZE}-byte pages (at most 16 MiB), not ${result.value}.`,
                    { node: decl, property: 'size', code: IssueCodes.InvalidRegister });
            } else {
                size = Number(result.value);
            }
        }
        const placed: { name: string; start: number; end: number; access: string }[] = [];
        for (const register of decl.registers) {
            const type = this.support.types.typeOfTypeRef(register.type);
            if (type.kind !== 'int' || type.bits > 32) {
                accept('error', `Device register '${register.name}' must be u8, u16, u32, i8, i16 or i32, not ${typeToString(type)}.`,
                    { node: register, property: 'type', code: IssueCodes.InvalidRegister });
                continue;
            }
            const offset = this.support.types.evaluate(register.offset);
            if (!offset.ok) {
                reportNotConstant(offset.reason, register.offset, `The offset of register '${register.name}'`, accept);
                continue;
            }
            const bytes = type.bits / 8;
            const start = offset.value;
            if (start < 0n || start + BigInt(bytes) > BigInt(size)) {
                accept('error', `Register '${register.name}' (offset ${hex(start)}, ${plural(bytes, 'byte')}) lies outside the device's ${size} bytes.`,
                    { node: register, property: 'offset', code: IssueCodes.InvalidRegister });
                continue;
            }
            if (start % BigInt(bytes) !== 0n) {
                accept('error', `Register '${register.name}' at offset ${hex(start)} is not aligned to its size (${bytes} bytes).`,
                    { node: register, property: 'offset', code: IssueCodes.InvalidRegister });
                continue;
            }
            const entry = { name: register.name, start: Number(start), end: Number(start) + bytes, access: register.access ?? 'rw' };
            // A read-only and a write-only register may share an address, as a UART's RBR and THR do.
            const clash = placed.find(other => other.start < entry.end && entry.start < other.end
                && !((other.access === 'ro' && entry.access === 'wo') || (other.access === 'wo' && entry.access === 'ro')));
            if (clash) {
                accept('error', `Register '${register.name}' overlaps register '${clash.name}'; only a read-only and a write-only register may share bytes.`,
                    { node: register, property: 'offset', code: IssueCodes.RegisterOverlap });
            }
            placed.push(entry);
        }
    }
}

function hasName(decl: Declaration): decl is Declaration & { name: string } {
    return isDeclaration(decl) && typeof (decl as { name?: unknown }).name === 'string' && (decl as { name: string }).name.length > 0;
}

/** Reports every element whose name an earlier element of the same list already uses. */
export function reportDuplicates(nodes: readonly AstNode[], what: string, accept: ValidationAcceptor): void {
    const first = new Map<string, AstNode>();
    for (const node of nodes) {
        const name = (node as { name?: unknown }).name;
        if (typeof name !== 'string' || name === '') continue;
        const earlier = first.get(name);
        if (earlier) {
            accept('error', `Duplicate ${what} '${name}'; the first is on line ${lineOf(earlier)}.`, { node, property: 'name' as never, code: IssueCodes.DuplicateName });
        } else {
            first.set(name, node);
        }
    }
}

export function reportNotConstant(reason: string, node: AstNode | undefined, what: string, accept: ValidationAcceptor): void {
    if (!node) return;
    switch (reason) {
        case 'division-by-zero':
            return; // reported once, at the division itself

        case 'cycle':
            accept('error', `${what} depends on itself.`, { node, code: IssueCodes.NotConstant });
            return;
        case 'invalid':
            accept('error', `${what} is not a valid constant (bad literal or shift count).`, { node, code: IssueCodes.InvalidLiteral });
            return;
        default:
            // A constant that names something unknown has already been reported as unknown.
            if (AstUtils.streamAst(node).some(inner => isNameRef(inner) && inner.target?.ref === undefined)) return;
            accept('error', `${what} must be a constant known at compile time.`, { node, code: IssueCodes.NotConstant });
    }
}

/** The struct a field type contains by value (directly or as array elements), if any. */
function containedStruct(ref: TypeRef | undefined): StructDecl | undefined {
    if (isArrayTypeRef(ref)) return containedStruct(ref.element);
    if (isNamedTypeRef(ref) && isStructDecl(ref.type?.ref)) return ref.type?.ref;
    return undefined;
}

/** Field names leading from `root` back to itself, starting with `field`, or undefined when there is no cycle. */
function recursionPath(root: StructDecl, field: StructField, path: string[] = [], visited = new Set<StructDecl>()): string[] | undefined {
    const decl = containedStruct(field.type);
    if (!decl) return undefined;
    if (field.$container.$type !== 'StructDecl') return undefined;
    const here = [...path, `${field.$container.name}.${field.name}`];
    if (decl === root) return here;
    if (visited.has(decl)) return undefined;
    visited.add(decl);
    for (const inner of decl.fields) {
        const found = recursionPath(root, inner, here, visited);
        if (found) return found;
    }
    return undefined;
}

function hex(value: bigint): string {
    return `0x${value.toString(16)}`;
}
