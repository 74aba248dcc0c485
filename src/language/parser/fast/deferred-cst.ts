/**
 * Concrete syntax trees built only when something asks for one.
 *
 * A one-shot check of a workspace without mistakes never looks at a concrete syntax tree: names,
 * references and types all live in the AST, and positions are only needed for diagnostics (and, later, for
 * the code generator's line table). Building the CST is most of what parsing costs (it has three times as
 * many nodes as the AST), so in deferred mode the fast parser builds the AST alone and leaves a way to
 * build the CST behind: the AST nodes share a prototype whose `$cstNode` getter, on first use anywhere in
 * the file, parses the file again with a CST and moves that CST (and the references' `$refNode`s) onto the
 * existing AST nodes. Nodes keep their identity, so links, types and caches made before stay valid.
 *
 * Invariant: a deferred tree and the tree the same parser builds in full are the same shape (same types,
 * properties and order), which is what lets `transplantCst` walk the two in step.
 */
import { isAstNode, isReference, type AstNode, type CstNode, type Reference } from 'langium';

/** Builds the CST of a deferred tree: a full parse of the same text, whose root is then transplanted. */
type CstMaterializer = () => AstNode | undefined;

const pendingTrees = new WeakMap<AstNode, CstMaterializer>();

/** Follows `$container` to the root of the tree. */
function rootOf(node: AstNode): AstNode {
    let root = node;
    while (root.$container) root = root.$container;
    return root;
}

/**
 * The prototype of every AST node the fast parser builds in deferred mode (made with `Object.create`: an
 * object literal with `__proto__` is many times slower to allocate in V8). Class accessors are not
 * enumerable, so `for...in` and `Object.keys` over a node still see only its own properties.
 */
class DeferredCstNode {
    get $cstNode(): CstNode | undefined {
        const node = this as unknown as AstNode;
        materializeCst(node);
        // Materializing gave the node its own `$cstNode`, which shadows this getter, unless the node is not
        // part of a deferred tree (or was added to it after the parse).
        return Object.prototype.hasOwnProperty.call(node, '$cstNode') ? node.$cstNode : undefined;
    }

    set $cstNode(value: CstNode | undefined) {
        Object.defineProperty(this, '$cstNode', { value, writable: true, enumerable: true, configurable: true });
    }
}

export const DEFERRED_CST_NODE: object = DeferredCstNode.prototype;

/** Records how to build the CST of a tree parsed in deferred mode. */
export function deferCst(root: AstNode, materializer: CstMaterializer): void {
    pendingTrees.set(root, materializer);
}

/** Whether the tree that `node` belongs to still has no CST. */
export function isCstDeferred(node: AstNode): boolean {
    return pendingTrees.has(rootOf(node));
}

/**
 * Forgets how to build the CST of the tree that `node` belongs to: for a tree about to be parsed anew,
 * whose CST would be built only to compare texts (Langium's document factory reads the old text from it).
 */
export function dropDeferredCst(node: AstNode): void {
    pendingTrees.delete(rootOf(node));
}

/** Builds the CST of the tree that `node` belongs to now, if it was deferred; otherwise does nothing. */
export function materializeCst(node: AstNode): void {
    const root = rootOf(node);
    const materializer = pendingTrees.get(root);
    if (!materializer) return;
    pendingTrees.delete(root);
    const full = materializer();
    if (full) transplantCst(root, full);
}

/**
 * Gives every node of `target` the CST node of its counterpart in `source` (a tree of the same shape with a
 * CST), makes those CST nodes point back at the `target` nodes, and gives `target`'s references the
 * `$refNode`s of `source`'s.
 */
function transplantCst(target: AstNode, source: AstNode): void {
    const cstNode = source.$cstNode;
    (target as { $cstNode?: CstNode }).$cstNode = cstNode;
    // Several binary-expression nodes share the CST node of their infix rule; it belongs to one of them.
    if (cstNode && cstNode.astNode === source) (cstNode as { astNode: AstNode }).astNode = target;
    const from = source as unknown as Record<string, unknown>;
    const to = target as unknown as Record<string, unknown>;
    for (const name of Object.keys(from)) {
        if (name.charCodeAt(0) === 36 /* $ */) continue;
        const value = from[name];
        if (Array.isArray(value)) {
            const targets = to[name] as unknown[];
            for (let i = 0; i < value.length; i++) transplantValue(targets[i], value[i]);
        } else {
            transplantValue(to[name], value);
        }
    }
}

function transplantValue(target: unknown, source: unknown): void {
    if (isAstNode(source)) {
        transplantCst(target as AstNode, source);
    } else if (isReference(source)) {
        (target as { -readonly [K in keyof Reference]: Reference[K] }).$refNode = source.$refNode;
    }
}
