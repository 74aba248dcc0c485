/**
 * A small reachability analysis over statements, enough to say whether control can run off the end of a
 * block (a handler that forgets to reply, a function that forgets to return) and which statement is the
 * first one that can never run.
 */
import {
    isAssertStmt, isBlock, isBoolLiteral, isBreakStmt, isContinueStmt, isForStmt, isIfStmt, isMatchStmt, isRaiseStmt,
    isReplyStmt, isReturnStmt, isWhileStmt, type Block, type Statement
} from '../generated/ast.js';
import { AstUtils, type AstNode } from 'langium';

/** Whether control can reach the point after `statement`. */
export function completesNormally(statement: Statement): boolean {
    if (isReturnStmt(statement) || isReplyStmt(statement) || isRaiseStmt(statement)
        || isBreakStmt(statement) || isContinueStmt(statement)) {
        return false;
    }
    if (isAssertStmt(statement)) {
        return !(isBoolLiteral(statement.condition) && !statement.condition.value);
    }
    if (isBlock(statement)) {
        return blockCompletesNormally(statement);
    }
    if (isIfStmt(statement)) {
        const elseBranch = statement.elseIf ?? statement.else;
        if (!elseBranch) return true;
        return blockCompletesNormally(statement.then) || completesNormally(elseBranch);
    }
    if (isMatchStmt(statement)) {
        // Every match runs one of its arms (the checker holds it to cover every variant, or have `else`).
        return statement.arms.length === 0 || statement.arms.some(arm => blockCompletesNormally(arm.body));
    }
    if (isWhileStmt(statement)) {
        // `while true { ... }` only ends through a break that belongs to it.
        const forever = isBoolLiteral(statement.condition) && statement.condition.value;
        return !forever || containsBreakFor(statement.body, statement);
    }
    return true;
}

export function blockCompletesNormally(block: Block | undefined): boolean {
    // A body missing after a syntax error is treated as one that completes: nothing more is reported.
    return block === undefined || block.statements.every(completesNormally);
}

/** The first statement of `block` that follows one that never completes, if any. */
export function firstUnreachable(block: Block): Statement | undefined {
    for (let i = 0; i < block.statements.length - 1; i++) {
        if (!completesNormally(block.statements[i])) {
            return block.statements[i + 1];
        }
    }
    return undefined;
}

function containsBreakFor(body: Block, loop: AstNode): boolean {
    return AstUtils.streamAllContents(body).some(node => isBreakStmt(node) && enclosingLoop(node) === loop);
}

/** The loop a break or continue belongs to, or undefined when it is outside any loop. */
export function enclosingLoop(node: AstNode): AstNode | undefined {
    let current = node.$container;
    while (current) {
        if (isWhileStmt(current) || isForStmt(current)) return current;
        if (current.$type === 'FunctionDecl' || current.$type === 'Handler' || current.$type === 'MainBlock'
            || current.$type === 'InitBlock') {
            return undefined;
        }
        current = current.$container;
    }
    return undefined;
}
