// Benchmark of the VS Code extension, in the real VS Code of the end-to-end harness (code-server.mjs), each
// round in a fresh code-server (new user data, a new extension host):
//   activation  VS Code's own figures for the extension, from Developer: Startup Performance's "Extension
//               Activation Stats" (load the code, call `activate`, the promise it returned settles), read
//               inside the extension host by extension/test/bench/activation-probe.ts after it opened
//               calculator.uk (activation event onLanguage:uk). The activation time is their sum: from the
//               event until VS Code counts the extension active, which is what a command waits for. The probe
//               also reports when the language server first answered (code lenses), which activation does
//               not wait for.
//   first event from pressing Enter on "ukc: Run System with Trace" in the command palette, calculator.uk
//               open in a window where the extension is active, until a typed event of the new run is visible:
//               a call hint at the end of a line of calculator.uk (first run only: in the second the same hints
//               are there from the first), a trace line in the run's terminal (what it shows while the Trace
//               view loads) or a row in the Trace view's page, whichever is first (each looked for every few
//               milliseconds, on the page's clock); the first run of the window (the Trace view's webview is
//               created) and a second one. For the first run it also prints each of the three, when the
//               webview's frame appeared and when the page was there.
//   floor       in a fresh window of its own set up the same way (calculator.uk open, ukc active), an
//               extension that only opens a webview with one line of HTML: from pressing Enter on its command
//               until the line is in the page. What VS Code itself costs for a window's first webview.
// Targets (issue 20): activation <= 300 ms, first trace event <= 1.5 s, judged on the median of the rounds.
// Usage: npm run bench:extension   (setup, package, then this; `-- --runs N` for N rounds, default 5;
//        `-- --vsix FILE` measures another build's .vsix, to compare builds in interleaved runs)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsolatedCodeServer, bundleForExtensionHost, launchBrowser, missingPrerequisites, root } from './code-server.mjs';
import { openWorkbench, quickOpen, traceViewFrame } from './ui-tests.mjs';

const TARGET_ACTIVATION_MS = 300;
const TARGET_FIRST_EVENT_MS = 1500;
const STEP_TIMEOUT_MS = 120_000;
const vsixArgument = process.argv.indexOf('--vsix');
/** Another build's .vsix to measure instead of this one's (to compare builds in interleaved runs). */
const VSIX = vsixArgument > 0 ? path.resolve(process.argv[vsixArgument + 1]) : undefined;
const runsArgument = process.argv.indexOf('--runs');
const ROUNDS = runsArgument > 0 ? Number(process.argv[runsArgument + 1]) : 5;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
    console.error('bench:extension: --runs takes a whole number of rounds, 1 or more');
    process.exit(2);
}
const missing = missingPrerequisites();
if (missing.length > 0) {
    for (const [what, file] of missing) console.error(`${file} is missing: run ${what} first`);
    process.exit(1);
}

/** VS Code's activation times for the extension, from the probe run as a tests module in a window of its own. */
async function activationTimes(browser, codeServer, base, installed, probe, report) {
    const page = await browser.newPage();
    let settle;
    const exited = new Promise(resolve => { settle = resolve; });
    await page.exposeFunction('codeAutomationExit', code => settle(code));
    const said = [];
    page.on('console', message => { if (!/Unable to read file|AgentHost/.test(message.text())) said.push(message.text()); });
    const payload = [['extensionDevelopmentPath', codeServer.remoteUri(base, installed)], ['extensionTestsPath', codeServer.remoteUri(base, probe)]];
    await page.goto(codeServer.workbenchUrl(base, payload), { waitUntil: 'domcontentloaded', timeout: STEP_TIMEOUT_MS });
    const code = await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve('timeout'), STEP_TIMEOUT_MS))]);
    await page.close();
    if (code !== 0 || !existsSync(report)) throw new Error(`the activation probe failed (exit ${code}); the page said:\n${said.slice(-15).join('\n')}`);
    return JSON.parse(readFileSync(report, 'utf8'));
}

/**
 * In the top frame (the workbench), notes when a terminal not there before `__ukcForgetRows()` shows a
 * typed trace line (`client -> calc  Calculator.add(`: the run's first events while the Trace view loads),
 * and when the editor first shows a call hint (`__ukcHintAt`: a decoration after a line whose text, drawn by
 * CSS, is a typed call).
 * In every other frame, notes when the Trace view's page (its `#rows` list) is first there, and when rows
 * not there before `__ukcForgetRows()` appear in it (the page draws new elements for new rows; the second
 * run's trace has the same rows as the first). Each in `__ukcRowsAppeared` of its frame.
 */
