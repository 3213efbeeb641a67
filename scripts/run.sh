#!/usr/bin/env bash
# The main job on the embedded default: installs npm packages if needed, builds when a source
# changed since the last build, and starts `tgtbridge serve` with config/ and the data directory
# ./data (keys generated on first run). Extra arguments go to serve and win over these defaults,
# e.g. `bash scripts/run.sh --data /tmp/demo --port 9443 --kdc-port 0`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# tsc rewrites every output on each build, so the CLI entry's mtime is when dist/ was last built
# (by this script, `npm run build` or scripts/test.sh).
built=dist/src/cli/main.js
if [ ! -f "$built" ] || [ -n "$(find src bench fuzz tsconfig.json tsconfig.build.json package-lock.json -newer "$built" -print -quit 2>/dev/null)" ]; then
  npm run --silent build
fi
exec node bin/tgtbridge.js serve --config config/tgtbridge.yaml --data data "$@"
