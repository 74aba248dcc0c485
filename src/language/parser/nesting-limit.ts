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
const OPERATOR = /<<=?|>>=?|[-+*/%&|^]=|==|!=|<=|>=|&&|\|\||->|\.\.|[-+*/%&|^<>!~.=,:;]/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATOR_START = new Set('-+*/%&|^<>!~.=,:;');

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
    const levels: Level[] = [{ open: -1, bracket: '', run: 0 }];
    let depth = 0; // the estimate for the current position
    let i = 0;
    while (i < text.length) {
        const c = text[i];
        const next = skipTrivia(text, i);
        if (next !== i) { i = next; continue; }
        const level = levels[levels.length - 1];
        if (OPEN.includes(c)) {
            if (depth + BRACKET_COST > MAX_NESTING) {
                const end = matchingClose(text, i);
                problems.push(tooDeep(i, 1));
                replace(i, end, STAND_IN[c]);
                i = end;
                continue;
            }
            levels.push({ open: i, bracket: c, run: 0 });
            depth += BRACKET_COST;
            i++;
            continue;
        }
        if (CLOSE.includes(c)) {
            if (levels.length > 1) {
                const closed = levels.pop() as Level;
                depth -= BRACKET_COST + closed.run;
            }
            i++;
            continue;
        }
        if (isWordChar(text.charCodeAt(i))) {
            let end = i + 1;
            while (end < text.length && isWordChar(text.charCodeAt(end))) end++;
            // Only keywords matter here, and they are short: longer words (and numbers) are names.
            if (end - i <= 12 && isWordStart(text.charCodeAt(i))) {
                const word = text.slice(i, end);
                if (RUN_BREAKERS.has(word)) endRun(level);
                else if (word === 'as') count(level, i, word.length);
            }
            i = end;
            continue;
        }
        const operator = OPERATOR_START.has(c) ? matchAt(OPERATOR, text, i) : undefined;
        if (operator) {
            if (operator.endsWith('=') && !['==', '!=', '<=', '>='].includes(operator) || [',', ':', ';', '->', '..'].includes(operator)) {
                endRun(level);
            } else if (!count(level, i, operator.length)) {
                continue;
            }
            i += operator.length;
            continue;
        }
        i++;
    }
    return { text: out ? out.join('') : text, problems };

    function endRun(level: Level): void {
        depth -= level.run;
        level.run = 0;
    }

    /** Counts an operator; past the bound, cuts the rest of the run and says whether the scan goes on here. */
    function count(level: Level, at: number, length: number): boolean {
        if (depth + 1 <= MAX_NESTING) {
            level.run++;
            depth++;
            return true;
        }
        const end = endOfRun(text, at);
        problems.push(tooDeep(at, length));
        replace(at, end, '');
        i = end;
        return false;
    }
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
