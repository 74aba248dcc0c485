/**
 * Rename: any name the user declared (types, fields, enum members, interfaces, methods, parameters,
 * locals, state, ports, components, instances), in every file that refers to it. Refused with a reason:
 * a builtin or keyword where the cursor is (prepareRename answers null), a name that a layout lock pins
 * (prepareRename and rename answer an error saying which lock and why: layout-lock-pins.ts), a new name
 * that is not an identifier, is a keyword, or is already declared where the renamed thing lives.
 */
import {
    AstUtils, CstUtils, GrammarAST, UriUtils, type AstNode, type LangiumDocument, type LeafCstNode
} from 'langium';
import { DefaultRenameProvider, type LangiumServices } from 'langium/lsp';
import {
    ErrorCodes, ResponseError, type CancellationToken, type Position, type PrepareRenameParams, type Range,
    type RenameParams, type WorkspaceEdit
} from 'vscode-languageserver';
import { isModule, type Module } from '../generated/ast.js';
import { SOFT_KEYWORDS } from '../parser/uk-token-builder.js';
import type { ModuleImports } from '../references/module-imports.js';
import type { LayoutLockPins } from './layout-lock-pins.js';
import { SYMBOL_KINDS } from './uk-node-kind-provider.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Declared names that live in a body rather than in a declaration's member list. */
const LOCAL_NAMES = new Set(['Binding', 'FunctionParam', 'HandlerParam', 'Param']);
/** Where such names are declared: locals and parameters of one of these share a namespace. */
const NAME_SCOPES = new Set(['FunctionDecl', 'Handler', 'MainBlock', 'InitBlock', 'Method']);

export class UkRenameProvider extends DefaultRenameProvider {
    private readonly keywords: ReadonlySet<string>;
    private readonly imports: () => ModuleImports;
    private readonly pins: () => LayoutLockPins;

    constructor(services: LangiumServices & { references: { ModuleImports: ModuleImports }; lsp: { LayoutLockPins: LayoutLockPins } }) {
        super(services);
        this.keywords = new Set(AstUtils.streamAllContents(services.Grammar).filter(GrammarAST.isKeyword)
            .map(keyword => keyword.value).filter(value => IDENTIFIER.test(value) && !SOFT_KEYWORDS.has(value)));
        this.imports = () => services.references.ModuleImports;
        this.pins = () => services.lsp.LayoutLockPins;
    }

    override async prepareRename(document: LangiumDocument, params: PrepareRenameParams): Promise<Range | undefined> {
        const target = this.targetAt(document, params.position);
        if (!target) return undefined;
        await this.refuseIfPinned(target.declaration);
        return target.leaf.range;
    }

    override async rename(document: LangiumDocument, params: RenameParams, cancelToken?: CancellationToken): Promise<WorkspaceEdit | undefined> {
        const target = this.targetAt(document, params.position);
        if (!target) throw new ResponseError(ErrorCodes.InvalidParams, 'Only names declared in uk sources can be renamed; builtin types and keywords cannot.');
        await this.refuseIfPinned(target.declaration);
        const refusal = this.refusal(target.declaration, params.newName, document);
        if (refusal) throw new ResponseError(ErrorCodes.InvalidParams, refusal);
        return super.rename(document, params, cancelToken);
    }

    /** The name under the cursor and what it declares or refers to, when that may be renamed. */
    private targetAt(document: LangiumDocument, position: Position): { leaf: LeafCstNode; declaration: AstNode & { name: string } } | undefined {
        const root = document.parseResult.value.$cstNode;
        const leaf = CstUtils.findDeclarationNodeAtOffset(root, document.textDocument.offsetAt(position), this.grammarConfig.nameRegexp);
        if (!leaf || GrammarAST.isKeyword(leaf.grammarSource) && !SOFT_KEYWORDS.has(leaf.text)) return undefined;
        const declaration = this.references.findDeclarations(leaf)[0] ?? (this.isNameNode(leaf) ? leaf.astNode : undefined);
        if (!declaration || !isRenamable(declaration)) return undefined;
        return { leaf, declaration };
    }

    /** Refuses a name that a layout lock pins, with the lock's reason. */
    private async refuseIfPinned(declaration: AstNode & { name: string }): Promise<void> {
        const refusal = await this.pins().refusal(declaration);
        if (refusal) throw new ResponseError(ErrorCodes.InvalidParams, refusal);
    }

    private refusal(declaration: AstNode & { name: string }, newName: string, requestedIn: LangiumDocument): string | undefined {
        if (!IDENTIFIER.test(newName)) return `'${newName}' is not a name: a name starts with a letter or '_' and has only letters, digits and '_'.`;
        if (this.keywords.has(newName)) return `'${newName}' is a keyword of uk.`;
        if (newName === declaration.name) return undefined;
        const clash = this.clashWith(declaration, newName);
        if (clash) {
            const document = AstUtils.getDocument(clash);
            const where = document === requestedIn ? '' : ` in ${UriUtils.basename(document.uri)}`;
            return `'${newName}' is already declared${where} on line ${(clash.$cstNode?.range.start.line ?? 0) + 1}.`;
        }
        return undefined;
    }

    /** Another declaration of `newName` that the renamed one would collide with. */
    private clashWith(declaration: AstNode, newName: string): AstNode | undefined {
        const container = declaration.$container;
        if (!container) return undefined;
        if (isModule(container)) {
            // Top-level: the file's own declarations and those of the files it imports.
            for (const visible of this.imports().visibleDocuments(AstUtils.getDocument(declaration))) {
                const found = ((visible.parseResult.value as Module).declarations ?? []).find(decl => nameOf(decl) === newName);
                if (found) return found;
            }
            return undefined;
        }
        if (LOCAL_NAMES.has(declaration.$type)) {
            // A local or parameter: the other names declared in the same function, handler or block.
            const scope = AstUtils.getContainerOfType(container, (node): node is AstNode => NAME_SCOPES.has(node.$type)) ?? container;
            return AstUtils.streamAllContents(scope).find(node => LOCAL_NAMES.has(node.$type) && nameOf(node) === newName);
        }
        // A member: its siblings (fields of one struct, methods of one interface, members of a component).
        return AstUtils.streamContents(container).find(node => node !== declaration && nameOf(node) === newName);
    }
}

function isRenamable(node: AstNode): node is AstNode & { name: string } {
    return typeof nameOf(node) === 'string' && (SYMBOL_KINDS[node.$type] !== undefined || LOCAL_NAMES.has(node.$type));
}

function nameOf(node: AstNode): unknown {
    return (node as { name?: unknown }).name;
}

