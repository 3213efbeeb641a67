import { resolve } from 'node:path';
import { loadConfig, type Config } from '../config/index.js';
import { loadFileDirectory, type Directory, type DirectoryUser } from '../directory/index.js';
import { TgtbridgeError } from '../errors/index.js';
import { SqliteStore, hmacSecretHasher, loadServerSecret } from '../store/index.js';
import { PasskeyService, TapService } from '../webauthn/index.js';

export interface BridgeEnvironment {
  readonly config: Config;
  readonly directory: Directory;
  readonly store: SqliteStore;
  readonly passkeys: PasskeyService;
  readonly taps: TapService;
  findUser(name: string): Promise<DirectoryUser>;
  close(): Promise<void>;
}

/** Where the config and the data directory are: flag, then environment, then the defaults. */
export function resolvePaths(flags: { config?: string | undefined; data?: string | undefined }, env: NodeJS.ProcessEnv, cwd: string): { configPath: string; dataDir: string } {
  return {
    configPath: resolve(cwd, flags.config ?? env['TGTBRIDGE_CONFIG'] ?? 'config/tgtbridge.yaml'),
    dataDir: resolve(cwd, flags.data ?? env['TGTBRIDGE_DATA'] ?? 'data'),
  };
}

/** Config + directory + store + services, as the admin commands use them (no HTTP). */
export async function openBridgeEnvironment(configPath: string, dataDir: string): Promise<BridgeEnvironment> {
  const config = loadConfig(configPath);
  const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
  const store = SqliteStore.open(dataDir);
  const opts = {
    config, directory, store, hasher: hmacSecretHasher(loadServerSecret(dataDir)),
  };
  const passkeys = await PasskeyService.create(opts);
  return {
    config, directory, store, passkeys, taps: new TapService(opts, passkeys),
    findUser: async (name) => {
      const u = await directory.findUser(name);
      if (!u) throw new TgtbridgeError('ERR_USAGE', `no user ${name} in the directory`);
      return u;
    },
    close: () => store.close(),
  };
}
