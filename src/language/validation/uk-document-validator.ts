/**
 * Runs ukc's checks (see uk-validator.ts) over a document with a direct tree walk, and drops linking errors
 * that UkLinker left without a message: they follow from a mistake that has already been reported (a member
 * of a value whose type could not be determined).
 */
import {
    Cancellation, DefaultDocumentValidator, isOperationCancelled, type AstNode, type LangiumDocument,
    type ValidationAcceptor, type ValidationOptions
} from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import { walkAst } from '../utils/ast-walk.js';
import { materializeCst } from '../parser/fast/deferred-cst.js';
import type { UkChecks } from './uk-validator.js';

export class UkDocumentValidator extends DefaultDocumentValidator {
    private readonly checks: () => UkChecks;

    constructor(services: ConstructorParameters<typeof DefaultDocumentValidator>[0] & { validation: { Checks: UkChecks } }) {
        super(services);
        this.checks = () => services.validation.Checks;
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
                    accept('error', `An error occurred during validation: ${message}`, { node });
                }
            }
        }, cancelToken);
    }
}
