/**
 * A plain depth-first walk over a syntax tree. Langium's generic streams (generators and an `await` per
 * node) dominate the cost of linking and validating large files; the linker and the validator walk the
 * tree with this instead and yield to the event loop only every `YIELD_EVERY` nodes.
 */
import { interruptAndCheck, isAstNode, type AstNode, type Cancellation } from 'langium';

const YIELD_EVERY = 2048;

/** Calls `visit` on the root and every node it contains, parents before children, in source order. */
export async function walkAst(root: AstNode, visit: (node: AstNode) => void, cancelToken: Cancellation.CancellationToken): Promise<void> {
    const stack: AstNode[] = [root];
    let visited = 0;
    while (stack.length > 0) {
        const node = stack.pop() as AstNode;
        if (++visited % YIELD_EVERY === 0) await interruptAndCheck(cancelToken);
        visit(node);
        pushChildren(node, stack);
    }
}

/**
 * `walkAst` without yielding, for checks that walk one declaration (a component's nodes) rather than a
 * file: Langium's `streamAllContents` costs a generator step per node, which made such walks most of the
 * cost of the checks that use them.
 */
export function forEachNode(root: AstNode, visit: (node: AstNode) => void): void {
    const stack: AstNode[] = [root];
    while (stack.length > 0) {
        const node = stack.pop() as AstNode;
        visit(node);
        pushChildren(node, stack);
    }
}

/** The nodes `node` contains directly, in source order (the order `walkAst` visits them in). */
export function childNodes(node: AstNode): AstNode[] {
    const children: AstNode[] = [];
    pushChildren(node, children);
    return children.reverse();
}

/** Pushes the nodes `node` contains onto `stack` so that they pop in source order. */
function pushChildren(node: AstNode, stack: AstNode[]): void {
    const start = stack.length;
    for (const key in node) {
        if (key.charCodeAt(0) === 36 /* '$' */) continue;
        const value = (node as unknown as Record<string, unknown>)[key];
        if (Array.isArray(value)) {
            for (const item of value) {
                if (isAstNode(item)) stack.push(item);
            }
        } else if (isAstNode(value)) {
            stack.push(value);
        }
    }
    // Children were pushed in property order; reverse them so the first child is visited first.
    for (let i = start, j = stack.length - 1; i < j; i++, j--) {
        const swap = stack[i];
        stack[i] = stack[j];
        stack[j] = swap;
    }
}
