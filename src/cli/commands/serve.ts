import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../../config/index.js';
import { openDeviceLogin, resolvePaths, startBridge } from '../../bridge/index.js';
import { loadFileDirectory } from '../../directory/index.js';
import type { CliIo } from '../command.js';

const HELP = `usage: tgtbridge serve [--config FILE] [--data DIR] [--port N]

Run the bridge: passkey sign-in pages, Security info, TAP redemption.
  --config FILE  configuration (default config/tgtbridge.yaml, or $TGTBRIDGE_CONFIG)
  --data DIR     data directory, created 0700: SQLite store, server secret (default ./data, or $TGTBRIDGE_DATA)
  --port N       override bridge.port (and the origin's port when it named bridge.port)
`;

/** WebAuthn checks the origin exactly, so moving the port must move the origin with it. */
function withPort(config: Config, port: number): Config {
  const url = new URL(config.bridge.origin);
  const originPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (originPort === config.bridge.port) url.port = String(port);
  return { ...config, bridge: { ...config.bridge, port, origin: url.origin } };
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { config: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    // node:util parseArgs throws TypeError for unknown options; an id starting with '-' needs '--' first.
    io.stderr(`tgtbridge serve: ${(e as Error).message}\n${HELP}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  const loaded = loadConfig(configPath);
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    io.stderr('tgtbridge serve: --port must be 1..65535\n');
    return 2;
  }
  const config = port === undefined ? loaded : withPort(loaded, port);
  // Device login (tgtbridge login): minting after sign-in; bad minting config or keys stop the start.
  const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
  const bridge = await startBridge(config, dataDir, { directory, ...(await openDeviceLogin({ config, directory, dataDir })) });
  io.stdout(`tgtbridge: listening on ${bridge.url}\ntgtbridge: open ${config.bridge.origin}/ (passkeys are bound to RP ID ${config.bridge.rpId})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bridge.close();
  return 0;
}
