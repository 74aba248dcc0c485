/**
 * One package, one namespace: two files in one folder that say `package p` may not declare the same
 * top-level name, since the package names the namespace of traces and generated symbols. Each file reports
 * its own declaration and names the other one (in the message, and as related information for editors).
 * The files compared are those of the build (the workspace in the language server, the named files and
 * their imports in `ukc check`) in the same folder: versions of a package kept side by side in different
 * folders (test fixtures, a vendored copy) are not one package.
 */
import { AstUtils, GrammarUtils, UriUtils, WorkspaceCache, type LangiumDocuments, type LangiumSharedCoreServices, type ValidationAcceptor } from 'langium';
import type { Declaration, Module } from '../generated/ast.js';
import { lineOf } from './check-support.js';
import { IssueCodes } from './issue-codes.js';

type NamedDeclaration = Declaration & { name: string };

export class PackageChecks {
    private readonly documents: () => LangiumDocuments;
    /** folder and package name -> declared name -> declarations of that name in files of the package */
    private readonly declarationsByPackage: WorkspaceCache<string, Map<string, NamedDeclaration[]>>;

    constructor(shared: LangiumSharedCoreServices) {
        this.documents = () => shared.workspace.LangiumDocuments;
        this.declarationsByPackage = new WorkspaceCache(shared);
    }

    checkPackageNames(module: Module, accept: ValidationAcceptor): void {
        if (!module.package) return;
        const ownUri = AstUtils.getDocument(module).uri;
        const folder = UriUtils.dirname(ownUri).toString();
        const packageName = module.package;
        const byName = this.declarationsByPackage.get(`${folder}\n${packageName}`, () => this.collect(folder, packageName));
        for (const decl of module.declarations) {
            if (!isNamed(decl)) continue;
            const other = (byName.get(decl.name) ?? []).find(candidate => AstUtils.getDocument(candidate).uri.toString() !== ownUri.toString());
            if (!other) continue;
            const otherDocument = AstUtils.getDocument(other);
            const file = UriUtils.basename(otherDocument.uri);
            const range = GrammarUtils.findNodeForProperty(other.$cstNode, 'name')?.range;
            accept('error', `'${decl.name}' is also declared in ${file} (line ${lineOf(other)}), another file of package ${module.package}.`, {
                node: decl, property: 'name', code: IssueCodes.DuplicateName,
                relatedInformation: range ? [{ location: { uri: otherDocument.uri.toString(), range }, message: `the other '${decl.name}'` }] : undefined
            });
        }
    }

    private collect(folder: string, packageName: string): Map<string, NamedDeclaration[]> {
        const byName = new Map<string, NamedDeclaration[]>();
        for (const document of this.documents().all) {
            const module = document.parseResult.value as Module;
            if (module.package !== packageName || UriUtils.dirname(document.uri).toString() !== folder) continue;
            for (const decl of module.declarations ?? []) {
                if (!isNamed(decl)) continue;
                const list = byName.get(decl.name);
                if (list) list.push(decl);
                else byName.set(decl.name, [decl]);
            }
        }
        return byName;
    }
}

function isNamed(decl: Declaration): decl is NamedDeclaration {
    return typeof (decl as { name?: unknown }).name === 'string' && (decl as { name: string }).name.length > 0;
}
