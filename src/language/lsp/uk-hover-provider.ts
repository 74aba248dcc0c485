/**
 * Hover for every named thing: its declaration as written (the source up to its body), what it holds (the
 * type of a variable, parameter or port; the value of a constant or enum member; the bits of a bitfield
 * field), and its doc comment. A method also shows how its messages are laid out on the bundled machine,
 * the same table `ukc layout` prints.
 */
import type { AstNode, MaybePromise } from 'langium';
import { MultilineCommentHoverProvider, type LangiumServices } from 'langium/lsp';
import { formatEvent, formatMethod, profileOrDefault, unionLines } from '../../layout/index.js';
import { floatToBits, formatFloat } from '../../../runtime/contract/index.js';
import {
    isBitfieldDecl, isBitfieldField, isConstDecl, isEnumDecl, isEnumMember, isEventDecl, isMethod, isReferable, isStructDecl, isUnionDecl, type BitfieldDecl, type EventDecl,
    type BitfieldField, type EnumDecl, type Method, type StructDecl
} from '../generated/ast.js';
import { byteSize, scalarKind } from '../model/interface-spec.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { typeToString, type UkType } from '../type-system/types.js';
import { capabilityCount } from '../type-system/capability-count.js';

export class UkHoverProvider extends MultilineCommentHoverProvider {
    private readonly typeSystem: () => UkTypeSystem;
    private readonly layouts: () => InterfaceLayouts;

    constructor(services: LangiumServices & { types: { TypeSystem: UkTypeSystem }; layout: { InterfaceLayouts: InterfaceLayouts } }) {
        super(services);
        this.typeSystem = () => services.types.TypeSystem;
        this.layouts = () => services.layout.InterfaceLayouts;
    }

