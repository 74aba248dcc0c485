/**
 * Langium's document builder, with one more reason to re-check a document after an edit: a changed file
 * of the same package in the same folder may now declare (or no longer declare) one of its names
 * (validation/package-checks.ts).
 */
import { DefaultDocumentBuilder, URI, UriUtils, type LangiumDocument } from 'langium';
import type { Module } from '../generated/ast.js';

export class UkDocumentBuilder extends DefaultDocumentBuilder {
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        if (super.shouldRelink(document, changedUris)) return true;
        const own = packageOf(document);
        if (own === undefined) return false;
        for (const uri of changedUris) {
            const changed = this.langiumDocuments.getDocument(URI.parse(uri));
            if (changed && packageOf(changed) === own && UriUtils.equals(UriUtils.dirname(changed.uri), UriUtils.dirname(document.uri))) return true;
        }
        return false;
    }
}

function packageOf(document: LangiumDocument): string | undefined {
    return (document.parseResult?.value as Module | undefined)?.package;
}
