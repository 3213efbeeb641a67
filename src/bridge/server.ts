import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/index.js';
import { loadFileDirectory, type Directory } from '../directory/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { SqliteStore, hmacSecretHasher, loadServerSecret } from '../store/index.js';
import { createBridgeApp, type BridgeContext, type BridgeOptions } from './app.js';
import { selfSignedCertificate, type TlsMaterial } from './self-signed.js';

export interface RunningBridge {
  readonly url: string;
  readonly server: Server;
  readonly store: SqliteStore;
  readonly ctx: BridgeContext;
  close(): Promise<void>;
}

async function tlsMaterial(config: Config, dataDir: string): Promise<TlsMaterial | undefined> {
  const https = config.bridge.https;
  if (https.mode === 'off') return undefined;
  if (https.mode === 'files') {
    try {
      return { certPem: readFileSync(https.cert, 'utf8'), keyPem: readFileSync(https.key, 'utf8') };
    } catch (e) {
      throw new TgtbridgeError('ERR_CONFIG', `bridge.https: cannot read certificate or key (${(e as Error).message})`);
    }
  }
  // Self-signed: made once per data directory and reused, so a browser exception stays valid.
  const certPath = join(dataDir, 'self-signed-cert.pem');
  const keyPath = join(dataDir, 'self-signed-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) return { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
  const host = new URL(config.bridge.origin).hostname;
  const made = await selfSignedCertificate([...new Set([host, config.bridge.rpId, 'localhost'])], ['127.0.0.1']);
  writeFileSync(certPath, made.certPem, { mode: 0o644 });
  writeFileSync(keyPath, made.keyPem, { mode: 0o600 });
  return made;
}

/** Open the data directory, build the app, and listen on the configured loopback address. */
export async function startBridge(
  config: Config,
  dataDir: string,
  extra: Pick<BridgeOptions, 'onSignedIn' | 'extraRoutes' | 'clock'> & { readonly directory?: Directory; readonly port?: number } = {},
): Promise<RunningBridge> {
  const store = SqliteStore.open(dataDir);
  const directory = extra.directory ?? loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
  const { app, ctx } = await createBridgeApp({ config, directory, store, hasher: hmacSecretHasher(loadServerSecret(dataDir)), ...extra });
  const tls = await tlsMaterial(config, dataDir);
  const server = tls ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, app) : createHttpServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(extra.port ?? config.bridge.port, config.bridge.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const purge = setInterval(() => void store.purgeExpired(new Date()), 60_000);
  purge.unref();
  return {
    url: `${tls ? 'https' : 'http'}://${config.bridge.host}:${port}`,
    server,
    store,
    ctx,
    close: async () => {
      clearInterval(purge);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}
