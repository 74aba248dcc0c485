/**
 * The index of references that find-references, rename and Langium's choice of documents to relink read.
 * Two differences from Langium's default, neither visible in what the index answers:
 * - a file whose concrete syntax tree is deferred (a file the editor does not have open, see
 *   parser/fast/deferred-cst.ts) is indexed without building it: each entry's `segment` (the reference's
 *   range) is computed when someone reads it, which builds that file's CST then. Relinking only reads the
 *   target's URI, so a workspace is indexed at start-up without a CST for any file that is not open;
 * - the tree is walked with `walkAst` rather than Langium's streams (a generator step and an `await` per
 *   node, most of the index's cost), visiting the same references in the same order.
 */
import {
    AstUtils, Cancellation, CstUtils, DefaultReferenceDescriptionProvider, isMultiReference, isReference, UriUtils,
    type AstNode, type DocumentSegment, type LangiumDocument, type ReferenceDescription, type ReferenceInfo, type URI
} from 'langium';
import { isCstDeferred, materializeCst } from '../parser/fast/deferred-cst.js';
import { walkAst } from '../utils/ast-walk.js';

export class UkReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    override async createDescriptions(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<ReferenceDescription[]> {
        const descriptions: ReferenceDescription[] = [];
        const root = document.parseResult.value;
        const deferred = isCstDeferred(root);
        await walkAst(root, node => {
            forEachReference(node, info => {
                if (info.reference.error) return;
                descriptions.push(...(deferred ? this.createDeferredDescriptions(info) : this.createInfoDescriptions(info)));
            });
        }, cancelToken);
        return descriptions;
    }

    /** What `createInfoDescriptions` makes, with the segment left to be computed on first use. */
    private createDeferredDescriptions(info: ReferenceInfo): ReferenceDescription[] {
        const reference = info.reference;
        const targets = isReference(reference)
            ? (reference.$nodeDescription ? [reference.$nodeDescription] : [])
            : reference.items.flatMap(item => item.$nodeDescription ? [item.$nodeDescription] : []);
        if (targets.length === 0) return [];
        const sourceUri = AstUtils.getDocument(info.container).uri;
        const sourcePath = this.nodeLocator.getAstNodePath(info.container);
        const segment = new LazySegment(reference, info.container);
        return targets.map(target => new DeferredReferenceDescription(sourceUri, sourcePath, target.documentUri, target.path, segment));
    }
}

/** Calls `visit` for each reference (or multi-reference) held by `node` itself, in property order. */
function forEachReference(node: AstNode, visit: (info: ReferenceInfo) => void): void {
    for (const property in node) {
        if (property.charCodeAt(0) === 36 /* '$' */) continue;
        const value = (node as unknown as Record<string, unknown>)[property];
        if (isReference(value) || isMultiReference(value)) {
            visit({ reference: value, container: node, property });
        } else if (Array.isArray(value)) {
            value.forEach((item: unknown, index) => {
                if (isReference(item) || isMultiReference(item)) visit({ reference: item, container: node, property, index });
            });
        }
    }
}

/** The range of a reference in a file whose CST is deferred: reading it builds that CST (once). */
class LazySegment {
    private cached: DocumentSegment | undefined = undefined;

    constructor(private readonly reference: ReferenceInfo['reference'], private readonly container: AstNode) {}

    get value(): DocumentSegment {
        if (this.cached) return this.cached;
        // Reading a reference's `$refNode` does not build the CST (only a node's `$cstNode` does); once it is
        // built, every reference of the tree has its `$refNode` (deferred-cst.ts).
        materializeCst(this.container);
        return this.cached = CstUtils.toDocumentSegment(this.reference.$refNode) ?? EMPTY_SEGMENT;
    }
}

const EMPTY_SEGMENT: DocumentSegment = { offset: 0, end: 0, length: 0, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };

class DeferredReferenceDescription implements ReferenceDescription {
    readonly local: boolean;

    constructor(
        readonly sourceUri: URI,
        readonly sourcePath: string,
        readonly targetUri: URI,
        readonly targetPath: string,
        private readonly lazySegment: LazySegment
    ) {
        this.local = UriUtils.equals(targetUri, sourceUri);
    }

    get segment(): DocumentSegment {
        return this.lazySegment.value;
    }
}
