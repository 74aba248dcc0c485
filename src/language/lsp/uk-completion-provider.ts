/**
 * Completion. After `.` (a trigger character) it offers what may follow the value before the dot, found
 * by its type: a capability's methods, an enum's members, a struct's or bitfield's fields, a device's
 * registers, and in `connect` an instance's ports. That works on the half-typed text an editor sends (the
 * value before the dot is read from the tree the recovering parser made). Everywhere else Langium's
 * grammar-driven completion offers the keywords and names in scope.
 */
import type { LangiumDocument } from 'langium';
import { DefaultCompletionProvider, type CompletionProviderOptions, type LangiumServices } from 'langium/lsp';
import { CompletionItemKind, type CompletionItem, type CompletionList, type CompletionParams, type CancellationToken } from 'vscode-languageserver';
import { isInstance, isSystemDecl, type Component, type Module, type Port } from '../generated/ast.js';
import { expressionEndingAt } from './expression-before.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { typeToString, type UkType } from '../type-system/types.js';

const IDENTIFIER_CHAR = /[A-Za-z0-9_]/;

export class UkCompletionProvider extends DefaultCompletionProvider {
    override readonly completionOptions: CompletionProviderOptions = { triggerCharacters: ['.'] };
    private readonly typeSystem: () => UkTypeSystem;

    constructor(services: LangiumServices & { types: { TypeSystem: UkTypeSystem } }) {
        super(services);
        this.typeSystem = () => services.types.TypeSystem;
    }

    override async getCompletion(document: LangiumDocument, params: CompletionParams, cancelToken?: CancellationToken): Promise<CompletionList | undefined> {
        const afterDot = this.completionAfterDot(document, document.textDocument.offsetAt(params.position));
        if (afterDot) return { isIncomplete: false, items: afterDot };
        return super.getCompletion(document, params, cancelToken);
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
