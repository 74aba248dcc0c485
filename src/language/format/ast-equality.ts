/**
 * Whether two syntax trees say the same thing: the same node types with the same properties, references
 * compared by the names written (never resolved), positions and CSTs ignored. The formatter's promise that
 * it never changes meaning is this equality between the tree before and after.
 */
import { isAstNode, isReference, type AstNode } from 'langium';

/** The path of the first difference between two trees (`declarations[2].members[0].name`), or undefined. */
export function astDifference(before: AstNode, after: AstNode): string | undefined {
    return valueDifference(before, after, '');
}

function valueDifference(before: unknown, after: unknown, path: string): string | undefined {
    if (isReference(before) || isReference(after)) {
        return isReference(before) && isReference(after) && before.$refText === after.$refText ? undefined : path;
    }
    if (Array.isArray(before) || Array.isArray(after)) {
        if (!Array.isArray(before) || !Array.isArray(after) || before.length !== after.length) return path;
        for (let i = 0; i < before.length; i++) {
            const difference = valueDifference(before[i], after[i], `${path}[${i}]`);
            if (difference !== undefined) return difference;
        }
        return undefined;
    }
    if (isAstNode(before) || isAstNode(after)) {
        if (!isAstNode(before) || !isAstNode(after) || before.$type !== after.$type) return path;
        const keys = new Set([...ownProperties(before), ...ownProperties(after)]);
        for (const key of keys) {
            const difference = valueDifference((before as unknown as Record<string, unknown>)[key], (after as unknown as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
            if (difference !== undefined) return difference;
        }
        return undefined;
    }
    return before === after ? undefined : path;
}

/** A node's own properties, without Langium's bookkeeping (`$container`, `$cstNode`, ...). */
function ownProperties(node: AstNode): string[] {
    return Object.keys(node).filter(key => !key.startsWith('$'));
}
