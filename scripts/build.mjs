// Bundles the ukc command (ESM), the standalone language server (CommonJS, and ESM for a browser's web
// worker) and the VS Code extension.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const versionSource = readFileSync(new URL('../src/cli/version.ts', import.meta.url), 'utf8');
if (!versionSource.includes(`'${pkg.version}'`)) {
    console.error(`src/cli/version.ts does not say ${pkg.version}, the version in package.json`);
    process.exit(1);
}

const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Inlines constants across modules (the kernel ABI's register numbers, cycle costs...): a bundle keeps
    // a top-level `const` as a `var`, which V8's optimising compiler reads from memory and re-checks on
    // every use; the IPC fastpath does this a dozen times per message (bench:ipc: about 5% fewer
    // instructions). Identifiers are kept, so stack traces and profiles read as before.
    minifySyntax: true,
    logLevel: 'warning'
};

// Split at the command line's dynamic imports (src/cli/main.ts): each command's modules are a chunk of
// their own in dist/chunks/, loaded when the command runs, so that V8 parses only what it runs. `ukc
// compare`'s worker thread is an entry of the same build, beside the chunk of the command that starts it
// (`new URL('./compare-worker.js', import.meta.url)`), and shares its chunks.
rmSync('dist/chunks', { recursive: true, force: true });
await build({
    ...common,
    entryPoints: { ukc: 'src/cli.ts', 'chunks/compare-worker': 'src/cli/compare-worker.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    // CommonJS dependencies (vscode-languageserver) call require() for Node built-ins.
    banner: { js: "import { createRequire as __ukcCreateRequire } from 'node:module'; const require = __ukcCreateRequire(import.meta.url);" }
});

await build({
    ...common,
    entryPoints: ['src/language-server/main.ts'],
    outfile: 'dist/language-server.cjs',
    format: 'cjs'
});

// The language server for a browser's web worker (src/language-server/browser.ts): the browser platform
// without Node polyfills, so that a Node built-in reaching the server fails the build.
await build({
    ...common,
    platform: 'browser',
    entryPoints: ['src/language-server/browser.ts'],
    outfile: 'dist/language-server-browser.js',
    format: 'esm'
});

// The session library for browsers and web workers: built for the browser platform, so that any Node-only
// import below the CLI fails the build.
await build({
    ...common,
    platform: 'browser',
    entryPoints: ['src/session/bundle.ts'],
    outfile: 'dist/session.js',
    format: 'esm'
});

// The VS Code extension (extension/): CommonJS with `vscode` left to the editor. Its entry is small (the
// commands' registration, a few kB: what VS Code counts as activation); the language client
// (vscode-languageclient, 450 kB) is a bundle of its own, loaded just after activation; the commands that
// compile and run systems are another, loaded on first use; the trace view's page is bundled for the
// browser. Beside them goes the same language server bundle, so that the .vsix carries everything it runs.
await build({
    ...common,
    entryPoints: ['extension/src/extension.ts'],
    outfile: 'extension/dist/extension.cjs',
    format: 'cjs',
    external: ['vscode'],
    minify: true
});
await build({
    ...common,
    entryPoints: ['extension/src/language-client.ts'],
    outfile: 'extension/dist/language-client.cjs',
    format: 'cjs',
    external: ['vscode'],
    minify: true
});
await build({
    ...common,
    entryPoints: ['extension/src/session-commands/index.ts'],
    outfile: 'extension/dist/session-commands.cjs',
    format: 'cjs',
    external: ['vscode'],
    minify: true
});
await build({
    ...common,
    platform: 'browser',
    entryPoints: ['extension/src/trace-view/view.ts'],
    outfile: 'extension/dist/trace-view.js',
    format: 'iife',
    minify: true
});
mkdirSync('extension/dist', { recursive: true });
copyFileSync('dist/language-server.cjs', 'extension/dist/language-server.cjs');

// Benchmarks are TypeScript too; they are bundled on demand by `npm run bench:<area>`.
if (process.argv.includes('--bench')) {
    await build({
        ...common,
        entryPoints: ['bench/check.ts', 'bench/layout.ts', 'bench/cpu.ts', 'bench/ipc.ts', 'bench/stubs.ts', 'bench/run.ts', 'bench/debug.ts', 'bench/lsp.ts'],
        outdir: 'dist/bench',
        format: 'esm',
        banner: { js: "import { createRequire as __ukcCreateRequire } from 'node:module'; const require = __ukcCreateRequire(import.meta.url);" }
    });
}
