/**
 * Runs ukc's checks (see uk-validator.ts) over a document with a direct tree walk, and drops linking errors
 * that UkLinker left without a message: they follow from a mistake that has already been reported (a member
 * of a value whose type could not be determined).
 *
 * One mistake, one diagnostic: a file with a syntax error reports its first parser error and the characters
 * the lexer could not read, nothing else. Whatever else the recovering parser's guess of a tree leads to
 * (more syntax errors, "does not handle" for a method it made up, types of half-parsed expressions) follows
 * from the same mistake. The checks still run, so that an exception in one of them still shows.
 */
import {
    Cancellation, DefaultDocumentValidator, DocumentValidator, isOperationCancelled, type AstNode, type LangiumDocument,
    type ValidationAcceptor, type ValidationOptions
} from 'langium';
import type { Diagnostic, Position } from 'vscode-languageserver';
import { walkAst } from '../utils/ast-walk.js';
import { materializeCst } from '../parser/fast/deferred-cst.js';
import type { UkChecks } from './uk-validator.js';

/** How a check that threw is reported (Langium's wording): a bug in ukc, shown whatever else is wrong. */
const CHECK_FAILURE = 'An error occurred during validation: ';

function codeOf(diagnostic: Diagnostic): unknown {
    return (diagnostic.data as { code?: unknown } | undefined)?.code;
}

function comparePositions(a: Position, b: Position): number {
    return a.line - b.line || a.character - b.character;
}

export class UkDocumentValidator extends DefaultDocumentValidator {
    private readonly checks: () => UkChecks;

    constructor(services: ConstructorParameters<typeof DefaultDocumentValidator>[0] & { validation: { Checks: UkChecks } }) {
        super(services);
        this.checks = () => services.validation.Checks;
    }

    override async validateDocument(document: LangiumDocument, options?: ValidationOptions, cancelToken?: Cancellation.CancellationToken): Promise<Diagnostic[]> {
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        const parsingErrors = diagnostics.filter(diagnostic => codeOf(diagnostic) === DocumentValidator.ParsingError);
        const lexingErrors = diagnostics.filter(diagnostic => codeOf(diagnostic) === DocumentValidator.LexingError);
        if (parsingErrors.length === 0 && lexingErrors.length === 0) return diagnostics;
        // Every character that is not part of the language is a mistake of its own; the parser's errors
        // after its first are its recovery's guesses.
        const firstParsingError = parsingErrors.reduce<Diagnostic[]>((kept, next) =>
            kept.length === 0 || comparePositions(next.range.start, kept[0].range.start) < 0 ? [next] : kept, []);
        return [...lexingErrors, ...firstParsingError, ...diagnostics.filter(diagnostic => typeof diagnostic.message === 'string' && diagnostic.message.startsWith(CHECK_FAILURE))]
            .sort((a, b) => comparePositions(a.range.start, b.range.start));
    }

    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], options: ValidationOptions): void {
        if (!document.references.some(reference => reference.error)) return;
        // A linking error's range is its reference's `$refNode`, which a deferred tree gets with its CST.
        materializeCst(document.parseResult.value);
        const collected: Diagnostic[] = [];
        super.processLinkingErrors(document, collected, options);
        diagnostics.push(...collected.filter(diagnostic => diagnostic.message !== ''));
    }

    protected override async validateAstNodes(root: AstNode, options: ValidationOptions, accept: ValidationAcceptor,
        cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        // Every ukc check is cheap ("fast" in Langium's terms); a build that asks for other categories only
        // gets nothing from them.
        if (options.categories && !options.categories.includes('fast')) return;
        const checks = this.checks();
        await walkAst(root, node => {
            for (const check of checks.for(node.$type)) {
                try {
                    check(node, accept);
                } catch (error) {
                    if (isOperationCancelled(error)) throw error;
                    // The same report Langium gives for a failing check: visible, never fatal.
                    console.error('An error occurred during validation:', error);
                    const message = error instanceof Error ? error.message : String(error);
                    accept('error', `${CHECK_FAILURE}${message}`, { node });
                }
            }
        }, cancelToken);
    }
}
