import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { loadConfig, type Config } from '../../config/index.js';
import { loadFileDirectory, type Directory } from '../../directory/index.js';
import { DecodeError, TgtbridgeError } from '../../errors/index.js';
import { decodeKeytab, type KeytabEntry } from '../../files/index.js';
import { keySetPath, loadKeySet } from '../../kdc/index.js';
import { KeySet, parseMintingSettings, DEFAULT_MINTING_SETTINGS, type MintingSettings } from '../../ticket/index.js';

/** Config and data locations as the other admin commands resolve them (TGTBRIDGE_CONFIG / TGTBRIDGE_DATA). */
export function resolveAdminPaths(flags: { config?: string | undefined; data?: string | undefined }, env: NodeJS.ProcessEnv, cwd: string): { configPath: string; dataDir: string } {
  return {
    configPath: resolve(cwd, flags.config ?? env['TGTBRIDGE_CONFIG'] ?? 'config/tgtbridge.yaml'),
    dataDir: resolve(cwd, flags.data ?? env['TGTBRIDGE_DATA'] ?? 'data'),
  };
}

export interface MintingEnvironment {
  readonly config: Config | undefined;
  readonly directory: Directory | undefined;
  readonly settings: MintingSettings;
  readonly keySetFile: string;
}

/**
 * The config (when its file exists or was named), the directory it points to, the minting
 * settings and the key-set path. A config that was named explicitly must exist.
 */
export function openMintingEnvironment(flags: { config?: string | undefined; data?: string | undefined }, env: NodeJS.ProcessEnv, cwd: string): MintingEnvironment {
  const { configPath, dataDir } = resolveAdminPaths(flags, env, cwd);
  const named = flags.config !== undefined || env['TGTBRIDGE_CONFIG'] !== undefined;
  if (!named && !existsSync(configPath)) {
    return { config: undefined, directory: undefined, settings: DEFAULT_MINTING_SETTINGS, keySetFile: keySetPath(dataDir) };
  }
  const config = loadConfig(configPath);
  const settings = parseMintingSettings(config.minting, dirname(configPath));
  const directory = loadFileDirectory(config.directory.path, { realm: config.realm, dnsDomain: config.dnsDomain, netbiosName: config.netbiosDomain });
  return { config, directory, settings, keySetFile: keySetPath(dataDir, settings.keysDir) };
}

/** The same bound `inspect` puts on its input: no keytab comes near it. */
const MAX_KEYTAB = 64 * 1024 * 1024;

/**
 * Read krbtgt_N keys from a keytab someone exported (e.g. `samba-tool domain exportkeytab
 * --principal=krbtgt_N`): the entries of `principal` (or of the one krbtgt_N in the file), AES256
 * only, the other etypes skipped with their reason.
 */
export async function keySetFromExportedKeytab(path: string, principal?: string): Promise<{ set: KeySet; skipped: readonly { what: string; reason: string }[] }> {
  let bytes: Uint8Array;
  try {
    // A FIFO or device would be read until it ends (never, for /dev/zero): regular files only.
    const info = await stat(path);
    if (!info.isFile()) throw new TgtbridgeError('ERR_IO', `${path}: not a regular file, expected a keytab`);
    if (info.size > MAX_KEYTAB) throw new TgtbridgeError('ERR_IO', `${path}: ${info.size} bytes is too large for a keytab`);
    bytes = await readFile(path);
  } catch (e) {
    if (e instanceof TgtbridgeError) throw e;
    throw new TgtbridgeError('ERR_IO', `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let entries: readonly KeytabEntry[];
  try {
    entries = decodeKeytab(bytes).entries;
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    throw new TgtbridgeError(e.code, `${path}: not a valid keytab: ${e.message}`, { cause: e });
  }
  let name = principal;
  if (name === undefined) {
    const names = [...new Set(entries.map((e) => e.principal.components.join('/')).filter((n) => /^krbtgt_\d+$/.test(n)))];
    if (names.length !== 1) {
      throw new TgtbridgeError('ERR_KEY_SET', names.length === 0 ? `${path} holds no krbtgt_N key` : `${path} holds ${names.join(', ')}: name one with --principal`);
    }
    name = names[0]!;
  }
  const { set, skipped } = KeySet.fromKeytab(entries, name);
  if (set.size === 0) throw new TgtbridgeError('ERR_KEY_SET', `${path} has no usable key for ${name}: ${skipped.map((s) => s.reason).join('; ') || 'no entries'}`);
  return {
    set,
    skipped: skipped.map((s) => ({ what: `${s.entry.principal.components.join('/')}@${s.entry.principal.realm} kvno ${s.entry.kvno} etype ${s.entry.key.keytype}`, reason: s.reason })),
  };
}

export { loadKeySet };
