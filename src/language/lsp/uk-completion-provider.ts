/**
 * Completion. After `.` (a trigger character) it offers what may follow the value before the dot, found
 * by its type: a capability's methods, an enum's members, a struct's or bitfield's fields, a device's
 * registers, and in `connect` an instance's ports. That works on the half-typed text an editor sends (the
 * value before the dot is read from the tree the recovering parser made). Everywhere else Langium's
 * grammar-driven completion offers the keywords and names in scope (in `connect`, the instances), ranked by
 * what the place expects (expected-type.ts): where a value of a known type is wanted (an argument, the right
 * side of `=`, `==`, `!=`) the names of that type come first, and for an enum its members; in a struct
 * literal, the fields not yet given; after `connect a.port ->`, the instances that can serve the port.
 */
import { TextDocument, URI, type AstNode, type AstNodeDescription, type LangiumDocument, type ReferenceInfo, type RootCstNode } from 'langium';
import { DefaultCompletionProvider, type CompletionContext, type CompletionProviderOptions, type CompletionValueItem, type LangiumServices, type NextFeature } from 'langium/lsp';
import { CompletionItemKind, type CompletionItem, type CompletionList, type CompletionParams, type CancellationToken } from 'vscode-languageserver';
import { isDeviceInstance, isInstance, isReferable, isServerDecl, isStructDecl, isSystemDecl, type Component, type Module, type Port, type StructDecl } from '../generated/ast.js';
import { expectationAt, type Expectation } from './expected-type.js';
import { expressionEndingAt } from './expression-before.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { isAssignable, typeToString, type UkType } from '../type-system/types.js';

/** Sort texts: what the place expects, then everything else (Langium's keywords sort as '1'). */
const EXPECTED = '0';
const OTHER = '1';

const IDENTIFIER_CHAR = /[A-Za-z0-9_]/;

export class UkCompletionProvider extends DefaultCompletionProvider {
    override readonly completionOptions: CompletionProviderOptions = { triggerCharacters: ['.'] };
    private readonly typeSystem: () => UkTypeSystem;
    private readonly index: LangiumServices['shared']['workspace']['IndexManager'];
    private readonly langiumDocuments: LangiumServices['shared']['workspace']['LangiumDocuments'];
    /** The last expectation computed, by document, version and offset: every candidate of a request asks. */
    private lastExpectation: { key: string; expectation: Expectation | undefined } | undefined;

    constructor(services: LangiumServices & { types: { TypeSystem: UkTypeSystem } }) {
        super(services);
        this.typeSystem = () => services.types.TypeSystem;
        this.index = services.shared.workspace.IndexManager;
        this.langiumDocuments = services.shared.workspace.LangiumDocuments;
    }

    override async getCompletion(document: LangiumDocument, params: CompletionParams, cancelToken?: CancellationToken): Promise<CompletionList | undefined> {
        const offset = document.textDocument.offsetAt(params.position);
        const afterDot = this.completionAfterDot(document, offset);
        if (afterDot) return { isIncomplete: false, items: afterDot };
        const expectation = this.expectationAt(document, offset);
        if (expectation?.kind === 'struct-field') return { isIncomplete: false, items: this.fieldsNotGiven(expectation.decl, expectation.given) };
        const list = await super.getCompletion(document, params, cancelToken);
        if (expectation?.kind !== 'value' || !list) return list;
        const expected = expectation.type;
        // Where an optional is expected, `none` is one of the values that fit.
        if (expected.kind === 'optional') return { ...list, items: list.items.map(item => (item.label === 'none' ? { ...item, sortText: EXPECTED } : item)) };
        if (expected.kind !== 'enum' && expected.kind !== 'union') return list;
        // The members of the expected enum (or the variants of the expected union), written as the language
        // writes them (`Status.Ok`, `Shape.circle`), first.
        const owner = expected.decl.name;
        const names = expected.kind === 'enum' ? expected.decl.members.map(member => member.name) : expected.decl.variants.map(variant => variant.name);
        const start = document.textDocument.positionAt(nameStart(document.textDocument.getText(), offset));
        const members: CompletionItem[] = names.map(name => ({
            label: `${owner}.${name}`, kind: CompletionItemKind.EnumMember, detail: owner, sortText: EXPECTED,
            textEdit: { range: { start, end: params.position }, newText: `${owner}.${name}` }
        }));
        return { ...list, items: [...members, ...list.items] };
    }

