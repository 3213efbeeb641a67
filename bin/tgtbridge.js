#!/usr/bin/env node
// The CLI is compiled by `npm run build` (tsc) into dist/; this stub only loads it, so
// `tgtbridge --help` starts without a TypeScript loader.
import { main } from '../dist/src/cli/main.js';
process.exitCode = await main(process.argv.slice(2));
