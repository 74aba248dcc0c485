/**
 * Hover: a method (at its declaration, a handler or a call) shows its doc comment and how its messages
 * are laid out on the bundled machine, the same table `ukc layout` prints.
 */
import type { AstNode, MaybePromise } from 'langium';
import { MultilineCommentHoverProvider, type LangiumServices } from 'langium/lsp';
import { formatMethod, profileOrDefault } from '../../layout/index.js';
import { isMethod } from '../generated/ast.js';
import type { InterfaceLayouts } from '../model/interface-layouts.js';

export class UkHoverProvider extends MultilineCommentHoverProvider {
    private readonly layouts: () => InterfaceLayouts;

    constructor(services: LangiumServices & { layout: { InterfaceLayouts: InterfaceLayouts } }) {
        super(services);
        this.layouts = () => services.layout.InterfaceLayouts;
    }

    protected override getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        const documentation = super.getAstNodeHoverContent(node) as string | undefined;
        if (!isMethod(node)) return documentation;
        const iface = node.$container;
        const profile = profileOrDefault();
        const { layout } = this.layouts().layoutOf(iface, profile);
        const method = layout.methods[iface.methods.indexOf(node)];
        if (!method) return documentation;
        const table = formatMethod(method, profile).join('\n');
        const parts = [`**${iface.name}.${node.name}** on ${profile.name}`, '```text\n' + table + '\n```'];
        return documentation ? [documentation, ...parts].join('\n\n') : parts.join('\n\n');
    }
}
