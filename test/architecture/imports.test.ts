/**
 * The architecture as imports (docs/ARCHITECTURE.md, "The shape"): which areas may import which, only
 * through an area's index.ts, nothing Node-only below the command line, and no import cycles between
 * files. Each test lists every offence by file and line, so a failure says what to fix.
 */
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportEdge } from './source-graph.js';

const graph = importGraph();
const edges: ImportEdge[] = [...graph.values()].flat();

/** The area a file belongs to: `src/<folder>` or `runtime/<folder>`; a file directly in src/ is its own. */
function areaOf(file: string): string {
    const parts = file.split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}` : file;
}

/**
 * What each area may import besides itself and packages, read as the dependency rule
 * `layout <- language <- codegen -> contract <- runtime`, the session above them, the command line and
 * the language server's Node host on top. The code generator targets the emulated machine: it assembles
 * with the machine's assembler and writes its ELF format (runtime/machine), but never reaches into the
 * kernel or the trace.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
    'runtime/contract': [],
    'runtime/machine': ['runtime/contract'],
    'runtime/kernel': ['runtime/contract', 'runtime/machine'],
    'runtime/trace': ['runtime/contract', 'runtime/kernel'],
    'src/layout': ['runtime/contract'],
    'src/language': ['src/layout', 'runtime/contract'],
    'src/codegen': ['src/language', 'src/layout', 'runtime/contract', 'runtime/machine'],
    'src/session': ['src/polyfill.ts', 'src/codegen', 'src/language', 'src/layout', 'runtime/contract', 'runtime/machine', 'runtime/kernel', 'runtime/trace'],
    'src/debug': ['src/session', 'src/codegen', 'runtime/contract', 'runtime/machine', 'runtime/kernel', 'runtime/trace'],
    'src/language-server': ['src/polyfill.ts', 'src/language'],
    'src/cli': ['src/session', 'src/debug', 'src/codegen', 'src/language', 'src/language-server', 'src/layout', 'runtime/contract', 'runtime/machine', 'runtime/kernel', 'runtime/trace'],
    'src/cli.ts': ['src/polyfill.ts', 'src/cli']
};

/** Areas that run in a browser as well as under Node (a web worker, the VS Code web extension). */
const NODE_FREE = ['src/session', 'src/language', 'src/layout', 'src/codegen'];
/** Folders inside other areas that are Node-free too: the GDB stub talks to a byte channel, not a socket. */
const NODE_FREE_FOLDERS = ['src/debug/gdb/'];
const NODE_BUILTINS = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));

function isNodeOnly(specifier: string): boolean {
    // `langium/node`, `vscode-languageserver/node`, `vscode-jsonrpc/node`: the Node bindings of packages.
    return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]) || specifier.endsWith('/node');
}

const where = (edge: ImportEdge) => `${edge.from}:${edge.line} imports '${edge.specifier}'`;

describe('the import graph of src/ and runtime/', () => {
    it('is read from every source file', () => {
        expect(graph.size).toBeGreaterThan(100);
        expect(graph.get('src/codegen/system.ts')?.some(edge => edge.to === 'src/language/index.ts')).toBe(true);
        const typeOnly = graph.get('runtime/trace/run-figures.ts')?.find(edge => edge.to === 'runtime/contract/index.ts');
        expect(typeOnly?.typeOnly).toBe(true);
    });

    it('has no Node-only import below the command line', () => {
        const offences = edges.filter(edge => (NODE_FREE.includes(areaOf(edge.from)) || NODE_FREE_FOLDERS.some(folder => edge.from.startsWith(folder)) || edge.from.startsWith('runtime/'))
            && isNodeOnly(edge.specifier));
        expect(offences.map(where)).toEqual([]);
    });

    it('follows the dependency rule between areas', () => {
        const offences = edges.filter(edge => {
            if (!edge.to) return false;
            const from = areaOf(edge.from);
            const to = areaOf(edge.to);
            return from !== to && !(ALLOWED[from] ?? []).includes(to);
        });
        expect(offences.map(where)).toEqual([]);
        // Every area is named in the rule, so that a new folder is placed deliberately.
        expect([...new Set([...graph.keys()].map(areaOf))].filter(area => !(area in ALLOWED) && area !== 'src/polyfill.ts')).toEqual([]);
    });

    it('keeps runtime/ free of packages: the machine, the kernel, the trace and the contract stand alone', () => {
        const offences = edges.filter(edge => edge.from.startsWith('runtime/') && !edge.to);
        expect(offences.map(where)).toEqual([]);
    });

    it('imports another area only through its index.ts', () => {
        const offences = edges.filter(edge => edge.to && areaOf(edge.to) !== areaOf(edge.from)
            && edge.to !== `${areaOf(edge.to)}/index.ts` && edge.to !== 'src/polyfill.ts');
        expect(offences.map(where)).toEqual([]);
    });

    it('has no import cycle between files (imports that remain in the JavaScript)', () => {
        const runtimeGraph = new Map([...graph].map(([file, fileEdges]) => [file, fileEdges.filter(edge => !edge.typeOnly)]));
        expect(importCycles(runtimeGraph).map(cycle => [...cycle, cycle[0]].join(' -> '))).toEqual([]);
    });
});

describe('the cycle finder', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, specifier: to, to, typeOnly: false, line: 1 });
    const graphOf = (pairs: readonly (readonly [string, string])[], files: readonly string[]) =>
        new Map(files.map(file => [file, pairs.filter(([from]) => from === file).map(([from, to]) => edge(from, to))]));

    it('reports each cycle once, as a path through its files', () => {
        const cycles = importCycles(graphOf([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd'], ['d', 'd'], ['e', 'a']], ['a', 'b', 'c', 'd', 'e']));
        expect(cycles).toEqual([['d'], ['a', 'b', 'c']]);
    });

    it('finds none in a graph without cycles', () => {
        expect(importCycles(graphOf([['a', 'b'], ['a', 'c'], ['b', 'c']], ['a', 'b', 'c']))).toEqual([]);
    });
});
