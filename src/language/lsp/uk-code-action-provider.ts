/**
 * Quick fixes for diagnostics: a server that does not handle some methods gets their handlers written in
 * (`on put(key, value, flags) { }`, at the indentation of the server's members), and a name that resolves to
 * nothing can be changed to the nearest names in scope by edit distance. In a file without errors, two
 * actions about layouts, on the workspace's ABI profile: on an interface or a method, a refactoring that
 * freezes its current layout with `@ordinal` and `@mr` pins (layout-freeze.ts); and a source action that
 * writes the file's layout lock, the very text `ukc layout FILE --lock` writes (model/layout-locks.ts).
 */
import { DocumentValidator, GrammarUtils, UriUtils, type FileSystemProvider, type LangiumDocument, type ReferenceInfo } from 'langium';
import type { CodeActionProvider, LangiumServices } from 'langium/lsp';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type CodeActionParams, type Diagnostic, type Position } from 'vscode-languageserver';
import { isServerDecl, type Method, type Module, type ServerDecl } from '../generated/ast.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';
import { declaredInterfaces, lockText, lockUri } from '../model/layout-locks.js';
import { IssueCodes } from '../validation/issue-codes.js';
import { nearestNames } from './edit-distance.js';
import { freezeInsertions } from './layout-freeze.js';
import type { UkSettings } from './uk-settings.js';

interface MissingHandlerData { readonly code: string; readonly methods: readonly string[] }

type LayoutServices = { layout: { InterfaceLayouts: InterfaceLayouts }; lsp: { Settings: UkSettings } };

export class UkCodeActionProvider implements CodeActionProvider {
    private readonly scopes: LangiumServices['references']['ScopeProvider'];
    private readonly layouts: InterfaceLayouts;
    private readonly settings: UkSettings;
    private readonly files: FileSystemProvider;

    constructor(services: LangiumServices & LayoutServices) {
        this.scopes = services.references.ScopeProvider;
        this.layouts = services.layout.InterfaceLayouts;
        this.settings = services.lsp.Settings;
        this.files = services.shared.workspace.FileSystemProvider;
    }

