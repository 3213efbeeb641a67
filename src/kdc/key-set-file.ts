import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DecodeError, TgtbridgeError } from '../errors/index.js';
import { decodeKeytab, encodeKeytab, writeCredentialFile } from '../files/index.js';
import { KeySet } from '../ticket/index.js';

/** Where the key set lives: `<data>/keys/krbtgt-rodc.keytab`, or `<keysDir>/krbtgt-rodc.keytab`. */
export const KEY_SET_FILE = 'krbtgt-rodc.keytab';

export function keySetPath(dataDir: string, keysDir?: string): string {
  return join(keysDir ?? join(dataDir, 'keys'), KEY_SET_FILE);
}

/**
 * Refuse a key file other accounts can read or write (any group or other bit): whoever reads a
 * krbtgt key mints tickets for every user the DC admits, so the bridge and the KDC will not run on
 * one, as ssh will not use a private key others can read. A missing file passes (callers decide).
 */
export async function refuseOpenKeyFile(path: string, what: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    return;
  }
  if ((mode & 0o077) !== 0) {
    throw new TgtbridgeError('ERR_KEY_FILE_MODE', `${path} is mode ${mode.toString(8).padStart(3, '0')}: other accounts can read or write ${what}; run chmod 600 ${path}`);
  }
}

/**
 * Load the key set from its keytab. A missing file is an empty set; a keytab holding a key the
 * DC would refuse (not AES256, no RODC number) is ERR_KEY_SET with the reason, so the bridge does
 * not start on it; a file other accounts can read is ERR_KEY_FILE_MODE, unless
 * `openMode: 'allow'` (the admin commands that report or repair it: doctor, keys).
 */
export async function loadKeySet(path: string, options: { readonly openMode?: 'refuse' | 'allow' } = {}): Promise<KeySet> {
  if (options.openMode !== 'allow') await refuseOpenKeyFile(path, 'the krbtgt_N keys');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return KeySet.empty();
    throw new TgtbridgeError('ERR_IO', `cannot read the key set ${path}: ${(e as Error).message}`, { cause: e });
  }
  let entries;
  try {
    entries = decodeKeytab(bytes).entries;
  } catch (e) {
    // The decoder's message has the field and byte offset; the file is ours to name.
    if (!(e instanceof DecodeError)) throw e;
    throw new TgtbridgeError(e.code, `the key set ${path}: not a valid keytab: ${e.message}`, { cause: e });
  }
  return KeySet.fromKeytab(entries).set;
}

/** Write the key set as a 0x0502 keytab: mode 0600, atomically, in a 0700 directory. */
export async function saveKeySet(path: string, set: KeySet): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  await writeCredentialFile(path, encodeKeytab({ entries: set.toKeytab() }));
}
