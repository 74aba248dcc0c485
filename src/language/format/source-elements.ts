/**
 * The text of a parsed file as the formatter sees it: its tokens (the CST's visible leaves, in order) and
 * its comments, each with the number of line breaks between it and what precedes it. Comments are found in
 * the gaps between tokens rather than read from the CST, because only those gaps can hold them (whitespace
 * and comments are the grammar's only hidden terminals) and both parsers then look the same.
 */
import { AstUtils, CstUtils, GrammarAST, type AstNode, type CstNode, type LeafCstNode } from 'langium';

export interface SourceToken {
    readonly kind: 'token';
    readonly text: string;
    readonly offset: number;
    readonly end: number;
    /** Line breaks in the whitespace before it (since the previous element, or the start of the file). */
    readonly breaksBefore: number;
    /** The AST node whose rule produced the token. */
    readonly node: AstNode;
    /** The parser rule whose text holds the token (`PostfixExpr` for a call's `(`, `LetStmt` for `let (`). */
    readonly rule: string;
}

export interface SourceComment {
    readonly kind: 'comment';
    /** The comment as written; a line comment without trailing whitespace. */
    readonly text: string;
    readonly offset: number;
    readonly end: number;
    readonly breaksBefore: number;
    readonly style: 'line' | 'block';
}

export type SourceElement = SourceToken | SourceComment;

/** Every token and comment of a file without syntax errors, in order. */
export function sourceElements(root: CstNode, text: string): SourceElement[] {
    const elements: SourceElement[] = [];
    let breaks = 0;
    // Reads the whitespace and comments of a gap between tokens, counting its line breaks.
    const scanGap = (start: number, end: number): void => {
        let at = start;
        while (at < end) {
            if (text[at] === '\n') {
                breaks++;
                at++;
            } else if (text.startsWith('//', at)) {
                let close = text.indexOf('\n', at);
                if (close < 0 || close > end) close = end;
                const comment = text.slice(at, close).trimEnd();
                elements.push({ kind: 'comment', text: comment, offset: at, end: at + comment.length, breaksBefore: breaks, style: 'line' });
                breaks = 0;
                at = close;
            } else if (text.startsWith('/*', at)) {
                const close = text.indexOf('*/', at + 2) + 2;
                elements.push({ kind: 'comment', text: text.slice(at, close), offset: at, end: close, breaksBefore: breaks, style: 'block' });
                breaks = 0;
                at = close;
            } else {
                at++;
            }
        }
    };
    let previousEnd = 0;
    for (const leaf of CstUtils.flattenCst(root)) {
        if (leaf.hidden) continue;
        scanGap(previousEnd, leaf.offset);
        elements.push({ kind: 'token', text: leaf.text, offset: leaf.offset, end: leaf.end, breaksBefore: breaks, node: leaf.astNode, rule: ruleOf(leaf) });
        breaks = 0;
        previousEnd = leaf.end;
    }
    scanGap(previousEnd, text.length);
    return elements;
}

function ruleOf(leaf: LeafCstNode): string {
    const rule = leaf.grammarSource ? AstUtils.getContainerOfType(leaf.grammarSource, GrammarAST.isParserRule) : undefined;
    return rule?.name ?? '';
}
