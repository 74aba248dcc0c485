/**
 * Builds the syntax tree (AST) and the concrete syntax tree (CST) for the hand-written parser with the same
 * operations, in the same order and with the same grammar elements, as Langium's parser does while it
 * interprets the grammar: `rule`, `subrule`, `consume`, `action`, `construct`. Given the same sequence of
 * calls, the result is the tree Langium would build, so every Langium service (linking, diagnostics
 * ranges, go-to-definition, completion, comments) works on it unchanged. test/language/parser/
 * fast-parser.test.ts compares the two parsers on the examples and a generated workspace.
 *
 * Without a CST (`start(..., { cst: false })`) the same calls build only the AST, whose nodes then get
 * their CST later, on demand (deferred-cst.ts); everything that differs between the two modes is marked
 * with `this.withCst`.
 */
import {
    AstUtils, CstNodeBuilder, DatatypeSymbol, GrammarAST, isAstNode,
    type AstNode, type AstReflection, type CstNode, type Linker, type RootCstNode
} from 'langium';
import type { IToken } from 'chevrotain';
import type { UkValueConverter } from '../uk-value-converter.js';
import { DEFERRED_CST_NODE } from './deferred-cst.js';

/** What the tree builder needs to know about a grammar element, looked up once per element. */
interface AssignmentInfo {
    readonly assignment?: GrammarAST.Assignment;
    readonly crossRef: boolean;
    /** A keyword's value is its text; any other token's goes through the value converter. */
    readonly keyword: boolean;
}

/** An AST node under construction: a plain object until `construct` finishes it. */
type Building = Record<string, unknown> & { $type: string | symbol; $cstNode?: CstNode; $infixName?: string; value?: string };

export interface InfixPrecedence {
    readonly precedence: number;
    readonly rightAssoc: boolean;
}

export class TreeBuilder {
    private readonly cst = new CstNodeBuilder();
    /**
     * The nodes of the open rules. Without a CST a rule's node is made only when something is assigned to
     * it (`undefined` until then, with its type in `types`): most rule calls in an expression (`Expr` →
     * `BinaryExpr` → `CastExpr` → ...) only pass their callee's node up, and need no node of their own.
     */
    private readonly stack: Array<Building | undefined> = [];
    private readonly types: Array<string | symbol> = [];
    private readonly infixNames: Array<string | undefined> = [];
    private readonly assignments = new Map<GrammarAST.AbstractElement, AssignmentInfo>();
    private hidden: IToken[] = [];
    private withCst = true;
    /** Tokens consumed so far: a rule call that consumed none produced nothing (Langium: an empty CST node). */
    private consumed = 0;
    /** Without a CST: the grammar element of each open rule call, which says how to convert a datatype value. */
    private readonly features: GrammarAST.AbstractElement[] = [];

    constructor(
        private readonly linker: Linker,
        private readonly converter: UkValueConverter,
        private readonly reflection: AstReflection
    ) {}

    start(text: string, hidden: IToken[], options: { readonly cst: boolean }): RootCstNode | undefined {
        this.stack.length = 0;
        this.types.length = 0;
        this.infixNames.length = 0;
        this.features.length = 0;
        this.consumed = 0;
        this.withCst = options.cst;
        this.hidden = options.cst ? hidden.slice() : [];
        return options.cst ? this.cst.buildRootNode(text) : undefined;
    }

    /** Runs a rule body that creates a node of `$type` (or a datatype value) and returns the finished result. */
    rule(type: string | typeof DatatypeSymbol, body: () => void, infixName?: string): unknown {
        this.begin(type, infixName);
        body();
        return this.end();
    }

    /**
     * `begin(type)`, the rule's body, then `return end()`: the same as `rule` without a closure, for the
     * rules that run most often. (A syntax error thrown in between abandons the whole parse.)
     */
    begin(type: string | typeof DatatypeSymbol, infixName?: string): void {
        this.stack.push(this.withCst ? this.newRuleNode(type, infixName) : undefined);
        this.types.push(type);
        this.infixNames.push(infixName);
    }

    end(): unknown {
        return this.construct();
    }

    private newRuleNode(type: string | symbol, infixName: string | undefined): Building {
        const node = this.newNode(type);
        if (type === DatatypeSymbol) node.value = '';
        else if (infixName !== undefined) node.$infixName = infixName;
        return node;
    }

