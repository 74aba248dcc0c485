/**
 * How a body answers its call, path by path: whether some path can finish without answering (a handler
 * that forgets to reply), whether `reply`, `raise` or `defer` follows a `defer` on some path, and which
 * deferred replies are answered a second time on every path that reaches an answer. A small forward
 * analysis over statements (control-flow.ts asks the simpler question of reachability); loops are walked
 * twice, which is enough for these facts to settle.
 */
import { AstUtils, type AstNode } from 'langium';
import {
    isAnswerExpr, isAssignStmt, isBlock, isBoolLiteral, isCatchExpr, isDeferExpr, isForStmt, isIfStmt, isNameRef, isStateVar,
    isWhileStmt, type Block, type Statement, type StateVar
} from '../generated/ast.js';

/** What may have happened to the body's call on the paths that reach a point (undefined: none reach it). */
interface FlowState {
    /** Some path reaches here without having answered the call or deferred it. */
    readonly unanswered: boolean;
    /** Where the call was deferred, when some path reaches here after `defer`. */
    readonly deferredAt: AstNode | undefined;
    /** Deferred replies answered on every path that reaches here (not deferred again since), with where. */
    readonly answered: ReadonlyMap<StateVar, AstNode>;
}

type Flow = FlowState | undefined;

export type AnswerFinding =
    /** `reply`, `raise` or another `defer` (`node`) after the call was deferred at `earlier`. */
    | { readonly kind: 'after-defer'; readonly node: AstNode; readonly earlier: AstNode }
    /** `variable` answered at `node` after it was answered at `earlier` on every path. */
    | { readonly kind: 'answered-twice'; readonly node: AstNode; readonly earlier: AstNode; readonly variable: StateVar };

export interface AnswerFlow {
    readonly findings: readonly AnswerFinding[];
    /** Whether some path reaches the end of the body without answering or deferring its call. */
    readonly finishesUnanswered: boolean;
}

interface Loop {
    readonly node: AstNode;
    exits: Flow;
    continues: Flow;
}

export function answerFlow(body: Block): AnswerFlow {
    return new AnswerWalk().run(body);
}

function merge(a: Flow, b: Flow): Flow {
    if (!a) return b;
    if (!b) return a;
    const answered = new Map([...a.answered].filter(([variable]) => b.answered.has(variable)));
    return { unanswered: a.unanswered || b.unanswered, deferredAt: a.deferredAt ?? b.deferredAt, answered };
}

/** The state variable an answer's or assignment's receiver names, if it names one directly. */
function stateVariable(node: AstNode | undefined): StateVar | undefined {
    const target = isNameRef(node) ? node.target?.ref : undefined;
    return isStateVar(target) ? target : undefined;
}

class AnswerWalk {
    private readonly findings = new Map<string, AnswerFinding>();
    private readonly loops: Loop[] = [];

    run(body: Block): AnswerFlow {
        const end = this.block(body, { unanswered: true, deferredAt: undefined, answered: new Map() });
        return { findings: [...this.findings.values()], finishesUnanswered: end?.unanswered ?? false };
    }

    private report(finding: AnswerFinding): void {
        const start = finding.node.$cstNode?.offset ?? 0;
        this.findings.set(`${finding.kind}:${start}`, finding);
    }

    private block(block: Block | undefined, flow: Flow): Flow {
        for (const statement of block?.statements ?? []) flow = this.statement(statement, flow);
        return flow;
    }

    private statement(statement: Statement, flow: Flow): Flow {
        if (!flow) return undefined;
        if (isBlock(statement)) return this.block(statement, flow);
        if (isIfStmt(statement)) {
            const after = this.events(statement.condition, flow);
            const otherwise = statement.elseIf ?? statement.else;
            return merge(this.block(statement.then, after), otherwise ? this.statement(otherwise, after) : after);
        }
        if (isWhileStmt(statement) || isForStmt(statement)) {
            const entry = isWhileStmt(statement) ? this.events(statement.condition, flow) : this.events(statement.to, this.events(statement.from, flow));
            const loop: Loop = { node: statement, exits: undefined, continues: undefined };
            this.loops.push(loop);
            const once = this.block(statement.body, entry);
            const again = this.block(statement.body, merge(merge(entry, once), loop.continues));
            this.loops.pop();
            const forever = isWhileStmt(statement) && isBoolLiteral(statement.condition) && statement.condition.value;
            return forever ? loop.exits : merge(merge(merge(entry, once), again), loop.exits);
        }
        const after = this.events(statement, flow);
        if (!after) return undefined;
        switch (statement.$type) {
            case 'ReplyStmt': case 'RaiseStmt':
                if (after.deferredAt) this.report({ kind: 'after-defer', node: statement, earlier: after.deferredAt });
                return undefined;
            case 'ReturnStmt':
                return undefined;
            case 'BreakStmt': case 'ContinueStmt': {
                const loop = this.loops.at(-1);
                if (loop && statement.$type === 'BreakStmt') loop.exits = merge(loop.exits, after);
                if (loop && statement.$type === 'ContinueStmt') loop.continues = merge(loop.continues, after);
                return undefined;
            }
            case 'AssertStmt': {
                const condition = (statement as { condition?: AstNode }).condition;
                return isBoolLiteral(condition) && !condition.value ? undefined : after;
            }
            default:
                return after;
        }
    }

    /**
     * What the expressions of a simple statement (or a condition) do, in order: answers through deferred
     * replies, `defer` (as `v = defer`), and `catch` blocks, which may run or not.
     */
    private events(node: AstNode | undefined, flow: Flow): Flow {
        if (!node || !flow) return flow;
        const stream = AstUtils.streamAst(node).iterator();
        for (let next = stream.next(); !next.done; next = stream.next()) {
            const current = next.value;
            if (isCatchExpr(current) && current.handler) {
                // The call itself first, then its catch block, which runs only when the call fails.
                flow = this.events(current.call, flow);
                flow = merge(flow, this.block(current.handler, flow));
                stream.prune();
                if (!flow) return undefined;
                continue;
            }
            if (!flow) return undefined;
            if (isAnswerExpr(current)) {
                const variable = stateVariable(current.receiver);
                const earlier = variable ? flow.answered.get(variable) : undefined;
                if (variable && earlier) this.report({ kind: 'answered-twice', node: current, earlier, variable });
                if (variable) flow = { ...flow, answered: new Map([...flow.answered, [variable, current]]) };
            }
            if (isDeferExpr(current)) {
                if (flow.deferredAt) this.report({ kind: 'after-defer', node: current, earlier: flow.deferredAt });
                const assign = current.$container;
                const variable = isAssignStmt(assign) ? stateVariable(assign.target) : undefined;
                flow = { unanswered: false, deferredAt: current, answered: new Map([...flow.answered].filter(([kept]) => kept !== variable)) };
            }
        }
        return flow;
    }
}