    protected override getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        const documentation = super.getAstNodeHoverContent(node) as string | undefined;
        const parts = [documentation, ...(isMethod(node) ? this.methodLayout(node) : isEventDecl(node) ? this.eventLayout(node) : this.declaration(node))];
        const content = parts.filter((part): part is string => part !== undefined && part !== '');
        return content.length > 0 ? content.join('\n\n') : undefined;
    }

    /** The declaration's head as written, and what it holds. */
    private declaration(node: AstNode): string[] {
        const head = declarationHead(node);
        if (head === undefined) return [];
        const facts = this.facts(node);
        return ['```uk\n' + head + '\n```', ...facts];
    }

    private facts(node: AstNode): string[] {
        const types = this.typeSystem();
        if (isConstDecl(node)) {
            const declared = node.type ? types.typeOfTypeRef(node.type) : undefined;
            const floating = declared?.kind === 'float' ? declared.bits : !declared && types.typeOf(node.value).kind === 'untyped-float' ? 64 : undefined;
            if (floating) {
                // A float shows as print writes it, and its bits; an untyped one as the f64 it stands for.
                const value = types.constants.evaluateFloat(node.value, floating);
                const type = declared ? typeToString(declared) : 'untyped float (f64 here)';
                return [value.ok ? `${type}, value ${formatFloat(value.value, floating)} (0x${floatToBits(value.value, floating).toString(16)})` : type];
            }
            const value = types.evaluate(node.value);
            const type = declared ? typeToString(declared) : 'untyped integer';
            return [value.ok ? `${type}, value ${String(value.value)}` : type];
        }
        if (isEnumMember(node)) {
            const value = types.constants.enumMemberValue(node);
            return value.ok ? [`${node.$container.name}.${node.name} = ${String(value.value)}`] : [];
        }
        if (isBitfieldField(node)) return [bitsOf(node)];
        if (isStructDecl(node) || isEnumDecl(node) || isBitfieldDecl(node)) return [this.sizeAndLayout(node)];
        if (isUnionDecl(node)) {
            // Its bits in a message, as `ukc layout` prints them under a union field.
            const kind = scalarKind({ kind: 'union', decl: node }, types);
            return kind?.kind === 'union' ? [`${kind.bits} bits in a message`, '```text\n' + unionLines(node.name, kind).join('\n') + '\n```'] : [];
        }
        if (isReferable(node) && node.$type !== 'EnumDecl' && node.$type !== 'UnionDecl' && node.$type !== 'FunctionDecl' && node.$type !== 'ConstDecl') {
            return [`type ${typeToString(types.typeOfReferable(node))}`];
        }
        return [];
    }

    /**
     * A type's size as the layout engine counts it (packed, as bulk data and in messages): a struct's fields
     * in order with their sizes, a bitfield's fields with their bits, an enum's width.
     */
    private sizeAndLayout(node: StructDecl | EnumDecl | BitfieldDecl): string {
        const types = this.typeSystem();
        const bytes = (count: number): string => `${count} byte${count === 1 ? '' : 's'}`;
        // Capabilities are no bytes: they travel as a message's extra capabilities (docs/ABI.md).
        const sizeOf = (type: UkType): string => {
            const caps = capabilityCount(type, types);
            const size = byteSize(type, types);
            if (caps === 0) return bytes(size);
            const capText = caps === 1 ? 'a capability' : `${caps} capabilities`;
            return size === 0 ? capText : `${bytes(size)} and ${capText}`;
        };
        switch (node.$type) {
            case 'StructDecl': {
                const fields = node.fields.map(field => {
                    const type = types.typeOfTypeRef(field.type);
                    return `${field.name}: ${typeToString(type)} ${sizeOf(type)}`;
                });
                return `size ${sizeOf({ kind: 'struct', decl: node })}: ${fields.join(', ')}`;
            }
            case 'BitfieldDecl': {
                const type = { kind: 'bitfield', decl: node } as const;
                const fields = node.fields.map(field => `${field.name} ${bitsOf(field)}`);
                return `size ${bytes(byteSize(type, types))}, ${widthOf(type, types)} bits: ${fields.join(', ')}`;
            }
            case 'EnumDecl': {
                const type = { kind: 'enum', decl: node } as const;
                return `size ${bytes(byteSize(type, types))}, ${widthOf(type, types)} bits in a message`;
            }
        }
    }

    /** An event's number and its payload's place in a record, as `ukc layout` prints them. */
    private eventLayout(node: EventDecl): string[] {
        const iface = node.$container;
        const profile = profileOrDefault();
        const event = this.layouts().layoutOf(iface, profile).layout.events[iface.events.indexOf(node)];
        if (!event) return [];
        return [`**${iface.name}.${node.name}** (event) on ${profile.name}`, '```text\n' + formatEvent(event, profile).join('\n') + '\n```'];
    }

    private methodLayout(node: Method): string[] {
        const iface = node.$container;
        const profile = profileOrDefault();
        const { layout } = this.layouts().layoutOf(iface, profile);
        const method = layout.methods[iface.methods.indexOf(node)];
        if (!method) return [];
        const table = formatMethod(method, profile).join('\n');
        return [`**${iface.name}.${node.name}** on ${profile.name}`, '```text\n' + table + '\n```'];
    }
}

/**
 * The source of a declaration: all of it when it fits on one line, else up to its body (`{`) or the end
 * of its first line. A name bound without a keyword of its own gets one that says what it is.
 */
function declarationHead(node: AstNode): string | undefined {
    const text = node.$cstNode?.text;
    if (text === undefined) return undefined;
    switch (node.$type) {
        case 'Binding': return `let ${text}`;
        case 'HandlerParam': return `parameter ${text}`;
    }
    const lines = text.split('\n');
    if (lines.length === 1) return text.trim();
    const brace = lines[0].indexOf('{');
    return (brace > 0 ? lines[0].slice(0, brace) : lines[0]).trim();
}

/** How many bits an enum or bitfield occupies in a message, as the layout engine reads its type. */
function widthOf(type: UkType, types: UkTypeSystem): number {
    const scalar = scalarKind(type, types);
    return scalar && 'bits' in scalar ? scalar.bits : 1;
}

/** "bits 2..4" of a bitfield field, counting from bit 0 in declaration order. */
function bitsOf(field: BitfieldField): string {
    let low = 0;
    for (const other of field.$container.fields) {
        const width = Number(other.width);
        if (other === field) return width === 1 ? `bit ${low}` : `bits ${low}..${low + width - 1}`;
        low += width;
    }
    return '';
}