    /** Calls another rule at `feature` (a rule call, a cross-reference or a synthetic infix assignment). */
    subrule<This>(feature: GrammarAST.AbstractElement, call: (this: This) => unknown, thisArg: This): void {
        const consumedBefore = this.consumed;
        const cstNode = this.withCst ? this.cst.buildCompositeNode(feature) : undefined;
        if (!this.withCst) this.features.push(feature);
        const result = call.call(thisArg);
        if (!this.withCst) this.features.pop();
        if (result !== undefined && this.consumed > consumedBefore) {
            this.performSubruleAssignment(result, feature, cstNode);
        }
    }

    /** Consumes a token with text `image` at `feature`; `token` is Langium's token, needed only for a CST. */
    consume(image: string, token: IToken | undefined, feature: GrammarAST.AbstractElement): void {
        this.consumed++;
        let leaf: CstNode | undefined;
        if (this.withCst) {
            if (!token) throw new Error('building a CST needs the lexer\'s tokens');
            this.addHiddenBefore(token);
            leaf = this.cst.buildLeafNode(token, feature);
        }
        const { assignment, crossRef, keyword } = this.assignmentOf(feature);
        if (assignment) {
            const value = keyword ? image : this.convert(image, feature, leaf);
            this.assign(assignment.operator, assignment.feature, value, leaf, crossRef);
        } else if (this.types[this.types.length - 1] === DatatypeSymbol) {
            this.current.value += keyword ? image : String(this.convert(image, feature, leaf));
        }
    }

    /** The value of a token or datatype rule's text, as Langium's value converter gives it for `feature`. */
    private convert(text: string, feature: GrammarAST.AbstractElement | undefined, cstNode: CstNode | undefined): unknown {
        return cstNode ? this.converter.convert(text, cstNode) : this.converter.convertAt(feature, text);
    }

    /** A fresh AST node; without a CST it gets the prototype that builds the CST when first asked. */
    private newNode(type: string | symbol): Building {
        if (this.withCst) return { $type: type };
        const node = Object.create(DEFERRED_CST_NODE) as Building;
        node.$type = type;
        return node;
    }

    /** `{infer T}` (retype the current node) or `{infer T.feature=current}` (wrap it). */
    action(type: string, element: GrammarAST.AbstractElement): void {
        if (!GrammarAST.isAction(element)) throw new Error(`${element.$type} is not an action`);
        const action = element;
        if (action.feature && action.operator) {
            const last = this.construct() as Building;
            let lastCst: CstNode | undefined;
            if (this.withCst) {
                lastCst = last.$cstNode as CstNode;
                this.cst.removeNode(lastCst);
                const node = this.cst.buildCompositeNode(action);
                this.cst.appendChild(node, lastCst);
            }
            this.stack.push(this.newNode(type));
            this.types.push(type);
            this.infixNames.push(undefined);
            this.assign(action.operator, action.feature, last, lastCst, false);
        } else {
            this.current.$type = type;
        }
    }

    /** Inserts comments that precede the end of the file and links the tree's nodes to their containers. */
    finish(result: AstNode): AstNode {
        linkContainers(result);
        if (this.withCst) {
            this.cst.addHiddenNodes(this.hidden);
            this.hidden = [];
            if (result.$cstNode) (result.$cstNode as { astNode?: AstNode }).astNode = result;
        }
        return result;
    }

    private get current(): Building {
        const top = this.stack.length - 1;
        return this.stack[top] ?? (this.stack[top] = this.newRuleNode(this.types[top], this.infixNames[top]));
    }

    private addHiddenBefore(token: IToken): void {
        if (this.hidden.length === 0) return;
        let count = 0;
        while (count < this.hidden.length && this.hidden[count].startOffset <= token.startOffset) count++;
        if (count > 0) this.cst.addHiddenNodes(this.hidden.splice(0, count));
    }

    private construct(): unknown {
        const node = this.current;
        this.stack.pop();
        this.types.pop();
        this.infixNames.pop();
        if (this.withCst) this.cst.construct(node as { $type: string; $cstNode: CstNode });
        if (node.$infixName !== undefined) {
            return this.constructInfix(node);
        }
        if (node.$type === DatatypeSymbol) {
            const feature = this.features[this.features.length - 1];
            return this.convert(node.value ?? '', feature, this.withCst ? node.$cstNode : undefined);
        }
        for (const [property, value] of this.defaultsOf(node.$type as string)) {
            if (node[property] === undefined) node[property] = Array.isArray(value) ? [] : value;
        }
        return node;
    }

