/**
 * Loads the sources a tool names into a Langium workspace: every `.uk` file given or found (recursively)
 * in a given folder, plus whatever their imports pull in, transitively. Everything is read through a
 * `FileSystemProvider` (Node's for the command line, a `MemoryFileSystem` in a browser). Problems with
 * the inputs themselves (missing, unreadable, binary, no `.uk` files) are `InputError`s naming the input
 * as the user wrote it; problems inside the files are diagnostics.
 */
import { URI, UriUtils, type FileSystemProvider, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { UkServices } from '../language/index.js';
import type { Module } from '../language/index.js';
import { InputError } from './input-error.js';

/** A file or folder to work on, and how to name it in messages (as the user wrote it). */
export interface SourceInput {
    readonly uri: URI;
    readonly shownAs: string;
}

export interface LoadedWorkspace {
    /** The documents the user named (directly or through a folder), in a stable order. */
    readonly requested: LangiumDocument<Module>[];
    /** Every document loaded, including those only reached through imports. */
    readonly all: LangiumDocument<Module>[];
}

export async function loadWorkspace(inputs: readonly SourceInput[], files: FileSystemProvider, shared: LangiumSharedServices, uk: UkServices): Promise<LoadedWorkspace> {
    const requestedFiles = await sourceFiles(inputs, files);
    const loaded = new Map<string, LangiumDocument<Module>>();
    const load = async (input: SourceInput): Promise<LangiumDocument<Module>> => {
        const existing = loaded.get(input.uri.toString());
        if (existing) return existing;
        const text = await readSource(input, files);
        const document = shared.workspace.LangiumDocumentFactory.fromString<Module>(text, input.uri);
        shared.workspace.LangiumDocuments.addDocument(document);
        loaded.set(input.uri.toString(), document);
        return document;
    };
    const requested: LangiumDocument<Module>[] = [];
    for (const input of requestedFiles) {
        const document = await load(input);
        if (!requested.includes(document)) requested.push(document);
    }
    // Follow imports breadth-first; targets that do not exist are left to the checker, which reports them
    // at the import with its position.
    const queue = [...loaded.values()];
    while (queue.length > 0) {
        const document = queue.shift() as LangiumDocument<Module>;
        for (const imp of document.parseResult.value.imports ?? []) {
            const target = uk.references.ModuleImports.targetOf(imp, document.uri);
            for (const uri of await importedFiles(target, files)) {
                if (loaded.has(uri.toString())) continue;
                queue.push(await load({ uri, shownAs: uri.fsPath }));
            }
        }
    }
    return { requested, all: [...loaded.values()] };
}

/** The `.uk` files that inputs name: files as they are, folders searched recursively. */
export async function sourceFiles(inputs: readonly SourceInput[], files: FileSystemProvider): Promise<SourceInput[]> {
    if (inputs.length === 0) throw new InputError('no input: name .uk files or folders');
    const found: SourceInput[] = [];
    for (const input of inputs) found.push(...await expandInput(input, files));
    return found;
}

async function expandInput(input: SourceInput, files: FileSystemProvider): Promise<SourceInput[]> {
    let isFolder: boolean;
    try {
        isFolder = (await files.stat(input.uri)).isDirectory;
    } catch {
        throw new InputError(`cannot read '${input.shownAs}': no such file or folder`);
    }
    if (isFolder) {
        const found = await findUkFiles(input.uri, files);
        if (found.length === 0) throw new InputError(`no .uk files in folder '${input.shownAs}'`);
        return found.map(uri => ({ uri, shownAs: uri.fsPath }));
    }
    // The language services are chosen by extension; a named file of another kind is a slip on the command
    // line (a README, an ELF image), not something to parse.
    if (UriUtils.extname(input.uri) !== '.uk') throw new InputError(`'${input.shownAs}' is not a .uk file`);
    return [input];
}

/** `.uk` files under `folder`, recursively, sorted so that the order does not depend on the file system. */
async function findUkFiles(folder: URI, files: FileSystemProvider): Promise<URI[]> {
    const entries = await files.readDirectory(folder);
    const found: URI[] = [];
    const name = (uri: URI) => UriUtils.basename(uri);
    for (const entry of entries.sort((a, b) => name(a.uri).localeCompare(name(b.uri)))) {
        if (entry.isDirectory && !name(entry.uri).startsWith('.') && name(entry.uri) !== 'node_modules') {
            found.push(...await findUkFiles(entry.uri, files));
        } else if (entry.isFile && name(entry.uri).endsWith('.uk')) {
            found.push(entry.uri);
        }
    }
    return found;
}

/** What an import target names: the file, or the `.uk` files directly in the folder. */
async function importedFiles(target: URI, files: FileSystemProvider): Promise<URI[]> {
    try {
        const info = await files.stat(target);
        if (info.isFile) return [target];
        if (info.isDirectory) {
            return (await files.readDirectory(target)).filter(entry => entry.isFile && UriUtils.basename(entry.uri).endsWith('.uk'))
                .map(entry => entry.uri).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        }
    } catch {
        // A missing target is reported by the checker as an unresolved import.
    }
    return [];
}

/** Reads a file a tool names; failing is an input error that says why. */
export async function readInput(input: SourceInput, files: FileSystemProvider): Promise<Uint8Array> {
    try {
        return await files.readBinary(input.uri);
    } catch (error) {
        const code = (error as { code?: unknown }).code;
        const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
        throw new InputError(`cannot read '${input.shownAs}': ${reason}`);
    }
}

/** Reads a source file as UTF-8 text, refusing binary content instead of parsing garbage. */
export async function readSource(input: SourceInput, files: FileSystemProvider): Promise<string> {
    const bytes = await readInput(input, files);
    if (bytes.includes(0)) throw new InputError(`'${input.shownAs}' is not a text file (it contains NUL bytes)`);
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        throw new InputError(`'${input.shownAs}' is not valid UTF-8 text`);
    }
}
