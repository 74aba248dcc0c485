/**
 * Code lenses. Above each `system`: Run, Debug and Trace, whose commands the VS Code extension implements
 * (`ukc.runSystem`, `ukc.debugSystem`, `ukc.traceSystem`, each with the arguments [document URI, system
 * name]). Above each interface: how many of its methods travel in registers alone (seL4's fastpath), and
 * above each method that does not, why, as the layout engine says (`ukc layout` shows the same).
 */
import { GrammarUtils, type AstNode, type LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens } from 'vscode-languageserver';
import { layoutInterface, profileOrDefault, type MethodLayout } from '../../layout/index.js';
import { isInterfaceDecl, isSystemDecl, type InterfaceDecl, type Module } from '../generated/ast.js';
import { interfaceSpec } from '../model/interface-spec.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';

/** The command IDs the VS Code extension registers; keep them in step with extension/. */
export const SYSTEM_COMMANDS = [
    { title: 'Run', command: 'ukc.runSystem' },
    { title: 'Debug', command: 'ukc.debugSystem' },
    { title: 'Trace', command: 'ukc.traceSystem' }
] as const;

export class UkCodeLensProvider implements CodeLensProvider {
    private readonly typeSystem: () => UkTypeSystem;

    constructor(services: { types: { TypeSystem: UkTypeSystem } }) {
        this.typeSystem = () => services.types.TypeSystem;
    }

    provideCodeLens(document: LangiumDocument): CodeLens[] {
        const module = document.parseResult.value as Module;
        const lenses: CodeLens[] = [];
        for (const decl of module.declarations ?? []) {
            if (isSystemDecl(decl)) {
                const range = nameRange(decl);
                if (!range) continue;
                for (const { title, command } of SYSTEM_COMMANDS) {
                    lenses.push({ range, command: { title, command, arguments: [document.uri.toString(), decl.name] } });
                }
            } else if (isInterfaceDecl(decl) && document.parseResult.parserErrors.length === 0) {
                lenses.push(...this.fastpathLenses(decl));
            }
        }
        return lenses;
    }

    private fastpathLenses(iface: InterfaceDecl): CodeLens[] {
        const range = nameRange(iface);
        if (!range || iface.methods.length === 0) return [];
        const { layout } = layoutInterface(interfaceSpec(iface, this.typeSystem()), profileOrDefault());
        const fast = layout.methods.filter(method => slowpathReasons(method).length === 0).length;
        const lenses: CodeLens[] = [{ range, command: { title: `${fast} of ${layout.methods.length} methods register-only (fastpath)`, command: '' } }];
        layout.methods.forEach((method, index) => {
            const reasons = slowpathReasons(method);
            const methodRange = nameRange(iface.methods[index]);
            if (reasons.length > 0 && methodRange) lenses.push({ range: methodRange, command: { title: `slowpath: ${reasons.join('; ')}`, command: '' } });
        });
        return lenses;
    }
}

/** Why a call of this method misses the fastpath, its request's reasons and then its reply's. */
function slowpathReasons(method: MethodLayout): string[] {
    const messages = method.reply ? [method.request, method.reply] : [method.request];
    return messages.flatMap(message => message.slowpathReasons.map(reason => `${message.kind} ${reason}`));
}

function nameRange(node: AstNode) {
    return GrammarUtils.findNodeForProperty(node.$cstNode, 'name')?.range;
}
