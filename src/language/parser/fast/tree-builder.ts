/**
 * Builds the syntax tree (AST) and the concrete syntax tree (CST) for the hand-written parser with the same
 * operations, in the same order and with the same grammar elements, as Langium's parser does while it
 * interprets the grammar: `rule`, `subrule`, `consume`, `action`, `construct`. Given the same sequence of
 * calls, the result is the tree Langium would build, so every Langium service (linking, diagnostics
 * ranges, go-to-definition, completion, comments) works on it unchanged. test/language/parser/
 * fast-parser.test.ts compares the two parsers on the examples and a generated workspace.
 */
import {
    AstUtils, CstNodeBuilder, DatatypeSymbol, GrammarAST, isAstNode,
    type AstNode, type AstReflection, type CompositeCstNode, type CstNode, type Linker, type RootCstNode,
    type ValueConverter
} from 'langium';
import type { IToken } from 'chevrotain';

interface AssignmentInfo {
    readonly assignment?: GrammarAST.Assignment;
    readonly crossRef: boolean;
}

/** An AST node under construction: a plain object until `construct` finishes it. */
type Building = Record<string, unknown> & { $type: string | symbol; $cstNode?: CstNode; $infixName?: string; value?: string };

export interface InfixPrecedence {
    readonly precedence: number;
    readonly rightAssoc: boolean;
}

export class TreeBuilder {
    private readonly cst = new CstNodeBuilder();
    private readonly stack: Building[] = [];
    private readonly assignments = new Map<GrammarAST.AbstractElement, AssignmentInfo>();
    private hidden: IToken[] = [];

    constructor(
        private readonly linker: Linker,
        private readonly converter: ValueConverter,
        private readonly reflection: AstReflection
    ) {}

    start(text: string, hidden: IToken[]): RootCstNode {
        this.stack.length = 0;
        this.hidden = hidden.slice();
        return this.cst.buildRootNode(text);
    }

    /** Runs a rule body that creates a node of `$type` (or a datatype value) and returns the finished result. */
    rule(type: string | typeof DatatypeSymbol, body: () => void, infixName?: string): unknown {
        const node: Building = { $type: type };
        if (type === DatatypeSymbol) node.value = '';
        else if (infixName !== undefined) node.$infixName = infixName;
        this.stack.push(node);
        body();
        return this.construct();
    }

    /** Calls another rule at `feature` (a rule call, a cross-reference or a synthetic infix assignment). */
    subrule(feature: GrammarAST.AbstractElement, call: () => unknown): void {
        const cstNode = this.cst.buildCompositeNode(feature);
        const result = call();
        if (result !== undefined && cstNode.length > 0) {
            this.performSubruleAssignment(result, feature, cstNode);
        }
    }

    consume(token: IToken, feature: GrammarAST.AbstractElement): void {
        this.addHiddenBefore(token);
        const leaf = this.cst.buildLeafNode(token, feature);
        const { assignment, crossRef } = this.assignmentOf(feature);
        const current = this.current;
        if (assignment) {
            const value = GrammarAST.isKeyword(feature) ? token.image : this.converter.convert(token.image, leaf);
            this.assign(assignment.operator, assignment.feature, value, leaf, crossRef);
        } else if (current.$type === DatatypeSymbol) {
            current.value += GrammarAST.isKeyword(feature) ? token.image : String(this.converter.convert(token.image, leaf));
        }
    }

    /** `{infer T}` (retype the current node) or `{infer T.feature=current}` (wrap it). */
    action(type: string, element: GrammarAST.AbstractElement): void {
        if (!GrammarAST.isAction(element)) throw new Error(`${element.$type} is not an action`);
        const action = element;
        if (action.feature && action.operator) {
            const last = this.construct() as Building;
            const lastCst = last.$cstNode as CstNode;
            this.cst.removeNode(lastCst);
            const node = this.cst.buildCompositeNode(action);
            this.cst.appendChild(node, lastCst);
            this.stack.push({ $type: type });
            this.assign(action.operator, action.feature, last, lastCst, false);
        } else {
            this.current.$type = type;
        }
    }

    /** Inserts comments that precede the end of the file and links the tree's nodes to their containers. */
    finish(result: AstNode): AstNode {
        this.cst.addHiddenNodes(this.hidden);
        this.hidden = [];
        AstUtils.linkContentToContainer(result, { deep: true });
        if (result.$cstNode) (result.$cstNode as { astNode?: AstNode }).astNode = result;
        return result;
    }

