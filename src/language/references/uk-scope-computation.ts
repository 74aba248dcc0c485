import { DefaultScopeComputation, MultiMap, type AstNode, type AstNodeDescription, type LangiumDocument, type LocalSymbols } from 'langium';

/**
 * Exports every top-level declaration to the index (Langium's default) but computes no local symbol
 * tables: UkScopeProvider finds local names by walking the syntax tree from the reference, and module-level
 * names through a hash map, so precomputed tables would only cost time and memory.
 */
export class UkScopeComputation extends DefaultScopeComputation {
    override async collectLocalSymbols(_document: LangiumDocument): Promise<LocalSymbols> {
        return new MultiMap<AstNode, AstNodeDescription>();
    }
}
