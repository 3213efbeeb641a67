import { join } from 'node:path';
import { resolvePaths } from '../../bridge/index.js';
import { loadConfig } from '../../config/index.js';
import { loadFileDirectory } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { formatKrb5Conf, startEmbeddedKdc } from '../../kdc/index.js';
import { writeFileAtomic } from '../../util/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const HELP = `usage: tgtbridge kdc [--config FILE] [--data DIR] [--port N]

Run the embedded exchange KDC alone (UDP and TCP): it exchanges partial TGTs minted with krbtgt_N
for full TGTs and service tickets, as a writable AD DC does. AS-REQs are refused (KDC_ERR_POLICY):
sign-in happens at the bridge.
  --config FILE  configuration (default config/tgtbridge.yaml, or $TGTBRIDGE_CONFIG); its kdc: section
  --data DIR     data directory (default ./data, or $TGTBRIDGE_DATA): keys/krbtgt.keytab, the krbtgt_N
                 key set, keytabs/<account>.keytab — generated on first run when absent (0600)
  --port N       override kdc.port (0: any free port)
Writes <data>/krb5.conf pointing MIT tools at it (KRB5_CONFIG=<data>/krb5.conf).
`;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('kdc', HELP, argv, {
    options: { config: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    io.stderr('tgtbridge kdc: --port must be 0..65535\n');
    return 2;
  }
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  let started;
  let realm: string;
  try {
    const config = loadConfig(configPath);
    realm = config.realm.toUpperCase();
    const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
    started = await startEmbeddedKdc({ config, dataDir, directory, ...(port !== undefined ? { port } : {}) });
  } catch (e) {
    if (!(e instanceof TgtbridgeError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
    io.stderr(`tgtbridge kdc: ${(e as Error).message}\n`);
    return 2;
  }
  const { listening, created, rodcNumber } = started;
  const confPath = join(dataDir, 'krb5.conf');
  await writeFileAtomic(confPath, new TextEncoder().encode(formatKrb5Conf(realm, listening.host, listening.udpPort)), 0o644);
  for (const f of created) io.stdout(`tgtbridge kdc: generated ${f}\n`);
  io.stdout(
    `tgtbridge kdc: ${realm} exchange KDC on ${listening.host} udp/tcp ${listening.udpPort} (krbtgt_${rodcNumber})\n` +
      `tgtbridge kdc: for MIT tools: export KRB5_CONFIG=${confPath}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await listening.close();
  return 0;
}
