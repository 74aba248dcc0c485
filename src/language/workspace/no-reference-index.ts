import type { ReferenceDescription, ReferenceDescriptionProvider } from 'langium';

/**
 * For one-shot checks (the CLI): Langium indexes every resolved reference so that an editor can find
 * references and rename; a check that ends after printing diagnostics never asks, so the index is skipped.
 * Linking and its diagnostics are unaffected.
 */
export class NoReferenceIndex implements ReferenceDescriptionProvider {
    async createDescriptions(): Promise<ReferenceDescription[]> {
        return [];
    }
}
