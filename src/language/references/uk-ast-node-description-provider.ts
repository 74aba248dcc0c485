/**
 * Descriptions of named nodes (for the index and for scopes) whose path and source segments are computed
 * when someone asks. Langium's default computes them eagerly; linking only needs the node, its name and its
 * type, and only editors (outline, find references) ask for the rest. Keeping the segments lazy also keeps a
 * deferred CST (parser/fast/deferred-cst.ts) unbuilt through indexing.
 */
import { AstUtils, CstUtils, DefaultAstNodeDescriptionProvider, type AstNode, type AstNodeDescription, type DocumentSegment, type LangiumDocument } from 'langium';

export class UkAstNodeDescriptionProvider extends DefaultAstNodeDescriptionProvider {
    override createDescription(node: AstNode, name: string | undefined, document?: LangiumDocument): AstNodeDescription {
        const resolvedName = name ?? this.nameProvider.getName(node);
        if (!resolvedName) throw new Error(`A ${node.$type} node has no name.`);
        const locator = this.astNodeLocator;
        const nameProvider = this.nameProvider;
        let path: string | undefined;
        let nameSegment: DocumentSegment | undefined;
        let selectionSegment: DocumentSegment | undefined;
        return {
            node,
            name: resolvedName,
            type: node.$type,
            documentUri: (document ?? AstUtils.getDocument(node)).uri,
            get path() { return path ??= locator.getAstNodePath(node); },
            get nameSegment() { return nameSegment ??= CstUtils.toDocumentSegment(nameProvider.getNameNode(node) ?? node.$cstNode); },
            get selectionSegment() { return selectionSegment ??= CstUtils.toDocumentSegment(node.$cstNode); }
        };
    }
}
