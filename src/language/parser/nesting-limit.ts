/**
 * A bound on how deeply a file nests, checked on the text before it is parsed. The parsers, the type system,
 * the checks and the code generator all recurse over the syntax tree, so a pathological file (500 nested
 * parentheses, 1,000 nested `if`s, a 6,000-term `x + x + ...`) would exhaust the JavaScript stack. Instead,
 * the part of the text beyond the bound is replaced before parsing by the smallest thing that parses in its
 * place (`(0)`, `{}`, `[0]`, or nothing after an operator), with one error at the position where the bound
 * was passed. Offsets and lines are kept, so every other position in the file stays right.
 *
 * The measure is an estimate of the tree's depth from the tokens: every open bracket costs
 * `BRACKET_COST` (a parenthesised expression descends through the whole precedence ladder), every operator
 * in a run of operators at one bracket level costs one (`a + b + c` nests to the left).
 */

/** The deepest estimated nesting a file may have; measured to leave the checker and code generator room. */
export const MAX_NESTING = 1200;
const BRACKET_COST = 12;

export interface NestingProblem {
    readonly offset: number;
    readonly length: number;
    readonly message: string;
}

const OPEN = '([{';
const CLOSE = ')]}';
/** What stands in for a bracketed group that is cut: a value, an empty block, an element. */
const STAND_IN: Record<string, string> = { '(': '(0)', '{': '{}', '[': '[0]' };

/** Tokens after which an operator run ends: statements and declarations start anew. */
const RUN_BREAKERS = new Set([
    'let', 'var', 'return', 'reply', 'raise', 'if', 'else', 'while', 'for', 'in', 'print', 'assert', 'break', 'continue',
    'fn', 'const', 'enum', 'bitfield', 'struct', 'interface', 'device', 'server', 'program', 'system', 'on', 'init', 'main',
    'uses', 'interrupt', 'notification', 'instance', 'connect', 'supervise', 'catch', 'try'
]);
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
/**
 * RUN_BREAKERS and `as` by their first letter (index 0 is 'a'): the scan tells a keyword from a name by
 * comparing in place, without cutting every word out of the text.
 */
const KEYWORDS_BY_LETTER: readonly (readonly string[])[] = Array.from({ length: 26 }, (_, letter) =>
    [...RUN_BREAKERS, 'as'].filter(word => word.charCodeAt(0) === 97 + letter));

/** The keyword (of KEYWORDS_BY_LETTER) that is the word from `start` to `end`, if it is one. */
function keywordAt(text: string, start: number, end: number): string | undefined {
    const candidates = KEYWORDS_BY_LETTER[text.charCodeAt(start) - 97];
    if (!candidates) return undefined;
    for (const keyword of candidates) {
        if (keyword.length !== end - start) continue;
        let k = 1;
        while (k < keyword.length && keyword.charCodeAt(k) === text.charCodeAt(start + k)) k++;
        if (k === keyword.length) return keyword;
    }
    return undefined;
}

/** Character codes that are an operator (or punctuation) on their own: - + * / % & | ^ < > ! ~ . = , : ; */
const IS_OPERATOR = new Uint8Array(128);
for (const c of '-+*/%&|^<>!~.=,:;') IS_OPERATOR[c.charCodeAt(0)] = 1;

const EQUALS = 61;

/**
 * The length of the operator at `at` (0 if none), longest first: `<<=` `>>=` `<<` `>>`, a compound
 * assignment (`+=` ...), `==` `!=` `<=` `>=` `&&` `||` `->` `..`, or one character of IS_OPERATOR.
 */
function operatorLength(text: string, at: number): number {
    const c = text.charCodeAt(at);
    if (c >= 128 || IS_OPERATOR[c] === 0) return 0;
    const d = text.charCodeAt(at + 1);
    if ((c === 60 /* < */ || c === 62 /* > */) && d === c) return text.charCodeAt(at + 2) === EQUALS ? 3 : 2;
    // Every operator character but ~ . , : ; takes an '=' after it: a compound assignment or a comparison.
    if (d === EQUALS && c !== 126 /* ~ */ && c !== 46 /* . */ && c !== 44 /* , */ && c !== 58 /* : */ && c !== 59 /* ; */) return 2;
    if ((c === 38 /* & */ || c === 124 /* | */) && d === c) return 2;
    if ((c === 45 /* - */ && d === 62 /* > */) || (c === 46 /* . */ && d === 46)) return 2;
    return 1;
}

/** Whether the operator at `at` ends a run: an assignment (not a comparison), `,` `:` `;` `->` or `..`. */
function endsRun(text: string, at: number, length: number): boolean {
    const c = text.charCodeAt(at);
    if (text.charCodeAt(at + length - 1) === EQUALS) return !(length === 2 && (c === EQUALS || c === 33 /* ! */ || c === 60 || c === 62));
    if (length === 1) return c === 44 || c === 58 || c === 59;
    return c === 45 || c === 46; // -> or ..
}

function isWordStart(code: number): boolean {
    return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
}

function isWordChar(code: number): boolean {
    return isWordStart(code) || (code >= 48 && code <= 57);
}

/** The match of a sticky pattern at `at`, or undefined. */
function matchAt(pattern: RegExp, text: string, at: number): string | undefined {
    pattern.lastIndex = at;
    return pattern.exec(text)?.[0];
}

