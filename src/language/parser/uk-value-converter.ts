import { DefaultValueConverter, GrammarAST, GrammarUtils, type CstNode, type ValueType } from 'langium';

/**
 * Keeps integer literals as their source text. Langium's default converts them with `parseInt`, which
 * would read `0b1010` as 0 and `1_000` as 1 and lose precision above 2^53; the constant evaluator parses
 * the text into an exact bigint instead.
 */
export class UkValueConverter extends DefaultValueConverter {
    /**
     * What `convert` gives for text consumed at grammar element `feature`, for a parse that builds no CST
     * node to ask (the fast parser in deferred mode): the same choice of rule, made from the element itself.
     */
    convertAt(feature: GrammarAST.AbstractElement | undefined, input: string): ValueType {
        if (!feature) return input;
        let rule = this.rulesAt.get(feature);
        if (rule === undefined) {
            let element: GrammarAST.AbstractElement | undefined = feature;
            if (GrammarAST.isCrossReference(element)) element = GrammarUtils.getCrossReferenceTerminal(element);
            rule = (GrammarAST.isRuleCall(element) ? element.rule.ref : undefined) ?? null;
            this.rulesAt.set(feature, rule);
        }
        return rule ? this.convertRule(rule, input) : input;
    }

    /** The rule each grammar element calls (null: none), for `convertAt`. */
    private readonly rulesAt = new Map<GrammarAST.AbstractElement, GrammarAST.AbstractRule | null>();

    protected override runConverter(rule: GrammarAST.AbstractRule, input: string, _cstNode: CstNode): ValueType {
        return this.convertRule(rule, input);
    }

    private convertRule(rule: GrammarAST.AbstractRule, input: string): ValueType {
        if (rule.name === 'INT' || rule.name === 'FLOAT') return input;
        // Langium's conversions look only at the rule and the text; the CST node is never read.
        return super.runConverter(rule, input, undefined as unknown as CstNode);
    }
}
