/**
 * The grammar elements the hand-written parser hands to the tree builder: for each rule, its keywords,
 * assignments, rule calls and actions, looked up once in the generated grammar. Asking for an element the
 * grammar does not have throws at start-up, so a grammar change that the parser has not followed fails
 * every test at once instead of building subtly different trees.
 */
import { AstUtils, GrammarAST } from 'langium';

export interface InfixFeatures {
    readonly name: string;
    readonly firstPart: GrammarAST.Assignment;
    readonly nextPart: GrammarAST.Assignment;
    readonly operator: GrammarAST.Assignment;
    readonly precedence: Map<string, { precedence: number; rightAssoc: boolean }>;
}

export class GrammarFeatures {
    private readonly rules = new Map<string, GrammarAST.AbstractRule>();

    constructor(grammar: GrammarAST.Grammar) {
        for (const rule of grammar.rules) this.rules.set(rule.name, rule);
    }

    /** Each parser rule's elements, collected once (the table asks for several hundred elements). */
    private readonly elementsByRule = new Map<string, GrammarAST.AbstractElement[]>();

    private elements(ruleName: string): GrammarAST.AbstractElement[] {
        let elements = this.elementsByRule.get(ruleName);
        if (!elements) {
            const rule = this.rules.get(ruleName);
            if (!rule || !GrammarAST.isParserRule(rule)) throw new Error(`grammar has no parser rule ${ruleName}`);
            elements = [rule.definition, ...AstUtils.streamAllContents(rule.definition).filter(GrammarAST.isAbstractElement)];
            this.elementsByRule.set(ruleName, elements);
        }
        return elements;
    }

    /** A keyword of the rule that is not part of an assignment (`'const'`, `'{'`). */
    keyword(ruleName: string, value: string): GrammarAST.Keyword {
        const found = this.elements(ruleName).find((element): element is GrammarAST.Keyword =>
            GrammarAST.isKeyword(element) && element.value === value && !AstUtils.getContainerOfType(element, GrammarAST.isAssignment));
        if (!found) throw new Error(`rule ${ruleName} has no keyword '${value}'`);
        return found;
    }

    /** A keyword inside the assignment of `property` (`kind=('let' | 'var')`, `oneway?='oneway'`). */
    assignedKeyword(ruleName: string, property: string, value: string): GrammarAST.Keyword {
        const found = this.elements(ruleName).find((element): element is GrammarAST.Keyword =>
            GrammarAST.isKeyword(element) && element.value === value
            && AstUtils.getContainerOfType(element, GrammarAST.isAssignment)?.feature === property);
        if (!found) throw new Error(`rule ${ruleName} assigns no keyword '${value}' to ${property}`);
        return found;
    }

    /** A terminal called inside the assignment of `property` (`base=('u8' | ... | ID)`). */
    assignedTerminal(ruleName: string, property: string, terminal: string): GrammarAST.RuleCall {
        const found = this.elements(ruleName).find((element): element is GrammarAST.RuleCall =>
            GrammarAST.isRuleCall(element) && element.rule.ref?.name === terminal
            && AstUtils.getContainerOfType(element, GrammarAST.isAssignment)?.feature === property);
        if (!found) throw new Error(`rule ${ruleName} assigns no ${terminal} to ${property}`);
        return found;
    }

    /** What the `index`-th assignment of `property` assigns: a rule call or a cross-reference. */
    assigned(ruleName: string, property: string, index = 0): GrammarAST.AbstractElement {
        const assignments = this.elements(ruleName).filter((element): element is GrammarAST.Assignment =>
            GrammarAST.isAssignment(element) && element.feature === property);
        const assignment = assignments[index];
        if (!assignment) throw new Error(`rule ${ruleName} has no assignment ${index} of ${property}`);
        return assignment.terminal;
    }

    /** An unassigned call of another rule (`Statement: LetStmt | ...`, `Expr: CatchExpr`). */
    call(ruleName: string, callee: string): GrammarAST.RuleCall {
        const found = this.elements(ruleName).find((element): element is GrammarAST.RuleCall =>
            GrammarAST.isRuleCall(element) && element.rule.ref?.name === callee
            && !AstUtils.getContainerOfType(element, GrammarAST.isAssignment));
        if (!found) throw new Error(`rule ${ruleName} does not call ${callee}`);
        return found;
    }

    /** The terminal a datatype rule consumes (`Name: ID`). */
    terminal(ruleName: string, terminal: string): GrammarAST.RuleCall {
        return this.call(ruleName, terminal);
    }

    /** An action by the type it infers (`{infer CatchExpr.call=current}`). */
    action(ruleName: string, type: string): GrammarAST.Action {
        const found = this.elements(ruleName).find((element): element is GrammarAST.Action =>
            GrammarAST.isAction(element) && (element.inferredType?.name ?? element.type?.ref?.name) === type);
        if (!found) throw new Error(`rule ${ruleName} has no action for ${type}`);
        return found;
    }

    /**
     * The synthetic assignments Langium's parser uses for an infix rule: `parts+=` for the operands and
     * `operators+=` for the operator keywords, plus the operators' precedence (0 binds tightest).
     */
    infix(ruleName: string): InfixFeatures {
        const rule = this.rules.get(ruleName);
        if (!rule || !GrammarAST.isInfixRule(rule)) throw new Error(`grammar has no infix rule ${ruleName}`);
        const keywords = rule.operators.precedences.flatMap(level => level.operators);
        const outer = { $type: 'Group', elements: [] } as unknown as GrammarAST.Group;
        const firstPart = { $container: outer, $type: 'Assignment', feature: 'parts', operator: '+=', terminal: rule.call } as unknown as GrammarAST.Assignment;
        const inner = { $container: outer, $type: 'Group', elements: [], cardinality: '*' } as unknown as GrammarAST.Group;
        const alternatives = { $type: 'Alternatives', elements: keywords } as unknown as GrammarAST.Alternatives;
        const operator = { $container: inner, $type: 'Assignment', feature: 'operators', operator: '+=', terminal: alternatives } as unknown as GrammarAST.Assignment;
        const nextPart = { ...firstPart, $container: inner } as GrammarAST.Assignment;
        const precedence = new Map<string, { precedence: number; rightAssoc: boolean }>();
        rule.operators.precedences.forEach((level, index) => {
            for (const keyword of level.operators) precedence.set(keyword.value, { precedence: index, rightAssoc: level.associativity === 'right' });
        });
        return { name: rule.name, firstPart, nextPart, operator, precedence };
    }
}
