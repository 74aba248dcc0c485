// Benchmark of the Trace view's page with 100,000 events: the page (extension/src/trace-view/page-html.ts)
// and its script (extension/dist/trace-view.js, as the .vsix ships it) in headless Chromium, fed as the
// extension feeds it. Measures the time from the rows' arrival to the first frame that shows them, a
// change of filter, and scroll steps (a screen's worth of rows, and jumps across the trace).
// Usage: npm run bench:trace-view   (needs scripts/vscode-e2e/setup.sh once, for Chromium and Playwright)
import { createRequire } from 'node:module';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cache = process.env.UKC_E2E_CACHE ?? path.join(root, '.cache/vscode-e2e');
const EVENTS = 100_000;
const LANES = ['client', 'calc', 'store', 'shell', 'logger', 'net', 'disk', 'timer'];

const pageModule = path.join(tmpdir(), `ukc-bench-page-${process.pid}.mjs`);
await build({
    stdin: { contents: "export { pageHtml } from './page-html.ts'; export { ROWS_PER_MESSAGE } from './protocol.ts';", resolveDir: path.join(root, 'extension/src/trace-view'), loader: 'ts' },
    outfile: pageModule, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning'
});
const { pageHtml, ROWS_PER_MESSAGE } = await import(pathToFileURL(pageModule).href);
rmSync(pageModule);
const origin = 'http://trace-view.bench';
const html = pageHtml(origin, readFileSync(path.join(root, 'extension/dist/trace-view.js'), 'utf8'));

const { chromium } = createRequire(path.join(cache, 'driver/package.json'))('playwright-core');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.route(`${origin}/**`, route => route.fulfill({ body: html, contentType: 'text/html' }));
    await page.addInitScript(() => { window.acquireVsCodeApi = () => ({ postMessage: () => {} }); });
    await page.goto(`${origin}/`);
    await page.evaluate(() => window.postMessage({ type: 'reset', title: 'bench' }, '*'));
    const figures = await page.evaluate(async ({ events, lanes, perMessage }) => {
        const frame = () => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        // Calls and replies between lanes, as a long run of a busy system gives them (made in the page, so
        // that only the view's own work is measured).
        const rows = [];
        let cycle = 1000;
        for (let index = 0; index < events; index++) {
            const from = lanes[(index * 7) % lanes.length];
            const to = lanes[(index * 3 + 1) % lanes.length];
            const method = `op${index % 6}`;
            cycle += 300 + (index % 11) * 17;
            rows.push(index % 2 === 1
                ? { index, cycle, kind: 'reply', from: to, to: from, interface: 'Store', method, label: `Store.${method} = ${index}`, fastpath: index % 5 !== 0, error: index % 97 === 0, elapsed: 700, details: [`result = ${index}`] }
                : { index, cycle, kind: 'call', from, to, interface: 'Store', method, label: `Store.${method}(key=${index}, value=${index * 3})`, fastpath: index % 5 !== 0, details: [`key = ${index}`, `value = ${index * 3}`, 'badge = 1'], site: 'store.uk:10:5' });
        }
        const scroller = document.getElementById('scroller');
        // As the panel sends them: in messages of ROWS_PER_MESSAGE rows, one after another.
        const arrived = performance.now();
        let firstFrame;
        for (let offset = 0; offset < rows.length; offset += perMessage) {
            window.postMessage({ type: 'rows', rows: rows.slice(offset, offset + perMessage) }, '*');
            if (offset === 0) {
                while (document.querySelectorAll('#rows .row').length === 0) await new Promise(resolve => setTimeout(resolve, 1));
                await frame();
                firstFrame = performance.now() - arrived;
            }
        }
        while (!/^100000 events/.test(document.getElementById('count').textContent ?? '')) await new Promise(resolve => setTimeout(resolve, 1));
        await frame();
        const allRows = performance.now() - arrived;
        const steps = [];
        scroller.scrollTop = 0;
        await frame();
        for (let step = 0; step < 40; step++) {
            const started = performance.now();
            scroller.scrollTop += scroller.clientHeight;
            await frame();
            steps.push(performance.now() - started);
        }
        const jumps = [];
        for (let step = 0; step < 20; step++) {
            const started = performance.now();
            scroller.scrollTop = ((step * 7919) % 100) / 100 * scroller.scrollHeight;
            await frame();
            jumps.push(performance.now() - started);
        }
        const filter = document.getElementById('filter-method');
        const filterStarted = performance.now();
        filter.value = 'Store.op3';
        filter.dispatchEvent(new Event('change'));
        await frame();
        const filtered = performance.now() - filterStarted;
        const inDom = document.querySelectorAll('#rows .row').length;
        return { firstFrame, allRows, steps, jumps, filtered, inDom };
    }, { events: EVENTS, lanes: LANES, perMessage: ROWS_PER_MESSAGE });
    const median = list => [...list].sort((a, b) => a - b)[list.length >> 1];
    const ms = value => `${value.toFixed(1)} ms`;
    console.log(`trace view, ${EVENTS.toLocaleString('en-US')} events in ${LANES.length} lanes (Chromium ${browser.version()}):`);
    console.log(`  rows start to arrive -> first frame showing some: ${ms(figures.firstFrame)}; showing all: ${ms(figures.allRows)}`);
    console.log(`  scroll by a screen: median ${ms(median(figures.steps))}, max ${ms(Math.max(...figures.steps))} (40 steps, each until the next frame)`);
    console.log(`  jump anywhere: median ${ms(median(figures.jumps))}, max ${ms(Math.max(...figures.jumps))} (20 jumps)`);
    console.log(`  filter to one method: ${ms(figures.filtered)}`);
    console.log(`  rows in the DOM after filtering: ${figures.inDom}`);
} finally {
    await browser.close();
}