    private readonly defaults = new Map<string, ReadonlyArray<readonly [string, unknown]>>();

    /**
     * The properties of `$type` that have a default (`false` for booleans, `[]` for lists), as Langium's
     * `assignMandatoryProperties` sets them; looked up once per type instead of once per node.
     */
    private defaultsOf(type: string): ReadonlyArray<readonly [string, unknown]> {
        let defaults = this.defaults.get(type);
        if (!defaults) {
            const properties = Object.values(this.reflection.getTypeMetaData(type).properties);
            defaults = properties.filter(p => p.defaultValue !== undefined).map(p => {
                if (Array.isArray(p.defaultValue) && p.defaultValue.length > 0) throw new Error(`non-empty list default for ${type}.${p.name}`);
                return [p.name, p.defaultValue] as const;
            });
            this.defaults.set(type, defaults);
        }
        return defaults;
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
            const binary = this.newNode(node.$type);
            if (this.withCst) binary.$cstNode = node.$cstNode;
            binary.left = build(from, split);
            binary.operator = operators[split];
            binary.right = build(split + 1, to);
            return binary;
        };
        return build(0, parts.length - 1);
    }

    private performSubruleAssignment(result: unknown, feature: GrammarAST.AbstractElement, cstNode: CstNode | undefined): void {
        const { assignment, crossRef } = this.assignmentOf(feature);
        if (assignment) {
            this.assign(assignment.operator, assignment.feature, result, cstNode, crossRef);
            return;
        }
        const top = this.stack.length - 1;
        if (this.types[top] === DatatypeSymbol) {
            this.current.value += String(result);
        } else if (typeof result === 'object' && result) {
            // An unassigned rule call (`Statement: LetStmt | ...`): the callee's node replaces the caller's,
            // and takes over what had already been assigned to the caller's (if it has a node yet).
            const target = result as Building;
            const current = this.stack[top];
            if (current) for (const name in current) {
                const existing = current[name];
                const value = target[name];
                if (value === undefined) target[name] = existing;
                else if (Array.isArray(value) && Array.isArray(existing)) {
                    existing.push(...value);
                    target[name] = existing;
                }
            }
            if (this.withCst) target.$cstNode = undefined;
            this.stack[top] = target;
        }
    }

    private assignmentOf(feature: GrammarAST.AbstractElement): AssignmentInfo {
        let info = this.assignments.get(feature);
        if (!info) {
            const assignment = AstUtils.getContainerOfType(feature, GrammarAST.isAssignment);
            info = {
                assignment,
                crossRef: assignment !== undefined && GrammarAST.isCrossReference(assignment.terminal),
                keyword: GrammarAST.isKeyword(feature)
            };
            this.assignments.set(feature, info);
        }
        return info;
    }

    private assign(operator: string, feature: string, value: unknown, cstNode: CstNode | undefined, crossRef: boolean): void {
        const node = this.current;
        const item = crossRef && typeof value === 'string'
            // Without a CST the reference gets its `$refNode` when the CST is built (deferred-cst.ts).
            ? this.linker.buildReference(node as unknown as AstNode, feature, cstNode as CstNode, value)
            : value;
        if (this.withCst && isAstNode(item) && item.$cstNode) (item.$cstNode as { astNode?: AstNode }).astNode = item;
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

/**
 * Sets `$container`, `$containerProperty` and `$containerIndex` on every node below `node`, as Langium's
 * `linkContentToContainer(node, { deep: true })` does, without its per-node entry arrays and closures.
 */
function linkContainers(node: AstNode): void {
    const record = node as unknown as Record<string, unknown>;
    for (const name in record) {
        if (name.charCodeAt(0) === 36 /* $ */) continue;
        const value = record[name];
        if (Array.isArray(value)) {
            for (let index = 0; index < value.length; index++) {
                const item: unknown = value[index];
                if (isAstNode(item)) {
                    const child = item as { -readonly [K in keyof AstNode]: AstNode[K] };
                    child.$container = node;
                    child.$containerProperty = name;
                    child.$containerIndex = index;
                    linkContainers(item);
                }
            }
        } else if (isAstNode(value)) {
            const child = value as { -readonly [K in keyof AstNode]: AstNode[K] };
            child.$container = node;
            child.$containerProperty = name;
            linkContainers(value);
        }
    }
}
