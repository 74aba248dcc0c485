/**
 * What the text at the cursor expects, for completion to rank by: a value of a known type (a call's argument,
 * by the callee's parameter; the right side of `=`, `==` or `!=`, by the left side's type), a field name of
 * a struct literal (with the fields already given), or the target of a `connect` from a known port. Read from the text and the tree the recovering parser made
 * of it, as an editor asks while the expression is half typed.
 */
import { isInstance, isSystemDecl, type Module, type Port, type StructDecl } from '../generated/ast.js';
import type { UkType } from '../type-system/types.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { calleeBefore, declarationStart } from './callee.js';
import { expressionEndingAt } from './expression-before.js';
import { openBracketsAt } from './open-call.js';

export type Expectation =
    | { readonly kind: 'value'; readonly type: UkType }
    | { readonly kind: 'connection-target'; readonly port: Port }
    | { readonly kind: 'struct-field'; readonly decl: StructDecl; readonly given: ReadonlySet<string> };

/** `==`, `!=` or an assignment's `=` (not `<=`, `>=`, nor a compound assignment) at the end of the text. */
const OPERATOR_AT_END = /(==|!=|(?<![=!<>+\-*/%&|^])=)$/;

/**
 * The expectation at `start`, the first character of the name being typed (the cursor, when none is);
 * `structNamed` finds the struct a literal names.
 */
export function expectationAt(module: Module, text: string, start: number, types: UkTypeSystem,
    structNamed: (name: string) => StructDecl | undefined): Expectation | undefined {
    const before = text.slice(0, start).trimEnd();
    const connection = /connect\s+([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\s*->$/.exec(before);
    if (connection) {
        const port = portNamed(module, start, connection[1], connection[2]);
        return port ? { kind: 'connection-target', port } : undefined;
    }
    const operator = OPERATOR_AT_END.exec(before);
    if (operator) {
        const left = expressionEndingAt(module, before.slice(0, before.length - operator[1].length).trimEnd().length);
        const type = left ? types.typeOf(left) : undefined;
        return type && type.kind !== 'error' ? { kind: 'value', type } : undefined;
    }
    const brackets = openBracketsAt(text, declarationStart(module, start), start);
    const innermost = brackets[brackets.length - 1];
    // Only at the start of an argument or field: after the bracket or a comma of its own level.
    const last = before[before.length - 1];
    if (!innermost || (last !== ',' && before.length - 1 !== innermost.open)) return undefined;
    if (innermost.bracket === '{') {
        const head = /(\bstruct\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(0, innermost.open));
        // `struct Point {` declares the fields; `Point {` in an expression gives them values.
        const decl = head && !head[1] ? structNamed(head[2]) : undefined;
        return decl ? { kind: 'struct-field', decl, given: givenFields(text.slice(innermost.open + 1, start)) } : undefined;
    }
    if (innermost.bracket !== '(') return undefined;
    const callee = calleeBefore(module, text, innermost.open, types);
    const param = callee?.params[innermost.commas];
    const type = param ? types.typeOfTypeRef(param.type) : undefined;
    return type && type.kind !== 'error' ? { kind: 'value', type } : undefined;
}

/** The port `instance.port` names in the system around `offset`. */
function portNamed(module: Module, offset: number, instanceName: string, portName: string): Port | undefined {
    const system = (module.declarations ?? []).filter(isSystemDecl).find(decl => decl.$cstNode && decl.$cstNode.offset <= offset && offset <= decl.$cstNode.end);
    const instance = system?.items.find(item => isInstance(item) && item.name === instanceName);
    const member = isInstance(instance) ? instance.component?.ref?.members.find(candidate => 'name' in candidate && candidate.name === portName) : undefined;
    return member && (member.$type === 'UsesPort' || member.$type === 'DevicePort' || member.$type === 'InterruptPort' || member.$type === 'NotificationPort') ? member : undefined;
}

/** The field names given so far in a struct literal's text (`hi: 1, lo: f(a, b), `), at its own level. */
function givenFields(inside: string): Set<string> {
    const given = new Set<string>();
    let depth = 0;
    let itemStart = 0;
    for (let i = 0; i <= inside.length; i++) {
        const char = inside[i];
        if (char === '(' || char === '[' || char === '{') depth++;
        else if (char === ')' || char === ']' || char === '}') depth--;
        else if ((char === ',' && depth === 0) || i === inside.length) {
            const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(inside.slice(itemStart, i))?.[1];
            if (name) given.add(name);
            itemStart = i + 1;
        }
    }
    return given;
}
