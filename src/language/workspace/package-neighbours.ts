/**
 * Which other files of a package must be checked again after one file of it changed. Files of one package
 * in one folder share a namespace (validation/package-checks.ts): each reports a top-level name that
 * another file also declares, naming that file and the line there. So after file A changed:
 * - if what A exports changed (a name added, removed or of another kind) or A moved to another package,
 *   every file of its package (before and after) is linked again, as references that resolve by name may
 *   now find something else;
 * - otherwise only the files that declare one of A's top-level names are validated again (their
 *   duplicate-name diagnostics name A's line, which an edit may have moved); this is rare, and files
 *   without such a duplicate, nearly always all of them, are left alone.
 * References into A are Langium's business (its index relinks the files whose references point into A).
 */
import { UriUtils, type IndexManager, type LangiumDocument, type URI } from 'langium';
import type { Declaration, Module } from '../generated/ast.js';

/** What the other files of its package see of one file. */
interface FileDeclarations {
    readonly folder: string;
    readonly packageName: string | undefined;
    /** The exported names with their node types, sorted, as one string to compare. */
    readonly exports: string;
    /** Its top-level declared names (what package-checks.ts compares). */
    readonly names: ReadonlySet<string>;
}

export interface PackageNeighbours {
    /** Files to link (and so also validate) again. */
    readonly relink: LangiumDocument[];
    /** Files to validate again only. */
    readonly revalidate: LangiumDocument[];
}

const NONE: PackageNeighbours = { relink: [], revalidate: [] };

export class PackageDeclarations {
    /** Each file's declarations as the other files of its package were last checked against. */
    private readonly recorded = new Map<string, FileDeclarations>();

    constructor(private readonly indexManager: IndexManager) {}

    /**
     * After `document` was parsed and its exports indexed: the files of its package to check again, given
     * what it declared when they were last checked. Records what it declares now.
     */
    changed(document: LangiumDocument, all: readonly LangiumDocument[]): PackageNeighbours {
        const key = document.uri.toString();
        const before = this.recorded.get(key);
        const now = this.declarationsOf(document);
        this.recorded.set(key, now);
        return neighboursAfterChange(key, before, now, all);
    }

    /** After `uri` was deleted: the files of its package to check again. Forgets it. */
    deleted(uri: URI, all: readonly LangiumDocument[]): PackageNeighbours {
        const key = uri.toString();
        const before = this.recorded.get(key);
        this.recorded.delete(key);
        return neighboursAfterChange(key, before, undefined, all);
    }

    private declarationsOf(document: LangiumDocument): FileDeclarations {
        const exports = this.indexManager.allElements(undefined, new Set([document.uri.toString()]))
            .map(description => `${description.type} ${description.name}`).toArray().sort().join('\n');
        return { folder: folderOf(document.uri), packageName: packageOf(document), exports, names: topLevelNames(document) };
    }
}

function neighboursAfterChange(uri: string, before: FileDeclarations | undefined, now: FileDeclarations | undefined, all: readonly LangiumDocument[]): PackageNeighbours {
    const packages = [before, now].filter((side): side is FileDeclarations => side?.packageName !== undefined);
    if (packages.length === 0) return NONE;
    const others = all.filter(document => document.uri.toString() !== uri
        && packages.some(side => side.packageName === packageOf(document) && side.folder === folderOf(document.uri)));
    const sameExports = before !== undefined && now !== undefined && before.packageName === now.packageName
        && before.folder === now.folder && before.exports === now.exports;
    if (!sameExports) return { relink: others, revalidate: [] };
    const names = new Set([...before.names, ...now.names]);
    return { relink: [], revalidate: others.filter(document => [...topLevelNames(document)].some(name => names.has(name))) };
}

function packageOf(document: LangiumDocument): string | undefined {
    return (document.parseResult?.value as Module | undefined)?.package;
}

function folderOf(uri: URI): string {
    return UriUtils.dirname(uri).toString();
}

function topLevelNames(document: LangiumDocument): Set<string> {
    const names = new Set<string>();
    for (const declaration of (document.parseResult?.value as Module | undefined)?.declarations ?? []) {
        const name = (declaration as Declaration & { name?: unknown }).name;
        if (typeof name === 'string' && name.length > 0) names.add(name);
    }
    return names;
}
