/**
 * How a body answers its call, path by path: whether some path can finish without answering (a handler
 * that forgets to reply), whether `reply`, `raise` or `defer` follows a `defer` on some path, and which
 * deferred replies are answered a second time on every path that reaches an answer. A small forward
 * analysis over statements (control-flow.ts asks the simpler question of reachability); loops are walked
 * twice, which is enough for these facts to settle.
 */
import { WorkspaceCache, type AstNode, type LangiumSharedCoreServices } from 'langium';
import {
    AnswerExpr, CatchExpr, DeferExpr, isAnswerExpr, isAssignStmt, isBlock, isBoolLiteral, isCatchExpr, isDeferExpr, isForStmt, isIfStmt, isMatchStmt,
    isNameRef, isStateVar, isWhileStmt, type Block, type Statement, type StateVar
} from '../generated/ast.js';
import { childNodes, forEachNode } from '../utils/ast-walk.js';

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
    return new AnswerWalk(body).run();
}

/**
 * The answer flow of each body, computed once while the workspace is unchanged: the missing-reply check of a
 * handler and the deferred-reply checks of its body ask the same question (the flow reads which state
 * variable a name refers to, so any change of a document may change it).
 */
export class AnswerFlows {
    private readonly cache: WorkspaceCache<Block, AnswerFlow>;

    constructor(shared: LangiumSharedCoreServices) {
        this.cache = new WorkspaceCache<Block, AnswerFlow>(shared);
    }

    of(body: Block): AnswerFlow {
        return this.cache.get(body, () => answerFlow(body));
    }
}

const NO_ANSWERS: ReadonlyMap<StateVar, AstNode> = new Map();

function merge(a: Flow, b: Flow): Flow {
    if (!a || a === b) return b;
    if (!b) return a;
    // Most bodies answer nothing through deferred replies: keep the (shared, never modified) maps then.
    const answered = a.answered.size === 0 || a.answered === b.answered ? a.answered
        : b.answered.size === 0 ? NO_ANSWERS
            : new Map([...a.answered].filter(([variable]) => b.answered.has(variable)));
    return { unanswered: a.unanswered || b.unanswered, deferredAt: a.deferredAt ?? b.deferredAt, answered };
}

/**
 * The nodes of `body` that `events` must look into: each answer, `defer` and `catch` with a block, and the
 * nodes that contain one. Every other expression passes the flow through unchanged, which is almost all of them.
 */
function nodesWithEvents(body: Block): Set<AstNode> {
    const found = new Set<AstNode>();
    forEachNode(body, node => {
        // Compared by type name: this runs on every node of every body, and the three are leaf types.
        const type = node.$type;
        if (type !== AnswerExpr.$type && type !== DeferExpr.$type && !(type === CatchExpr.$type && (node as CatchExpr).handler)) return;
        for (let current: AstNode | undefined = node; current && !found.has(current); current = current.$container) {
            found.add(current);
            if (current === body) break;
        }
    });
    return found;
}

/** The state variable an answer's or assignment's receiver names, if it names one directly. */
function stateVariable(node: AstNode | undefined): StateVar | undefined {
    const target = isNameRef(node) ? node.target?.ref : undefined;
    return isStateVar(target) ? target : undefined;
}

class AnswerWalk {
    private readonly findings = new Map<string, AnswerFinding>();
    private readonly loops: Loop[] = [];
    private readonly withEvents: Set<AstNode>;

    constructor(private readonly body: Block) {
        this.withEvents = nodesWithEvents(body);
    }

    run(): AnswerFlow {
        const end = this.block(this.body, { unanswered: true, deferredAt: undefined, answered: NO_ANSWERS });
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
        if (isMatchStmt(statement)) {
            // One of the arms runs: the checker holds a match to cover every variant or have `else`.
            const after = this.events(statement.value, flow);
            return statement.arms.reduce<Flow>((merged, arm) => merge(merged, this.block(arm.body, after)), statement.arms.length === 0 ? after : undefined);
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
        if (!node || !flow || !this.withEvents.has(node)) return flow;
        return this.eventsIn(node, flow);
    }

    /** `events` of a node that has some, in source order with parents before children. */
    private eventsIn(current: AstNode, flow: FlowState): Flow {
        if (isCatchExpr(current) && current.handler) {
            // The call itself first, then its catch block, which runs only when the call fails.
            const after = this.events(current.call, flow);
            return merge(after, this.block(current.handler, after));
        }
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
        let result: Flow = flow;
        for (const child of childNodes(current)) {
            if (!this.withEvents.has(child)) continue;
            result = this.eventsIn(child, result);
            if (!result) return undefined;
        }
        return result;
    }
}
