#!/usr/bin/env node
// The ukc command. The code lives in dist/ukc.js, produced by `npm run build`.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/ukc.js', import.meta.url);
if (!existsSync(bundle)) {
    process.stderr.write('ukc: not built yet; run `npm run build` in the ukc folder first\n');
    process.exit(2);
}
await import(bundle.href);