    async getCodeActions(document: LangiumDocument, params: CodeActionParams): Promise<CodeAction[]> {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            const code = (diagnostic.data as { code?: unknown } | undefined)?.code;
            if (code === IssueCodes.MissingHandler) actions.push(...this.missingHandlers(document, diagnostic));
            if (code === DocumentValidator.LinkingError) actions.push(...this.nearestNameFixes(document, diagnostic));
        }
        // A file with errors has no layout worth freezing or locking.
        if ((document.diagnostics ?? []).some(diagnostic => diagnostic.severity === DiagnosticSeverity.Error)) return actions;
        const wanted = (kind: string) => !params.context.only || params.context.only.some(only => kind === only || kind.startsWith(`${only}.`));
        if (wanted(CodeActionKind.RefactorRewrite)) actions.push(...await this.freezeLayout(document, params));
        if (wanted(CodeActionKind.Source)) actions.push(...await this.layoutLock(document));
        return actions;
    }

    /** On an interface, or one of its methods: the `@ordinal`s and `@mr` pins that keep today's layout. */
    private async freezeLayout(document: LangiumDocument, params: CodeActionParams): Promise<CodeAction[]> {
        const module = document.parseResult.value as Module;
        const offset = document.textDocument.offsetAt(params.range.start);
        const inside = (node: { $cstNode?: { offset: number; end: number } }) => node.$cstNode !== undefined && node.$cstNode.offset <= offset && offset <= node.$cstNode.end;
        const iface = declaredInterfaces(module).find(inside);
        if (!iface) return [];
        const method = iface.methods.find(inside);
        const profile = await this.settings.abiProfile();
        const insertions = freezeInsertions(iface, method ? [method] : iface.methods, this.layouts, profile);
        if (insertions.length === 0) return [];
        const edits = insertions.map(insertion => {
            const at = document.textDocument.positionAt(insertion.offset);
            return { range: { start: at, end: at }, newText: insertion.text };
        });
        const title = `Freeze the layout of ${iface.name}${method ? `.${method.name}` : ''} on ${profile.name} (ordinals and pins)`;
        return [{ title, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [document.uri.toString()]: edits } } }];
    }

    /** The file's layout lock written (or rewritten) beside it, as `ukc layout FILE --lock` writes it. */
    private async layoutLock(document: LangiumDocument): Promise<CodeAction[]> {
        const module = document.parseResult.value as Module;
        const interfaces = declaredInterfaces(module);
        const profile = await this.settings.abiProfile();
        // The command refuses to lock layouts with problems: they record something that cannot be sent.
        if (interfaces.length === 0 || interfaces.some(iface => this.layouts.layoutOf(iface, profile).problems.length > 0)) return [];
        const lock = lockUri(document.uri);
        const exists = await this.files.stat(lock).then(stat => stat.isFile, () => false);
        const name = UriUtils.basename(lock);
        const start = { line: 0, character: 0 };
        return [{
            title: `${exists ? 'Update' : 'Create'} layout lock ${name} (${profile.name})`,
            kind: CodeActionKind.Source,
            edit: {
                documentChanges: [
                    { kind: 'create', uri: lock.toString(), ...(exists ? { options: { overwrite: true } } : {}) },
                    { textDocument: { uri: lock.toString(), version: null }, edits: [{ range: { start, end: start }, newText: lockText(module, this.layouts, profile) }] }
                ]
            }
        }];
    }

    private missingHandlers(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const data = diagnostic.data as MissingHandlerData;
        const module = document.parseResult.value as Module;
        const server = (module.declarations ?? []).filter(isServerDecl).find(decl => sameStart(GrammarUtils.findNodeForProperty(decl.$cstNode, 'name')?.range.start, diagnostic.range.start));
        const iface = server?.interface?.ref;
        if (!server || !iface || !Array.isArray(data.methods)) return [];
        const methods = data.methods.map(name => iface.methods.find(method => method.name === name)).filter((method): method is Method => method !== undefined);
        if (methods.length === 0) return [];
        const edit = handlerStubs(document, server, methods);
        if (!edit) return [];
        const title = methods.length === 1 ? `Handle ${iface.name}.${methods[0].name}` : `Handle the ${methods.length} missing methods of ${iface.name}`;
        return [{ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes: { [document.uri.toString()]: [edit] } } }];
    }

    private nearestNameFixes(document: LangiumDocument, diagnostic: Diagnostic): CodeAction[] {
        const reference = document.references.find(candidate => candidate.$refNode && sameStart(candidate.$refNode.range.start, diagnostic.range.start));
        const info = reference?.error?.info;
        if (!reference || !info) return [];
        const names = nearestNames(reference.$refText, this.namesInScope(info));
        return names.map((name, index) => ({
            title: `Change to '${name}'`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: index === 0,
            edit: { changes: { [document.uri.toString()]: [{ range: diagnostic.range, newText: name }] } }
        }));
    }

    private namesInScope(info: ReferenceInfo): string[] {
        return this.scopes.getScope(info).getAllElements().map(description => description.name).toArray();
    }
}

/** The text edit that writes a handler for each of `methods` after the server's last member. */
function handlerStubs(document: LangiumDocument, server: ServerDecl, methods: readonly Method[]): { range: { start: Position; end: Position }; newText: string } | undefined {
    const text = document.textDocument.getText();
    const serverNode = server.$cstNode;
    if (!serverNode) return undefined;
    const last = server.members[server.members.length - 1]?.$cstNode;
    const indent = last ? indentationOf(text, last.offset) : indentationOf(text, serverNode.offset) + unitOf(text);
    const stubs = methods.map(method => `${indent}on ${method.name}(${method.params.map(param => param.name).join(', ')}) {\n${indent}}`);
    if (last) {
        return { range: { start: last.range.end, end: last.range.end }, newText: stubs.map(stub => `\n\n${stub}`).join('') };
    }
    // No members yet: the handlers go inside the braces, on lines of their own.
    const close = serverNode.offset + serverNode.length - 1;
    const lineStart = text.lastIndexOf('\n', close - 1) + 1;
    const braceOnOwnLine = lineStart > serverNode.offset && text.slice(lineStart, close).trim() === '';
    const at = document.textDocument.positionAt(braceOnOwnLine ? lineStart : close);
    const newText = braceOnOwnLine ? `${stubs.join('\n\n')}\n` : `\n${stubs.join('\n\n')}\n${indentationOf(text, serverNode.offset)}`;
    return { range: { start: at, end: at }, newText };
}

/** The whitespace that starts the line holding `offset`. */
function indentationOf(text: string, offset: number): string {
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/** One level of indentation as the file writes it: a tab if its first indented line starts with one. */
function unitOf(text: string): string {
    return /^\t/m.test(text) && !/^ {2}/m.test(text) ? '\t' : '    ';
}

function sameStart(a: Position | undefined, b: Position): boolean {
    return a !== undefined && a.line === b.line && a.character === b.character;
}
