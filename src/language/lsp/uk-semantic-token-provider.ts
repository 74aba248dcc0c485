/**
 * Semantic tokens: every name, where it is declared and wherever it is used, coloured by what it names.
 * Types, interfaces, methods, enum members and fields get the standard token types; what the grammar alone
 * cannot tell apart is said by modifiers: a component's state is `static` (it outlives a handler), a local
 * bound by `let` is `readonly` and one bound by `var` is `mutable`, a port is a `capability`, a declaring
 * occurrence is a `declaration`, and builtin types are `defaultLibrary`. Keywords, numbers, strings and
 * comments are left to the TextMate grammar.
 */
import { isReference, type AstNode, type Cancellation, type LangiumDocument, type Reference } from 'langium';
import { AbstractSemanticTokenProvider, AllSemanticTokenModifiers, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenTypes } from 'vscode-languageserver';
import { isBinding, isCatchExpr, isForStmt, isLetStmt, type Binding } from '../generated/ast.js';
import { walkAst } from '../utils/ast-walk.js';

/** ukc's own modifiers, after the standard ones (the extension declares them to VS Code). */
export const UkSemanticTokenModifiers = { capability: 'capability', mutable: 'mutable' } as const;

const MODIFIERS: Record<string, number> = {
    ...AllSemanticTokenModifiers,
    [UkSemanticTokenModifiers.capability]: 1 << 10,
    [UkSemanticTokenModifiers.mutable]: 1 << 11
};

interface TokenKind { readonly type: string; readonly modifiers: readonly string[] }

export class UkSemanticTokenProvider extends AbstractSemanticTokenProvider {
    override get tokenModifiers(): Record<string, number> {
        return MODIFIERS;
    }

    protected override async computeHighlighting(document: LangiumDocument, acceptor: SemanticTokenAcceptor, cancelToken: Cancellation.CancellationToken): Promise<void> {
        // A plain walk: Langium's default awaits once per node, which dominates on large files.
        await walkAst(document.parseResult.value, node => this.highlightElement(node, acceptor), cancelToken);
    }

    protected override highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void {
        const declared = tokenKindOf(node);
        if (declared && 'name' in node && typeof node.name === 'string') {
            acceptor({ node, property: 'name', type: declared.type, modifier: [...declared.modifiers, 'declaration'] });
        }
        switch (node.$type) {
            // An instance's property (`priority: 100`) names a setting, it declares nothing.
            case 'Property': acceptor({ node, property: 'name', type: SemanticTokenTypes.property }); break;
            case 'Annotation': acceptor({ node, property: 'name', type: SemanticTokenTypes.decorator }); break;
            case 'PrimitiveTypeRef': acceptor({ node, property: 'name', type: SemanticTokenTypes.type, modifier: 'defaultLibrary' }); break;
            case 'EnumDecl': case 'BitfieldDecl': acceptor({ node, property: 'base', type: SemanticTokenTypes.type, modifier: 'defaultLibrary' }); break;
        }
        for (const key in node) {
            if (key.charCodeAt(0) === 36 /* '$' */) continue;
            const value = (node as unknown as Record<string, unknown>)[key];
            if (isReference(value)) this.highlightReference(value, acceptor);
        }
    }

    private highlightReference(reference: Reference, acceptor: SemanticTokenAcceptor): void {
        const target = reference.ref;
        const cst = reference.$refNode;
        if (!target || !cst) return;
        const kind = tokenKindOf(target);
        if (kind) acceptor({ cst, type: kind.type, modifier: [...kind.modifiers] });
    }
}

/** What a declaration's name is as a token, wherever it appears; undefined for nodes that name nothing. */
function tokenKindOf(node: AstNode): TokenKind | undefined {
    switch (node.$type) {
        case 'StructDecl': case 'BitfieldDecl': return token(SemanticTokenTypes.struct);
        case 'EnumDecl': case 'UnionDecl': return token(SemanticTokenTypes.enum);
        case 'InterfaceDecl': return token(SemanticTokenTypes.interface);
        case 'ServerDecl': case 'ProgramDecl': case 'DeviceDecl': return token(SemanticTokenTypes.class);
        case 'SystemDecl': return token(SemanticTokenTypes.namespace);
        case 'FunctionDecl': return token(SemanticTokenTypes.function);
        case 'Method': return token(SemanticTokenTypes.method);
        case 'EnumMember': case 'UnionVariant': return token(SemanticTokenTypes.enumMember, 'readonly');
        case 'StructField': case 'BitfieldField': case 'DeviceRegister': return token(SemanticTokenTypes.property);
        case 'ConstDecl': return token(SemanticTokenTypes.variable, 'readonly', 'static');
        case 'StateVar': return token(SemanticTokenTypes.variable, 'static', UkSemanticTokenModifiers.mutable);
        case 'Param': case 'FunctionParam': case 'HandlerParam': return token(SemanticTokenTypes.parameter, 'readonly');
        case 'UsesPort': case 'DevicePort': case 'InterruptPort': case 'NotificationPort':
            return token(SemanticTokenTypes.variable, 'readonly', UkSemanticTokenModifiers.capability);
        case 'Instance': case 'DeviceInstance': return token(SemanticTokenTypes.variable, 'readonly');
        case 'Binding': return isBinding(node) ? bindingKind(node) : undefined;
        default: return undefined;
    }
}

/** A `var` local may be assigned again; `let`, loop and `catch` bindings may not. */
function bindingKind(binding: Binding): TokenKind {
    const owner = binding.$container;
    if (isLetStmt(owner) && owner.kind === 'var') return token(SemanticTokenTypes.variable, UkSemanticTokenModifiers.mutable);
    if (isLetStmt(owner) || isForStmt(owner) || isCatchExpr(owner)) return token(SemanticTokenTypes.variable, 'readonly');
    return token(SemanticTokenTypes.variable);
}

function token(type: string, ...modifiers: string[]): TokenKind {
    return { type, modifiers };
}
