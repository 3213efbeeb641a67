import { ETYPE, Key, decrypt, etypeName, stringToKey } from '../../crypto/index.js';
import { IntegrityError, TgtbridgeError } from '../../errors/index.js';
import { filePrincipalText, type Keytab } from '../../files/index.js';

/**
 * The keys `inspect` may try on an enc-part: keytab entries (with their principal and kvno),
 * raw `--key ETYPE:HEX` keys, and a password turned into a key per etype on demand
 * (RFC 3961 §3 string-to-key with the given salt).
 */
export interface KeyCandidate {
  readonly key: Key;
  /** Unsigned 32-bit kvno, when the source says which. */
  readonly kvno?: number;
  /** `name/inst@REALM` of the keytab entry. */
  readonly principal?: string;
  /** Where the key came from, for "decrypted with …" lines; never the key bytes. */
  readonly source: string;
}

/** Who an enc-part is for, as far as the message says: used to pick keytab entries first. */
export interface EncPartTarget {
  readonly etype: number;
  readonly kvno?: number | undefined;
  readonly principal?: string | undefined;
}

export interface Decrypted {
  readonly plaintext: Uint8Array;
  readonly usage: number;
  readonly source: string;
  readonly key: Key;
}

export class KeyRing {
  private readonly fixed: KeyCandidate[] = [];
  private readonly derived = new Map<number, KeyCandidate | null>();
  private password: { readonly password: string; readonly salt: string } | undefined;
  private krbtgt: KeyCandidate | undefined;
  /** Enc-parts met, tried with at least one key, and opened: the exit code is 1 when some were met and none opened. */
  seen = 0;
  attempted = 0;
  opened = 0;

  get isEmpty(): boolean {
    return this.fixed.length === 0 && this.password === undefined;
  }

  addKeytab(name: string, kt: Keytab): void {
    for (const e of kt.entries) {
      let key: Key;
      try {
        key = Key.fromBytes(e.key.keytype, e.key.keyvalue);
      } catch {
        continue; // an etype we cannot use (DES, camellia): it can never decrypt anything here
      }
      const principal = filePrincipalText(e.principal);
      this.fixed.push({ key, kvno: e.kvno >>> 0, principal, source: `keytab ${name}: ${principal} kvno ${e.kvno >>> 0} ${etypeName(e.key.keytype)}` });
    }
  }

  addKey(spec: string): void {
    const key = parseKeyOption('--key', spec);
    this.fixed.push({ key, source: `--key ${etypeName(key.etype)}` });
  }

  /** `--krbtgt-key ETYPE:HEX`: the key PAC KDC, ticket and full signatures are checked with (MS-PAC §2.8). */
  setKrbtgtKey(spec: string): void {
    const key = parseKeyOption('--krbtgt-key', spec);
    this.krbtgt = { key, source: `--krbtgt-key ${etypeName(key.etype)}` };
  }

  /**
   * The krbtgt key for PAC signatures: --krbtgt-key, else (when the realm is known) a keytab entry
   * for krbtgt/REALM@REALM (or samba-tool's krbtgt@REALM), AES256 first. Undefined when neither was given.
   */
  krbtgtKey(realm?: string): Key | undefined {
    if (this.krbtgt !== undefined) return this.krbtgt.key;
    if (realm === undefined) return undefined;
    // samba-tool exportkeytab --principal=krbtgt names the entry krbtgt@REALM.
    const names = [`krbtgt/${realm}@${realm}`, `krbtgt@${realm}`];
    const entries = this.fixed.filter((c) => c.principal !== undefined && names.includes(c.principal));
    return (entries.find((c) => c.key.etype === ETYPE.AES256_CTS_HMAC_SHA1_96) ?? entries[0])?.key;
  }

  /** Also used for session keys found while decoding (a TGS-REP's enc-part, an authenticator). */
  addSessionKey(key: Key, source: string): void {
    this.fixed.push({ key, source });
  }

  setPassword(password: string, salt: string): void {
    this.password = { password, salt };
  }

