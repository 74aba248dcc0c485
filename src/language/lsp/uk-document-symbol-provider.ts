/**
 * The outline: what the user declared, nested as written (a server's state, ports and handlers under it,
 * an interface's methods, an enum's members), with kinds from uk-node-kind-provider.ts. Parameters,
 * locals, annotations and the types a declaration mentions are not symbols. A handler is named after what
 * it handles: `on get`, `on interrupt irq`.
 */
import { GrammarUtils, type AstNode, type CstNode, type LangiumDocument } from 'langium';
import { DefaultDocumentSymbolProvider } from 'langium/lsp';
import type { DocumentSymbol } from 'vscode-languageserver';
import { isHandler, isModule, type Handler } from '../generated/ast.js';
import { SYMBOL_KINDS } from './uk-node-kind-provider.js';

export class UkDocumentSymbolProvider extends DefaultDocumentSymbolProvider {
    protected override getSymbol(document: LangiumDocument, node: AstNode): DocumentSymbol[] {
        if (isModule(node)) return this.getChildSymbols(document, node) ?? [];
        if (!node.$cstNode || SYMBOL_KINDS[node.$type] === undefined) return [];
        if (isHandler(node)) {
            const nameNode = handlerNameNode(node);
            return nameNode ? [this.createSymbol(document, node, node.$cstNode, nameNode, `on ${handlerLabel(node)}`)] : [];
        }
        const nameNode = this.nameProvider.getNameNode(node);
        if (!nameNode) return [];
        return [this.createSymbol(document, node, node.$cstNode, nameNode, this.nameProvider.getName(node))];
    }
}

function handlerNameNode(handler: Handler): CstNode | undefined {
    return handler.method?.$refNode ?? handler.port?.$refNode ?? GrammarUtils.findNodeForProperty(handler.$cstNode, 'event');
}

function handlerLabel(handler: Handler): string {
    if (handler.method) return handler.method.$refText;
    return `${handler.event ?? ''} ${handler.port?.$refText ?? ''}`.trim();
}
