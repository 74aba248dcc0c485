/**
 * The layout service (src/language/model/interface-layouts.ts): one layout object per interface and ABI
 * profile while the workspace stands still, a fresh one after a document changes — including a change to
 * another file the interface takes a type from — and the layouts the code generator writes into the trace
 * map are the cached ones the checks saw.
 */
import { readFileSync } from 'node:fs';
import { EmptyFileSystem, TextDocument, URI, type LangiumDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { compileSystem } from '../../../src/codegen/index.js';
import { createUkServices, isInterfaceDecl, isSystemDecl, type InterfaceDecl, type Module, type SystemDecl } from '../../../src/language/index.js';
import { findProfile, layoutInterface, profileOrDefault } from '../../../src/layout/index.js';

const TYPES = 'package kv\nenum Status : u8 { Ok = 0, Missing = 1 }\n';
const API = 'package kv\nimport "types.uk"\ninterface Store {\n    get(key: u32) -> (status: Status, value: u32)\n}\n';

async function workspace() {
    const { shared, Uk } = createUkServices(EmptyFileSystem);
    const uri = (name: string) => URI.file(`/layouts/${name}`);
    const documents = [['types.uk', TYPES], ['api.uk', API]].map(([name, text]) => {
        // Texts held as an editor holds them, so that an update re-reads them from here.
        shared.workspace.TextDocuments.set(TextDocument.create(uri(name).toString(), 'uk', 1, text));
        const document = shared.workspace.LangiumDocumentFactory.fromString<Module>(text, uri(name));
        shared.workspace.LangiumDocuments.addDocument(document);
        return document;
    });
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });
    const api = () => shared.workspace.LangiumDocuments.getDocument(uri('api.uk')) as LangiumDocument<Module>;
    const store = () => api().parseResult.value.declarations.find(isInterfaceDecl) as InterfaceDecl;
    /** Replaces a file's text as the language server does on an edit, and rebuilds. */
    const edit = async (name: string, text: string, version: number) => {
        shared.workspace.TextDocuments.set(TextDocument.create(uri(name).toString(), 'uk', version, text));
        await shared.workspace.DocumentBuilder.update([uri(name)], []);
    };
    return { layouts: Uk.layout.InterfaceLayouts, types: Uk.types.TypeSystem, store, api, edit };
}

describe('InterfaceLayouts', () => {
    it('returns the same layout object for the same interface and profile', async () => {
        const { layouts, store } = await workspace();
        const first = layouts.layoutOf(store());
        expect(layouts.layoutOf(store())).toBe(first);
        expect(layouts.layoutOf(store(), profileOrDefault('ukvm32'))).toBe(first);
        expect(layouts.specOf(store())).toBe(layouts.specOf(store()));
        const riscv64 = layouts.layoutOf(store(), findProfile('sel4-riscv64'));
        expect(riscv64).not.toBe(first);
        expect(riscv64.layout.profile).toBe('sel4-riscv64');
        expect(layouts.layoutOf(store(), findProfile('sel4-riscv64'))).toBe(riscv64);
    });

    it('is the layout engine\'s layout of the interface\'s spec', async () => {
        const { layouts, store, api } = await workspace();
        expect(api().diagnostics).toEqual([]);
        const computed = layoutInterface(layouts.specOf(store()), profileOrDefault());
        expect(layouts.layoutOf(store())).toEqual(computed);
        expect(layouts.layoutOf(store()).layout.methods[0].reply?.scalars.map(scalar => `${scalar.path}:${scalar.placement.bits}`))
            .toEqual(['value:32', 'status:8']);
    });

    it('computes afresh after the document changes', async () => {
        const { layouts, store, edit } = await workspace();
        const before = layouts.layoutOf(store());
        await edit('api.uk', API.replace('key: u32', 'key: u64'), 2);
        const after = layouts.layoutOf(store());
        expect(after).not.toBe(before);
        expect(after.layout.methods[0].request.scalars.map(scalar => `${scalar.path}:${scalar.placement.bits}`)).toEqual(['key:64']);
    });

    it('computes afresh after a file it takes a type from changes', async () => {
        const { layouts, store, edit } = await workspace();
        const before = layouts.layoutOf(store());
        await edit('types.uk', TYPES.replace('enum Status : u8', 'enum Status : u16'), 2);
        const after = layouts.layoutOf(store());
        expect(after).not.toBe(before);
        expect(after.layout.methods[0].reply?.scalars.map(scalar => `${scalar.path}:${scalar.placement.bits}`)).toEqual(['value:32', 'status:16']);
    });
});

describe('the layouts the code generator and the trace read', () => {
    it('are the service\'s cached objects', async () => {
        const kv = readFileSync(new URL('../../../examples/kv-store/kv.uk', import.meta.url), 'utf8');
        const { shared, Uk } = createUkServices(EmptyFileSystem);
        const document = shared.workspace.LangiumDocumentFactory.fromString<Module>(kv, URI.file('/layouts/kv.uk'));
        shared.workspace.LangiumDocuments.addDocument(document);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        const declarations = document.parseResult.value.declarations;
        const keyValue = declarations.find(isInterfaceDecl) as InterfaceDecl;
        const validated = Uk.layout.InterfaceLayouts.layoutOf(keyValue);
        const { system } = compileSystem(declarations.find(isSystemDecl) as SystemDecl, Uk.types.TypeSystem, Uk.layout.InterfaceLayouts);
        const served = Object.values(system?.trace.endpoints ?? {}).map(endpoint => endpoint.interface);
        expect(served).toHaveLength(1);
        expect(served[0]).toBe(validated.layout);
    });
});