  /** Candidates for one enc-part: entries naming the target principal and kvno first, then the rest of its etype. */
  candidates(t: EncPartTarget): KeyCandidate[] {
    const same = this.fixed.filter((c) => c.key.etype === t.etype);
    const rank = (c: KeyCandidate): number =>
      (t.principal !== undefined && c.principal === t.principal ? 0 : 2) +
      (t.kvno !== undefined && c.kvno === t.kvno >>> 0 ? 0 : 1);
    const ordered = same.map((c, i) => ({ c, i, r: rank(c) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.c);
    const fromPassword = this.passwordKey(t.etype);
    return fromPassword ? [...ordered, fromPassword] : ordered;
  }

  /**
   * Try each candidate with each key usage. Every failure is the same IntegrityError (no
   * oracle), so all we can say is "none of these keys". Undefined when nothing opens it.
   */
  tryDecrypt(t: EncPartTarget, usages: readonly number[], cipher: Uint8Array, extra: readonly KeyCandidate[] = []): Decrypted | undefined {
    this.seen++;
    const candidates = [...extra.filter((c) => c.key.etype === t.etype), ...this.candidates(t)];
    if (candidates.length === 0) return undefined;
    this.attempted++;
    for (const c of candidates) {
      for (const usage of usages) {
        try {
          const plaintext = decrypt(c.key, usage, cipher);
          this.opened++;
          return { plaintext, usage, source: c.source, key: c.key };
        } catch (e) {
          if (!(e instanceof IntegrityError)) throw e;
        }
      }
    }
    return undefined;
  }

  private passwordKey(etype: number): KeyCandidate | undefined {
    if (this.password === undefined) return undefined;
    if (!this.derived.has(etype)) {
      let c: KeyCandidate | null = null;
      // rc4-hmac's string-to-key ignores the salt (MD4 of the UTF-16LE password), so one key serves.
      try {
        const salted = etype === ETYPE.RC4_HMAC ? 'no salt' : `salt "${this.password.salt}"`;
        c = { key: stringToKey(etype, this.password.password, this.password.salt), source: `--password (${etypeName(etype)}, ${salted})` };
      } catch (e) {
        if (!(e instanceof TgtbridgeError)) throw e;
      }
      this.derived.set(etype, c);
    }
    return this.derived.get(etype) ?? undefined;
  }
}

/**
 * `ETYPE:HEX` of a key option (`--key`, `--krbtgt-key`). A malformed value is never echoed, in
 * part or whole: whatever the mistake (etype left out or put last, a stray character) the hex in
 * it is the key, and error lines end up in terminals and logs.
 */
export function parseKeyOption(option: string, spec: string): Key {
  const m = /^([^:]+):([0-9a-fA-F]+)$/.exec(spec.trim());
  if (!m) throw new TgtbridgeError('ERR_USAGE', `${option} must be ETYPE:HEX (e.g. 18:00112233…)`);
  let etype: number;
  try {
    etype = parseEtype(m[1]!);
  } catch {
    throw new TgtbridgeError('ERR_USAGE', `${option}: unknown encryption type before the ':' (a number such as 18, or an MIT name)`);
  }
  if (m[2]!.length % 2 !== 0) throw new TgtbridgeError('ERR_USAGE', `${option}: odd number of hex digits`);
  return Key.fromBytes(etype, new Uint8Array(Buffer.from(m[2]!, 'hex')));
}

/** An etype by number (18) or MIT name (aes256-cts-hmac-sha1-96, or its short aes256-cts). */
export function parseEtype(text: string): number {
  if (/^-?\d+$/.test(text)) return Number(text);
  const aliases: Record<string, number> = {
    'aes128-cts': 17,
    'aes256-cts': 18,
    rc4: 23,
    'rc4-hmac': 23,
  };
  for (const n of [17, 18, 19, 20, 23]) if (etypeName(n) === text.toLowerCase()) return n;
  const a = aliases[text.toLowerCase()];
  if (a !== undefined) return a;
  throw new TgtbridgeError('ERR_USAGE', `unknown encryption type '${text}'`);
}
