/**
 * The session library runs where a browser would run it: in a worker thread, from its browser-platform
 * bundle (dist/session.js, which the build refuses to make if anything below the CLI imports a Node-only
 * module), with sources in memory. An example run there prints exactly what `ukc run --trace` prints.
 */
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/run-ukc.js';

const BUNDLE = path.join(ROOT, 'dist/session.js');

function runInWorker(example: string, main: string): Promise<{ text?: string; outcome?: string; name?: string; error?: string }> {
    const folder = path.join(ROOT, 'examples', example);
    const files = Object.fromEntries(readdirSync(folder).filter(name => name.endsWith('.uk'))
        .map(name => [`memory:///${example}/${name}`, readFileSync(path.join(folder, name), 'utf8')]));
    const worker = new Worker(path.join(__dirname, 'run-in-worker.mjs'), {
        workerData: { bundle: pathToFileURL(BUNDLE).href, files, main: `memory:///${example}/${main}` }
    });
    return new Promise((resolve, reject) => {
        worker.once('message', message => { void worker.terminate(); resolve(message as { text?: string }); });
        worker.once('error', reject);
    });
}

describe('the session library in a worker thread, sources in memory', () => {
    it('the bundle imports nothing: no Node module, no require', () => {
        const bundle = readFileSync(BUNDLE, 'utf8');
        expect(bundle).not.toMatch(/\bfrom\s*["'](node:|fs|path|os|child_process)["']/);
        expect(bundle).not.toMatch(/(^|[^.\w])require\(["']/m);
    });

    for (const [example, main] of [['calculator', 'calculator.uk'], ['pipeline', 'pipeline.uk']] as const) {
        it(`${example}: the same output and typed trace as ukc run --trace`, async () => {
            const result = await runInWorker(example, main);
            expect(result.error).toBeUndefined();
            expect(result.outcome).toBe('finished');
            expect(result.text).toBe(readFileSync(path.join(ROOT, 'test/fixtures/traces', `${example}.txt`), 'utf8'));
        }, 30_000);
    }
});
