/**
 * Method ordinals: the label a request carries names its method. Part of the model the later stages read
 * (the layout engine's specs, the code generator's dispatch), and what the interface checks verify.
 */
import { MAX_LABEL } from '../../../runtime/contract/index.js';
import type { InterfaceDecl, Method } from '../generated/ast.js';
import { parseIntLiteral } from '../type-system/constant-evaluator.js';

/** The label is 20 bits wide (seL4's 32-bit message info); label 0 never names a method. */
export const MAX_ORDINAL = MAX_LABEL;
/**
 * The ordinal of every method: the explicit `@ordinal(n)` where given, otherwise the next number not
 * taken by an explicit ordinal, counting from 1 in declaration order.
 */
export function methodOrdinals(iface: InterfaceDecl): Map<Method, number> {
    const explicit = new Map<Method, number>();
    for (const method of iface.methods) {
        const ordinal = explicitOrdinal(method);
        if (ordinal !== undefined) explicit.set(method, ordinal);
    }
    const taken = new Set(explicit.values());
    const result = new Map<Method, number>();
    let next = 1;
    for (const method of iface.methods) {
        const pinned = explicit.get(method);
        if (pinned !== undefined) {
            result.set(method, pinned);
            continue;
        }
        while (taken.has(next)) next++;
        result.set(method, next);
        taken.add(next);
    }
    return result;
}

/** The ordinal `@ordinal(n)` gives a method, when it is well-formed and in range. */
export function explicitOrdinal(method: Method): number | undefined {
    const annotation = method.annotations.find(candidate => candidate.name === 'ordinal');
    const arg = annotation?.args[0];
    if (!arg || arg.end !== undefined) return undefined;
    const value = parseIntLiteral(arg.value);
    return value !== undefined && value >= 1n && value <= BigInt(MAX_ORDINAL) ? Number(value) : undefined;
}
