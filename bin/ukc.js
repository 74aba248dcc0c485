#!/usr/bin/env node
// The ukc command. The code lives in dist/ukc.js, produced by `npm run build`.
import { existsSync } from 'node:fs';
import module from 'node:module';

const bundle = new URL('../dist/ukc.js', import.meta.url);
if (!existsSync(bundle)) {
    process.stderr.write('ukc: not built yet; run `npm run build` in the ukc folder first\n');
    process.exit(2);
}
// An editor starts the language server with every window, and V8's compiling of the 2.5 MB bundle is a
// good part of its start-up; Node 22.1 and later can keep the compiled code on disk between runs (in
// NODE_COMPILE_CACHE, or a folder of the system's temporary directory). One-shot commands are left as they are.
if (process.argv[2] === 'lsp') module.enableCompileCache?.();
await import(bundle.href);
