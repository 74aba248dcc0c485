import { DefaultDocumentValidator, type LangiumDocument, type ValidationOptions } from 'langium';
import type { Diagnostic } from 'vscode-languageserver';

/**
 * Drops linking errors that UkLinker left without a message: they follow from a mistake that has already
 * been reported (a member of a value whose type could not be determined).
 */
export class UkDocumentValidator extends DefaultDocumentValidator {
    protected override processLinkingErrors(document: LangiumDocument, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const collected: Diagnostic[] = [];
        super.processLinkingErrors(document, collected, options);
        diagnostics.push(...collected.filter(diagnostic => diagnostic.message !== ''));
    }
}
