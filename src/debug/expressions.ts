/**
 * Breakpoint conditions, logpoint holes and hit conditions: the integer subset of `uk` expressions —
 * literals (decimal, 0x, 0b, `_` separators, true/false), names of what is in scope and paths into them
 * (`key.hi`, `keys[3].lo`), enum members (`Status.Ok`), unary `- ! ~`, and the
 * binary operators with uk's precedence (`* / %`, `+ -`, `<< >>`, `&`, `^`, `|`, comparisons, `&&`, `||`).
 * Values are exact integers (bigint); a comparison is 1 or 0, and a condition holds when it is not 0.
 */
export class ExpressionError extends Error {}

/** Finds the value of a name in scope (undefined: there is none). */
export type NameLookup = (name: string) => bigint | undefined;

type Token = { readonly kind: 'number'; readonly value: bigint; readonly bool?: true } | { readonly kind: 'name' | 'op'; readonly text: string };

const OPERATORS = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '!', '~', '(', ')'];

function tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < text.length) {
        const rest = text.slice(i);
        const space = /^\s+/.exec(rest);
        if (space) { i += space[0].length; continue; }
        const number = /^(0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*)/.exec(rest);
        if (number) {
            tokens.push({ kind: 'number', value: BigInt(number[0].replace(/_/g, '')) });
            i += number[0].length;
            continue;
        }
        // A name, or a path into a value (`key.hi`, `keys[3].lo`) or an enum member (`Status.Ok`).
        const name = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])*/.exec(rest);
        if (name) {
            tokens.push(name[0] === 'true' || name[0] === 'false' ? { kind: 'number', value: name[0] === 'true' ? 1n : 0n, bool: true } : { kind: 'name', text: name[0] });
            i += name[0].length;
            continue;
        }
        const op = OPERATORS.find(candidate => rest.startsWith(candidate));
        if (!op) throw new ExpressionError(`unexpected '${rest[0]}' at column ${i + 1}`);
        tokens.push({ kind: 'op', text: op });
        i += op.length;
    }
    return tokens;
}

/** Binary operators by precedence level, loosest first. */
const LEVELS: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>='], ['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

/** A parsed expression: evaluate it with the names in scope. */
export type Compiled = (lookup: NameLookup) => bigint;

/** Expressions whose value is a truth (comparisons, `&&`, `||`, `!`, true and false): they read as bools. */
const truths = new WeakSet<Compiled>();
const truth = (compiled: Compiled): Compiled => {
    truths.add(compiled);
    return compiled;
};

/** Parses an expression (syntax errors are `ExpressionError`s); names are looked up when it is evaluated. */
export function compile(text: string): Compiled {
    const tokens = tokenize(text);
    let position = 0;
    const isOp = (token: Token | undefined, ops: readonly string[]): token is { kind: 'op'; text: string } => token?.kind === 'op' && ops.includes(token.text);

    const primary = (): Compiled => {
        const token = tokens[position++];
        if (!token) throw new ExpressionError('the expression ends too early');
        if (token.kind === 'number') {
            const value = token.value;
            const literal = () => value;
            return token.bool ? truth(literal) : literal;
        }
        if (token.kind === 'name') {
            const name = token.text;
            return lookup => {
                const value = lookup(name);
                if (value === undefined) throw new ExpressionError(`'${name}' is not in scope here`);
                return value;
            };
        }
        if (token.text === '(') {
            const inner = binary(0);
            if (!isOp(tokens[position++], [')'])) throw new ExpressionError(`')' expected`);
            return inner;
        }
        const operand = token.text === '-' || token.text === '!' || token.text === '~' ? primary() : undefined;
        if (!operand) throw new ExpressionError(`unexpected '${token.text}'`);
        if (token.text === '-') return lookup => -operand(lookup);
        if (token.text === '!') return truth(lookup => (operand(lookup) === 0n ? 1n : 0n));
        return lookup => ~operand(lookup);
    };

    const binary = (level: number): Compiled => {
        if (level === LEVELS.length) return primary();
        let left = binary(level + 1);
        while (isOp(tokens[position], LEVELS[level])) {
            const op = (tokens[position++] as { text: string }).text;
            const a = left;
            const b = binary(level + 1);
            // && and || do not evaluate their right side when the left decides (it may name what is not in scope).
            if (op === '&&') left = truth(lookup => (a(lookup) !== 0n && b(lookup) !== 0n ? 1n : 0n));
            else if (op === '||') left = truth(lookup => (a(lookup) !== 0n || b(lookup) !== 0n ? 1n : 0n));
            else if (LEVELS[2].includes(op)) left = truth(lookup => apply(op, a(lookup), b(lookup)));
            else left = lookup => apply(op, a(lookup), b(lookup));
        }
        return left;
    };

    const expression = binary(0);
    if (position < tokens.length) throw new ExpressionError(`unexpected '${describe(tokens[position])}' after the expression`);
    return expression;
}

export function evaluate(text: string, lookup: NameLookup): bigint {
    return compile(text)(lookup);
}

/** An expression's value as a debugger shows it: a truth as `true`/`false` (bool), a number in decimal. */
export function evaluateTyped(text: string, lookup: NameLookup): { readonly value: string; readonly type: 'bool' | 'integer' } {
    const compiled = compile(text);
    const value = compiled(lookup);
    return truths.has(compiled) ? { value: value === 0n ? 'false' : 'true', type: 'bool' } : { value: String(value), type: 'integer' };
}

function describe(token: Token): string {
    return token.kind === 'number' ? String(token.value) : token.text;
}

function apply(op: string, a: bigint, b: bigint): bigint {
    const truth = (value: boolean) => (value ? 1n : 0n);
    switch (op) {
        case '==': return truth(a === b);
        case '!=': return truth(a !== b);
        case '<': return truth(a < b);
        case '<=': return truth(a <= b);
        case '>': return truth(a > b);
        case '>=': return truth(a >= b);
        case '|': return a | b;
        case '^': return a ^ b;
        case '&': return a & b;
        case '<<': return a << b;
        case '>>': return a >> b;
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': case '%':
            if (b === 0n) throw new ExpressionError('division by zero');
            return op === '/' ? a / b : a % b;
        default: throw new ExpressionError(`unknown operator '${op}'`);
    }
}

/**
 * Whether a breakpoint stops at its `hits`-th hit: `N` or `>= N` from the Nth on, `== N` only the Nth,
 * `> N`, `< N`, `<= N`, and `% N` every Nth.
 */
export function hitConditionHolds(condition: string, hits: number): boolean {
    const match = /^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$/.exec(condition);
    if (!match) throw new ExpressionError(`a hit count is a number, optionally after >=, ==, >, <, <= or %: not '${condition}'`);
    const n = Number(match[2]);
    switch (match[1]) {
        case '==': return hits === n;
        case '>': return hits > n;
        case '<': return hits < n;
        case '<=': return hits <= n;
        case '%': return n > 0 && hits % n === 0;
        default: return hits >= n;
    }
}

/** A logpoint's message with each `{expression}` replaced by its value (or `<error: why>`). */
export function interpolate(message: string, lookup: NameLookup): string {
    return message.replace(/\{([^{}]*)\}/g, (_whole, expression: string) => {
        try {
            return String(evaluate(expression, lookup));
        } catch (error) {
            if (error instanceof ExpressionError) return `<error: ${error.message}>`;
            throw error;
        }
    });
}
