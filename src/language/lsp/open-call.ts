/**
 * The call the cursor is inside, read from the text (an editor asks while the call is half typed, before
 * the parser can make a call of it): where its `(` is, and which argument the cursor is in, counted by the
 * commas at its own nesting level. Strings, characters and comments are skipped.
 */

export interface OpenCall {
    /** Offset of the call's `(`. */
    readonly open: number;
    /** Zero-based index of the argument the cursor is in. */
    readonly argument: number;
}

/** A bracket open at an offset: which, where, and how many commas at its own level came after it. */
export interface OpenBracket {
    readonly bracket: '(' | '[' | '{';
    readonly open: number;
    readonly commas: number;
}

/** The innermost call whose `(` is between `from` and `offset` and not yet closed at `offset`. */
export function openCallAt(text: string, from: number, offset: number): OpenCall | undefined {
    // The nearest open `(`: inside a struct literal or an array among the arguments, the call is still the one
    // being typed (a block cannot stand in an argument list, so a `{` does not end the search).
    const call = openBracketsAt(text, from, offset).reverse().find(entry => entry.bracket === '(');
    return call ? { open: call.open, argument: call.commas } : undefined;
}

/** The brackets opened between `from` and `offset` and not yet closed there, outermost first. */
export function openBracketsAt(text: string, from: number, offset: number): OpenBracket[] {
    const stack: { bracket: '(' | '[' | '{'; open: number; commas: number }[] = [];
    for (let i = from; i < offset; i++) {
        const char = text[i];
        if (char === '"' || char === '\'') {
            i = endOfQuoted(text, i, offset);
        } else if (char === '/' && text[i + 1] === '/') {
            const newline = text.indexOf('\n', i);
            i = newline < 0 || newline >= offset ? offset : newline;
        } else if (char === '/' && text[i + 1] === '*') {
            const close = text.indexOf('*/', i + 2);
            i = close < 0 || close + 2 > offset ? offset : close + 1;
        } else if (char === '(' || char === '[' || char === '{') {
            stack.push({ bracket: char, open: i, commas: 0 });
        } else if (char === ')' || char === ']' || char === '}') {
            // A closing bracket closes its match and whatever was left open inside it.
            const match = char === ')' ? '(' : char === ']' ? '[' : '{';
            const at = stack.map(entry => entry.bracket).lastIndexOf(match);
            if (at >= 0) stack.length = at;
        } else if (char === ',' && stack.length > 0) {
            stack[stack.length - 1].commas++;
        }
    }
    return stack;
}

function endOfQuoted(text: string, start: number, limit: number): number {
    for (let i = start + 1; i < limit; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === text[start] || text[i] === '\n') return i;
    }
    return limit;
}
