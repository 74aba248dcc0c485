/**
 * A server's deferred-reply state, which the checker and the code generator both need: its `reply<I.m>`
 * state variables in declaration order; variable k keeps its caller in capability slot
 * SAVED_REPLY_FIRST_SLOT + k (runtime/contract/component-slots.ts, docs/ABI.md "Deferred replies").
 */
import type { AstNode } from 'langium';
import { isStateVar, type StateVar } from '../generated/ast.js';
import { SAVED_REPLY_FIRST_SLOT } from '../../../runtime/contract/index.js';

export function replyVariables(component: { readonly members: readonly AstNode[] }): StateVar[] {
    return component.members.filter((member): member is StateVar => isStateVar(member) && member.type?.$type === 'ReplyTypeRef');
}

/** The slot a reply variable keeps its saved caller in. */
export function savedReplySlot(variable: StateVar): number {
    return SAVED_REPLY_FIRST_SLOT + replyVariables(variable.$container).indexOf(variable);
}
