/**
 * `import "path"` resolution. An import names a `.uk` file or a folder (meaning every `.uk` file directly in
 * it), relative to the importing file. A file sees its own declarations and those of the files it imports
 * directly; imports are not transitive, so every file says what it depends on.
 */
import { AstUtils, UriUtils, WorkspaceCache, type LangiumDocument, type LangiumDocuments, type URI } from 'langium';
import type { LangiumCoreServices } from 'langium';
import type { Import, Module } from '../generated/ast.js';

export type ImportResolution =
    | { readonly ok: true; readonly documents: readonly LangiumDocument[] }
    | { readonly ok: false; readonly target: URI };

export class ModuleImports {
    private readonly documents: () => LangiumDocuments;
    private readonly visibleCache: WorkspaceCache<string, readonly LangiumDocument[]>;

    constructor(services: LangiumCoreServices) {
        this.documents = () => services.shared.workspace.LangiumDocuments;
        this.visibleCache = new WorkspaceCache(services.shared);
    }

    /** The URI an import path points at, relative to the importing document. */
    targetOf(imp: Import, from: URI): URI {
        return UriUtils.resolvePath(UriUtils.dirname(from), importPath(imp));
    }

    resolve(imp: Import): ImportResolution {
        if (imp.path === undefined) return { ok: true, documents: [] };
        const from = AstUtils.getDocument(imp).uri;
        const target = this.targetOf(imp, from);
        if (target.path.endsWith('.uk')) {
            const document = this.documents().getDocument(target);
            return document ? { ok: true, documents: [document] } : { ok: false, target };
        }
        const folder = target.toString();
        const documents = this.documents().getDocuments(target)
            .filter(document => UriUtils.dirname(document.uri).toString() === folder)
            .sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()));
        return documents.length > 0 ? { ok: true, documents } : { ok: false, target };
    }

    /** The document itself first, then every document it imports, without repetition. */
    visibleDocuments(document: LangiumDocument): readonly LangiumDocument[] {
        return this.visibleCache.get(document.uri.toString(), () => {
            const seen = new Set<string>([document.uri.toString()]);
            const result: LangiumDocument[] = [document];
            const module = document.parseResult.value as Module;
            for (const imp of module.imports ?? []) {
                const resolution = this.resolve(imp);
                if (!resolution.ok) continue;
                for (const imported of resolution.documents) {
                    const key = imported.uri.toString();
                    if (!seen.has(key)) {
                        seen.add(key);
                        result.push(imported);
                    }
                }
            }
            return result;
        });
    }
}

/** The path of an import (the value converter has already removed the quotes and escapes). */
export function importPath(imp: Import): string {
    return imp.path;
}
