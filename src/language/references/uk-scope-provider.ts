/**
 * Name resolution for uk. Every reference is resolved here, without Langium's precomputed local symbols:
 *  - names in statements see earlier `let`s of enclosing blocks, loop and catch variables, parameters,
 *    the component's state, ports and helpers, then the module scope;
 *  - `a.b` sees the members of `a`'s type (struct and bitfield fields, enum members, a union's variants,
 *    interface methods, device registers);
 *  - a `match` arm's name sees the variants of the matched union;
 *  - handler, port and system references see the members of the declaration they belong to;
 *  - the module scope is a hash map of the file's own declarations and those of the files it imports,
 *    built once per file and workspace state (Langium's default scans every root symbol per reference,
 *    which is quadratic in the size of a file).
 */
import {
    AstUtils, EMPTY_SCOPE, WorkspaceCache, stream,
    type AstNode, type AstNodeDescription, type AstNodeDescriptionProvider, type AstReflection, type IndexManager, type LangiumDocument,
    type LangiumCoreServices, type ReferenceInfo, type Scope, type ScopeProvider, type Stream
} from 'langium';
import {
    isConnection, isEmitStmt, isErrorPayloadValue, isFieldInit, isHandler, isInstance, isInterruptPort, isMemberExpr, isNameRef, isNotificationPort,
    isMatchArm, isPortRef, isReplyTypeRef, isServerDecl, isSupervision, isSystemDecl, isUsesPort, isBitfieldDecl, isStructDecl,
    type Block, type CatchExpr, type IfStmt, type MatchArm, type ForStmt, type FunctionDecl, type Handler, type LetStmt, type Port, type ProgramDecl, type ServerDecl
} from '../generated/ast.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import type { UkType } from '../type-system/types.js';
import type { ModuleImports } from './module-imports.js';
import { raisedMethod } from '../model/raised-method.js';

interface NamedNode extends AstNode { readonly name: string }

function isNamed(node: AstNode): node is NamedNode {
    return typeof (node as { name?: unknown }).name === 'string';
}

export class UkScopeProvider implements ScopeProvider {
    private readonly reflection: AstReflection;
    private readonly descriptions: AstNodeDescriptionProvider;
    private readonly indexManager: IndexManager;
    private readonly imports: ModuleImports;
    private readonly typeSystem: () => UkTypeSystem;
    private readonly moduleScopes: WorkspaceCache<string, Map<string, AstNodeDescription[]>>;

    constructor(services: LangiumCoreServices & { references: { ModuleImports: ModuleImports }, types: { TypeSystem: UkTypeSystem } }) {
        this.reflection = services.shared.AstReflection;
        this.descriptions = services.workspace.AstNodeDescriptionProvider;
        this.indexManager = services.shared.workspace.IndexManager;
        this.imports = services.references.ModuleImports;
        this.typeSystem = () => services.types.TypeSystem;
        this.moduleScopes = new WorkspaceCache(services.shared);
    }

    getScope(context: ReferenceInfo): Scope {
        const { container, property } = context;
        if (isMemberExpr(container) && property === 'member') {
            return this.nodeScope(membersOf(this.typeSystem().typeOf(container.receiver)));
        }
        if (isFieldInit(container)) {
            const owner = container.$container;
            // `raise E.X { code: 5 }`: the fields of the raising method's error payload.
            if (isErrorPayloadValue(owner)) return this.nodeScope(raisedMethod(owner)?.payload?.fields ?? []);
            return this.nodeScope(fieldsOfLiteral(owner.type?.ref));
        }
        if (isMatchArm(container) && property === 'variant') {
            // `match shape { circle(r) { ... } }`: the variants of the matched union (an optional's arms, `some`
            // and `none`, name nothing declared; the linker leaves them alone).
            const matched = this.typeSystem().typeOf(container.$container.value);
            return this.nodeScope(matched.kind === 'union' ? matched.decl.variants : []);
        }
        if (isReplyTypeRef(container) && property === 'method') {
            return this.nodeScope(container.interface?.ref?.methods ?? []);
        }
        if (isHandler(container)) {
            return this.handlerScope(container, property);
        }
        if (isEmitStmt(container) && property === 'event') {
            // `emit dataReady(...)`: the events of the interface the enclosing server implements.
            const server = AstUtils.getContainerOfType(container, isServerDecl);
            return this.nodeScope(server?.interface?.ref?.events ?? []);
        }
        if (isPortRef(container) && property === 'port') {
            return this.nodeScope(portsOf(container.instance?.ref));
        }
        if (isConnection(container) && property === 'targetPort') {
            const target = container.target?.ref;
            return this.nodeScope(isInstance(target) ? portsOf(target) : []);
        }
        if ((isPortRef(container) && property === 'instance') || isConnection(container) || isSupervision(container)) {
            const system = AstUtils.getContainerOfType(container, isSystemDecl);
            return this.nodeScope(system ? system.items.filter(isNamed) : [], undefined, this.reflection.getReferenceType(context));
        }
        if (isNameRef(container)) {
            return new LexicalScope(container, this, this.moduleScope(context));
        }
        return this.moduleScope(context);
    }

