/**
 * The import graph of ukc's own sources (src/ and runtime/), read from the text of every .ts file: each
 * `import ... from`, `export ... from`, side-effect `import '...'` and dynamic `import('...')`, with
 * relative specifiers resolved to files. What the architecture tests check is read from this graph.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface ImportEdge {
    /** The importing file, relative to the repository root with forward slashes (`src/codegen/system.ts`). */
    readonly from: string;
    /** The specifier as written. */
    readonly specifier: string;
    /** For a relative specifier, the imported file (relative to the root, `.ts`); undefined for packages. */
    readonly to?: string;
    /** Names types alone (`import type`, `export type`, `{ type A }`): erased from the JavaScript. */
    readonly typeOnly: boolean;
    /** An `import('...')` expression: the module is loaded when that code runs, not with the importer. */
    readonly dynamic: boolean;
    readonly line: number;
}

function sourceFiles(folder: string): string[] {
    return readdirSync(folder).flatMap(entry => {
        const full = path.join(folder, entry);
        return statSync(full).isDirectory() ? sourceFiles(full) : entry.endsWith('.ts') ? [full] : [];
    });
}

/** Blanks comments (keeping line breaks), so that an import mentioned in a comment does not count. */
function withoutComments(text: string): string {
    return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, match => match.replace(/[^\n]/g, ' '));
}

const IMPORT = /(?:^|[;\n])\s*(?:import|export)\s+(type\s+)?(?:([\w*{},\s$]+?)\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** `import type {...}`, or braces that name types alone (`{ type A, type B }`): erased when compiled. */
function isTypeOnly(typeKeyword: string | undefined, clause: string | undefined): boolean {
    if (typeKeyword) return true;
    const braces = clause?.trim().match(/^\{([^}]*)\}$/);
    if (!braces) return false;
    const names = braces[1].split(',').map(name => name.trim()).filter(name => name.length > 0);
    return names.length > 0 && names.every(name => name.startsWith('type '));
}

function importsOf(file: string): ImportEdge[] {
    const from = path.relative(ROOT, file).split(path.sep).join('/');
    const text = withoutComments(readFileSync(file, 'utf8'));
    const edges: ImportEdge[] = [];
    for (const match of text.matchAll(IMPORT)) {
        const specifier = match[3] ?? match[4];
        // `export const x = ...` has no specifier; only re-exports and imports reach here with one.
        if (!specifier) continue;
        const line = text.slice(0, match.index + match[0].indexOf(specifier)).split('\n').length;
        const to = specifier.startsWith('.')
            ? path.relative(ROOT, path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts'))).split(path.sep).join('/')
            : undefined;
        edges.push({ from, specifier, to, typeOnly: isTypeOnly(match[1], match[2]), dynamic: match[4] !== undefined, line });
    }
    return edges;
}

/** Every .ts file under the given folders (relative to the root) and its imports. */
export function importGraph(folders: readonly string[] = ['src', 'runtime']): Map<string, ImportEdge[]> {
    const graph = new Map<string, ImportEdge[]>();
    for (const folder of folders) {
        for (const file of sourceFiles(path.join(ROOT, folder))) {
            const edges = importsOf(file);
            graph.set(edges[0]?.from ?? path.relative(ROOT, file).split(path.sep).join('/'), edges);
        }
    }
    return graph;
}

/**
 * The files loaded with `start` before any of its code runs: those it imports, not for types alone and
 * not with `import(...)`, and theirs in turn. Each maps to the chain of imports that loads it, `start`
 * first and the file last.
 */
export function loadedWith(graph: ReadonlyMap<string, readonly ImportEdge[]>, start: string): Map<string, string[]> {
    const chains = new Map<string, string[]>([[start, [start]]]);
    const pending = [start];
    while (pending.length > 0) {
        const file = pending.shift() as string;
        for (const edge of graph.get(file) ?? []) {
            if (!edge.to || edge.typeOnly || edge.dynamic || chains.has(edge.to)) continue;
            chains.set(edge.to, [...(chains.get(file) as string[]), edge.to]);
            pending.push(edge.to);
        }
    }
    return chains;
}

/**
 * The cycles of the graph: its strongly connected components with more than one file (or a file that
 * imports itself), each as a list of files in a cycle order, found with Tarjan's algorithm.
 */
export function importCycles(graph: ReadonlyMap<string, readonly ImportEdge[]>): string[][] {
    const successors = (file: string) => [...new Set((graph.get(file) ?? []).flatMap(edge => (edge.to && graph.has(edge.to) ? [edge.to] : [])))];
    const index = new Map<string, number>();
    const lowLink = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const components: string[][] = [];
    let counter = 0;
    const visit = (file: string): void => {
        index.set(file, counter);
        lowLink.set(file, counter);
        counter++;
        stack.push(file);
        onStack.add(file);
        for (const next of successors(file)) {
            if (!index.has(next)) {
                visit(next);
                lowLink.set(file, Math.min(lowLink.get(file) as number, lowLink.get(next) as number));
            } else if (onStack.has(next)) {
                lowLink.set(file, Math.min(lowLink.get(file) as number, index.get(next) as number));
            }
        }
        if (lowLink.get(file) === index.get(file)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop() as string;
                onStack.delete(member);
                component.push(member);
            } while (member !== file);
            if (component.length > 1 || successors(file).includes(file)) components.push(component.sort());
        }
    };
    for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
    return components.map(component => cycleThrough(component, successors));
}

/** One cycle through the first file of a strongly connected component, as `a -> b -> ... -> a`'s files. */
function cycleThrough(component: readonly string[], successors: (file: string) => string[]): string[] {
    const members = new Set(component);
    const start = component[0];
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
        const file = queue.shift() as string;
        for (const next of successors(file)) {
            if (!members.has(next)) continue;
            if (next === start) {
                const cycle = [file];
                while (cycle[0] !== start) cycle.unshift(previous.get(cycle[0]) as string);
                return cycle;
            }
            if (!previous.has(next)) {
                previous.set(next, file);
                queue.push(next);
            }
        }
    }
    return [...component];
}
