import { DefaultValueConverter, type CstNode, type GrammarAST, type ValueType } from 'langium';

/**
 * Keeps integer literals as their source text. Langium's default converts them with `parseInt`, which
 * would read `0b1010` as 0 and `1_000` as 1 and lose precision above 2^53; the constant evaluator parses
 * the text into an exact bigint instead.
 */
export class UkValueConverter extends DefaultValueConverter {
    protected override runConverter(rule: GrammarAST.AbstractRule, input: string, cstNode: CstNode): ValueType {
        if (rule.name === 'INT') {
            return input;
        }
        return super.runConverter(rule, input, cstNode);
    }
}
