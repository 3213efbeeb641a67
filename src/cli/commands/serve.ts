import { dirname, join } from 'node:path';
import { loadConfig, type Config } from '../../config/index.js';
import {
  DeviceMinter,
  KeySetFile,
  demoExtension,
  openDeviceLogin,
  resolvePaths,
  startBridge,
  type BridgeOptions,
  type RunningBridge,
} from '../../bridge/index.js';
import { loadFileDirectory, type Directory } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { formatKrb5Conf, keySetPath, loadEmbeddedKeys, loadKeySet, parseKdcSettings, startEmbeddedKdc, type EmbeddedKdc } from '../../kdc/index.js';
import { parseMintingSettings } from '../../ticket/index.js';
import { systemClock, systemRandom, writeFileAtomic } from '../../util/index.js';
import type { CliIo } from '../command.js';
import { parseCommandLine } from '../parse-command.js';

const HELP = `usage: tgtbridge serve [--config FILE] [--data DIR] [--port N] [--kdc-port N] [--no-kdc] [--demo-user NAME]

Run the bridge (passkey sign-in pages, Security info, TAP redemption, device login) and the embedded
exchange KDC on the embedded default. On first run it generates the keys into the data directory.
  --config FILE     configuration (default config/tgtbridge.yaml, or $TGTBRIDGE_CONFIG)
  --data DIR        data directory, created 0700: SQLite store, server secret, keys, keytabs,
                    krb5.conf for MIT tools (default ./data, or $TGTBRIDGE_DATA)
  --port N          override bridge.port (and the origin's port when it named bridge.port)
  --kdc-port N      override kdc.port (0: any free port)
  --no-kdc          a real DC (Samba AD, Windows AD) does the exchange: start no embedded KDC,
                    write no krb5.conf, generate no keys (same as kdc.embedded: false); the
                    krbtgt_N key must have been imported with \`tgtbridge keys import\`
  --demo-user NAME  the account that gets a temporary access pass at start while it has no
                    passkey (default alice; "" for none)
After a passkey sign-in the browser lands on /demo: the partial TGT minted for it, the full TGT
the embedded KDC returned for it, and a service ticket, decoded.
`;

/** WebAuthn checks the origin exactly, so moving the port must move the origin with it. */
function withPort(config: Config, port: number): Config {
  const url = new URL(config.bridge.origin);
  const originPort = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (originPort === config.bridge.port) url.port = String(port);
  return { ...config, bridge: { ...config.bridge, port, origin: url.origin } };
}


/** The first cifs/ SPN with a DNS name in the directory: the demo's file server. */
async function demoService(directory: Directory): Promise<string | undefined> {
  for (const u of await directory.listUsers()) {
    const spn = u.servicePrincipalNames.find((s) => /^cifs\/[^/]+\.[^/]+$/i.test(s));
    if (spn !== undefined && u.enabled) return spn;
  }
  return undefined;
}

/** Both extensions on one app: device login claims sign-ins that carry its request; the rest go to /demo. */
function combine(...exts: readonly Required<Pick<BridgeOptions, 'extraRoutes' | 'onSignedIn'>>[]): Required<Pick<BridgeOptions, 'extraRoutes' | 'onSignedIn'>> {
  return {
    extraRoutes: (app, ctx) => {
      for (const e of exts) e.extraRoutes(app, ctx);
    },
    onSignedIn: async (signedIn, req, res) => {
      for (const e of exts) {
        const outcome = await e.onSignedIn(signedIn, req, res);
        if (outcome !== undefined) return outcome;
      }
      return undefined;
    },
  };
}

interface Started {
  readonly config: Config;
  /** Undefined when a real DC does the exchange (kdc.embedded: false or --no-kdc). */
  readonly kdc: EmbeddedKdc | undefined;
  readonly bridge: RunningBridge;
  readonly krb5ConfPath: string | undefined;
}