function watchForRows() {
    const appeared = [];
    const known = new WeakSet();
    window.__ukcRowsAppeared = appeared;
    if (window === window.top) {
        const terminals = () => document.querySelectorAll('.terminal-wrapper .xterm-rows');
        window.__ukcForgetRows = () => { for (const rows of terminals()) known.add(rows); };
        setInterval(() => {
            if (window.__ukcHintAt === undefined) {
                for (const decoration of document.querySelectorAll('.part.editor .view-lines span[class*="ced-"]')) {
                    if (/\w+\.\w+\(/.test(getComputedStyle(decoration, '::after').content)) {
                        window.__ukcHintAt = performance.timeOrigin + performance.now();
                        break;
                    }
                }
            }
            for (const rows of terminals()) {
                if (!known.has(rows) && /\S -> \S+\s+\w+\.\w+\(/.test(rows.textContent ?? '')) {
                    appeared.push(performance.timeOrigin + performance.now());
                    known.add(rows);
                }
            }
        }, 5);
        return;
    }
    window.__ukcForgetRows = () => { for (const row of document.querySelectorAll('#rows .row')) known.add(row); };
    setInterval(() => {
        const now = performance.timeOrigin + performance.now();
        if (window.__ukcPageAt === undefined && document.getElementById('rows')) window.__ukcPageAt = now;
        const row = document.querySelector('#rows .row');
        if (row && !known.has(row)) {
            appeared.push(now);
            window.__ukcForgetRows();
        }
    }, 2);
}

/** When rows first appeared after `since` (ms since the epoch): call hints in the editor, the terminal (top frame), the Trace view. */
async function rowsAppearedAfter(page, since) {
    const hint = await page.evaluate(() => window.__ukcHintAt).catch(() => undefined);
    const found = { editor: hint !== undefined && hint >= since ? hint : undefined, terminal: undefined, view: undefined };
    for (const frame of page.frames()) {
        const times = await frame.evaluate(() => window.__ukcRowsAppeared ?? []).catch(() => []);
        const after = times.find(time => time >= since);
        if (after !== undefined) found[frame === page.mainFrame() ? 'terminal' : 'view'] ??= after;
    }
    return found;
}

/**
 * Where a first run's time went, on the page's clock from `pressed`: the webview's frame created by the
 * workbench (VS Code's webview host page, which then starts its service worker), the Trace view's page
 * there, its first row.
 */
async function webviewTimes(page, pressed) {
    const times = { frame: undefined, page: undefined };
    for (const frame of page.frames()) {
        const seen = await frame.evaluate(() => ({
            host: location.pathname.endsWith('/webview/browser/pre/index.html') && performance.getEntriesByType('navigation')[0]?.name.includes('/pre/index.html'),
            origin: performance.timeOrigin,
            page: window.__ukcPageAt
        })).catch(() => undefined);
        if (seen?.host && seen.origin >= pressed) times.frame = seen.origin - pressed;
        if (seen?.page !== undefined && seen.page >= pressed) times.page = seen.page - pressed;
    }
    return times;
}

/**
 * Run System with Trace from the palette: the time until its first event is visible, in the terminal or in
 * the Trace view, whichever is first, and until it is in each.
 */
async function runToFirstEvent(page) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    const title = 'ukc: Run System with Trace';
    await page.keyboard.type(title);
    await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: STEP_TIMEOUT_MS });
    for (const frame of page.frames()) await frame.evaluate(() => window.__ukcForgetRows?.()).catch(() => undefined);
    const pressed = Date.now();
    await page.keyboard.press('Enter');
    const deadline = pressed + STEP_TIMEOUT_MS;
    let shown;
    while ((shown = await rowsAppearedAfter(page, pressed)).view === undefined) {
        if (Date.now() > deadline) throw new Error('no row appeared in the Trace view');
        await page.waitForTimeout(50);
    }
    const view = await traceViewFrame(page);
    await view.locator('#outcome').filter({ hasText: /system Demo finished at cycle \d+/ }).waitFor({ timeout: STEP_TIMEOUT_MS });
    // The terminal may show its lines after the Trace view its rows (or, in a window that has shown the view, not at all).
    await page.waitForTimeout(1000);
    const later = await rowsAppearedAfter(page, pressed);
    shown.terminal ??= later.terminal;
    shown.editor ??= later.editor;
    const terminal = shown.terminal === undefined ? undefined : shown.terminal - pressed;
    const editor = shown.editor === undefined ? undefined : shown.editor - pressed;
    const inView = shown.view - pressed;
    return { ms: Math.min(inView, terminal ?? Infinity, editor ?? Infinity), editor, terminal, view: inView, ...await webviewTimes(page, pressed) };
}

