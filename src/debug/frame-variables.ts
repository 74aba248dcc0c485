/**
 * What is in scope in a stack frame, typed by the debug information: the function's arguments and locals
 * live at the frame's pc (a register, or a stack slot from the frame's sp), the component's state variables
 * (their data symbols), and names the expressions use — paths into them (`key.hi`, `keys[3].lo`) and enum
 * members of the types in scope (`Status.Ok`).
 */
import type { DebugType, LocalInfo, StateInfo, VariableInfo } from '../codegen/index.js';
import { REGISTER_NAMES } from '../../runtime/machine/index.js';
import { viewValue, type Place, type ValueAccess, type VariableValue } from './values.js';

/** Images without types (none are read any more) showed every local as a 32-bit signed word. */
const WORD_TYPE: DebugType = { kind: 'int', signed: true, bits: 32 };

export interface FrameVariables {
    readonly arguments: readonly VariableValue[];
    readonly locals: readonly VariableValue[];
}

/** The locals of `fn` live at `at` (for an outer frame, inside the call before its return address). */
export function frameVariables(fn: VariableInfo | undefined, at: number, sp: number, access: ValueAccess): FrameVariables {
    const args: VariableValue[] = [];
    const locals: VariableValue[] = [];
    for (const local of fn?.locals ?? []) {
        if (at < local.from || at >= local.to) continue;
        const place = placeOf(local, sp);
        const value = place ? viewValue(local.name, local.type ?? WORD_TYPE, place, access) : { name: local.name, value: '<unreadable>' };
        // Images from before `argument` was recorded: parameters are defined at the function's first address.
        const argument = local.argument ?? local.from === fn?.address;
        (argument ? args : locals).push(value);
    }
    return { arguments: args, locals };
}

function placeOf(local: LocalInfo, sp: number): Place | undefined {
    const stack = /^sp\+(\d+)$/.exec(local.location);
    if (stack) return { kind: 'memory', address: (sp + Number(stack[1])) >>> 0 };
    const register = REGISTER_NAMES.indexOf(local.location);
    return register >= 0 ? { kind: 'register', index: register } : undefined;
}

export function stateVariables(state: readonly StateInfo[], access: ValueAccess): VariableValue[] {
    return state.map(variable => viewValue(variable.name, variable.type, { kind: 'memory', address: variable.address }, access));
}

/** Finds a path (`x`, `key.hi`, `keys[3].lo`) among variables, innermost scope first. */
export function findPath(scopes: readonly (readonly VariableValue[])[], path: string): VariableValue | undefined {
    const segments = path.match(/[^.[\]]+|\[\d+\]/g);
    if (!segments) return undefined;
    const root = scopes.map(scope => scope.find(variable => variable.name === segments[0])).find(found => found !== undefined);
    let found = root;
    for (const segment of segments.slice(1)) found = found?.children?.().find(child => child.name === segment);
    return found;
}

/**
 * Enum members (`Status.Ok`) by qualified name: of every enum among the types of a component's variables
 * and of the messages of the system's interfaces (`messageTypes`).
 */
export function enumMembers(functions: readonly VariableInfo[], state: readonly StateInfo[], messageTypes: readonly DebugType[]): Map<string, bigint> {
    const members = new Map<string, bigint>();
    const visit = (type: DebugType | undefined): void => {
        if (!type) return;
        if (type.kind === 'enum') for (const member of type.members) members.set(`${type.name}.${member.name}`, member.value);
        if (type.kind === 'struct') type.fields.forEach(field => visit(field.type));
        if (type.kind === 'array') visit(type.element);
    };
    functions.forEach(fn => fn.locals.forEach(local => visit(local.type)));
    state.forEach(variable => visit(variable.type));
    messageTypes.forEach(visit);
    return members;
}
