/**
 * Langium's completion parser, analysed by Chevrotain when it first parses rather than when it is made.
 *
 * Chevrotain's self-analysis walks the whole grammar (about 0.1 s of CPU), and Langium's language server
 * makes every service when it starts, so the completion parser used to hold up the first diagnostics of
 * a workspace although it is needed only when the user asks for completion. The rules are still
 * registered at once (that is quick); `prepare()` does the analysis, on the first completion or when the
 * language server has nothing else to do (lsp/start-server.ts).
 */
import { createParser, LangiumCompletionParser, type LangiumCoreServices } from 'langium';

export class UkCompletionParser extends LangiumCompletionParser {
    private prepared = false;

    /** Runs Chevrotain's analysis of the grammar, once. */
    prepare(): void {
        if (this.prepared) return;
        this.prepared = true;
        this.finalize();
    }

    override parse(input: string): ReturnType<LangiumCompletionParser['parse']> {
        this.prepare();
        return super.parse(input);
    }
}

/** The service factory: Langium's `createCompletionParser` without its `finalize()`. */
export function createUkCompletionParser(services: LangiumCoreServices): UkCompletionParser {
    const parser = new UkCompletionParser(services);
    createParser(services.Grammar, parser, services.parser.Lexer.definition);
    return parser;
}