    private get current(): Building {
        return this.stack[this.stack.length - 1];
    }

    private addHiddenBefore(token: IToken): void {
        if (this.hidden.length === 0) return;
        let count = 0;
        while (count < this.hidden.length && this.hidden[count].startOffset <= token.startOffset) count++;
        if (count > 0) this.cst.addHiddenNodes(this.hidden.splice(0, count));
    }

    private construct(): unknown {
        const node = this.stack.pop() as Building;
        this.cst.construct(node as { $type: string; $cstNode: CstNode });
        if (node.$infixName !== undefined) {
            return this.constructInfix(node);
        }
        if (node.$type === DatatypeSymbol) {
            return this.converter.convert(node.value ?? '', node.$cstNode as CstNode);
        }
        AstUtils.assignMandatoryProperties(this.reflection, node as unknown as AstNode);
        return node;
    }

    private readonly precedences = new Map<string, Map<string, InfixPrecedence>>();

    registerInfix(name: string, operators: Map<string, InfixPrecedence>): void {
        this.precedences.set(name, operators);
    }

    /** Turns the flat `parts`/`operators` of an infix rule into a binary tree by precedence and associativity. */
    private constructInfix(node: Building): unknown {
        const parts = node.parts as unknown[] | undefined;
        const operators = node.operators as string[] | undefined;
        if (!parts || parts.length === 0) return undefined;
        if (!operators || parts.length < 2) return parts[0];
        const precedence = this.precedences.get(node.$infixName as string) as Map<string, InfixPrecedence>;
        const build = (from: number, to: number): unknown => {
            // parts[from..to] joined by operators[from..to-1]
            if (from === to) return parts[from];
            let split = from;
            let lowest = -1;
            for (let i = from; i < to; i++) {
                const entry = precedence.get(operators[i]) ?? { precedence: Infinity, rightAssoc: false };
                if (entry.precedence > lowest) {
                    lowest = entry.precedence;
                    split = i;
                } else if (entry.precedence === lowest && !entry.rightAssoc) {
                    split = i;
                }
            }
            return { $type: node.$type, $cstNode: node.$cstNode, left: build(from, split), operator: operators[split], right: build(split + 1, to) };
        };
        return build(0, parts.length - 1);
    }

    private performSubruleAssignment(result: unknown, feature: GrammarAST.AbstractElement, cstNode: CompositeCstNode): void {
        const { assignment, crossRef } = this.assignmentOf(feature);
        if (assignment) {
            this.assign(assignment.operator, assignment.feature, result, cstNode, crossRef);
            return;
        }
        const current = this.current;
        if (current.$type === DatatypeSymbol) {
            current.value += String(result);
        } else if (typeof result === 'object' && result) {
            // An unassigned rule call (`Statement: LetStmt | ...`): the callee's node replaces the caller's.
            const target = result as Building;
            for (const [name, existing] of Object.entries(current)) {
                const value = target[name];
                if (value === undefined) target[name] = existing;
                else if (Array.isArray(value) && Array.isArray(existing)) {
                    existing.push(...value);
                    target[name] = existing;
                }
            }
            target.$cstNode = undefined;
            this.stack[this.stack.length - 1] = target;
        }
    }

    private assignmentOf(feature: GrammarAST.AbstractElement): AssignmentInfo {
        let info = this.assignments.get(feature);
        if (!info) {
            const assignment = AstUtils.getContainerOfType(feature, GrammarAST.isAssignment);
            info = { assignment, crossRef: assignment !== undefined && GrammarAST.isCrossReference(assignment.terminal) };
            this.assignments.set(feature, info);
        }
        return info;
    }

    private assign(operator: string, feature: string, value: unknown, cstNode: CstNode, crossRef: boolean): void {
        const node = this.current;
        const item = crossRef && typeof value === 'string'
            ? this.linker.buildReference(node as unknown as AstNode, feature, cstNode, value)
            : value;
        if (isAstNode(item) && item.$cstNode) (item.$cstNode as { astNode?: AstNode }).astNode = item;
        if (operator === '=') {
            node[feature] = item;
        } else if (operator === '?=') {
            node[feature] = true;
        } else {
            const list = Array.isArray(node[feature]) ? node[feature] as unknown[] : (node[feature] = []) as unknown[];
            list.push(item);
        }
    }
}
