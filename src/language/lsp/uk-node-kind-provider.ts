/**
 * What kind of symbol each declared thing is, for the outline, workspace symbols and completion items.
 * Only what a user declares has a kind here; everything else (parameters, locals, annotations, types as
 * written) is no symbol at all (see uk-document-symbol-provider.ts).
 */
import type { AstNode, AstNodeDescription } from 'langium';
import { DefaultNodeKindProvider } from 'langium/lsp';
import { CompletionItemKind, SymbolKind } from 'vscode-languageserver';

export const SYMBOL_KINDS: Readonly<Record<string, SymbolKind>> = {
    ConstDecl: SymbolKind.Constant,
    EnumDecl: SymbolKind.Enum,
    EnumMember: SymbolKind.EnumMember,
    BitfieldDecl: SymbolKind.Struct,
    BitfieldField: SymbolKind.Field,
    StructDecl: SymbolKind.Struct,
    StructField: SymbolKind.Field,
    UnionDecl: SymbolKind.Enum,
    UnionVariant: SymbolKind.EnumMember,
    InterfaceDecl: SymbolKind.Interface,
    Method: SymbolKind.Method,
    DeviceDecl: SymbolKind.Class,
    DeviceRegister: SymbolKind.Property,
    FunctionDecl: SymbolKind.Function,
    ServerDecl: SymbolKind.Class,
    ProgramDecl: SymbolKind.Class,
    StateVar: SymbolKind.Variable,
    UsesPort: SymbolKind.Interface,
    DevicePort: SymbolKind.Property,
    InterruptPort: SymbolKind.Event,
    NotificationPort: SymbolKind.Event,
    Handler: SymbolKind.Method,
    SystemDecl: SymbolKind.Namespace,
    Instance: SymbolKind.Object,
    DeviceInstance: SymbolKind.Object
};

const COMPLETION_KINDS: Readonly<Partial<Record<SymbolKind, CompletionItemKind>>> = {
    [SymbolKind.Constant]: CompletionItemKind.Constant,
    [SymbolKind.Enum]: CompletionItemKind.Enum,
    [SymbolKind.EnumMember]: CompletionItemKind.EnumMember,
    [SymbolKind.Struct]: CompletionItemKind.Struct,
    [SymbolKind.Field]: CompletionItemKind.Field,
    [SymbolKind.Interface]: CompletionItemKind.Interface,
    [SymbolKind.Method]: CompletionItemKind.Method,
    [SymbolKind.Class]: CompletionItemKind.Class,
    [SymbolKind.Property]: CompletionItemKind.Property,
    [SymbolKind.Function]: CompletionItemKind.Function,
    [SymbolKind.Variable]: CompletionItemKind.Variable,
    [SymbolKind.Event]: CompletionItemKind.Event,
    [SymbolKind.Namespace]: CompletionItemKind.Module,
    [SymbolKind.Object]: CompletionItemKind.Value
};

function typeOf(node: AstNode | AstNodeDescription): string {
    return '$type' in node ? node.$type : node.type;
}

export class UkNodeKindProvider extends DefaultNodeKindProvider {
    override getSymbolKind(node: AstNode | AstNodeDescription): SymbolKind {
        return SYMBOL_KINDS[typeOf(node)] ?? SymbolKind.Variable;
    }

    override getCompletionItemKind(node: AstNode | AstNodeDescription): CompletionItemKind {
        const type = typeOf(node);
        if (type === 'Binding' || type === 'FunctionParam' || type === 'HandlerParam') return CompletionItemKind.Variable;
        const symbol = SYMBOL_KINDS[type];
        return (symbol !== undefined ? COMPLETION_KINDS[symbol] : undefined) ?? CompletionItemKind.Reference;
    }
}
