/**
 * The architecture as imports (docs/ARCHITECTURE.md, "The shape"): which areas may import which, only
 * through an area's index.ts, nothing Node-only below the command line, and no import cycles between
 * files. Each test lists every offence by file and line, so a failure says what to fix.
 */
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, loadedWith, type ImportEdge } from './source-graph.js';

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
/**
 * Folders and files inside other areas that are Node-free too: the GDB stub talks to a byte channel, not a
 * socket; the language server's browser entry runs in a web worker.
 */
const NODE_FREE_FOLDERS = ['src/debug/gdb/', 'src/language-server/browser.ts'];
const NODE_BUILTINS = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));

function isNodeOnly(specifier: string): boolean {
    // `langium/node`, `vscode-languageserver/node`, `vscode-jsonrpc/node`: the Node bindings of packages.
    return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]) || specifier.endsWith('/node');
}

/**
 * The commands that only read sources (`ukc check`, `fmt`, `layout`, `diff`) and the command line's entry,
 * which every command loads: checking runs none of these areas, so loading them would only cost start-up
 * (docs/BENCHMARKS.md, "The check path"). They reach the session through its source half
 * (src/session/checking.ts), which loads the code generator only when a system is compiled.
 */
const SOURCE_COMMANDS = ['src/cli.ts', 'src/cli/check-command.ts', 'src/cli/fmt-command.ts', 'src/cli/layout-command.ts', 'src/cli/diff-command.ts'];
const NOT_FOR_CHECKING = ['src/codegen', 'runtime/machine', 'runtime/kernel', 'runtime/trace', 'src/debug', 'src/language-server'];
/** Faces besides index.ts: the session's source half, so that checking need not load the running half. */
const OTHER_FACES = ['src/session/checking.ts'];

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
            && edge.to !== `${areaOf(edge.to)}/index.ts` && !OTHER_FACES.includes(edge.to) && edge.to !== 'src/polyfill.ts');
        expect(offences.map(where)).toEqual([]);
    });

    it('loads no code generator, machine, kernel, trace, debugger or language server for the commands that only check sources', () => {
        const offences = SOURCE_COMMANDS.flatMap(start => [...loadedWith(graph, start).values()]
            .filter(chain => NOT_FOR_CHECKING.includes(areaOf(chain[chain.length - 1])))
            .map(chain => chain.join(' -> ')));
        expect(offences).toEqual([]);
        // The session compiles with the code generator it loads then; `ukc run` loads the kernel as it starts.
        const toCodegen = graph.get('src/session/session.ts')?.filter(edge => edge.to === 'src/codegen/index.ts');
        expect(toCodegen?.map(edge => (edge.typeOnly ? 'types' : edge.dynamic ? 'import()' : 'import'))).toEqual(['types', 'import()']);
        expect(loadedWith(graph, 'src/cli/run-command.ts').get('runtime/kernel/index.ts')?.slice(0, 2)).toEqual(['src/cli/run-command.ts', 'src/session/index.ts']);
    });

    it('has no import cycle between files (imports that remain in the JavaScript)', () => {
        const runtimeGraph = new Map([...graph].map(([file, fileEdges]) => [file, fileEdges.filter(edge => !edge.typeOnly)]));
        expect(importCycles(runtimeGraph).map(cycle => [...cycle, cycle[0]].join(' -> '))).toEqual([]);
    });
});

describe('the cycle finder', () => {
    const edge = (from: string, to: string): ImportEdge => ({ from, specifier: to, to, typeOnly: false, dynamic: false, line: 1 });
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

describe('what a file loads with it', () => {
    const graph = new Map<string, ImportEdge[]>([
        ['a', [
            { from: 'a', specifier: './b', to: 'b', typeOnly: false, dynamic: false, line: 1 },
            { from: 'a', specifier: './c', to: 'c', typeOnly: true, dynamic: false, line: 2 },
            { from: 'a', specifier: './d', to: 'd', typeOnly: false, dynamic: true, line: 3 }
        ]],
        ['b', [{ from: 'b', specifier: './e', to: 'e', typeOnly: false, dynamic: false, line: 1 }, { from: 'b', specifier: 'langium', typeOnly: false, dynamic: false, line: 2 }]],
        ['c', []], ['d', [{ from: 'd', specifier: './e', to: 'e', typeOnly: false, dynamic: false, line: 1 }]], ['e', [{ from: 'e', specifier: './a', to: 'a', typeOnly: false, dynamic: false, line: 1 }]]
    ]);

    it('follows imports that remain in the JavaScript and are not import(), with the chain that loads each', () => {
        expect([...loadedWith(graph, 'a')]).toEqual([['a', ['a']], ['b', ['a', 'b']], ['e', ['a', 'b', 'e']]]);
        expect([...loadedWith(graph, 'd').keys()]).toEqual(['d', 'e', 'a', 'b']);
    });
});
