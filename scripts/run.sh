#!/usr/bin/env bash
# The main job on the embedded default: installs npm packages if needed, builds, and starts
# `tgtbridge serve` with config/ and the data directory ./data (keys generated on first run).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build
exec node bin/tgtbridge.js serve --config config/tgtbridge.yaml --data data "$@"
