/**
 * Folding: Langium's ranges (declarations, blocks, comments), one per span of lines. A function and its
 * body, or a statement and its block, cover the same lines; an editor shows one fold there, so the
 * server sends one (the outermost, which comes first).
 */
import type { LangiumDocument } from 'langium';
import { DefaultFoldingRangeProvider } from 'langium/lsp';
import type { CancellationToken, FoldingRange, FoldingRangeParams } from 'vscode-languageserver';

export class UkFoldingRangeProvider extends DefaultFoldingRangeProvider {
    override async getFoldingRanges(document: LangiumDocument, params: FoldingRangeParams, cancelToken?: CancellationToken): Promise<FoldingRange[]> {
        const ranges = await super.getFoldingRanges(document, params, cancelToken);
        const seen = new Set<string>();
        return ranges.filter(range => {
            const key = `${range.startLine}:${range.endLine}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
        });
    }
}
