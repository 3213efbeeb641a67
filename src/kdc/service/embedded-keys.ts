import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NAME_TYPES } from '../../asn1/index.js';
import { ETYPE, Key, randomKey } from '../../crypto/index.js';
import type { Directory } from '../../directory/index.js';
import { TgtbridgeError } from '../../errors/index.js';
import { decodeKeytab, encodeKeytab, writeCredentialFile, type KeytabEntry } from '../../files/index.js';
import type { KeySet } from '../../ticket/index.js';
import type { Clock, RandomSource } from '../../util/index.js';
import { loadKeySet, refuseOpenKeyFile, saveKeySet } from '../key-set-file.js';
import type { ServiceKeyTable, VersionedKey } from './types.js';

/**
 * Keys of the embedded default, where tgtbridge plays the whole domain (DESIGN.md "Key material"):
 *   <data>/keys/krbtgt.keytab        krbtgt/REALM, AES256 + AES128, kvno 1
 *   the key set file (krbtgt-rodc.keytab, where minting reads it)   krbtgt_N, AES256, kvno (N << 16) | 1
 *   <data>/keytabs/<account>.keytab  every SPN of a computer/service account, AES256 + AES128, kvno 1
 * Generated on first run when absent, random, mode 0600 in 0700 directories; never derived from a password.
 *
 * N is drawn uniformly from 1..65535, as an AD DC picks msDS-SecondaryKrbTgtNumber: about half
 * the installs get N ≥ 0x8000, whose kvno goes on the wire as a negative INTEGER (Samba's lab DC
 * picked 54271) — the tests exercise both halves explicitly.
 */
export const KRBTGT_KEYTAB = 'krbtgt.keytab';
export const SERVICE_KEYTAB_DIR = 'keytabs';

export interface EmbeddedKeyPaths {
  readonly dataDir: string;
  /** Where the krbtgt_N key set lives (keySetPath(dataDir, minting.keysDir)). */
  readonly keySetFile: string;
}

const KEY_ETYPES = [ETYPE.AES256_CTS_HMAC_SHA1_96, ETYPE.AES128_CTS_HMAC_SHA1_96] as const;

async function exists(path: string): Promise<boolean> {
  try {
    await readFile(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new TgtbridgeError('ERR_IO', `cannot read ${path}: ${(e as Error).message}`);
  }
}

function entries(components: readonly string[], nameType: number, realm: string, keys: readonly Key[], now: Date): KeytabEntry[] {
  return keys.map((k) => ({ principal: { nameType, components, realm }, timestamp: now, kvno: 1, key: { keytype: k.etype, keyvalue: k.exportBytes() } }));
}

function randomRodcNumber(random: RandomSource): number {
  const b = random.bytes(2);
  return ((b[0]! << 8) | b[1]!) % 0xffff + 1;
}

/** Create whatever keys are missing; returns the files it wrote. */
export async function ensureEmbeddedKeys(paths: EmbeddedKeyPaths, realm: string, directory: Directory, clock: Clock, random: RandomSource): Promise<string[]> {
  const written: string[] = [];
  const now = new Date(Math.floor(clock.now().getTime() / 1000) * 1000);
  const keysDir = join(paths.dataDir, 'keys');
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const krbtgtFile = join(keysDir, KRBTGT_KEYTAB);
  if (!(await exists(krbtgtFile))) {
    const keys = KEY_ETYPES.map((e) => randomKey(e, random));
    await writeCredentialFile(krbtgtFile, encodeKeytab({ entries: entries(['krbtgt', realm], NAME_TYPES['NT-SRV-INST'], realm, keys, now) }));
    written.push(krbtgtFile);
  }
  const set = await loadKeySet(paths.keySetFile);
  if (set.size === 0) {
    await saveKeySet(paths.keySetFile, set.rotate(now, random, { rodcNumber: randomRodcNumber(random), realm }));
    written.push(paths.keySetFile);
  }
  const ktDir = join(paths.dataDir, SERVICE_KEYTAB_DIR);
  await mkdir(ktDir, { recursive: true, mode: 0o700 });
  for (const account of await directory.listUsers()) {
    if (account.servicePrincipalNames.length === 0 || account.sAMAccountName.toLowerCase() === 'krbtgt') continue;
    const file = join(ktDir, `${account.sAMAccountName.replace(/\$$/, '').toLowerCase()}.keytab`);
    if (await exists(file)) continue;
    // One key per etype for the account, shared by its SPNs, as AD keeps keys per account.
    const keys = KEY_ETYPES.map((e) => randomKey(e, random));
    const all = account.servicePrincipalNames.flatMap((spn) => entries(spn.split('/'), NAME_TYPES['NT-SRV-INST'], realm, keys, now));
    await writeCredentialFile(file, encodeKeytab({ entries: all }));
    written.push(file);
  }
  return written;
}

export interface EmbeddedKeys {
  readonly krbtgtKeys: readonly VersionedKey[];
  readonly rodcKeys: KeySet;
  readonly serviceKeys: ServiceKeyTable;
}

async function keytabEntries(path: string): Promise<readonly KeytabEntry[]> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new TgtbridgeError('ERR_IO', `cannot read the keytab ${path}: ${(e as Error).message}`);
  }
  return decodeKeytab(bytes).entries;
}

/** Read the krbtgt keytab, the key set, and every service keytab (data dir + the ones config names). */
export async function loadEmbeddedKeys(paths: EmbeddedKeyPaths, realm: string, extraServiceKeytabs: readonly string[] = []): Promise<EmbeddedKeys> {
  const krbtgtFile = join(paths.dataDir, 'keys', KRBTGT_KEYTAB);
  await refuseOpenKeyFile(krbtgtFile, "the realm's krbtgt keys");
  const krbtgtKeys = (await keytabEntries(krbtgtFile))
    .filter((e) => e.principal.components.join('/') === `krbtgt/${realm}` && e.principal.realm === realm)
    .map((e) => ({ kvno: e.kvno >>> 0, key: Key.fromBytes(e.key.keytype, e.key.keyvalue) }));
  const ktDir = join(paths.dataDir, SERVICE_KEYTAB_DIR);
  let names: string[] = [];
  try {
    names = (await readdir(ktDir)).filter((n) => n.endsWith('.keytab')).map((n) => join(ktDir, n));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new TgtbridgeError('ERR_IO', `cannot list ${ktDir}: ${(e as Error).message}`);
  }
  const serviceKeys = new Map<string, VersionedKey[]>();
  for (const file of [...names, ...extraServiceKeytabs]) {
    for (const e of await keytabEntries(file)) {
      if (e.principal.realm !== realm) continue;
      let key: Key;
      try {
        key = Key.fromBytes(e.key.keytype, e.key.keyvalue);
      } catch {
        continue; // An etype crypto does not support (DES, camellia): unusable, not fatal.
      }
      const name = e.principal.components.join('/').toLowerCase();
      serviceKeys.set(name, [...(serviceKeys.get(name) ?? []), { kvno: e.kvno >>> 0, key }]);
    }
  }
  return { krbtgtKeys, rodcKeys: await loadKeySet(paths.keySetFile), serviceKeys };
}
