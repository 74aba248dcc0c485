/**
 * Signature help inside the parentheses of a call through a capability (`store.put(`) or of a helper
 * function (`find(`), triggered by `(` and `,`: the callee's parameters, its results, its doc comment, and
 * which parameter the cursor is at. The call is found in the text (see open-call.ts), its callee in the
 * syntax tree: a method by the type of the value before the dot, a function by its name's reference.
 */
import type { LangiumDocument } from 'langium';
import type { LangiumServices, SignatureHelpProvider } from 'langium/lsp';
import type { ParameterInformation, SignatureHelp, SignatureHelpOptions, SignatureHelpParams } from 'vscode-languageserver';
import type { FunctionDecl, FunctionParam, Method, Module, Param } from '../generated/ast.js';
import type { UkTypeSystem } from '../type-system/uk-type-system.js';
import { calleeBefore, declarationStart } from './callee.js';
import { openCallAt } from './open-call.js';

export class UkSignatureHelpProvider implements SignatureHelpProvider {
    private readonly typeSystem: () => UkTypeSystem;
    private readonly documentation: LangiumServices['documentation']['DocumentationProvider'];

    constructor(services: LangiumServices & { types: { TypeSystem: UkTypeSystem } }) {
        this.typeSystem = () => services.types.TypeSystem;
        this.documentation = services.documentation.DocumentationProvider;
    }

    get signatureHelpOptions(): SignatureHelpOptions {
        return { triggerCharacters: ['(', ','], retriggerCharacters: [','] };
    }

    provideSignatureHelp(document: LangiumDocument, params: SignatureHelpParams): SignatureHelp | undefined {
        const text = document.textDocument.getText();
        const offset = document.textDocument.offsetAt(params.position);
        const module = document.parseResult.value as Module;
        const call = openCallAt(text, declarationStart(module, offset), offset);
        if (!call) return undefined;
        const callee = calleeBefore(module, text, call.open, this.typeSystem());
        if (!callee) return undefined;
        const parameters = callee.params.map(param => parameterText(param));
        const head = `${callee.name}(`;
        let label = head;
        const information: ParameterInformation[] = parameters.map((parameter, index) => {
            if (index > 0) label += ', ';
            const start = label.length;
            label += parameter;
            return { label: [start, label.length] };
        });
        label += `)${resultText(callee)}`;
        const documentation = this.documentation.getDocumentation(callee);
        return {
            signatures: [{ label, parameters: information, ...(documentation ? { documentation: { kind: 'markdown', value: documentation } } : {}) }],
            activeSignature: 0,
            activeParameter: call.argument
        };
    }
}

/** `key: Key`, `into: lease out bytes[256]`, without annotations. */
function parameterText(param: Param | FunctionParam): string {
    const parts = param.$type === 'Param' ? [param.transfer, param.direction] : [];
    const type = param.type?.$cstNode?.text ?? '?';
    return `${param.name}: ${[...parts.filter(part => part !== undefined), type].join(' ')}`;
}

function resultText(callee: Method | FunctionDecl): string {
    if (callee.$type === 'FunctionDecl') return callee.returnType?.$cstNode ? ` -> ${callee.returnType.$cstNode.text}` : '';
    const results = callee.resultType?.$cstNode ? ` -> ${callee.resultType.$cstNode.text}`
        : callee.results.length > 0 ? ` -> (${callee.results.map(result => parameterText(result)).join(', ')})` : '';
    return callee.raises ? `${results} raises ${callee.raises.$refText}` : results;
}
