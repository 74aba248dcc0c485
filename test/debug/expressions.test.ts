/**
 * Breakpoint conditions: random expression trees evaluated by the parser (printed with only the
 * parentheses uk's precedence needs) against a direct evaluation of the tree; hit conditions; logpoints.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpressionError, evaluate, hitConditionHolds, interpolate } from '../../src/debug/index.js';

type Tree = { readonly kind: 'number'; readonly value: bigint } | { readonly kind: 'name'; readonly name: 'a' | 'b' }
    | { readonly kind: 'binary'; readonly op: string; readonly left: Tree; readonly right: Tree }
    | { readonly kind: 'unary'; readonly op: '-' | '!' | '~'; readonly operand: Tree };

/** Binary operators by precedence, loosest first (what uk's grammar says). */
const LEVELS = [['||'], ['&&'], ['==', '!=', '<', '<=', '>', '>='], ['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
const precedence = (op: string) => LEVELS.findIndex(level => level.includes(op));
const SCOPE = { a: 7n, b: -3n };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>(tie => ({
    tree: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.bigInt({ min: 0n, max: 50n }).map(value => ({ kind: 'number', value }) as Tree),
        fc.constantFrom('a', 'b').map(name => ({ kind: 'name', name }) as Tree),
        fc.record({ kind: fc.constant('binary'), op: fc.constantFrom(...LEVELS.flat().filter(op => op !== '<<' && op !== '>>')), left: tie('tree'), right: tie('tree') }) as fc.Arbitrary<Tree>,
        fc.record({ kind: fc.constant('unary'), op: fc.constantFrom('-', '!', '~'), operand: tie('tree') }) as fc.Arbitrary<Tree>
    )
})).tree;

/** The tree's value, or undefined when it divides by zero. */
function direct(node: Tree): bigint | undefined {
    switch (node.kind) {
        case 'number': return node.value;
        case 'name': return SCOPE[node.name];
        case 'unary': {
            const value = direct(node.operand);
            if (value === undefined) return undefined;
            return node.op === '-' ? -value : node.op === '!' ? (value === 0n ? 1n : 0n) : ~value;
        }
        case 'binary': {
            const left = direct(node.left);
            if (left === undefined) return undefined;
            if (node.op === '&&' && left === 0n) return 0n;
            if (node.op === '||' && left !== 0n) return 1n;
            const right = direct(node.right);
            if (right === undefined) return undefined;
            const truth = (value: boolean) => (value ? 1n : 0n);
            switch (node.op) {
                case '&&': case '||': return truth(right !== 0n);
                case '==': return truth(left === right);
                case '!=': return truth(left !== right);
                case '<': return truth(left < right);
                case '<=': return truth(left <= right);
                case '>': return truth(left > right);
                case '>=': return truth(left >= right);
                case '|': return left | right;
                case '^': return left ^ right;
                case '&': return left & right;
                case '+': return left + right;
                case '-': return left - right;
                case '*': return left * right;
                default: return right === 0n ? undefined : node.op === '/' ? left / right : left % right;
            }
        }
    }
}

/** The tree as text, parenthesized only where precedence (left-associative operators) needs it. */
function print(node: Tree, context = -1, rightSide = false): string {
    switch (node.kind) {
        case 'number': return String(node.value);
        case 'name': return node.name;
        case 'unary': {
            const operand = print(node.operand, LEVELS.length);
            return `${node.op}${operand.startsWith('-') ? ' ' : ''}${operand}`;
        }
        case 'binary': {
            const level = precedence(node.op);
            const text = `${print(node.left, level)} ${node.op} ${print(node.right, level, true)}`;
            return level < context || (level === context && rightSide) ? `(${text})` : text;
        }
    }
}

describe('breakpoint conditions', () => {
    it('evaluate as the expression tree says, with uk precedence and short-circuiting && and ||', () => {
        fc.assert(fc.property(tree, node => {
            const expected = direct(node);
            const text = print(node);
            if (expected === undefined) expect(() => evaluate(text, name => SCOPE[name as 'a' | 'b'])).toThrow(new ExpressionError('division by zero'));
            else expect(evaluate(text, name => SCOPE[name as 'a' | 'b'])).toBe(expected);
        }), { numRuns: 500 });
    });

    it('say what is wrong with an expression', () => {
        const lookup = (name: string) => (name === 'x' ? 5n : undefined);
        expect(() => evaluate('x +', lookup)).toThrow(new ExpressionError('the expression ends too early'));
        expect(() => evaluate('y > 1', lookup)).toThrow(new ExpressionError("'y' is not in scope here"));
        expect(() => evaluate('x @ 1', lookup)).toThrow(new ExpressionError("unexpected '@' at column 3"));
        expect(() => evaluate('(x', lookup)).toThrow(new ExpressionError("')' expected"));
        expect(() => evaluate('x 1', lookup)).toThrow(new ExpressionError("unexpected '1' after the expression"));
        expect(evaluate('0x10 + 0b1_01 + 1_000 + true', lookup)).toBe(16n + 5n + 1000n + 1n);
        expect(evaluate('x > 9 && y == 1', lookup)).toBe(0n);
    });

    it('hit conditions count from 1, and logpoints fill their holes', () => {
        const holds = (condition: string) => [1, 2, 3, 4, 5, 6].filter(hit => hitConditionHolds(condition, hit));
        expect(holds('3')).toEqual([3, 4, 5, 6]);
        expect(holds('>= 3')).toEqual([3, 4, 5, 6]);
        expect(holds('== 3')).toEqual([3]);
        expect(holds('> 4')).toEqual([5, 6]);
        expect(holds('< 3')).toEqual([1, 2]);
        expect(holds('<= 2')).toEqual([1, 2]);
        expect(holds('% 2')).toEqual([2, 4, 6]);
        expect(() => hitConditionHolds('often', 1)).toThrow(new ExpressionError("a hit count is a number, optionally after >=, ==, >, <, <= or %: not 'often'"));
        expect(interpolate('x={x} twice={x * 2} bad={y}', name => (name === 'x' ? 21n : undefined))).toBe("x=21 twice=42 bad=<error: 'y' is not in scope here>");
    });
});