/**
 * The floor VS Code sets: in a window like the one Run was measured in (calculator.uk open, ukc active),
 * an extension that does nothing but open a webview with one line of HTML; from pressing Enter on its
 * command until that line is in the page.
 */
async function floorWebviewTime(browser, codeServer, base) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(watchForFloor);
    try {
        await openWorkbench(page, codeServer.workbenchUrl(base));
        await quickOpen(page, 'calculator.uk');
        await page.locator('.codelens-decoration a', { hasText: /^Run$/ }).waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
        await page.keyboard.press('F1');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
        await page.keyboard.type(FLOOR_COMMAND);
        await page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${FLOOR_COMMAND}")`, { timeout: STEP_TIMEOUT_MS });
        const pressed = Date.now();
        await page.keyboard.press('Enter');
        const deadline = pressed + STEP_TIMEOUT_MS;
        for (;;) {
            for (const frame of page.frames()) {
                const at = await frame.evaluate(() => window.__ukcFloorAt).catch(() => undefined);
                if (at !== undefined) return at - pressed;
            }
            if (Date.now() > deadline) throw new Error('the floor extension\'s webview did not appear');
            await page.waitForTimeout(50);
        }
    } finally {
        await page.close();
    }
}

/** Notes, in every frame, when the floor extension's line is there (polled every 2 ms, as the Trace view's rows). */
function watchForFloor() {
    if (window === window.top) return;
    const timer = setInterval(() => {
        if (document.getElementById('floor')) {
            window.__ukcFloorAt = performance.timeOrigin + performance.now();
            clearInterval(timer);
        }
    }, 2);
}

const FLOOR_COMMAND = 'Bench: Open an Empty Webview';

/** The floor extension's .vsix: a manifest and ten lines of JavaScript, packaged by vsce as ukc's is. */
function packageFloorExtension(folder) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({
        name: 'webview-floor', displayName: 'webview floor', description: 'Opens one webview (bench:extension).', version: '0.0.1',
        publisher: 'bench', license: 'MIT', engines: { vscode: '^1.91.0' }, main: './extension.js',
        activationEvents: ['onCommand:bench.openWebview'],
        contributes: { commands: [{ command: 'bench.openWebview', title: FLOOR_COMMAND }] }
    }, null, 2));
    writeFileSync(path.join(folder, 'extension.js'), `const vscode = require('vscode');
exports.activate = context => context.subscriptions.push(vscode.commands.registerCommand('bench.openWebview', () => {
    const panel = vscode.window.createWebviewPanel('bench.floor', 'floor', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true });
    panel.webview.html = '<!DOCTYPE html><html><body><div id="floor">floor</div></body></html>';
}));
`);
    writeFileSync(path.join(folder, 'README.md'), 'Opens one webview.\n');
    writeFileSync(path.join(folder, 'LICENSE'), 'MIT\n');
    const result = spawnSync(path.join(root, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--allow-missing-repository', '--out', path.join(folder, 'floor.vsix')],
        { cwd: folder, encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`vsce package of the floor extension failed: ${result.stderr || result.stdout}`);
    return path.join(folder, 'floor.vsix');
}

/** The Run-to-first-event figures of one window: its first run and a second. */
async function firstEventTimes(browser, codeServer, base) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.addInitScript(watchForRows);
    try {
        await openWorkbench(page, codeServer.workbenchUrl(base));
        await quickOpen(page, 'calculator.uk');
        // The extension is active once the file's language server answers: its code lens shows.
        await page.locator('.codelens-decoration a', { hasText: /^Run$/ }).waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
        const cold = await runToFirstEvent(page);
        await page.keyboard.press('Control+1');   // back to the editor: the palette offers the command for .uk files
        const warm = await runToFirstEvent(page);
        return { cold, warm };
    } finally {
        await page.close();
    }
}

