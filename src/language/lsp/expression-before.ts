/**
 * The expression that ends just before an offset, read from the syntax tree the (recovering) parser made of
 * a half-typed text: what completion after `receiver.` and signature help for `receiver.method(` look at.
 */
import { CstUtils, type AstNode } from 'langium';
import { isExpr, type Expr, type Module } from '../generated/ast.js';

/** The largest expression whose text ends exactly at `end`, or undefined. */
export function expressionEndingAt(module: Module, end: number): Expr | undefined {
    const root = module.$cstNode;
    const leaf = root && end > 0 ? CstUtils.findLeafNodeAtOffset(root, end - 1) : undefined;
    if (!leaf || leaf.end !== end) return undefined;
    let expression: AstNode | undefined = isExpr(leaf.astNode) ? leaf.astNode : undefined;
    for (let up = leaf.astNode.$container; up && isExpr(up) && up.$cstNode?.end === end; up = up.$container) expression = up;
    return expression as Expr | undefined;
}