async function start(configPath: string, dataDir: string, port: number | undefined, kdcPort: number | undefined, noKdc: boolean): Promise<Started> {
  const loaded = loadConfig(configPath);
  const config = port === undefined ? loaded : withPort(loaded, port);
  const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
  const minting = parseMintingSettings(config.minting, dirname(config.file));
  const setPath = keySetPath(dataDir, minting.keysDir);
  if (noKdc || !parseKdcSettings(config.kdc, dirname(config.file)).embedded) {
    // In front of a real DC the keys come from it (`keys import`); refuse to start without one,
    // rather than mint tickets no DC can read.
    if ((await loadKeySet(setPath)).current() === undefined) {
      throw new TgtbridgeError('ERR_KEY_SET', `no krbtgt_N key in ${setPath}: export it from the DC and run \`tgtbridge keys import FILE --principal krbtgt_N\` (docs/ad-setup.md)`);
    }
    const device = await openDeviceLogin({ config, directory, dataDir });
    const bridge = await startBridge(config, dataDir, { directory, ...device });
    return { config, kdc: undefined, bridge, krb5ConfPath: undefined };
  }
  const realm = config.realm.toUpperCase();
  // The KDC first: it generates the keys (first run) that minting reads.
  const kdc = await startEmbeddedKdc({ config, dataDir, directory, ...(kdcPort !== undefined ? { port: kdcPort } : {}) });
  try {
    const krb5ConfPath = join(dataDir, 'krb5.conf');
    await writeFileAtomic(krb5ConfPath, new TextEncoder().encode(formatKrb5Conf(realm, kdc.listening.host, kdc.listening.udpPort)), 0o644);
    const device = await openDeviceLogin({ config, directory, dataDir });
    const service = await demoService(directory);
    const exts = [device];
    if (service !== undefined) {
      const keys = new KeySetFile(setPath);
      const minterAt = (authTime: Date) => DeviceMinter.create({ config, directory, settings: minting, keys, clock: { now: () => authTime }, random: systemRandom });
      exts.push(demoExtension({
        realm, minterAt, service, clock: systemClock, random: systemRandom,
        kdc: { host: kdc.listening.host, port: kdc.listening.udpPort },
        keys: () => loadEmbeddedKeys({ dataDir, keySetFile: setPath }, realm, kdc.settings.serviceKeytabs),
        loginLines: [`export KRB5_CONFIG=${krb5ConfPath}`, `tgtbridge login {user} --bridge ${config.bridge.origin}`, 'klist', `kvno ${service}`],
      }));
    }
    const bridge = await startBridge(config, dataDir, { directory, ...combine(...exts) });
    return { config, kdc, bridge, krb5ConfPath };
  } catch (e) {
    await kdc.listening.close();
    throw e;
  }
}

function portOption(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= min && n < 65536)) throw new TgtbridgeError('ERR_USAGE', `${name} must be ${min}..65535`);
  return n;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine('serve', HELP, argv, {
    options: {
      config: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' }, 'kdc-port': { type: 'string' },
      'demo-user': { type: 'string' }, 'no-kdc': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  }, io);
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const { configPath, dataDir } = resolvePaths(values, io.env, io.cwd);
  let started: Started;
  try {
    started = await start(configPath, dataDir, portOption(values.port, '--port', 1), portOption(values['kdc-port'], '--kdc-port', 0), values['no-kdc'] === true);
  } catch (e) {
    if (!(e instanceof TgtbridgeError) && (e as NodeJS.ErrnoException).code === undefined) throw e;
    io.stderr(`tgtbridge serve: ${(e as Error).message}\n`);
    return 2;
  }
  const { config, kdc, bridge, krb5ConfPath } = started;
  const origin = config.bridge.origin;
  const out: string[] = kdc === undefined
    ? [`tgtbridge: no embedded KDC: devices exchange partial TGTs at the ${config.realm.toUpperCase()} DCs their krb5.conf names`]
    : [
        ...kdc.created.map((f) => `tgtbridge: generated ${f}`),
        `tgtbridge: ${config.realm.toUpperCase()} exchange KDC on ${kdc.listening.host} udp/tcp ${kdc.listening.udpPort} (krbtgt_${kdc.rodcNumber})`,
      ];
  out.push(
    `tgtbridge: listening on ${bridge.url}`,
    `tgtbridge: open ${origin}/ (passkeys are bound to RP ID ${config.bridge.rpId})`,
  );
  const demoUser = values['demo-user'] ?? 'alice';
  const user = demoUser === '' ? undefined : await bridge.ctx.directory.findUser(demoUser);
  if (user !== undefined && (await bridge.store.listCredentials(user.objectSid)).length === 0) {
    const tap = await bridge.ctx.taps.issue(user, undefined, 1, 'tgtbridge serve');
    out.push(
      `tgtbridge: ${user.sAMAccountName} has no passkey yet. Temporary access pass for ${user.sAMAccountName}: ${tap.code}`,
      `tgtbridge:   (valid until ${tap.expiresAt.toISOString()}, one use) redeem it at ${origin}/tap, create a passkey, then sign in at ${origin}/`,
    );
  }
  const name = user?.sAMAccountName ?? demoUser;
  if (krb5ConfPath !== undefined) out.push(`tgtbridge: for MIT tools (klist, kvno, smbclient): export KRB5_CONFIG=${krb5ConfPath}`);
  out.push(`tgtbridge: to get the tickets into a ccache: tgtbridge login ${name === '' ? '<user>' : name} --bridge ${origin}`);
  // Not installed on PATH by scripts/run.sh: say how to call the same binary.
  const bin = process.argv[1];
  if (bin !== undefined && bin.endsWith('tgtbridge.js')) out.push(`tgtbridge:   (tgtbridge is ${bin}: alias tgtbridge="node ${bin}")`);
  io.stdout(`${out.join('\n')}\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await bridge.close();
  await kdc?.listening.close();
  return 0;
}
