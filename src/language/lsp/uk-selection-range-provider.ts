/**
 * Selection ranges (expand selection): from the token under the cursor outwards through every syntax node
 * that covers more text, up to the whole file. Langium has no provider for this, so the server registers
 * the request itself (start-server.ts).
 */
import { CstUtils, type CstNode, type LangiumDocument } from 'langium';
import type { Position, Range, SelectionRange } from 'vscode-languageserver';

export class UkSelectionRangeProvider {
    getSelectionRanges(document: LangiumDocument, positions: readonly Position[]): SelectionRange[] {
        const root = document.parseResult.value.$cstNode;
        return positions.map(position => {
            const offset = document.textDocument.offsetAt(position);
            const leaf = root ? CstUtils.findLeafNodeAtOffset(root, offset) : undefined;
            return leaf ? nest(leaf) : { range: { start: position, end: position } };
        });
    }
}

/** The chain of ranges from `leaf` to the root, each strictly larger than the one inside it. */
function nest(leaf: CstNode): SelectionRange {
    const ranges: Range[] = [];
    let lastLength = -1;
    for (let node: CstNode | undefined = leaf; node; node = node.container) {
        if (node.length === lastLength) continue;
        lastLength = node.length;
        ranges.push(node.range);
    }
    let selection: SelectionRange | undefined;
    for (let i = ranges.length - 1; i >= 0; i--) selection = { range: ranges[i], parent: selection };
    return selection as SelectionRange;
}
