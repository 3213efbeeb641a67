import { mkdir, readFile } from 'node:fs/promises';
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
 * Load the key set from its keytab. A missing file is an empty set; a keytab holding a key the
 * DC would refuse (not AES256, no RODC number) is ERR_KEY_SET with the reason, so the bridge does
 * not start on it.
 */
export async function loadKeySet(path: string): Promise<KeySet> {
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
