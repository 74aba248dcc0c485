/**
 * Plain descriptions of syntax trees for comparing two parses: every AST node's type, CST span, container
 * and properties (references by text and span), and every CST node's kind, span, grammar element and AST
 * node.
 */
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { AstUtils, GrammarAST, isCompositeCstNode, isReference, type AstNode, type CstNode } from 'langium';

function describeElement(element: GrammarAST.AbstractElement | undefined): string {
    if (!element) return '-';
    const rule = AstUtils.getContainerOfType(element, GrammarAST.isAbstractRule)?.name ?? '?';
    const assignment = AstUtils.getContainerOfType(element, GrammarAST.isAssignment);
    const where = `${rule}${assignment ? `.${assignment.feature}${assignment.operator}` : ''}`;
    if (GrammarAST.isKeyword(element)) return `${where} '${element.value}'`;
    if (GrammarAST.isRuleCall(element)) return `${where} call ${element.rule.ref?.name}`;
    if (GrammarAST.isCrossReference(element)) return `${where} [${element.type.ref?.name ?? element.type.$refText}]`;
    if (GrammarAST.isAction(element)) return `${where} {${element.inferredType?.name ?? element.type?.ref?.name} ${element.feature ?? ''}${element.operator ?? ''}}`;
    if (GrammarAST.isAssignment(element)) return `infix ${element.feature}${element.operator}`;
    return `${where} ${element.$type}`;
}

export function describeCst(node: CstNode, depth = 0, out: string[] = []): string[] {
    const kind = isCompositeCstNode(node) ? 'C' : node.hidden ? 'H' : 'L';
    let astType = '';
    try {
        astType = node.astNode?.$type ?? '';
    } catch {
        astType = '!';
    }
    out.push(`${' '.repeat(depth)}${kind} ${node.offset}+${node.length} ${describeElement(node.grammarSource)} -> ${astType}`);
    if (isCompositeCstNode(node)) for (const child of node.content) describeCst(child, depth + 1, out);
    return out;
}

export function describeAst(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(describeAst);
    if (isReference(node)) return { ref: node.$refText, at: [node.$refNode?.offset, node.$refNode?.length] };
    if (typeof node !== 'object' || node === null) return node;
    const ast = node as AstNode;
    const result: Record<string, unknown> = {
        $type: ast.$type,
        $cst: ast.$cstNode ? [ast.$cstNode.offset, ast.$cstNode.length] : undefined,
        $in: ast.$container ? `${ast.$container.$type}.${ast.$containerProperty}[${ast.$containerIndex ?? ''}]` : undefined
    };
    for (const key of Object.keys(ast).sort()) {
        if (key.startsWith('$')) continue;
        result[key] = describeAst((ast as unknown as Record<string, unknown>)[key]);
    }
    return result;
}

/** Every `.uk` file under `folder`, in a stable order. */
export function exampleFiles(folder: string): string[] {
    return readdirSync(folder).sort().flatMap(entry => {
        const full = path.join(folder, entry);
        if (statSync(full).isDirectory()) return exampleFiles(full);
        return entry.endsWith('.uk') ? [full] : [];
    });
}
