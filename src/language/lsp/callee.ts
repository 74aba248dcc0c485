/**
 * What an open call calls, found from the text before its `(` and the syntax tree the (recovering) parser
 * made: a method by the type of the value before the dot, a helper function by its name's reference. Signature
 * help shows its parameters; completion ranks candidates by the type of the parameter being typed.
 */
import { isFunctionDecl, isNameRef, type FunctionDecl, type Method, type Module } from '../generated/ast.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { expressionEndingAt } from './expression-before.js';

const IDENTIFIER_CHAR = /[A-Za-z0-9_]/;

/** The method or function named just before `(` at `open`. */
export function calleeBefore(module: Module, text: string, open: number, types: UkTypeSystem): Method | FunctionDecl | undefined {
    let end = open;
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    let start = end;
    while (start > 0 && IDENTIFIER_CHAR.test(text[start - 1])) start--;
    if (start === end) return undefined;
    const name = text.slice(start, end);
    let dot = start;
    while (dot > 0 && /\s/.test(text[dot - 1])) dot--;
    if (text[dot - 1] === '.') {
        let receiverEnd = dot - 1;
        while (receiverEnd > 0 && /\s/.test(text[receiverEnd - 1])) receiverEnd--;
        const receiver = expressionEndingAt(module, receiverEnd);
        const type = receiver ? types.typeOf(receiver) : undefined;
        return type?.kind === 'endpoint' ? type.iface.methods.find(method => method.name === name) : undefined;
    }
    const reference = expressionEndingAt(module, end);
    const target = isNameRef(reference) ? reference.target?.ref : undefined;
    return isFunctionDecl(target) ? target : undefined;
}

/** Where the top-level declaration holding `offset` starts, so a scan for the open call stays short. */
export function declarationStart(module: Module, offset: number): number {
    let start = 0;
    for (const declaration of module.declarations ?? []) {
        const node = declaration.$cstNode;
        if (node && node.offset <= offset) start = node.offset;
    }
    return start;
}