    /** Declarations of the file and its imports that fit the reference's type. */
    private moduleScope(context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        const byName = this.moduleScopes.get(document.uri.toString(), () => this.buildModuleScope(document));
        const referenceType = this.reflection.getReferenceType(context);
        return new ModuleScope(byName, description => this.reflection.isSubtype(description.type, referenceType));
    }

    private buildModuleScope(document: LangiumDocument): Map<string, AstNodeDescription[]> {
        const byName = new Map<string, AstNodeDescription[]>();
        // The file's own declarations come first, so that they win over an imported one of the same name.
        for (const visible of this.imports.visibleDocuments(document)) {
            for (const description of this.indexManager.allElements(undefined, new Set([visible.uri.toString()]))) {
                const list = byName.get(description.name);
                if (list) list.push(description);
                else byName.set(description.name, [description]);
            }
        }
        return byName;
    }

    private handlerScope(handler: Handler, property: string): Scope {
        const component = handler.$container;
        if (property === 'method') {
            return this.nodeScope(isServerDecl(component) ? component.interface?.ref?.methods ?? [] : []);
        }
        if (handler.event === 'event') {
            // `on event sensor.dataReady(...)`: a `uses` port, then an event of its interface.
            if (property === 'eventDecl') return this.nodeScope(isUsesPort(handler.port?.ref) ? handler.port.ref.interface?.ref?.events ?? [] : []);
            return this.nodeScope(component.members.filter(isUsesPort));
        }
        const wanted = handler.event === 'interrupt' ? isInterruptPort : isNotificationPort;
        return this.nodeScope(component.members.filter(member => wanted(member)));
    }

    /** A scope over a fixed list of named nodes, optionally filtered by the reference type. */
    nodeScope(nodes: readonly AstNode[], outer?: Scope, referenceType?: string): Scope {
        const named = nodes.filter(isNamed).filter(node => !referenceType || this.reflection.isSubtype(node.$type, referenceType));
        if (named.length === 0) return outer ?? EMPTY_SCOPE;
        return new ListScope(named, this, outer);
    }

    /** A description of a node found by walking the tree (path and segments are computed when asked for). */
    createDescription(node: NamedNode): AstNodeDescription {
        return this.descriptions.createDescription(node, node.name);
    }
}

/** A short list of candidate nodes, searched in order. */
class ListScope implements Scope {
    constructor(private readonly nodes: readonly NamedNode[], private readonly provider: UkScopeProvider, private readonly outer?: Scope) {}

    getElement(name: string): AstNodeDescription | undefined {
        const node = this.nodes.find(candidate => candidate.name === name);
        return node ? this.provider.createDescription(node) : this.outer?.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        const local = stream(this.nodes.filter(candidate => candidate.name === name)).map(node => this.provider.createDescription(node));
        return this.outer ? local.concat(this.outer.getElements(name)) : local;
    }

    getAllElements(): Stream<AstNodeDescription> {
        const local = stream(this.nodes).map(node => this.provider.createDescription(node));
        return this.outer ? local.concat(this.outer.getAllElements()) : local;
    }
}

/** The module scope seen by one reference: a hash lookup, filtered by what the reference may point at. */
class ModuleScope implements Scope {
    constructor(
        private readonly byName: Map<string, AstNodeDescription[]>,
        private readonly accepts: (description: AstNodeDescription) => boolean
    ) {}

    getElement(name: string): AstNodeDescription | undefined {
        return this.byName.get(name)?.find(this.accepts);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        return stream(this.byName.get(name) ?? []).filter(this.accepts);
    }

    getAllElements(): Stream<AstNodeDescription> {
        return stream(this.byName.values()).flatMap(list => list).filter(this.accepts);
    }
}

