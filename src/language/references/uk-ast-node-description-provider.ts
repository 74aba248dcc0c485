/**
 * Descriptions of named nodes (for the index and for scopes) whose path and source segments are computed
 * when someone asks. Langium's default computes them eagerly; linking only needs the node, its name and its
 * type, and only editors (outline, find references) ask for the rest. Keeping the segments lazy also keeps a
 * deferred CST (parser/fast/deferred-cst.ts) unbuilt through indexing. The getters live on a class, so a
 * description is one small object (the linker makes one per resolved reference).
 */
import {
    AstUtils, CstUtils, DefaultAstNodeDescriptionProvider, type AstNode, type AstNodeDescription, type AstNodeLocator,
    type DocumentSegment, type LangiumDocument, type NameProvider, type URI
} from 'langium';

export class UkAstNodeDescriptionProvider extends DefaultAstNodeDescriptionProvider {
    override createDescription(node: AstNode, name: string | undefined, document?: LangiumDocument): AstNodeDescription {
        const resolvedName = name ?? this.nameProvider.getName(node);
        if (!resolvedName) throw new Error(`A ${node.$type} node has no name.`);
        return new LazyDescription(node, resolvedName, (document ?? AstUtils.getDocument(node)).uri, this.astNodeLocator, this.nameProvider);
    }
}

class LazyDescription implements AstNodeDescription {
    readonly type: string;
    private cachedPath: string | undefined = undefined;
    private cachedNameSegment: DocumentSegment | undefined = undefined;
    private cachedSelectionSegment: DocumentSegment | undefined = undefined;

    constructor(
        readonly node: AstNode,
        readonly name: string,
        readonly documentUri: URI,
        private readonly locator: AstNodeLocator,
        private readonly nameProvider: NameProvider
    ) {
        this.type = node.$type;
    }

    get path(): string {
        return this.cachedPath ??= this.locator.getAstNodePath(this.node);
    }

    get nameSegment(): DocumentSegment | undefined {
        return this.cachedNameSegment ??= CstUtils.toDocumentSegment(this.nameProvider.getNameNode(this.node) ?? this.node.$cstNode);
    }

    get selectionSegment(): DocumentSegment | undefined {
        return this.cachedSelectionSegment ??= CstUtils.toDocumentSegment(this.node.$cstNode);
    }
}
