/**
 * The canonical style as edits: every gap between two elements (tokens and comments) of a file gets the
 * whitespace the style gives it, and an edit replaces each gap whose whitespace differs. Tokens and comments
 * are never touched (a line comment only loses trailing blanks), so the token sequence, and with it the
 * syntax tree, stays the same. docs/LANGUAGE.md ("Formatting") describes the style.
 *
 * The rules: four spaces per level of broken list; a line that continues an item (not an item's first, not
 * a closing bracket, not `{`) is indented one level more; lists are written on one line or one item per
 * line (layout-structure.ts); `} else` stays together; other line breaks are the author's, with at most one
 * blank line, none after `{` or before `}` and none at the start or end of the file; trailing `//` comments
 * of consecutive lines line up, two spaces after the longest code.
 */
import type { AstNode } from 'langium';
import { layoutStructure, type ItemList, type LayoutStructure } from './layout-structure.js';
import { sourceElements, type SourceElement, type SourceToken } from './source-elements.js';
import { spaceBetween } from './token-spacing.js';

export const INDENT = '    ';

/** One replaced gap: `text[start, end)` becomes `newText`; `line` is the 0-based line (in the original) of
 * the element that follows the gap, which is how range formatting picks edits. */
export interface FormatEdit {
    readonly start: number;
    readonly end: number;
    readonly newText: string;
    readonly line: number;
}

/** What goes in one gap before it becomes text. */
type Gap =
    | { readonly kind: 'none' }
    | { readonly kind: 'space'; readonly text: '' | ' ' }
    | { readonly kind: 'line'; readonly blank: boolean; readonly level: number }
    /** Before a `//` comment that follows code on its line: aligned with its neighbours' later. */
    | { readonly kind: 'trailing' };

/** The edits that bring `text` (parsed into `root`, with its CST) into the canonical style. */
export function formatEdits(root: AstNode, text: string): FormatEdit[] {
    const cst = root.$cstNode;
    if (!cst) return [];
    const elements = sourceElements(cst, text);
    const gaps = decideGaps(elements, layoutStructure(root, elements, text));
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const gapTexts = renderGaps(elements, gaps, eol);

    const edits: FormatEdit[] = [];
    const lineOf = lineCounter(text);
    let previousEnd = 0;
    elements.forEach((element, index) => {
        const newText = gapTexts[index];
        if (text.slice(previousEnd, element.offset) !== newText) {
            edits.push({ start: previousEnd, end: element.offset, newText, line: lineOf(element.offset) });
        }
        previousEnd = element.end;
    });
    const ending = elements.length > 0 ? eol : '';
    if (text.slice(previousEnd) !== ending) edits.push({ start: previousEnd, end: text.length, newText: ending, line: lineOf(text.length) });
    return edits;
}

/** Applies edits (as `formatEdits` returns them: in order, not overlapping) to `text`. */
export function applyEdits(text: string, edits: readonly FormatEdit[]): string {
    let result = '';
    let at = 0;
    for (const edit of edits) {
        result += text.slice(at, edit.start) + edit.newText;
        at = edit.end;
    }
    return result + text.slice(at);
}

function decideGaps(elements: readonly SourceElement[], structure: LayoutStructure): Gap[] {
    const gaps: Gap[] = [];
    const open: ItemList[] = [];
    let previousToken: SourceToken | undefined;
    let previousTokenIndex = -1;
    elements.forEach((element, index) => {
        const previous = elements[index - 1];
        if (element.kind === 'token') {
            const closes = structure.braces.get(index);
            if (closes && closes.close === index && closes.broken) open.pop();
        }
        const level = open.length;
        gaps.push(gapBefore(element, index, previous, previousToken, previousTokenIndex, structure, level));
        if (element.kind === 'token') {
            const opens = structure.braces.get(index);
            if (opens && opens.open === index && opens.broken) open.push(opens);
            previousToken = element;
            previousTokenIndex = index;
        }
    });
    return gaps;
}