interface Level {
    readonly open: number;
    readonly bracket: string;
    /** Operators in the current run at this level. */
    run: number;
}

/** The text with everything nested beyond the bound replaced, and one problem per replaced place. */
export function limitNesting(text: string): { readonly text: string; readonly problems: readonly NestingProblem[] } {
    const problems: NestingProblem[] = [];
    let out: string[] | undefined;
    const replace = (from: number, to: number, standIn: string) => {
        out ??= [...text];
        let written = 0;
        for (let i = from; i < to; i++) {
            const lineBreak = text[i] === '\n' || text[i] === '\r';
            out[i] = lineBreak ? text[i] : written < standIn.length ? standIn[written++] : ' ';
        }
    };
    /** Cuts the rest of an operator run that passes the bound at `at`; returns where the run ends. */
    const cutRun = (at: number, length: number): number => {
        const end = endOfRun(text, at);
        problems.push(tooDeep(at, length));
        replace(at, end, '');
        return end;
    };
    // This scan runs over every file before it is parsed: characters are compared as codes, words are
    // compared in place, and the position and the estimate are plain locals (no closure writes them).
    const levels: Level[] = [{ open: -1, bracket: '', run: 0 }];
    let depth = 0; // the estimate for the current position
    let i = 0;
    while (i < text.length) {
        const code = text.charCodeAt(i);
        if (code === 32 || code === 10 || code === 9 || code === 13) { i++; continue; }
        if (code === 47 /* / */ || code === 34 /* " */ || code === 39 /* ' */) {
            const next = skipTrivia(text, i);
            if (next !== i) { i = next; continue; }
        }
        const level = levels[levels.length - 1];
        if (code === 40 /* ( */ || code === 91 /* [ */ || code === 123 /* { */) {
            if (depth + BRACKET_COST > MAX_NESTING) {
                const end = matchingClose(text, i);
                problems.push(tooDeep(i, 1));
                replace(i, end, STAND_IN[text[i]]);
                i = end;
                continue;
            }
            levels.push({ open: i, bracket: text[i], run: 0 });
            depth += BRACKET_COST;
            i++;
            continue;
        }
        if (code === 41 /* ) */ || code === 93 /* ] */ || code === 125 /* } */) {
            if (levels.length > 1) {
                const closed = levels.pop() as Level;
                depth -= BRACKET_COST + closed.run;
            }
            i++;
            continue;
        }
        if (isWordChar(code)) {
            let end = i + 1;
            while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
            // Only keywords matter here: other words (and numbers) are names.
            const keyword = keywordAt(text, i, end);
            if (keyword === 'as') {
                // `as` counts as an operator; past the bound the rest of its run is cut, and the scan goes on after it.
                if (depth + 1 <= MAX_NESTING) {
                    level.run++;
                    depth++;
                } else {
                    cutRun(i, keyword.length);
                }
            } else if (keyword) {
                depth -= level.run;
                level.run = 0;
            }
            i = end;
            continue;
        }
        const length = operatorLength(text, i);
        if (length > 0) {
            if (endsRun(text, i, length)) {
                depth -= level.run;
                level.run = 0;
            } else if (depth + 1 <= MAX_NESTING) {
                level.run++;
                depth++;
            } else {
                i = cutRun(i, length);
                continue;
            }
            i += length;
            continue;
        }
        i++;
    }
    return { text: out ? out.join('') : text, problems };
}

function tooDeep(offset: number, length: number): NestingProblem {
    return {
        offset, length,
        message: 'This nests too deeply for ukc (brackets, blocks and operator chains together); split it into smaller expressions, functions or blocks.'
    };
}

/** The offset after comments and whitespace at `i`, or `i` itself; strings and characters are skipped whole. */
function skipTrivia(text: string, i: number): number {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') return i + 1;
    if (c === '/' && text[i + 1] === '/') {
        const end = text.indexOf('\n', i);
        return end < 0 ? text.length : end;
    }
    if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        return end < 0 ? text.length : end + 2;
    }
    if (c === '"' || c === '\'') {
        let j = i + 1;
        while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
        return Math.min(j + 1, text.length);
    }
    return i;
}

/** The offset just after the bracket that closes the one at `open` (or the end of the text). */
function matchingClose(text: string, open: number): number {
    let nesting = 0;
    let i = open;
    while (i < text.length) {
        const next = skipTrivia(text, i);
        if (next !== i) { i = next; continue; }
        if (OPEN.includes(text[i])) nesting++;
        else if (CLOSE.includes(text[i]) && --nesting === 0) return i + 1;
        i++;
    }
    return text.length;
}

/** Where an operator run that continues past `at` ends: a closing bracket of its level, a statement, or the end. */
function endOfRun(text: string, at: number): number {
    let nesting = 0;
    let i = at;
    while (i < text.length) {
        const next = skipTrivia(text, i);
        if (next !== i) { i = next; continue; }
        const c = text[i];
        if (OPEN.includes(c)) nesting++;
        else if (CLOSE.includes(c)) {
            if (nesting === 0) return i;
            nesting--;
        } else if (nesting === 0) {
            const word = matchAt(WORD, text, i);
            if (word && RUN_BREAKERS.has(word)) return i;
            if (word) { i += word.length; continue; }
        }
        i++;
    }
    return text.length;
}
