/**
 * Layout locks (`kv.uk.lock`, written by `ukc layout --lock`) compared with a file's interfaces: every change
 * since the lock that breaks the wire layout, at the method or interface it is about. `ukc check` (through the
 * session library) and the language server both ask this module, so they find the same changes and word
 * them alike. It reads no file: callers bring the lock's text through their file system provider.
 */
import { URI, type AstNode } from 'langium';
import { diffLayouts, findProfile, LockError, parseLock, serializeLock, type AbiProfile, type LayoutLock } from '../../layout/index.js';
import { isInterfaceDecl, type InterfaceDecl, type Module } from '../generated/ast.js';
import type { InterfaceLayouts } from './interface-layouts.js';

/** The lock of a source file: its name with `.lock` appended. */
export function lockUri(source: URI): URI {
    return source.with({ path: `${source.path}.lock` });
}

/** The source file a lock belongs to, or undefined for a file that is not named as a lock. */
export function lockedSourceUri(lock: URI): URI | undefined {
    return lock.path.endsWith('.uk.lock') ? lock.with({ path: lock.path.slice(0, -'.lock'.length) }) : undefined;
}

/** What comparing a file with its lock found: the lock itself unusable, or a change that breaks it. */
export type LockFinding =
    | { readonly kind: 'unusable-lock'; readonly message: string }
    | { readonly kind: 'breaking-change'; readonly node: AstNode; readonly message: string };

/** The interfaces a file declares, in declaration order: what its lock records. */
export function declaredInterfaces(module: Module): InterfaceDecl[] {
    return (module.declarations ?? []).filter(isInterfaceDecl);
}

/** The lock `ukc layout FILE --lock` writes for `module` on `profile`. */
export function lockOf(module: Module, layouts: InterfaceLayouts, profile: AbiProfile): LayoutLock {
    return { profile: profile.name, interfaces: declaredInterfaces(module).map(decl => layouts.layoutOf(decl, profile).layout) };
}

/** The text of that lock, byte for byte what the command writes. */
export function lockText(module: Module, layouts: InterfaceLayouts, profile: AbiProfile): string {
    return serializeLock(lockOf(module, layouts, profile));
}

/**
 * Compares `module` (a file without errors: the layout of one with errors means nothing yet) with the lock
 * whose text is `text`; `shownAs` names the lock file in messages.
 */
export function compareWithLock(module: Module, text: string, layouts: InterfaceLayouts, shownAs: string): LockFinding[] {
    let lock: LayoutLock;
    try {
        lock = parseLock(text);
    } catch (error) {
        if (!(error instanceof LockError)) throw error;
        return [{ kind: 'unusable-lock', message: `not a ukc layout lock: ${error.message}` }];
    }
    const profile = findProfile(lock.profile);
    if (!profile) return [{ kind: 'unusable-lock', message: `the lock is for the unknown ABI profile '${lock.profile}'` }];
    const current = declaredInterfaces(module).map(decl => ({ decl, layout: layouts.layoutOf(decl, profile).layout }));
    const changes = diffLayouts(lock.interfaces, current.map(entry => entry.layout));
    return changes.filter(change => change.breaking).map(change => {
        const entry = current.find(candidate => candidate.layout.name === change.interfaceName);
        const method = entry?.decl.methods.find(candidate => candidate.name === change.methodName);
        // The method if it still exists, else its interface, else (a removed interface) the file's first one.
        const node: AstNode = method ?? entry?.decl ?? declaredInterfaces(module)[0] ?? module;
        return { kind: 'breaking-change', node, message: `breaks the layout locked in ${shownAs} (${lock.profile}): ${change.message}` };
    });
}