function gapBefore(element: SourceElement, index: number, previous: SourceElement | undefined, previousToken: SourceToken | undefined,
    previousTokenIndex: number, structure: LayoutStructure, level: number): Gap {
    if (!previous) return { kind: 'none' };
    const blank = element.breaksBefore >= 2 && !opensList(previous, index - 1, structure) && !closesList(element, index, structure);
    if (element.kind === 'comment') {
        if (element.breaksBefore > 0 || isLineComment(previous)) return { kind: 'line', blank, level };
        if (element.style === 'line') return { kind: 'trailing' };
        return { kind: 'space', text: previous.kind === 'token' && (previous.text === '(' || previous.text === '[') ? '' : ' ' };
    }
    const forced = previousToken ? structuralBreak(previousToken, previousTokenIndex, element, index, structure) : undefined;
    const lineLevel = level + (continuesItem(element, index, structure) ? 1 : 0);
    if (isLineComment(previous) || forced === 'line' || (forced !== 'same' && element.breaksBefore > 0)) {
        return { kind: 'line', blank, level: lineLevel };
    }
    if (previous.kind === 'comment') return { kind: 'space', text: [')', ']', ','].includes(element.text) ? '' : ' ' };
    return { kind: 'space', text: previousToken ? spaceBetween(previousToken, element) : ' ' };
}

/** Breaks the lists' shape demands ('line'), or forbids ('same'); undefined leaves it to the author. */
function structuralBreak(left: SourceToken, leftIndex: number, right: SourceToken, rightIndex: number, structure: LayoutStructure): 'line' | 'same' | undefined {
    const startsItemOf = structure.itemStarts.get(rightIndex);
    if (startsItemOf) return startsItemOf.broken ? 'line' : 'same';
    const closes = structure.braces.get(rightIndex);
    if (closes && closes.close === rightIndex) return closes.broken ? 'line' : 'same';
    const opens = structure.braces.get(leftIndex);
    if (opens && opens.open === leftIndex && opens.broken) return 'line';
    if (right.text === 'else' && left.text === '}') return 'same';
    return undefined;
}

/** A line that starts inside an item, not with its first token or a closing bracket, is a continuation. */
function continuesItem(element: SourceToken, index: number, structure: LayoutStructure): boolean {
    if (structure.itemStarts.has(index)) return false;
    return !['}', ')', ']', '{', 'else'].includes(element.text);
}

function opensList(element: SourceElement, index: number, structure: LayoutStructure): boolean {
    const list = element.kind === 'token' ? structure.braces.get(index) : undefined;
    return list !== undefined && list.open === index;
}

function closesList(element: SourceElement, index: number, structure: LayoutStructure): boolean {
    const list = element.kind === 'token' ? structure.braces.get(index) : undefined;
    return list !== undefined && list.close === index;
}

function isLineComment(element: SourceElement): boolean {
    return element.kind === 'comment' && element.style === 'line';
}

/** The gaps' texts, with trailing comments of consecutive lines aligned. */
function renderGaps(elements: readonly SourceElement[], gaps: readonly Gap[], eol: string): string[] {
    const texts: string[] = gaps.map(gap => gap.kind === 'none' ? '' : gap.kind === 'space' ? gap.text
        : gap.kind === 'line' ? eol.repeat(gap.blank ? 2 : 1) + INDENT.repeat(gap.level) : '');
    // Where every line ends up, to align the trailing comments: per output line, its code's width.
    let line = 0;
    let column = 0;
    const trailing: { index: number; line: number; width: number }[] = [];
    elements.forEach((element, index) => {
        const gap = gaps[index];
        if (gap.kind === 'line') {
            line += gap.blank ? 2 : 1;
            column = INDENT.length * gap.level;
        } else if (gap.kind === 'trailing') {
            trailing.push({ index, line, width: column });
        } else {
            column += texts[index].length;
        }
        const breaks = element.text.split('\n');
        if (breaks.length > 1) {
            line += breaks.length - 1;
            column = breaks[breaks.length - 1].length;
        } else {
            column += element.text.length;
        }
    });
    for (let first = 0; first < trailing.length;) {
        let last = first;
        while (last + 1 < trailing.length && trailing[last + 1].line === trailing[last].line + 1) last++;
        const run = trailing.slice(first, last + 1);
        const column = Math.max(...run.map(comment => comment.width)) + 2;
        for (const comment of run) texts[comment.index] = ' '.repeat(column - comment.width);
        first = last + 1;
    }
    return texts;
}

/** 0-based line numbers of offsets, asked in increasing order. */
function lineCounter(text: string): (offset: number) => number {
    let line = 0;
    let at = 0;
    return offset => {
        for (; at < offset; at++) if (text.charCodeAt(at) === 10) line++;
        return line;
    };
}