const rounds = [];
const browser = await launchBrowser();
const floorFolder = path.join(root, '.cache/bench-webview-floor');
const floorVsix = packageFloorExtension(floorFolder);
try {
    for (let round = 1; round <= ROUNDS; round++) {
        const codeServer = new IsolatedCodeServer();
        const report = path.join(codeServer.state, 'activation.json');
        codeServer.env.UKC_BENCH_REPORT = report;
        let firstEvent;
        try {
            const installed = codeServer.installVsix(VSIX);
            const probe = await bundleForExtensionHost(path.join(root, 'extension/test/bench/activation-probe.ts'), path.join(codeServer.state, 'activation-probe.cjs'));
            const base = await codeServer.start();
            const activation = await activationTimes(browser, codeServer, base, installed, probe, report);
            firstEvent = await firstEventTimes(browser, codeServer, base);
            const errors = codeServer.extensionHostErrors();
            if (errors.length > 0) throw new Error(`the extension host logged errors:\n${errors.join('\n')}`);
            const total = activation.loadCodeMs + activation.callActivateMs + activation.finishActivateMs;
            rounds.push({ activation: total, cold: firstEvent.cold.ms, coldView: firstEvent.cold.view, warm: firstEvent.warm.ms });
            const at = time => (time === undefined ? '?' : Math.round(time));
            console.log(`round ${round}: activation ${total} ms (${activation.event}: load code ${activation.loadCodeMs} ms, call activate ${activation.callActivateMs} ms, `
                + `finish activate ${activation.finishActivateMs} ms; the language server's first code lens ${activation.codeLensMs} ms after opening the file); `
                + `Run System with Trace -> first event: first run ${Math.round(firstEvent.cold.ms)} ms (call hint in the editor at ${at(firstEvent.cold.editor)} ms, in the terminal at ${at(firstEvent.cold.terminal)} ms, `
                + `webview frame at ${at(firstEvent.cold.frame)} ms, Trace view page at ${at(firstEvent.cold.page)} ms, its first row at ${at(firstEvent.cold.view)} ms), `
                + `second run ${Math.round(firstEvent.warm.ms)} ms (terminal ${at(firstEvent.warm.terminal)} ms, Trace view ${at(firstEvent.warm.view)} ms)`);
        } finally {
            await codeServer.stop();
            rmSync(report, { force: true });
        }
        // The floor, right after, in a fresh window of its own (its webview origin new too).
        const floorServer = new IsolatedCodeServer();
        try {
            floorServer.installVsix(VSIX);
            floorServer.installVsix(floorVsix, 'bench.webview-floor');
            const floor = await floorWebviewTime(browser, floorServer, await floorServer.start());
            rounds[rounds.length - 1].floor = floor;
            console.log(`round ${round}: an empty extension's webview (the floor): ${Math.round(floor)} ms from its command to its page`);
        } finally {
            await floorServer.stop();
        }
    }
} finally {
    await browser.close();
}

const median = values => [...values].sort((a, b) => a - b)[values.length >> 1];
const verdict = (value, target) => (value <= target ? 'PASS' : 'MISS');
const spread = values => `median ${Math.round(median(values))} ms, min ${Math.round(Math.min(...values))} ms, max ${Math.round(Math.max(...values))} ms`;
const figure = (name, values, target) => {
    const mid = Math.round(median(values));
    console.log(`${name}: ${spread(values)} (target <= ${target} ms) ${verdict(mid, target)}`);
    return mid;
};
console.log(`\n${ROUNDS} rounds, each in a fresh code-server (the VS Code of the e2e harness):`);
const activation = figure('activation (Startup Performance: load code + call activate + finish activate)', rounds.map(round => round.activation), TARGET_ACTIVATION_MS);
const cold = figure('Run System with Trace -> first event visible (call hint, terminal or Trace view), first run in the window', rounds.map(round => round.cold), TARGET_FIRST_EVENT_MS);
console.log(`  of which: first event in the Trace view, first run: ${spread(rounds.map(round => round.coldView))}`);
console.log(`  the floor: an empty extension's first webview, from its command to its page: ${spread(rounds.map(round => round.floor))}`);
const warm = figure('Run System with Trace -> first event visible, second run', rounds.map(round => round.warm), TARGET_FIRST_EVENT_MS);
console.log(`bench:extension activation_ms=${activation} first_event_first_run_ms=${cold} first_event_second_run_ms=${warm} `
    + `trace_view_first_run_ms=${Math.round(median(rounds.map(round => round.coldView)))} empty_webview_ms=${Math.round(median(rounds.map(round => round.floor)))}`);
