// Runs the extension's end-to-end tests in a real VS Code (code-server, installed by setup.sh) driven
// through headless Chromium by playwright-core:
//   1. installs the built .vsix into a fresh, isolated code-server (code-server.mjs: its own user data, extensions, config
//      and cache folders in a temporary folder; its own process group, killed at the end);
//   2. runs extension/test/e2e/ inside the real extension host: the page URL's `payload` names the
//      installed extension as the one under development and the bundled tests as its test module; the
//      workbench calls window.codeAutomationExit(code) when the tests' run() settles;
//   3. runs the UI tests of ui-tests.mjs through the page, the extension installed as a user has it;
//   4. checks the extension host's log for errors.
// Screenshots (one per test at least) and logs go to e2e-out/ (gitignored); the counts go to
// e2e-results.json and end the output as "e2e: N passed, N failed".
// Usage: node scripts/vscode-e2e/run.mjs   (after setup.sh and npm run package)
// Env: UKC_E2E_CACHE, UKC_E2E_OUT, UKC_E2E_ONLY (run only tests whose name contains it),
//      UKC_E2E_PHASE (exthost or ui: run only that phase), UKC_E2E_VERBOSE=1, UKC_E2E_KEEP_STATE=1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { IsolatedCodeServer, bundleForExtensionHost, launchBrowser, missingPrerequisites, root } from './code-server.mjs';
import { runUiTests } from './ui-tests.mjs';

const out = path.resolve(process.env.UKC_E2E_OUT ?? path.join(root, 'e2e-out'));
const resultsFile = path.join(root, 'e2e-results.json');
const started = Date.now();
const log = (...parts) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);

/** How long one phase may take before it counts as failed. */
const PHASE_TIMEOUT_MS = 240_000;

const results = [];
function record(name, error) {
    results.push({ name, ok: !error, message: error?.message });
    if (error) console.log(`not ok - ${name}: ${error.message ?? error}`);
    else console.log(`ok - ${name}`);
}

function finish() {
    const passed = results.filter(result => result.ok).length;
    const failed = results.length - passed;
    writeFileSync(resultsFile, JSON.stringify({ numPassedTests: passed, numFailedTests: failed, tests: results }, null, 2) + '\n');
    console.log(`e2e: ${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
}

for (const [what, file] of missingPrerequisites()) {
    console.error(`${file} is missing: run ${what} first`);
    record('the e2e prerequisites are in place', new Error(`${file} is missing`));
    process.exit(finish());
}
rmSync(resultsFile, { force: true });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const codeServer = new IsolatedCodeServer({ UKC_E2E_OUT: out });
const dirs = codeServer.dirs;
// The extension-host tests write their outcomes here, for phase 2 to read.
const exthostReport = path.join(codeServer.state, 'exthost-report.json');
codeServer.env.UKC_E2E_EXTHOST_REPORT = exthostReport;
// A trace written by the command line, for Open Trace.
const traced = spawnSync(process.execPath, [path.join(root, 'bin/ukc.js'), 'run', 'calculator/calculator.uk', '--trace-jsonl', 'calculator/calculator.trace.jsonl'],
    { cwd: dirs.workspace, encoding: 'utf8' });
if (traced.status !== 0) throw new Error(`ukc run --trace-jsonl failed: ${traced.stderr}`);

let browser;
async function cleanUp() {
    await browser?.close().catch(() => {});
    await codeServer.stop({ logsTo: path.join(out, 'vscode-logs'), keepState: Boolean(process.env.UKC_E2E_KEEP_STATE) });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanUp().finally(() => process.exit(130)); });

/** Phase 2: the extension-host tests. Their own lines (ok / not ok) come through the page's console. */
async function runExtensionHostTests(base, installedExtension, testsModule) {
    const page = await browser.newPage();
    let settle;
    const exited = new Promise(resolve => { settle = resolve; });
    await page.exposeFunction('codeAutomationExit', code => settle(code));
    page.on('console', message => {
        // Extension-host lines arrive styled ("%c INFO color: #33f text"): keep the text.
        const text = message.text().replace(/^%c\s*\w*\s*color:\s*#?\w+\s*/, '');
        const shot = /^ukc-e2e screenshot (.+\.png)$/.exec(text);
        if (shot) { page.screenshot({ path: shot[1] }).catch(error => log('screenshot failed:', error.message)); return; }
        if (process.env.UKC_E2E_VERBOSE || /^(not )?ok - |passed, \d+ failed/.test(text)) log('extension host:', text);
    });
    const payload = [['extensionDevelopmentPath', codeServer.remoteUri(base, installedExtension)], ['extensionTestsPath', codeServer.remoteUri(base, testsModule)]];
    await page.goto(codeServer.workbenchUrl(base, payload), { waitUntil: 'domcontentloaded', timeout: PHASE_TIMEOUT_MS });
    const code = await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve('timeout'), PHASE_TIMEOUT_MS))]);
    await page.close();
    if (!existsSync(exthostReport)) {
        record('the extension-host tests ran', new Error(`no report (exit ${code})`));
        return;
    }
    const outcomes = JSON.parse(readFileSync(exthostReport, 'utf8'));
    for (const outcome of outcomes) results.push({ name: `extension host: ${outcome.name}`, ok: outcome.ok, message: outcome.message });
    if (code !== 0 && outcomes.every(outcome => outcome.ok)) record('the extension-host run ended cleanly', new Error(`exit ${code}`));
}

/** The extension host's log must have no errors: a failed activation or a crashed server shows there. */
function checkExtensionHostLog() {
    const errors = codeServer.extensionHostErrors();
    if (errors.length > 0) throw new Error(`the extension host logged errors:\n${errors.join('\n')}`);
}

let exitCode = 1;
try {
    log('installing the .vsix');
    const installedExtension = codeServer.installVsix();
    const testsModule = await bundleForExtensionHost(path.join(root, 'extension/test/e2e/index.ts'), path.join(codeServer.state, 'exthost-tests.cjs'));
    const base = await codeServer.start({ verbose: Boolean(process.env.UKC_E2E_VERBOSE) });
    log('code-server at', base);
    browser = await launchBrowser();
    const phase = process.env.UKC_E2E_PHASE;
    if (phase !== 'ui') await runExtensionHostTests(base, installedExtension, testsModule);
    if (phase !== 'exthost') await runUiTests({ browser, base, workspace: dirs.workspace, out, record, log, only: process.env.UKC_E2E_ONLY });
    try { checkExtensionHostLog(); record('the extension host logged no errors'); } catch (error) { record('the extension host logged no errors', error); }
} catch (error) {
    record('the e2e run completed', error);
} finally {
    await cleanUp();
    exitCode = finish();
}
process.exit(exitCode);