    /**
     * What the grammar lets come at `offset`. Langium finds it by parsing the text from the top of the file
     * to the offset with its completion parser, up to three times a request. The grammar is in the same
     * place (`declarations+=Declaration*`) at the start of every top-level declaration whatever came before
     * it, so the parse starts at the declaration around the offset, when the document's tree is of this very
     * text (test/language/lsp/completion-features.test.ts compares the two ways at many offsets).
     */
    protected override findFeaturesAt(textDocument: TextDocument, offset: number): NextFeature[] {
        const start = this.declarationStartBefore(textDocument, offset);
        if (start === undefined) return super.findFeaturesAt(textDocument, offset);
        const declaration = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.getText().slice(start, offset));
        return super.findFeaturesAt(declaration, offset - start);
    }

    /** Where the top-level declaration that `offset` is inside (after its first character) starts. */
    private declarationStartBefore(textDocument: TextDocument, offset: number): number | undefined {
        const document = this.langiumDocuments.getDocument(URI.parse(textDocument.uri));
        const root = document?.parseResult.value.$cstNode?.root as RootCstNode | undefined;
        if (!document || !root || root.fullText !== textDocument.getText()) return undefined;
        for (const declaration of (document.parseResult.value as Module).declarations) {
            const cst = declaration.$cstNode;
            if (cst && cst.offset < offset && offset <= cst.end) return cst.offset;
        }
        return undefined;
    }

    /** A name in scope, ranked by whether its type is the one the place expects. */
    protected override createReferenceCompletionItem(description: AstNodeDescription, refInfo: ReferenceInfo, context: CompletionContext): CompletionValueItem {
        const item = super.createReferenceCompletionItem(description, refInfo, context);
        const expectation = this.expectationAt(context.document, context.offset);
        const node = description.node;
        if (expectation?.kind === 'connection-target') return { ...item, sortText: canServe(node, expectation.port) ? EXPECTED : OTHER };
        if (expectation?.kind !== 'value') return item;
        const type = isReferable(node) ? this.typeSystem().typeOfReferable(node) : undefined;
        const matches = type !== undefined && type.kind !== 'error'
            && (isAssignable(type, expectation.type) || (type.kind === 'enum-name' && expectation.type.kind === 'enum' && type.decl === expectation.type.decl)
                || (type.kind === 'union-name' && expectation.type.kind === 'union' && type.decl === expectation.type.decl));
        return { ...item, sortText: matches ? EXPECTED : OTHER };
    }

    private expectationAt(document: LangiumDocument, offset: number): Expectation | undefined {
        const key = `${document.uri.toString()}@${document.textDocument.version}:${offset}`;
        if (this.lastExpectation?.key !== key) {
            const text = document.textDocument.getText();
            const module = document.parseResult.value as Module;
            const structNamed = (name: string): StructDecl | undefined => (module.declarations ?? []).filter(isStructDecl).find(decl => decl.name === name)
                ?? this.index.allElements('StructDecl').filter(description => description.name === name).map(description => description.node).find(isStructDecl);
            this.lastExpectation = { key, expectation: expectationAt(module, text, nameStart(text, offset), this.typeSystem(), structNamed) };
        }
        return this.lastExpectation.expectation;
    }

    private fieldsNotGiven(decl: StructDecl, given: ReadonlySet<string>): CompletionItem[] {
        return decl.fields.filter(field => !given.has(field.name)).map(field => ({
            label: field.name, kind: CompletionItemKind.Field, detail: typeToString(this.typeSystem().typeOfTypeRef(field.type)), sortText: EXPECTED
        }));
    }

    /** The members offered after `receiver.`, or undefined when the cursor does not follow a dot. */
    private completionAfterDot(document: LangiumDocument, offset: number): CompletionItem[] | undefined {
        const text = document.textDocument.getText();
        let start = offset;
        while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1])) start--;
        let dot = start - 1;
        while (dot >= 0 && /\s/.test(text[dot])) dot--;
        if (dot < 0 || text[dot] !== '.') return undefined;
        let end = dot;
        while (end > 0 && /\s/.test(text[end - 1])) end--;
        let receiverStart = end;
        while (receiverStart > 0 && IDENTIFIER_CHAR.test(text[receiverStart - 1])) receiverStart--;
        const before = text.slice(0, receiverStart).trimEnd();
        const module = document.parseResult.value as Module;
        if (/(^|\s)connect$/.test(before) || before.endsWith('->')) {
            // `connect a.` and `-> b.` in a system: the ports of the instance's component. Read from the
            // text, since the recovering parser skips a half-typed connection.
            return this.portsOfInstance(module, text.slice(receiverStart, end), receiverStart);
        }
        const receiver = expressionEndingAt(module, end);
        return receiver ? this.membersOfType(this.typeSystem().typeOf(receiver)) : [];
    }

    private portsOfInstance(module: Module, name: string, offset: number): CompletionItem[] {
        const system = (module.declarations ?? []).filter(isSystemDecl).filter(decl => (decl.$cstNode?.offset ?? offset) < offset).pop();
        const instance = system?.items.find(item => isInstance(item) && item.name === name);
        return isInstance(instance) ? portsOf(instance.component?.ref) : [];
    }

    private membersOfType(type: UkType): CompletionItem[] {
        const types = this.typeSystem();
        switch (type.kind) {
            case 'struct': return type.decl.fields.map(field => ({ label: field.name, kind: CompletionItemKind.Field, detail: typeToString(types.typeOfTypeRef(field.type)) }));
            case 'bitfield': return type.decl.fields.map(field => ({ label: field.name, kind: CompletionItemKind.Field, detail: `${field.width} bit${field.width === '1' ? '' : 's'}` }));
            case 'enum-name': return type.decl.members.map(member => ({ label: member.name, kind: CompletionItemKind.EnumMember, detail: type.decl.name }));
            case 'endpoint': return type.iface.methods.map(method => ({ label: method.name, kind: CompletionItemKind.Method, detail: `${type.iface.name}.${method.name}` }));
            case 'device': return type.decl.registers.map(register => ({ label: register.name, kind: CompletionItemKind.Property, detail: `register of ${type.decl.name}` }));
            default: return [];
        }
    }
}

