/**
 * Linking errors that read like the language: "unknown type 'Kye'", "struct Key has no field 'hj'",
 * "interface KeyValue has no method 'gte'". A member of a value whose type is already in error yields an
 * empty message, which UkDocumentValidator drops, so one mistake gives one diagnostic.
 */
import {
    AstUtils, Cancellation, DefaultLinker, isReference, type AstNode, type AstNodeDescription, type DefaultReference, type LangiumCoreServices,
    type LangiumDocument, type LinkingError, type ReferenceInfo
} from 'langium';
import { walkAst } from '../utils/ast-walk.js';
import { isEmitStmt, isHandler, isInstance, isUsesPort, isMemberExpr, isPortRef, isConnection, isServerDecl, isFieldInit, isMatchArm, isReplyTypeRef } from '../generated/ast.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { raisedMethod } from '../model/raised-method.js';
import { typeToString, type UkType } from '../type-system/types.js';

const KIND_NAMES: Record<string, string> = {
    TypeDecl: 'type',
    InterfaceDecl: 'interface',
    DeviceDecl: 'device',
    EnumDecl: 'enum',
    Component: 'server or program',
    Referable: 'name',
    Instance: 'instance',
    SystemNode: 'instance or device',
    InterruptPort: 'interrupt port',
    NotificationPort: 'notification port',
    UsesPort: 'uses port'
};

export class UkLinker extends DefaultLinker {
    private readonly typeSystem: () => UkTypeSystem;

    constructor(services: LangiumCoreServices & { types: { TypeSystem: UkTypeSystem } }) {
        super(services);
        this.typeSystem = () => services.types.TypeSystem;
    }

    /** Resolves every reference of the document, walking the tree directly (see utils/ast-walk.ts). */
    override async link(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        await walkAst(document.parseResult.value, node => this.linkNode(node, document), cancelToken);
    }

    private linkNode(node: AstNode, document: LangiumDocument): void {
        for (const property in node) {
            if (property.charCodeAt(0) === 36 /* '$' */) continue;
            const value = (node as unknown as Record<string, unknown>)[property];
            if (isReference(value)) {
                this.doLink({ reference: value, container: node, property }, document);
            }
        }
    }

    /**
     * An optional's match arms, `some(v)` and `none`, name no declaration (a union's arms name its variants):
     * their references stay unresolved without being linking errors, so that a file matching an optional
     * is not taken for one with unresolved names (Langium relinks those after every change).
     */
    protected override doLink(info: ReferenceInfo, document: LangiumDocument): void {
        if (!this.namesOptionalCase(info.container, info.property)) super.doLink(info, document);
    }

    protected override resolveReference(reference: DefaultReference, node: AstNode, property: string): AstNode | undefined {
        return this.namesOptionalCase(node, property) ? undefined : super.resolveReference(reference, node, property);
    }

    private namesOptionalCase(container: AstNode, property: string): boolean {
        return isMatchArm(container) && property === 'variant' && this.typeSystem().typeOf(container.$container.value).kind === 'optional';
    }

    protected override createLinkingError(info: ReferenceInfo, targetDescription?: AstNodeDescription): LinkingError {
        return { info, message: this.messageFor(info), targetDescription };
    }

    private messageFor(info: ReferenceInfo): string {
        const name = info.reference?.$refText;
        const { container } = info;
        if (isMemberExpr(container)) {
            return memberMessage(this.typeSystem().typeOf(container.receiver), name);
        }
        if (isFieldInit(container)) {
            const owner = container.$container;
            if (owner.$type === 'ErrorPayloadValue') {
                const method = raisedMethod(owner);
                // A method without a payload: the raise check says to remove the braces.
                return method?.payload && method.raises?.ref ? `The error payload of ${method.raises.ref.name} has no field '${name}'.` : '';
            }
            const decl = owner.type?.ref;
            // An enum "literal" is reported by the literal check; its fields cannot resolve.
            if (!decl || decl.$type === 'EnumDecl') return '';
            return `${decl.$type === 'BitfieldDecl' ? 'bitfield' : 'struct'} ${decl.name} has no field '${name}'.`;
        }
        // The match check names the union's variants (or says what a match takes).
        if (isMatchArm(container)) return '';
        if (isReplyTypeRef(container) && info.property === 'method') {
            const iface = container.interface?.ref;
            return iface ? `interface ${iface.name} has no method '${name}'.` : '';
        }
        if (isHandler(container) && info.property === 'method') {
            const server = container.$container;
            const iface = isServerDecl(server) ? server.interface?.ref : undefined;
            if (!isServerDecl(server)) return `Only servers handle methods; program ${server.name} implements no interface.`;
            return iface ? `Interface ${iface.name} has no method '${name}' to handle.` : '';
        }
        if (isHandler(container) && container.event === 'event' && info.property === 'port') {
            return `${container.$container.name} has no uses port '${name}'.`;
        }
        if (isHandler(container) && info.property === 'eventDecl') {
            const iface = isUsesPort(container.port?.ref) ? container.port.ref.interface?.ref : undefined;
            return iface ? `Interface ${iface.name} has no event '${name}'.` : '';
        }
        if (isEmitStmt(container)) {
            const server = AstUtils.getContainerOfType(container, isServerDecl);
            if (!server) return `Only a server emits events, to the clients of the interface it implements.`;
            const iface = server.interface?.ref;
            return iface ? `Interface ${iface.name} has no event '${name}' to emit.` : '';
        }
        if ((isPortRef(container) && info.property === 'port') || (isConnection(container) && info.property === 'targetPort')) {
            const instance = isPortRef(container) ? container.instance?.ref : container.target?.ref;
            if (!instance) return '';
            // Only notification connections name a target port; for the others the connection check
            // explains what to write instead.
            if (isConnection(container) && container.source.port?.ref?.$type !== 'NotificationPort') return '';
            if (!isInstance(instance)) return `Device ${instance.name} has no ports; connect to the device itself.`;
            const component = instance.component?.ref;
            return component ? `${component.name} (instance ${instance.name}) has no port '${name}'.` : '';
        }
        const kind = KIND_NAMES[this.reflection.getReferenceType(info)] ?? 'name';
        return `Unknown ${kind} '${name}'.`;
    }
}

function memberMessage(receiver: UkType, name: string): string {
    switch (receiver.kind) {
        case 'error': return '';
        case 'struct': return `struct ${receiver.decl.name} has no field '${name}'.`;
        case 'bitfield': return `bitfield ${receiver.decl.name} has no field '${name}'.`;
        case 'enum-name': return `enum ${receiver.decl.name} has no member '${name}'.`;
        case 'union-name': return `union ${receiver.decl.name} has no variant '${name}'; its variants are ${receiver.decl.variants.map(variant => variant.name).join(', ')}.`;
        case 'endpoint': return `interface ${receiver.iface.name} has no method '${name}'.`;
        case 'device': return `device ${receiver.decl.name} has no register '${name}'.`;
        default: return `A value of type ${typeToString(receiver)} has no member '${name}'.`;
    }
}
