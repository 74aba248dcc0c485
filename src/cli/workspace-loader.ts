/**
 * Loads the files a command names into a Langium workspace: every `.uk` file given or found (recursively)
 * in a given folder, plus whatever their imports pull in, transitively. Problems with the inputs themselves
 * (missing, unreadable, binary, no `.uk` files) are `InputError`s; problems inside the files are diagnostics.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { Module } from '../language/index.js';
import type { UkServices } from '../language/index.js';

/** A problem with the command's inputs, reported as one line and exit code 2. */
export class InputError extends Error {}

export interface LoadedWorkspace {
    /** The documents the user named (directly or through a folder), in a stable order. */
    readonly requested: LangiumDocument<Module>[];
    /** Every document loaded, including those only reached through imports. */
    readonly all: LangiumDocument<Module>[];
}

/** Loads `inputs` (paths relative to `cwd`); error messages name the inputs as the user wrote them. */
export async function loadWorkspace(inputs: readonly string[], cwd: string, shared: LangiumSharedServices, uk: UkServices): Promise<LoadedWorkspace> {
    if (inputs.length === 0) {
        throw new InputError('no input: name .uk files or folders');
    }
    const requestedPaths: string[] = [];
    for (const input of inputs) {
        requestedPaths.push(...await expandInput(input, cwd));
    }
    const loaded = new Map<string, LangiumDocument<Module>>();
    const load = async (file: string): Promise<LangiumDocument<Module>> => {
        const absolute = path.resolve(cwd, file);
        const existing = loaded.get(absolute);
        if (existing) return existing;
        const text = await readSource(absolute, file);
        const document = shared.workspace.LangiumDocumentFactory.fromString<Module>(text, URI.file(absolute));
        shared.workspace.LangiumDocuments.addDocument(document);
        loaded.set(absolute, document);
        return document;
    };
    const requested: LangiumDocument<Module>[] = [];
    for (const file of requestedPaths) {
        const document = await load(file);
        if (!requested.includes(document)) requested.push(document);
    }
    // Follow imports breadth-first; targets that do not exist are left to the checker, which reports them
    // at the import with its position.
    const queue = [...loaded.values()];
    while (queue.length > 0) {
        const document = queue.shift() as LangiumDocument<Module>;
        for (const imp of document.parseResult.value.imports ?? []) {
            const target = uk.references.ModuleImports.targetOf(imp, document.uri).fsPath;
            for (const file of await importedFiles(target)) {
                if (loaded.has(path.resolve(cwd, file))) continue;
                queue.push(await load(file));
            }
        }
    }
    return { requested, all: [...loaded.values()] };
}

async function expandInput(input: string, cwd: string): Promise<string[]> {
    let info;
    try {
        info = await stat(path.resolve(cwd, input));
    } catch {
        throw new InputError(`cannot read '${input}': no such file or folder`);
    }
    if (info.isDirectory()) {
        const files = await findUkFiles(path.resolve(cwd, input));
        if (files.length === 0) throw new InputError(`no .uk files in folder '${input}'`);
        return files;
    }
    // The language services are chosen by extension; a named file of another kind is a slip on the command
    // line (a README, an ELF image), not something to parse.
    if (path.extname(input) !== '.uk') {
        throw new InputError(`'${input}' is not a .uk file`);
    }
    return [input];
}

/** `.uk` files under `folder`, recursively, sorted so that output order does not depend on the file system. */
async function findUkFiles(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true });
    const files: string[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(folder, entry.name);
        if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
            files.push(...await findUkFiles(full));
        } else if (entry.isFile() && entry.name.endsWith('.uk')) {
            files.push(full);
        }
    }
    return files;
}

/** What an import target names on disk: the file, or the `.uk` files directly in the folder. */
async function importedFiles(target: string): Promise<string[]> {
    try {
        const info = await stat(target);
        if (info.isFile()) return [target];
        if (info.isDirectory()) {
            const entries = await readdir(target, { withFileTypes: true });
            return entries.filter(entry => entry.isFile() && entry.name.endsWith('.uk'))
                .map(entry => path.join(target, entry.name)).sort();
        }
    } catch {
        // A missing target is reported by the checker as an unresolved import.
    }
    return [];
}

/** Reads a file a command names (at `absolute`, shown as `shownAs`); failing is an input error. */
export async function readInput(absolute: string, shownAs: string): Promise<Buffer> {
    try {
        return await readFile(absolute);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : String(code ?? error);
        throw new InputError(`cannot read '${shownAs}': ${reason}`);
    }
}

/** Reads a source file as UTF-8 text, refusing binary content instead of parsing garbage. */
async function readSource(absolute: string, file: string): Promise<string> {
    const bytes = await readInput(absolute, file);
    if (bytes.includes(0)) {
        throw new InputError(`'${file}' is not a text file (it contains NUL bytes)`);
    }
    try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
        throw new InputError(`'${file}' is not valid UTF-8 text`);
    }
}