/** Whether `node` can be the target of a connection from `port`: a server of its interface, an instance of its device. */
function canServe(node: AstNode | undefined, port: Port): boolean {
    if (isInstance(node)) {
        const component = node.component?.ref;
        return port.$type === 'UsesPort' && isServerDecl(component) && component.interface?.ref === port.interface?.ref;
    }
    return isDeviceInstance(node) && port.$type === 'DevicePort' && node.device?.ref === port.device?.ref;
}

/** Where the name being typed at `offset` starts. */
function nameStart(text: string, offset: number): number {
    let start = offset;
    while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1])) start--;
    return start;
}

function portsOf(component: Component | undefined): CompletionItem[] {
    if (!component) return [];
    return component.members
        .filter((member): member is Port => member.$type === 'UsesPort' || member.$type === 'DevicePort' || member.$type === 'InterruptPort' || member.$type === 'NotificationPort')
        .map(port => ({ label: port.name, kind: CompletionItemKind.Interface, detail: portDetail(port) }));
}

function portDetail(port: Port): string {
    switch (port.$type) {
        case 'UsesPort': return `uses ${port.interface?.$refText ?? ''}`;
        case 'DevicePort': return `device ${port.device?.$refText ?? ''}`;
        case 'InterruptPort': return 'interrupt';
        case 'NotificationPort': return 'notification';
    }
}
