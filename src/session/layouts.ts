/**
 * Message layouts of the interfaces a file declares or uses, for one ABI profile: what `ukc layout`
 * prints, what locks record and what an editor's layout view shows. Layout problems (a message too long
 * for the profile, a pin out of range) are diagnostics at the method or pin they are about.
 */
import { AstUtils, type LangiumDocument } from 'langium';
import { isInterfaceDecl, isMethod, isParam, type InterfaceDecl, type Module } from '../language/generated/ast.js';
import type { UkServices } from '../language/index.js';
import { interfaceSpec } from '../language/model/interface-spec.js';
import { findProfile, layoutInterface, PROFILES, type AbiProfile, type InterfaceLayout, type LayoutProblem } from '../layout/index.js';
import { nodeDiagnostic, type SourceDiagnostic } from './diagnostics.js';
import { InputError } from './input-error.js';

export interface InterfaceLayoutEntry {
    readonly layout: InterfaceLayout;
    readonly problems: readonly LayoutProblem[];
    readonly decl: InterfaceDecl;
}

export interface FileLayouts {
    readonly profile: AbiProfile;
    readonly layouts: readonly InterfaceLayoutEntry[];
}

/** The profile named, or the machine's own; an unknown name is an input error listing the known ones. */
export function resolveProfile(name: string | undefined): AbiProfile {
    const profile = findProfile(name ?? 'ukvm32');
    if (!profile) throw new InputError(`unknown ABI profile '${name}'; profiles: ${PROFILES.map(candidate => candidate.name).join(', ')}`);
    return profile;
}

/**
 * Lays out the interfaces declared in `documents`, in declaration order; with `used`, also those the
 * documents use (implement, call through a port, name in an endpoint type) but import from elsewhere.
 * Locks and wire diffs take only declared ones: an imported interface belongs to its own file's lock.
 */
export function layoutDocuments(documents: readonly LangiumDocument<Module>[], services: UkServices, profile: AbiProfile, used = false): FileLayouts {
    const decls: InterfaceDecl[] = documents.flatMap(document => document.parseResult.value.declarations.filter(isInterfaceDecl));
    if (used) {
        for (const document of documents) {
            for (const node of AstUtils.streamAst(document.parseResult.value)) {
                for (const reference of AstUtils.streamReferences(node)) {
                    const target = 'ref' in reference.reference ? reference.reference.ref : undefined;
                    if (isInterfaceDecl(target) && !decls.includes(target)) decls.push(target);
                }
            }
        }
    }
    const layouts = decls.map(decl => ({ ...layoutInterface(interfaceSpec(decl, services.types.TypeSystem), profile), decl }));
    return { profile, layouts };
}

/** Layout problems as diagnostics at the method or the `@mr` pin they are about. */
export function layoutProblemDiagnostics(layouts: FileLayouts): SourceDiagnostic[] {
    const diagnostics: SourceDiagnostic[] = [];
    for (const { problems } of layouts.layouts) {
        for (const problem of problems) {
            const node = isParam(problem.source) ? problem.source.annotations.find(a => a.name === 'mr') ?? problem.source
                : isMethod(problem.source) ? problem.source : undefined;
            if (node?.$cstNode) diagnostics.push(nodeDiagnostic(node, 'error', problem.code, problem.message));
        }
    }
    return diagnostics;
}
