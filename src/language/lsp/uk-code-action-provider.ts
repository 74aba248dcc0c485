/**
 * Quick fixes for diagnostics: a server that does not handle some methods gets their handlers written in
 * (`on put(key, value, flags) { }`, at the indentation of the server's members), and a name that resolves to
 * nothing can be changed to the nearest names in scope by edit distance.
 */
import { DocumentValidator, GrammarUtils, type LangiumDocument, type ReferenceInfo } from 'langium';
import type { CodeActionProvider, LangiumServices } from 'langium/lsp';
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type Position } from 'vscode-languageserver';
import { isServerDecl, type Method, type Module, type ServerDecl } from '../generated/ast.js';
import { IssueCodes } from '../validation/issue-codes.js';
import { nearestNames } from './edit-distance.js';

interface MissingHandlerData { readonly code: string; readonly methods: readonly string[] }

export class UkCodeActionProvider implements CodeActionProvider {
    private readonly scopes: LangiumServices['references']['ScopeProvider'];

    constructor(services: LangiumServices) {
        this.scopes = services.references.ScopeProvider;
    }

    getCodeActions(document: LangiumDocument, params: CodeActionParams): CodeAction[] {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            const code = (diagnostic.data as { code?: unknown } | undefined)?.code;
            if (code === IssueCodes.MissingHandler) actions.push(...this.missingHandlers(document, diagnostic));
            if (code === DocumentValidator.LinkingError) actions.push(...this.nearestNameFixes(document, diagnostic));
        }
        return actions;
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
