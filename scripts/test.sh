#!/usr/bin/env bash
# The one test command: installs what the tests need (Debian peers, npm packages), builds, runs
# every test (unit and interop against real peers) and ends with the line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "test: Node.js >= 20.19 is required (found: $(node --version 2>/dev/null || echo none))" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

bash scripts/install-peers.sh || { echo "0 passed, 1 failed"; exit 1; }
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi
npm run --silent build || { echo "0 passed, 1 failed"; exit 1; }

npx vitest run "$@"