/** Names visible at a point in a statement body, innermost first, then the module scope. */
class LexicalScope implements Scope {
    constructor(private readonly from: AstNode, private readonly provider: UkScopeProvider, private readonly outer: Scope) {}

    getElement(name: string): AstNodeDescription | undefined {
        const local = findVisibleLocal(this.from, node => node.name === name);
        return local ? this.provider.createDescription(local) : this.outer.getElement(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        const local = this.getElement(name);
        return local ? stream([local]) : this.outer.getElements(name);
    }

    getAllElements(): Stream<AstNodeDescription> {
        const seen = new Set<string>();
        const locals: AstNodeDescription[] = [];
        findVisibleLocal(this.from, node => {
            if (!seen.has(node.name)) {
                seen.add(node.name);
                locals.push(this.provider.createDescription(node));
            }
            return false;
        });
        return stream(locals).concat(this.outer.getAllElements().filter(description => !seen.has(description.name)));
    }
}

/**
 * Walks the local names visible from `from`, innermost first — earlier `let`s in every enclosing block, the
 * variable of an enclosing `for` body or `catch` handler, parameters, then the component's members — and
 * returns the first that `accept` takes. A plain loop, not a generator: it runs for every name in every
 * statement body.
 */
function findVisibleLocal(from: AstNode, accept: (node: NamedNode) => boolean): NamedNode | undefined {
    let child: AstNode = from;
    let node: AstNode | undefined = from.$container;
    while (node) {
        switch (node.$type) {
            case 'Block': {
                const statements = (node as Block).statements;
                const index = child.$containerIndex ?? statements.indexOf(child as never);
                for (let i = index - 1; i >= 0; i--) {
                    const statement = statements[i];
                    if (statement.$type !== 'LetStmt') continue;
                    const bindings = (statement as LetStmt).bindings;
                    for (let b = bindings.length - 1; b >= 0; b--) if (accept(bindings[b])) return bindings[b];
                }
                break;
            }
            // Broken input can leave a loop or catch without its name.
            case 'ForStmt': {
                const variable = (node as ForStmt).variable;
                if (child === (node as ForStmt).body && variable && accept(variable)) return variable;
                break;
            }
            case 'CatchExpr': {
                const binding = (node as CatchExpr).binding;
                if (child === (node as CatchExpr).handler && binding && accept(binding)) return binding;
                break;
            }
            // `if let v = opt { ... }` and a `match` arm's payload: seen in their own block only.
            case 'IfStmt': {
                const binding = (node as IfStmt).binding;
                if (child === (node as IfStmt).then && binding && accept(binding)) return binding;
                break;
            }
            case 'MatchArm': {
                const binding = (node as MatchArm).binding;
                if (child === (node as MatchArm).body && binding && accept(binding)) return binding;
                break;
            }
            case 'FunctionDecl':
                for (const param of (node as FunctionDecl).params) if (accept(param)) return param;
                break;
            case 'Handler':
                for (const param of (node as Handler).params) if (accept(param)) return param;
                break;
            case 'ServerDecl':
            case 'ProgramDecl':
                for (const member of (node as ServerDecl | ProgramDecl).members) {
                    if (isNamed(member) && accept(member)) return member;
                }
                break;
        }
        child = node;
        node = node.$container;
    }
    return undefined;
}

function membersOf(type: UkType): readonly AstNode[] {
    switch (type.kind) {
        case 'struct': return type.decl.fields;
        case 'bitfield': return type.decl.fields;
        // A caught error reads its payload's fields.
        case 'enum': return type.payload?.fields ?? [];
        case 'enum-name': return type.decl.members;
        case 'union-name': return type.decl.variants;
        case 'endpoint': return type.iface.methods;
        case 'device': return type.decl.registers;
        default: return [];
    }
}

function fieldsOfLiteral(decl: AstNode | undefined): readonly AstNode[] {
    if (isStructDecl(decl) || isBitfieldDecl(decl)) return decl.fields;
    return [];
}

function portsOf(instance: AstNode | undefined): readonly Port[] {
    if (!isInstance(instance)) return [];
    const component = instance.component?.ref;
    if (!component) return [];
    return component.members.filter((member): member is Port =>
        member.$type === 'UsesPort' || member.$type === 'DevicePort' || member.$type === 'InterruptPort' || member.$type === 'NotificationPort');
}
